// The condition context of one key's authorization: who calls, the action, the key, and the
// condition keys KMS documents for the request (KMS Developer Guide, "AWS KMS condition keys";
// IAM User Guide, "AWS global condition context keys"). Built from the request alone, no reads.

import type { Caller as PolicyCaller, ContextValue, RequestContext } from '../../policy/index.js';
import { encryptionContextKeys } from '../../policy/index.js';
import type { Caller, OperationInput } from '../context.js';
import type { KeyRecord } from '../model/key.js';
import { isReplicaKey } from '../model/multi-region.js';

/** Input members whose value is, as sent, the value of a KMS condition key. */
const MEMBER_KEYS: ReadonlyArray<readonly [member: string, key: string]> = [
  ['SigningAlgorithm', 'kms:signingalgorithm'],
  ['MacAlgorithm', 'kms:macalgorithm'],
  ['MessageType', 'kms:messagetype'],
  ['KeyAgreementAlgorithm', 'kms:keyagreementalgorithm'],
  ['KeyPairSpec', 'kms:datakeypairspec'],
  ['WrappingAlgorithm', 'kms:wrappingalgorithm'],
  ['WrappingKeySpec', 'kms:wrappingkeyspec'],
  ['ExpirationModel', 'kms:expirationmodel'],
  ['ReplicaRegion', 'kms:replicaregion'],
  ['PrimaryRegion', 'kms:primaryregion'],
  ['RotationPeriodInDays', 'kms:rotationperiodindays'],
  ['PendingWindowInDays', 'kms:schedulekeydeletionpendingwindowindays'],
  ['BypassPolicyLockoutSafetyCheck', 'kms:bypasspolicylockoutsafetycheck'],
  ['GranteePrincipal', 'kms:granteeprincipal'],
  ['RetiringPrincipal', 'kms:retiringprincipal'],
  ['Operations', 'kms:grantoperations'],
];

/** The principal as policies see it: the resolved identity's, else (a Caller built by hand) root or a user by ARN. */
export function policyCaller(caller: Caller): PolicyCaller {
  if (caller.identity) return caller.identity.policyCaller;
  const accountId = caller.scope.accountId;
  if (caller.principalArn === `arn:aws:iam::${accountId}:root`) return { arn: caller.principalArn, accountId, type: 'Account', userId: accountId };
  return { arn: caller.principalArn, accountId, type: 'User' };
}

/** What the key's own rows add: its tags (aws:ResourceTag/*) and aliases (kms:ResourceAliases), read only when a policy asks. */
export interface KeyFacts {
  readonly tags?: readonly { readonly TagKey: string; readonly TagValue: string }[];
  readonly aliases?: readonly string[];
}

const SYMMETRIC_ACTIONS = new Set([
  'kms:encrypt',
  'kms:decrypt',
  'kms:reencryptfrom',
  'kms:reencryptto',
  'kms:generatedatakey',
  'kms:generatedatakeywithoutplaintext',
  'kms:generatedatakeypair',
  'kms:generatedatakeypairwithoutplaintext',
]);

/** The keys every KMS request has, whatever its resource. */
function callerKeys(caller: Caller): Map<string, ContextValue> {
  const keys = new Map<string, ContextValue>([
    ['kms:calleraccount', caller.scope.accountId],
    // No AWS service sits in front of this server: every call comes from a principal directly.
    ['aws:principalisawsservice', false],
    ['aws:viaawsservice', false],
    ['aws:requestedregion', caller.scope.region],
    // Plain HTTP until the server terminates TLS itself.
    ['aws:securetransport', false],
  ]);
  if (caller.sourceIp !== undefined) keys.set('aws:sourceip', caller.sourceIp);
  return keys;
}

/**
 * The context of a permission that names no key (CreateKey, ListKeys, an alias): the caller, the
 * members' condition keys and request tags. CreateKey's key properties count with their defaults,
 * so a Deny on the default cannot be skipped by leaving the member out.
 */
