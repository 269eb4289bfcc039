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

/** The principal as policies see it. Only account roots sign requests today (IAM users and roles come next). */
export function policyCaller(caller: Caller): PolicyCaller {
  const accountId = caller.scope.accountId;
  if (caller.principalArn === `arn:aws:iam::${accountId}:root`) return { arn: caller.principalArn, accountId, type: 'Account', userId: accountId };
  return { arn: caller.principalArn, accountId, type: 'User' };
}

export function keyRequestContext(caller: Caller, action: string, key: KeyRecord, input: OperationInput, now: number, identifier?: unknown): RequestContext {
  const keys = new Map<string, ContextValue>([
    ['kms:calleraccount', caller.scope.accountId],
    ['aws:requestedregion', caller.scope.region],
    // Plain HTTP until the server terminates TLS itself.
    ['aws:securetransport', false],
    ['kms:keyspec', key.keySpec],
    ['kms:keyusage', key.keyUsage],
    ['kms:keyorigin', key.origin],
    ['kms:multiregion', key.multiRegion],
  ]);
  if (key.multiRegion) keys.set('kms:multiregionkeytype', isReplicaKey(key) ? 'REPLICA' : 'PRIMARY');
  if (caller.sourceIp !== undefined) keys.set('aws:sourceip', caller.sourceIp);
  if (typeof identifier === 'string' && /^(arn:[^:]+:kms:[^:]*:\d{12}:)?alias\//.test(identifier)) {
    keys.set('kms:requestalias', identifier.replace(/^arn:[^:]+:kms:[^:]*:\d{12}:/, ''));
  }
  for (const [k, v] of encryptionContextKeys(encryptionContextFor(action, input))) keys.set(k, v);
  const algorithm = encryptionAlgorithmFor(action, input);
  if (algorithm !== undefined) keys.set('kms:encryptionalgorithm', algorithm);
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
  return { caller: policyCaller(caller), action, resource: key.arn, keys, time: new Date(now) };
}

/** ReEncrypt's source context decides kms:ReEncryptFrom, its destination context kms:ReEncryptTo. */
function encryptionContextFor(action: string, input: OperationInput): Readonly<Record<string, string>> {
  const member = action === 'kms:ReEncryptFrom' ? 'SourceEncryptionContext' : action === 'kms:ReEncryptTo' ? 'DestinationEncryptionContext' : 'EncryptionContext';
  return (input[member] as Record<string, string> | undefined) ?? {};
}

function encryptionAlgorithmFor(action: string, input: OperationInput): string | undefined {
  const member = action === 'kms:ReEncryptFrom' ? 'SourceEncryptionAlgorithm' : action === 'kms:ReEncryptTo' ? 'DestinationEncryptionAlgorithm' : 'EncryptionAlgorithm';
  return input[member] as string | undefined;
}
