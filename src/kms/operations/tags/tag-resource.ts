// TagResource: https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html

import { LimitExceededException } from '../../../errors/aws-errors.js';
import type { Operation } from '../../context.js';
import type { Tag } from '../../model/key.js';
import { checkRequestTags, MAX_TAGS_PER_KEY } from '../../model/tags.js';
import { changeKeyTags } from './common.js';

export const TagResource: Operation = {
  name: 'TagResource',
  async run(input, caller, services) {
    const tags = input.Tags as Tag[];
    await changeKeyTags(services, caller, input.KeyId as string, 'TagResource', (key, existing) => {
      // Same request rules as CreateKey: no aws: prefix, no repeated key, at most 50 in one request.
      checkRequestTags(tags);
      if (tags.length === 0) return [];
      // AWS: "If you specify an existing tag key with a different tag value, AWS KMS replaces the
      // current tag value with the specified one." The limit counts the tags the key would have.
      const keys = new Set(existing.map((t) => t.TagKey));
      for (const tag of tags) keys.add(tag.TagKey);
      if (keys.size > MAX_TAGS_PER_KEY) {
        // AWS: LimitExceededException, "a length constraint or quota was exceeded" (TagResource
        // lists it, UntagResource does not).
        throw new LimitExceededException(
          `Tag limit exceeded: ${key.arn} would have ${keys.size} tags; a KMS key can have at most ${MAX_TAGS_PER_KEY} tags.`,
        );
      }
      const changed = tags.filter((t) => !existing.some((e) => e.TagKey === t.TagKey && e.TagValue === t.TagValue));
      return changed.length === 0 ? [] : [{ kind: 'putTags', keyArn: key.arn, tags: changed }];
    });
    return {};
  },
};
