// TagResource: https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html

import type { Tag } from '../../model/key.js';
import { NOT_PENDING_DELETION } from '../../model/key-state.js';
import { checkRequestTags, MAX_TAGS_PER_KEY, tooManyTags } from '../../model/tags.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { changeKeyTags } from './common.js';

export const TagResource = defineOperation({
  name: 'TagResource',
  readOnly: false,
  dryRun: false,
  // AWS: "To specify a KMS key, use its key ID or key ARN" (aliases are not accepted here).
  // AWS: "you cannot tag an AWS managed key"; its key policy allows no tag calls (AccessDenied).
  keys: [{ member: 'KeyId', action: 'kms:TagResource', forms: 'key', state: NOT_PENDING_DELETION, customerManagedOnly: true }],
  check({ input }) {
    // Same request rules as CreateKey: no aws: prefix, no repeated key, at most 50 in one request.
    checkRequestTags(input.Tags as Tag[]);
  },
  async run({ input, services, key }) {
    const tags = input.Tags as Tag[];
    const read = key('KeyId');
    // The tags the key has decide the write: read here, in the attempt the pipeline retries.
    await changeKeyTags(services, read, (existing) => {
      if (tags.length === 0) return [];
      // AWS: "If you specify an existing tag key with a different tag value, AWS KMS replaces the
      // current tag value with the specified one." The limit counts the tags the key would have.
      const keys = new Set(existing.map((t) => t.TagKey));
      for (const tag of tags) keys.add(tag.TagKey);
      // AWS answers as CreateKey does with too many tags: TagException "Too many tags" (LocalStack's
      // recorded test_create_key_with_too_many_tags_raises_error), not LimitExceededException.
      if (keys.size > MAX_TAGS_PER_KEY) throw tooManyTags();
      const changed = tags.filter((t) => !existing.some((e) => e.TagKey === t.TagKey && e.TagValue === t.TagValue));
      return changed.length === 0 ? [] : [{ kind: 'putTags', keyArn: read.arn, tags: changed }];
    });
    return {};
  },
});
