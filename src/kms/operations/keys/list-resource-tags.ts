// ListResourceTags: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html

import { InvalidMarkerException } from '../../../errors/aws-errors.js';
import { ANY_STATE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';

const DEFAULT_LIMIT = 50;

export const ListResourceTags = defineOperation({
  name: 'ListResourceTags',
  readOnly: true,
  dryRun: false,
  keys: [{ member: 'KeyId', action: 'kms:ListResourceTags', forms: 'key', state: ANY_STATE }],
  async run({ input, services, key }) {
    const limit = Math.min((input.Limit as number | undefined) ?? DEFAULT_LIMIT, 50);
    const tags = await services.store.listTags(key('KeyId').arn);
    let start = 0;
    if (input.Marker !== undefined) {
      const text = Buffer.from(input.Marker as string, 'base64url').toString('utf8');
      // Unconfirmed wording: no recorded AWS response found.
      if (!text.startsWith('tag:')) throw new InvalidMarkerException('Invalid marker');
      start = tags.findIndex((t) => t.TagKey > text.slice(4));
      if (start < 0) start = tags.length;
    }
    const page = tags.slice(start, start + limit);
    const truncated = start + limit < tags.length;
    return {
      Tags: page,
      ...(truncated ? { NextMarker: Buffer.from(`tag:${page.at(-1)!.TagKey}`, 'utf8').toString('base64url') } : {}),
      Truncated: truncated,
    };
  },
});