export function identityRequestContext(caller: Caller, action: string, resource: string, input: OperationInput, now: number): RequestContext {
  const keys = callerKeys(caller);
  keys.set('aws:resourceaccount', caller.scope.accountId);
  if (action === 'kms:CreateKey') {
    keys.set('kms:keyspec', (input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT') as string);
    keys.set('kms:keyusage', (input.KeyUsage ?? 'ENCRYPT_DECRYPT') as string);
    keys.set('kms:keyorigin', (input.Origin ?? 'AWS_KMS') as string);
    keys.set('kms:multiregion', (input.MultiRegion ?? false) as boolean);
    keys.set('kms:bypasspolicylockoutsafetycheck', (input.BypassPolicyLockoutSafetyCheck ?? false) as boolean);
  }
  addInputKeys(keys, input);
  return { caller: policyCaller(caller), action, resource, keys, time: new Date(now) };
}

export function keyRequestContext(
  caller: Caller,
  action: string,
  key: KeyRecord,
  input: OperationInput,
  now: number,
  identifier?: unknown,
  facts: KeyFacts = {},
): RequestContext {
  const keys = callerKeys(caller);
  keys.set('aws:resourceaccount', key.accountId);
  keys.set('kms:keyspec', key.keySpec);
  keys.set('kms:keyusage', key.keyUsage);
  keys.set('kms:keyorigin', key.origin);
  keys.set('kms:multiregion', key.multiRegion);
  if (key.multiRegion) keys.set('kms:multiregionkeytype', isReplicaKey(key) ? 'REPLICA' : 'PRIMARY');
  if (typeof identifier === 'string' && /^(arn:[^:]+:kms:[^:]*:\d{12}:)?alias\//.test(identifier)) {
    keys.set('kms:requestalias', identifier.replace(/^arn:[^:]+:kms:[^:]*:\d{12}:/, ''));
  }
  for (const [k, v] of encryptionContextKeys(encryptionContextFor(action, input))) keys.set(k, v);
  // The effective value when a member is left out and AWS applies its default: a Deny on the
  // default must not be skipped by omitting the member.
  const algorithm = encryptionAlgorithmFor(action, input) ?? (SYMMETRIC_ACTIONS.has(action.toLowerCase()) && key.keySpec === 'SYMMETRIC_DEFAULT' ? 'SYMMETRIC_DEFAULT' : undefined);
  if (algorithm !== undefined) keys.set('kms:encryptionalgorithm', algorithm);
  if ((action === 'kms:Sign' || action === 'kms:Verify') && input.MessageType === undefined) keys.set('kms:messagetype', 'RAW');
  if (action.startsWith('kms:') && /grant$/i.test(action)) keys.set('kms:grantisforawsresource', false);
  const constraints = input.Constraints as { EncryptionContextEquals?: unknown; EncryptionContextSubset?: unknown } | undefined;
  if (constraints) {
    const types = [...(constraints.EncryptionContextEquals ? ['EncryptionContextEquals'] : []), ...(constraints.EncryptionContextSubset ? ['EncryptionContextSubset'] : [])];
    if (types.length > 0) keys.set('kms:grantconstrainttype', types.length === 1 ? types[0]! : types);
  }
  if (input.ValidTo instanceof Date) keys.set('kms:validto', Math.floor(input.ValidTo.getTime() / 1000));
  for (const tag of facts.tags ?? []) keys.set(`aws:resourcetag/${tag.TagKey.toLowerCase()}`, tag.TagValue);
  if (facts.aliases) keys.set('kms:resourcealiases', [...facts.aliases]);
  addInputKeys(keys, input);
  return { caller: policyCaller(caller), action, resource: key.arn, keys, time: new Date(now) };
}

/** Members whose values are condition keys, and the request's tags. */
function addInputKeys(keys: Map<string, ContextValue>, input: OperationInput): void {
  for (const [member, key] of MEMBER_KEYS) {
    const value = input[member];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') keys.set(key, value);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) keys.set(key, value as string[]);
  }
  const tags = input.Tags as readonly { TagKey: string; TagValue: string }[] | undefined;
  if (tags) {
    for (const tag of tags) keys.set(`aws:requesttag/${tag.TagKey.toLowerCase()}`, tag.TagValue);
    keys.set('aws:tagkeys', tags.map((t) => t.TagKey));
  }
  if (Array.isArray(input.TagKeys)) keys.set('aws:tagkeys', input.TagKeys as string[]);
}

/** ReEncrypt's source context decides kms:ReEncryptFrom, its destination context kms:ReEncryptTo. */
export function encryptionContextFor(action: string, input: OperationInput): Readonly<Record<string, string>> {
  const member = action === 'kms:ReEncryptFrom' ? 'SourceEncryptionContext' : action === 'kms:ReEncryptTo' ? 'DestinationEncryptionContext' : 'EncryptionContext';
  return (input[member] as Record<string, string> | undefined) ?? {};
}

function encryptionAlgorithmFor(action: string, input: OperationInput): string | undefined {
  const member = action === 'kms:ReEncryptFrom' ? 'SourceEncryptionAlgorithm' : action === 'kms:ReEncryptTo' ? 'DestinationEncryptionAlgorithm' : 'EncryptionAlgorithm';
  return input[member] as string | undefined;
}

/**
 * Names that differ only in case fold to one condition key (condition key names are not case
 * sensitive), and one value would hide the other. Such a request cannot be decided by a policy
 * that looks at those keys: the caller refuses it (fail closed). Returns the first clash, if any.
 */
export function foldedKeyClash(input: OperationInput, action: string): string | undefined {
  const groups: string[][] = [Object.keys(encryptionContextFor(action, input))];
  const tags = input.Tags as readonly { TagKey: string }[] | undefined;
  if (tags) groups.push(tags.map((t) => t.TagKey));
  for (const names of groups) {
    const seen = new Set<string>();
    for (const name of names) {
      const folded = name.toLowerCase();
      if (seen.has(folded)) return name;
      seen.add(folded);
    }
  }
  return undefined;
}
