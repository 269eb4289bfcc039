// TagResource: https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html

import type { Operation } from '../../context.js';
import type { Tag } from '../../model/key.js';
import { checkRequestTags, MAX_TAGS_PER_KEY, tooManyTags } from '../../model/tags.js';
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
      // AWS answers as CreateKey does with too many tags: TagException "Too many tags" (LocalStack's
      // recorded test_create_key_with_too_many_tags_raises_error), not LimitExceededException.
      if (keys.size > MAX_TAGS_PER_KEY) throw tooManyTags();
      const changed = tags.filter((t) => !existing.some((e) => e.TagKey === t.TagKey && e.TagValue === t.TagValue));
      return changed.length === 0 ? [] : [{ kind: 'putTags', keyArn: key.arn, tags: changed }];
    });
    return {};
  },
};
