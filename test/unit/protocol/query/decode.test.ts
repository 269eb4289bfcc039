import { test } from 'node:test';
import assert from 'node:assert/strict';

import { KmsError } from '../../../../src/errors/aws-errors.js';
import { iamService, stsService } from '../../../../src/protocol/query-model.js';
import {
  decodeQueryInput, decodeQueryRequest, parseQueryForm, queryActionOf,
} from '../../../../src/protocol/query/decode.js';
import { synthetic } from './_synthetic.js';

function form(text: string): URLSearchParams {
  return parseQueryForm(Buffer.from(text), 'application/x-www-form-urlencoded; charset=utf-8');
}

function thrown(fn: () => unknown): KmsError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof KmsError, `expected a KmsError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

const everything = (text: string) => decodeQueryInput(synthetic, 'Everything', form(`Name=n&${text}`));

test('parseQueryForm reads form bodies, "+" as space and UTF-8 escapes, and no other media type', () => {
  assert.equal(form('A=x+y%20z&B=%C3%A9').get('A'), 'x y z');
  assert.equal(form('A=x+y%20z&B=%C3%A9').get('B'), 'é');
  assert.equal(parseQueryForm(Buffer.from('A=1'), undefined).get('A'), '1');
  assert.equal(parseQueryForm(Buffer.from('A=1'), 'Application/X-WWW-Form-Urlencoded').get('A'), '1');
  assert.equal(parseQueryForm(Buffer.from('{"A":1}'), 'application/json').get('A'), null);
});

test('Action and Version: MissingAction, InvalidAction with the version, and the operation name', () => {
  assert.equal(queryActionOf(iamService, form('Action=CreateUser&Version=2010-05-08')), 'CreateUser');
  assert.equal(queryActionOf(stsService, form('Action=GetCallerIdentity&Version=2011-06-15')), 'GetCallerIdentity');
  // No Version is accepted (see queryActionOf).
  assert.equal(queryActionOf(iamService, form('Action=GetUser')), 'GetUser');

  const missing = thrown(() => queryActionOf(iamService, form('Version=2010-05-08')));
  assert.equal(missing.code, 'MissingAction');
  assert.equal(missing.httpStatus, 400);
  assert.equal(thrown(() => queryActionOf(iamService, form('Action=&Version=2010-05-08'))).code, 'MissingAction');

  const unknown = thrown(() => queryActionOf(iamService, form('Action=CreateBucket&Version=2010-05-08')));
  assert.equal(unknown.code, 'InvalidAction');
  assert.equal(unknown.httpStatus, 400);
  assert.equal(unknown.message, 'Could not find operation CreateBucket for version 2010-05-08');
  // Not in the trimmed list, an STS action on IAM, and prototype names are all unknown.
  for (const action of ['CreateLoginProfile', 'AssumeRole', 'constructor', '__proto__']) {
    assert.equal(thrown(() => queryActionOf(iamService, form(`Action=${action}&Version=2010-05-08`))).code, 'InvalidAction');
  }
  const wrongVersion = thrown(() => queryActionOf(iamService, form('Action=CreateUser&Version=2011-06-15')));
  assert.equal(wrongVersion.message, 'Could not find operation CreateUser for version 2011-06-15');
});

test('structures by member name, nested lists of structures, unknown parameters dropped', () => {
  const { action, input } = decodeQueryRequest(iamService, form(
    'Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Fteam%2F' +
    '&Tags.member.1.Key=team&Tags.member.1.Value=blue&Tags.member.2.Key=cost&Tags.member.2.Value=' +
    '&Bogus=1&Tags.member.1.Extra=x&userName=lower',
  ));
  assert.equal(action, 'CreateUser');
  assert.deepEqual(input, {
    Path: '/team/', UserName: 'alice', Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'cost', Value: '' }],
  });
  assert.equal(Object.getPrototypeOf(input), Object.prototype);
});

test('list elements come in numeric index order; non-numeric indices are dropped', () => {
  const input = everything('Items.member.10=j&Items.member.2=b&Items.member.1=a&Items.member.x=z&Items.member.0=zero');
  assert.deepEqual(input.Items, ['a', 'b', 'j']);
});

test('an empty list is sent as the bare name; absent lists stay absent', () => {
  assert.deepEqual(everything('Items=').Items, []);
  assert.equal(Object.hasOwn(everything(''), 'Items'), false);
  const sts = decodeQueryInput(stsService, 'AssumeRole', form(
    'RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fr&RoleSessionName=ss&TransitiveTagKeys=',
  ));
  assert.deepEqual(sts.TransitiveTagKeys, []);
});

test('flattened lists, locationNames, maps and flattened maps', () => {
  const input = everything(
    'Flat.1=x&Flat.2=y&OtherName.member.1=r&Renamed.member.1=ignored' +
    '&Labels.entry.1.key=k1&Labels.entry.1.value=v1&Labels.entry.2.key=k2&Labels.entry.2.value=v2' +
    '&FlatLabels.1.Name=a&FlatLabels.1.Text=b&Nested.Deep=d&Nested.Children.member.1.Deep=e',
  );
  assert.deepEqual(input.Flat, ['x', 'y']);
  assert.deepEqual(input.Renamed, ['r']);
  assert.deepEqual(input.Labels, { k1: 'v1', k2: 'v2' });
  assert.deepEqual(input.FlatLabels, { a: 'b' });
  assert.deepEqual(input.Nested, { Deep: 'd', Children: [{ Deep: 'e' }] });
  const proto = everything('Labels.entry.1.key=__proto__&Labels.entry.1.value=v');
  assert.deepEqual(Object.keys(proto.Labels as object), ['__proto__']);
  assert.equal(thrown(() => everything('Labels.entry.1.value=v')).code, 'InvalidParameterValue');
});

test('booleans, integers, longs, doubles, timestamps and blobs', () => {
  const input = everything(
    'Flag=true&Count=42&Big=-9007199254740991&Ratio=0.5&When=2026-12-03T18%3A47%3A14Z&Data=aGk%3D',
  );
  assert.equal(input.Flag, true);
  assert.equal(input.Count, 42);
  assert.equal(input.Big, -9007199254740991);
  assert.equal(input.Ratio, 0.5);
  assert.deepEqual(input.When, new Date('2026-12-03T18:47:14.000Z'));
  assert.deepEqual(input.Data, Buffer.from('hi'));
  assert.equal(everything('Flag=false').Flag, false);
  // botocore's microseconds, the JS SDK's milliseconds, and offsets.
  assert.deepEqual(everything('When=2026-12-03T18:47:14.123456Z').When, new Date('2026-12-03T18:47:14.123Z'));
  assert.deepEqual(everything('When=2026-12-03T18:47:14.5Z').When, new Date('2026-12-03T18:47:14.500Z'));
  assert.deepEqual(everything('When=2026-12-03T20:47:14%2B02:00').When, new Date('2026-12-03T18:47:14Z'));
  // IAM's boolean member.
  const policy = decodeQueryInput(iamService, 'CreatePolicyVersion', form(
    'PolicyArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Apolicy%2Fp&PolicyDocument=%7B%7D&SetAsDefault=true',
  ));
  assert.equal(policy.SetAsDefault, true);
});

test('text that is not of its member type is an InvalidParameterValue naming the parameter', () => {
  const cases: [string, string][] = [
    ['Count=abc', "Value 'abc' for parameter Count is invalid: expected an integer."],
    ['Count=1.5', "Value '1.5' for parameter Count is invalid: expected an integer."],
    ['Count=2147483648', "Value '2147483648' for parameter Count is invalid: expected an integer."],
    ['Count=', "Value '' for parameter Count is invalid: expected an integer."],
    ['Big=9007199254740993', "Value '9007199254740993' for parameter Big is invalid: expected a long integer."],
    ['Flag=yes', "Value 'yes' for parameter Flag is invalid: expected 'true' or 'false'."],
    ['Ratio=abc', "Value 'abc' for parameter Ratio is invalid: expected a number."],
    ['When=yesterday', "Value 'yesterday' for parameter When is invalid: expected an ISO 8601 timestamp."],
    ['When=2026-13-45T00%3A00%3A00Z', "Value '2026-13-45T00:00:00Z' for parameter When is invalid: expected an ISO 8601 timestamp."],
    ['Nested.Children.member.1.Deep=ok&Items.member.1=ok&Count=x1', "Value 'x1' for parameter Count is invalid: expected an integer."],
  ];
  for (const [text, message] of cases) {
    const err = thrown(() => everything(text));
    assert.equal(err.code, 'InvalidParameterValue', text);
    assert.equal(err.httpStatus, 400);
    assert.equal(err.message, message);
  }
  assert.match(thrown(() => everything('Data=abc')).message, /^Value 'abc' for parameter Data is invalid: expected base64/);
  const listUsers = thrown(() => decodeQueryInput(iamService, 'ListUsers', form('MaxItems=ten')));
  assert.equal(listUsers.message, "Value 'ten' for parameter MaxItems is invalid: expected an integer.");
});

test('constraint violations are one ValidationError in AWS wording, in model order', () => {
  const err = thrown(() => decodeQueryInput(iamService, 'CreateUser', form('Path=nope&UserName=' + 'x'.repeat(65))));
  assert.equal(err.code, 'ValidationError');
  assert.equal(err.httpStatus, 400);
  assert.equal(err.message,
    "2 validation errors detected: Value 'nope' at 'path' failed to satisfy constraint: Member must satisfy " +
    'regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); ' +
    `Value '${'x'.repeat(65)}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`);

  const missing = thrown(() => decodeQueryInput(iamService, 'GetUserPolicy', form('UserName=bob')));
  assert.equal(missing.message,
    "1 validation error detected: Value null at 'policyName' failed to satisfy constraint: Member must not be null");

  const tags = thrown(() => decodeQueryInput(iamService, 'TagUser', form('UserName=bob&Tags.member.1.Key=&Tags.member.1.Value=v')));
  assert.match(tags.message, /^2 validation errors detected: Value '' at 'tags\.1\.member\.key' failed to satisfy constraint: Member must satisfy regular expression pattern: /);

  const range = thrown(() => decodeQueryInput(iamService, 'ListUsers', form('MaxItems=0')));
  assert.equal(range.message,
    "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
});

test('operations without input decode to {}; STS constraints are checked too', () => {
  assert.deepEqual(decodeQueryInput(stsService, 'GetCallerIdentity', form('Whatever=1')), {});
  assert.equal(thrown(() => decodeQueryInput(iamService, 'Nope', form(''))).code, 'InvalidAction');
  const err = thrown(() => decodeQueryInput(stsService, 'GetSessionToken', form('TokenCode=12')));
  assert.equal(err.message,
    "1 validation error detected: Value '12' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6");
});
