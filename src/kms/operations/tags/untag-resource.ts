// UntagResource: https://docs.aws.amazon.com/kms/latest/APIReference/API_UntagResource.html

import { TagException } from '../../../errors/aws-errors.js';
import type { Operation } from '../../context.js';
import { changeKeyTags } from './common.js';

export const UntagResource: Operation = {
  name: 'UntagResource',
  async run(input, caller, services) {
    const tagKeys = input.TagKeys as string[];
    await changeKeyTags(services, caller, input.KeyId as string, 'UntagResource', (key, existing) => {
      // aws: tags are reserved: they can be neither added nor removed.
      if (tagKeys.some((k) => k.toLowerCase().startsWith('aws:'))) throw new TagException('Tags beginning with aws: are reserved');
      // Keys the key does not have are ignored.
      const present = [...new Set(tagKeys)].filter((k) => existing.some((t) => t.TagKey === k));
      return present.length === 0 ? [] : [{ kind: 'deleteTags', keyArn: key.arn, tagKeys: present }];
    });
    return {};
  },
};
