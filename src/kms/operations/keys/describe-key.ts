// DescribeKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html

import type { Operation } from '../../context.js';
import { resolveKey } from '../../key-resolver.js';
import { toKeyMetadata } from '../../key-metadata.js';
import { withRelatedKeys } from '../../multi-region.js';

export const DescribeKey: Operation = {
  name: 'DescribeKey',
  async run(input, caller, services) {
    // A multi-Region key shows its primary and replicas (MultiRegionConfiguration).
    const { key, related } = await withRelatedKeys(services, await resolveKey(services, caller, input.KeyId as string));
    return { KeyMetadata: toKeyMetadata(key, related) };
  },
};
