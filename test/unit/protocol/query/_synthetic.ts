// A small Query model exercising every construct the IAM and STS models do not use (maps on
// input, flattened lists and maps, locationNames, timestamps, blobs, floats, longs), so the
// decoder and encoder are tested on the whole of botocore's Query naming rules.
import type { QueryService } from '../../../../src/protocol/query-model.js';
import { shapeResolverFor, type ServiceModel } from '../../../../src/protocol/service-model.js';

const model: ServiceModel = {
  metadata: { apiVersion: '2020-01-01', xmlNamespace: 'https://example.test/doc/2020-01-01/', protocol: 'query' },
  operations: {
    Everything: { input: 'EverythingRequest', output: 'EverythingResponse', resultWrapper: 'EverythingResult', errors: [] },
    Nothing: { errors: [] },
  },
  shapes: {
    EverythingRequest: {
      type: 'structure',
      members: {
        Name: 'Str', Count: 'Int', Big: 'Long', Ratio: 'Dbl', Flag: 'Bool', When: 'Time', Data: 'Bytes',
        Items: 'StrList', Flat: 'FlatList', Renamed: 'StrList', Labels: 'StrMap', FlatLabels: 'FlatMap', Nested: 'Inner',
      },
      memberTraits: { Renamed: { locationName: 'OtherName' } },
      required: ['Name'],
    },
    EverythingResponse: {
      type: 'structure',
      members: {
        Name: 'Str', Count: 'Int', Ratio: 'Dbl', Flag: 'Bool', When: 'Time', Data: 'Bytes', Items: 'StrList',
        Flat: 'FlatList', Named: 'NamedList', Labels: 'StrMap', FlatLabels: 'FlatMap', Nested: 'Inner',
      },
    },
    Inner: { type: 'structure', members: { Deep: 'Str', Children: 'InnerList' } },
    InnerList: { type: 'list', member: 'Inner' },
    Str: { type: 'string', max: 10 },
    Int: { type: 'integer', min: 1, max: 100 },
    Long: { type: 'long' },
    Dbl: { type: 'double' },
    Bool: { type: 'boolean' },
    Time: { type: 'timestamp' },
    Bytes: { type: 'blob' },
    StrList: { type: 'list', member: 'Str' },
    FlatList: { type: 'list', member: 'Str', flattened: true, memberTraits: { locationName: 'Flat' } },
    NamedList: { type: 'list', member: 'Str', memberTraits: { locationName: 'item' } },
    StrMap: { type: 'map', key: 'Str', value: 'Str' },
    FlatMap: { type: 'map', key: 'Str', value: 'Str', flattened: true, keyTraits: { locationName: 'Name' }, valueTraits: { locationName: 'Text' } },
  },
};

export const synthetic: QueryService = {
  label: 'Synthetic',
  model,
  resolve: shapeResolverFor(model, 'Synthetic'),
  apiVersion: '2020-01-01',
  xmlNamespace: 'https://example.test/doc/2020-01-01/',
};
