// DescribeKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html

import { toKeyMetadata } from '../../key-metadata.js';
import { ANY_STATE } from '../../model/key-state.js';
import { withRelatedKeys } from '../../multi-region.js';
import { defineOperation } from '../../pipeline/pipeline.js';

export const DescribeKey = defineOperation({
  name: 'DescribeKey',
  readOnly: true,
  dryRun: false,
  keys: [{ member: 'KeyId', action: 'kms:DescribeKey', forms: 'key-or-alias', state: ANY_STATE }],
  async run({ services, key }) {
    // A multi-Region key shows its primary and replicas (MultiRegionConfiguration).
    const { key: described, related } = await withRelatedKeys(services, key('KeyId'));
    return { KeyMetadata: toKeyMetadata(described, related) };
  },
});
