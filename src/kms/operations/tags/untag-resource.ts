// UntagResource: https://docs.aws.amazon.com/kms/latest/APIReference/API_UntagResource.html

import { TagException } from '../../../errors/aws-errors.js';
import { NOT_PENDING_DELETION } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { changeKeyTags } from './common.js';

export const UntagResource = defineOperation({
  name: 'UntagResource',
  readOnly: false,
  dryRun: false,
  // As TagResource: key id or key ARN only; AWS managed keys allow no tag calls (AccessDenied).
  keys: [{ member: 'KeyId', action: 'kms:UntagResource', forms: 'key', state: NOT_PENDING_DELETION, customerManagedOnly: true }],
  check({ input }) {
    // aws: tags are reserved: they can be neither added nor removed.
    if ((input.TagKeys as string[]).some((k) => k.toLowerCase().startsWith('aws:'))) throw new TagException('Tags beginning with aws: are reserved');
  },
  async run({ input, services, key }) {
    const tagKeys = input.TagKeys as string[];
    const read = key('KeyId');
    await changeKeyTags(services, read, (existing) => {
      // Keys the key does not have are ignored.
      const present = [...new Set(tagKeys)].filter((k) => existing.some((t) => t.TagKey === k));
      return present.length === 0 ? [] : [{ kind: 'deleteTags', keyArn: read.arn, tagKeys: present }];
    });
    return {};
  },
});
