// Which of a key's grants allow one request, as AWS KMS decides it (KMS Developer Guide, "Grants in
// AWS KMS", "Grant constraints", "Using grant tokens", "Granting CreateGrant permission"; API
// Reference, CreateGrant and GrantConstraints). Pure functions of the grants and the request, plus
// `grantsOfCaller`, the only reads: the authorize step calls it only when the key policy (and the
// caller's identity policies) did not already allow, so a request on a key without grants, or one
// the key policy allows, pays nothing for grants.
//
// - A grant allows its grantee principal the operations in its Operations list on its key, and
//   nothing else: an explicit Deny in the key policy still wins (policy/evaluate.ts).
// - The grantee: the caller's exact ARN; for a role session (arn:aws:sts::ID:assumed-role/R/S) also
//   the role's ARN (arn:aws:iam::ID:role/R): a grant to a role serves every session of the role
//   (the developer guide's own example grants Decrypt to a role "for users who are authorized to
//   assume the keyUserRole role"). A grant to an account (arn:aws:iam::ID:root) names the root user
//   exactly; to the account's other principals it is treated as a key policy naming the account is:
//   it delegates to the account's IAM policies (an identity policy must allow too). AWS does not
//   spell this case out; this is the conservative reading.
// - Constraints apply only to the operations that take an encryption context (the symmetric
//   cryptographic operations). GrantConstraints: "KMS applies the grant constraints only to
//   cryptographic operations that support an encryption context ... Grant constraints are not
//   applied to operations that do not support an encryption context, such as cryptographic
//   operations with asymmetric KMS keys and management operations, such as DescribeKey or
//   RetireGrant." and "in a grant constraint, the key in each key-value pair is not case sensitive,
//   but the value is case sensitive." EncryptionContextEquals: the request's context is exactly the
//   constraint's pairs; EncryptionContextSubset: every constraint pair is in the request's context.
//   A context with names that differ only in case cannot be matched one way: it matches no
//   constraint (fail closed).
// - ReEncrypt: ReEncryptFrom is decided on the source context, ReEncryptTo on the destination
//   context (the context each key sees).
// - CreateGrant from a grant: the new grant's operations must be among the grant's own, and its
//   constraints at least as strict (every context the new grant admits, the grant admits).
// - Grant tokens: a well-formed token that names a grant of this key counts for the request even if
//   listing would not show the grant yet (AWS: eventual consistency). It grants only to that grant's
//   grantee. A token naming no live grant (retired, revoked, never issued) gives nothing.

import type { GrantConstraints, GrantRecord, KeyRecord } from '../model/key.js';
import type { Caller, KmsServices, OperationInput } from '../context.js';
import { roleArnOfSession } from '../../policy/context.js';
import { encryptionContextFor } from './request-context.js';
import { CONTEXT_GRANT_OPERATIONS, GRANT_OPERATIONS } from '../operations/grants/common.js';

/** The GrantOperation an IAM action is, or undefined when no grant can allow it. */
export function grantOperationOf(action: string): string | undefined {
  const name = action.startsWith('kms:') ? action.slice(4) : undefined;
  return name !== undefined && GRANT_OPERATIONS.has(name) ? name : undefined;
}

export type GranteeMatch = 'principal' | 'account';

/** How a grant's grantee covers the caller: itself (or its session's role), only its account, or not at all. */
export function granteeMatch(granteePrincipal: string, principalArn: string, sessionRoleArn?: string): GranteeMatch | undefined {
  if (granteePrincipal === principalArn) return 'principal';
  // The role's ARN with its path when the session knows it (a session ARN never carries the path).
  const role = sessionRoleArn ?? roleArnOfSession(principalArn);
  if (role !== undefined && granteePrincipal === role) return 'principal';
  const account = /^arn:([^:]+):(?:iam|sts)::(\d{12}):/.exec(principalArn);
  if (account && granteePrincipal === `arn:${account[1]}:iam::${account[2]}:root`) return 'account';
  return undefined;
}

/** The ARNs a grant may name to cover the caller: the ones `grantsOfCaller` looks up. */
export function granteeCandidates(principalArn: string, sessionRoleArn?: string): string[] {
  const candidates = [principalArn];
  const role = sessionRoleArn ?? roleArnOfSession(principalArn);
  if (role !== undefined) candidates.push(role);
  const account = /^arn:([^:]+):(?:iam|sts)::(\d{12}):/.exec(principalArn);
  if (account) {
    const root = `arn:${account[1]}:iam::${account[2]}:root`;
    if (!candidates.includes(root)) candidates.push(root);
  }
  return candidates;
}

/** Names folded to lower case; undefined when two names fold to one (then no constraint can be matched). */
function folded(context: Readonly<Record<string, string>>): Map<string, string> | undefined {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(context)) {
    const key = name.toLowerCase();
    if (map.has(key)) return undefined;
    map.set(key, value);
  }
  return map;
}

/** Every pair of `pairs` is in `context` (names not case sensitive, values case sensitive). */
function containsPairs(context: Map<string, string>, pairs: Map<string, string>): boolean {
  for (const [name, value] of pairs) if (context.get(name) !== value) return false;
  return true;
}

