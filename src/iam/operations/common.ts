// What IAM handlers share: pagination (Marker/MaxItems/IsTruncated), paths, policy documents as
// IAM checks and returns them, tags, and the not-found/exists errors in IAM's wording.

import { MalformedPolicyDocumentException } from '../../errors/aws-errors.js';
import { InvalidInput, LimitExceeded, MalformedPolicyDocument, NoSuchEntity } from '../../errors/query-errors.js';
import { parsePolicy, type PolicyKind } from '../../policy/index.js';
import type { IamTag } from '../model/directory.js';
import type { IamInput } from './iam-operation.js';

/** IAM's default page size (MaxItems): "If you do not include this parameter, the number of items defaults to 100." */
const DEFAULT_MAX_ITEMS = 100;

/** One page of `items` (already in IAM's order) after the input's Marker: IsTruncated and Marker as IAM returns them. */
export function paginate<T>(items: readonly T[], input: IamInput, member: string, out: (item: T) => unknown): Record<string, unknown> {
  const max = (input.MaxItems as number | undefined) ?? DEFAULT_MAX_ITEMS;
  let start = 0;
  if (input.Marker !== undefined) {
    const decoded = /^\d+$/.test(Buffer.from(input.Marker as string, 'base64url').toString('utf8')) ? Number(Buffer.from(input.Marker as string, 'base64url').toString('utf8')) : NaN;
    if (!Number.isSafeInteger(decoded)) throw new InvalidInput('Invalid Marker.');
    start = decoded;
  }
  const page = items.slice(start, start + max);
  const truncated = start + max < items.length;
  return {
    [member]: page.map(out),
    IsTruncated: truncated,
    ...(truncated && { Marker: Buffer.from(String(start + max), 'utf8').toString('base64url') }),
  };
}

/** Entities listed by IAM come back in name order (case-insensitive). */
export function byName<T>(name: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = name(a).toLowerCase();
    const y = name(b).toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

export function pathOf(input: IamInput): string {
  return (input.Path as string | undefined) ?? '/';
}

export function underPrefix(path: string, input: IamInput): boolean {
  return path.startsWith((input.PathPrefix as string | undefined) ?? '/');
}

/** Characters IAM counts toward a policy size: all but whitespace ("IAM doesn't count white space"). */
export function policySize(text: string): number {
  return text.replace(/\s/g, '').length;
}

/**
 * A policy document as IAM accepts it: the policy grammar (src/policy) for `kind`, within `limit`
 * characters. MalformedPolicyDocument names what is wrong, LimitExceeded the quota.
 */
export function checkPolicyDocument(text: string, kind: PolicyKind, limit: { readonly quota: string; readonly max: number }): void {
  // The size first: it is cheap, and bounds what the parser is given.
  if (policySize(text) > limit.max) throw new LimitExceeded(`Cannot exceed quota for ${limit.quota}: ${limit.max}`);
  try {
    parsePolicy(text, kind);
  } catch (err) {
    if (err instanceof MalformedPolicyDocumentException) throw new MalformedPolicyDocument(err.message);
    throw err;
  }
}

/** IAM returns policy documents URL-encoded (RFC 3986); botocore decodes them, the JS SDK leaves that to the caller. */
export function encodedDocument(text: string): string {
  return encodeURIComponent(text);
}

/** IAM shows dates to the second (2013-06-06T17:12:53Z). */
export const isoDate = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

export function tagsOut(tags: readonly IamTag[]): { Key: string; Value: string }[] {
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

const MAX_TAGS = 50;

/** Tags added to (or replacing, by key without regard to case) an entity's tags: at most 50. */
export function mergeTags(existing: readonly IamTag[], added: readonly IamTag[]): IamTag[] {
  const merged = existing.filter((t) => !added.some((a) => a.Key.toLowerCase() === t.Key.toLowerCase()));
  merged.push(...added.map((t) => ({ Key: t.Key, Value: t.Value })));
  if (merged.length > MAX_TAGS) throw new LimitExceeded(`The number of tags has reached the maximum limit.`);
  return merged;
}

export function removeTags(existing: readonly IamTag[], keys: readonly string[]): IamTag[] {
  const folded = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !folded.has(t.Key.toLowerCase()));
}

export function inputTags(input: IamInput): IamTag[] {
  const tags = (input.Tags as readonly IamTag[] | undefined) ?? [];
  const seen = new Set<string>();
  for (const t of tags) {
    const k = t.Key.toLowerCase();
    if (seen.has(k)) throw new InvalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k);
  }
  if (tags.length > MAX_TAGS) throw new LimitExceeded('The number of tags has reached the maximum limit.');
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

export const noSuchUser = (name: string) => new NoSuchEntity(`The user with name ${name} cannot be found.`);
export const noSuchRole = (name: string) => new NoSuchEntity(`The role with name ${name} cannot be found.`);
export const noSuchGroup = (name: string) => new NoSuchEntity(`The group with name ${name} cannot be found.`);
export const noSuchPolicy = (arn: string) => new NoSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
