// Tag rules shared by CreateKey, TagResource and seeding: AWS's count limit and reserved prefix.

import { TagException } from '../../errors/aws-errors.js';
import type { Tag } from './key.js';

export const MAX_TAGS_PER_KEY = 50;

/** AWS's tag alphabet: letters, numbers, spaces and _ . : / = + - @ */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Precondition: tags use AWS's alphabet, no key starts with aws:, and no key appears twice in one request. */
export function checkRequestTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  // "Tags beginning with aws: are reserved", "Duplicate tag keys" and "Too many tags" are LocalStack's
  // texts for these checks (services/kms/utils.py, validated against AWS); "Invalid tag" is unconfirmed.
  for (const tag of tags) {
    if (!TAG_TEXT.test(tag.TagKey) || !TAG_TEXT.test(tag.TagValue)) throw new TagException('Invalid tag');
    if (tag.TagKey.toLowerCase().startsWith('aws:')) throw new TagException('Tags beginning with aws: are reserved');
    if (seen.has(tag.TagKey)) throw new TagException('Duplicate tag keys');
    seen.add(tag.TagKey);
  }
  if (tags.length > MAX_TAGS_PER_KEY) throw tooManyTags();
}

/** A key past MAX_TAGS_PER_KEY, by one request (CreateKey, ReplicateKey) or with the tags it has (TagResource). */
export function tooManyTags(): TagException {
  return new TagException('Too many tags');
}