/** The grant's constraints admit this encryption context. */
export function constraintsAllow(constraints: GrantConstraints | undefined, context: Readonly<Record<string, string>>): boolean {
  if (constraints === undefined) return true;
  const request = folded(context);
  if (request === undefined) return false;
  if (constraints.EncryptionContextEquals !== undefined) {
    const equals = folded(constraints.EncryptionContextEquals);
    if (equals === undefined || equals.size !== request.size || !containsPairs(request, equals)) return false;
  }
  if (constraints.EncryptionContextSubset !== undefined) {
    const subset = folded(constraints.EncryptionContextSubset);
    if (subset === undefined || !containsPairs(request, subset)) return false;
  }
  return true;
}

/** Every context `narrower` admits, `wider` admits too (CreateGrant from a grant). */
export function constraintsNarrow(narrower: GrantConstraints | undefined, wider: GrantConstraints | undefined): boolean {
  if (wider === undefined) return true;
  if (narrower === undefined) return false;
  if (narrower.EncryptionContextEquals !== undefined) {
    // The new grant admits at most one context (none if its own Subset is not in it).
    if (!constraintsAllow({ ...(narrower.EncryptionContextSubset !== undefined && { EncryptionContextSubset: narrower.EncryptionContextSubset }) }, narrower.EncryptionContextEquals)) return true;
    return constraintsAllow(wider, narrower.EncryptionContextEquals);
  }
  // Only a Subset: the new grant admits every superset of it, which an Equals never covers.
  if (wider.EncryptionContextEquals !== undefined || narrower.EncryptionContextSubset === undefined) return false;
  return constraintsAllow({ EncryptionContextSubset: wider.EncryptionContextSubset! }, narrower.EncryptionContextSubset);
}

/** The grant allows this action on its key for this request (the grantee is matched elsewhere). */
export function grantAllowsRequest(grant: GrantRecord, action: string, input: OperationInput): boolean {
  const operation = grantOperationOf(action);
  if (operation === undefined || !grant.operations.includes(operation)) return false;
  if (CONTEXT_GRANT_OPERATIONS.has(operation)) return constraintsAllow(grant.constraints, encryptionContextFor(action, input));
  if (operation === 'CreateGrant') {
    const operations = (input.Operations as readonly string[] | undefined) ?? [];
    if (!operations.every((op) => grant.operations.includes(op))) return false;
    return constraintsNarrow(requestedConstraints(input.Constraints), grant.constraints);
  }
  return true;
}

function requestedConstraints(given: unknown): GrantConstraints | undefined {
  const c = given as GrantConstraints | undefined;
  if (c === undefined || (c.EncryptionContextEquals === undefined && c.EncryptionContextSubset === undefined)) return undefined;
  return c;
}

/** What the grants decide for one request: the allowing grants, by how their grantee covers the caller. */
export interface GrantVerdict {
  /** Grants considered (those of the caller, its role or its account, and those its tokens name). */
  readonly considered: number;
  /** Grants naming the caller (or its role) that allow the request. */
  readonly principal: readonly string[];
  /** Grants naming only the caller's account that allow the request. */
  readonly account: readonly string[];
}

/** Decides from the given grants (of any key and grantee: those that do not apply are skipped). */
export function grantVerdict(grants: readonly GrantRecord[], caller: Caller, key: KeyRecord, action: string, input: OperationInput): GrantVerdict {
  const principal: string[] = [];
  const account: string[] = [];
  let considered = 0;
  const seen = new Set<string>();
  for (const grant of grants) {
    if (grant.keyArn !== key.arn || seen.has(grant.grantId)) continue;
    const match = granteeMatch(grant.granteePrincipal, caller.principalArn, caller.identity?.principal.roleArn);
    if (match === undefined) continue;
    seen.add(grant.grantId);
    considered++;
    if (!grantAllowsRequest(grant, action, input)) continue;
    (match === 'principal' ? principal : account).push(grant.grantId);
  }
  return { considered, principal, account };
}

/** Grants of one grantee read at most (AWS's quota is 50,000 grants per key). */
const GRANTEE_LIMIT = 50_000;

/** The key's grants that may cover the caller, and those the request's grant tokens name (already checked well formed). */
export async function grantsOfCaller(services: KmsServices, caller: Caller, key: KeyRecord, input: OperationInput): Promise<GrantRecord[]> {
  const grants: GrantRecord[] = [];
  for (const granteePrincipal of granteeCandidates(caller.principalArn, caller.identity?.principal.roleArn)) {
    grants.push(...(await services.store.listGrants(key.arn, { limit: GRANTEE_LIMIT }, { granteePrincipal })).items);
  }
  for (const token of grantTokensOf(input)) {
    const grant = await services.store.findGrantByToken(token);
    if (grant !== undefined && grant.keyArn === key.arn) grants.push(grant);
  }
  return grants;
}

export function grantTokensOf(input: OperationInput): readonly string[] {
  const tokens = input.GrantTokens;
  return Array.isArray(tokens) ? (tokens as string[]) : [];
}
