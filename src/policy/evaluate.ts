// The decision for one request, in AWS KMS's model (KMS Developer Guide, "Key policies" and
// "Default key policy"; IAM User Guide, "Policy evaluation logic", cross-account section):
// - an explicit Deny in the key policy or in any of the caller's identity policies wins;
// - the key policy is the root of access: a principal, even the account's root user, has access
//   only if the key policy allows it, directly or by allowing the account ("arn:aws:iam::ID:root"
//   or "ID"), which delegates to the account's IAM policies;
// - same account: a key policy Allow naming the caller suffices; one naming the account needs an
//   identity policy Allow as well;
// - another account: the key policy must allow that account or the caller AND the caller's own
//   identity policies must allow it. The root user holds every IAM permission in its account, so it
//   counts as identity-allowed;
// - a grant is a further, separate Allow, decided elsewhere (src/kms/authorization/grants.ts) and
//   given here: `grantAllows` when a grant names the caller itself (or its role), which needs no IAM
//   policy, even across accounts; `grantAllowsAccount` when a grant names only the caller's account
//   (arn:aws:iam::ID:root), which, like a key policy naming an account, delegates to that account's
//   IAM policies. Either is only an Allow: an explicit Deny above still wins, and a role session's
//   session policies must allow too.

import type { RequestContext } from './context.js';
import { ACCOUNT, DIRECT, prepare, statementMatch, type CompiledPolicy, type Prepared, type StatementRef } from './compile.js';
import { statementLabel } from './document.js';

export type DecisionKind = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export type DecisionReason =
  /** Allow: a key policy statement covers the caller itself (same account). */
  | 'KeyPolicy'
  /** Allow: the key policy covers the caller (or its account) and an identity policy allows, or the caller is root. */
  | 'KeyPolicyAndIdentity'
  /** Allow: only a grant allows. */
  | 'Grant'
  /** ExplicitDeny: a Deny statement matched. */
  | 'Deny'
  /** ImplicitDeny: no key policy statement covers the caller or its account. */
  | 'KeyPolicyDoesNotAllow'
  /** ImplicitDeny: the key policy covers the account (or a cross-account caller), but no identity policy allows. */
  | 'IdentityPolicyDoesNotAllow'
  /** ImplicitDeny: an identity policy (or the resource policy) allows, but no session policy of the role session does. */
  | 'SessionPolicyDoesNotAllow'
  /** Allow (evaluateIdentity): an identity policy allows, or the caller is the account's root user. */
  | 'Identity';

export interface Decision {
  readonly decision: DecisionKind;
  readonly reason: DecisionReason;
  /** The statements that decided: the Deny; the Allow(s); for an implicit deny, the key policy Allow that was not enough. */
  readonly statements: readonly StatementRef[];
  /** Allow by grant: the ids of the grants that allow. */
  readonly grants?: readonly string[];
}

export interface EvaluationInput {
  /** Compiled with kind 'resource'. */
  readonly keyPolicy: CompiledPolicy;
  /** The caller's IAM policies, compiled with kind 'identity'. */
  readonly identityPolicies?: readonly CompiledPolicy[];
  /**
   * A role session's session policies (AssumeRole Policy / PolicyArns), compiled as identity
   * policies. When given, every Allow also needs one of them to allow, and a Deny in them is an
   * explicit deny. AWS lets a resource policy that names the session ARN itself bypass them; this
   * evaluator does not (stricter, never looser). An empty array allows nothing.
   */
  readonly sessionPolicies?: readonly CompiledPolicy[];
  /** A grant names the caller itself (or the role of its session) for this request. */
  readonly grantAllows?: boolean;
  /** A grant names only the caller's account: it allows if an identity policy allows too. */
  readonly grantAllowsAccount?: boolean;
  /** The grants that allow (for the Decision, and so the log). */
  readonly grantIds?: readonly string[];
}

// The resource's account: a key ARN's (arn:aws:kms:REGION:ACCOUNT:key/...) or a role's (arn:aws:iam::ACCOUNT:role/...).
const KEY_ACCOUNT = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/;

function firstDeny(policy: CompiledPolicy, p: Prepared): StatementRef | undefined {
  for (const s of policy.denies) if (statementMatch(s, p) !== 0) return s.ref;
  return undefined;
}

function firstAllow(policy: CompiledPolicy, p: Prepared): StatementRef | undefined {
  for (const s of policy.allows) if (statementMatch(s, p) !== 0) return s.ref;
  return undefined;
}

function firstDenyOf(policies: readonly CompiledPolicy[], p: Prepared): StatementRef | undefined {
  for (const policy of policies) {
    const deny = firstDeny(policy, p);
    if (deny !== undefined) return deny;
  }
  return undefined;
}

function firstAllowOf(policies: readonly CompiledPolicy[], p: Prepared): StatementRef | undefined {
  for (const policy of policies) {
    const allow = firstAllow(policy, p);
    if (allow !== undefined) return allow;
  }
  return undefined;
}

function checkKinds(identityPolicies: readonly CompiledPolicy[], sessionPolicies: readonly CompiledPolicy[] | undefined): void {
  if (identityPolicies.some((ip) => ip.kind !== 'identity') || sessionPolicies?.some((sp) => sp.kind !== 'identity')) {
    throw new TypeError('evaluate: identity and session policies must be compiled as identity policies');
  }
}

/** An Allow, unless session policies exist and none of them allows too. */
function throughSession(allow: Decision, sessionPolicies: readonly CompiledPolicy[] | undefined, p: Prepared): Decision {
  if (sessionPolicies === undefined) return allow;
  const session = firstAllowOf(sessionPolicies, p);
  if (session === undefined) return { decision: 'ImplicitDeny', reason: 'SessionPolicyDoesNotAllow', statements: allow.statements };
  return { ...allow, statements: [...allow.statements, session] };
}

/**
 * The decision for an action that only identity-based policies govern (IAM User Guide, "Policy
 * evaluation logic"): CreateKey, ListKeys, ListAliases, alias resources, IAM and STS calls.
 * An explicit Deny wins; the account's root user is allowed everything else; anyone else needs an
 * identity policy Allow (and a session policy Allow, for a session that has them).
 */
export function evaluateIdentity(request: RequestContext, input: { readonly identityPolicies: readonly CompiledPolicy[]; readonly sessionPolicies?: readonly CompiledPolicy[] }): Decision {
  const { identityPolicies, sessionPolicies } = input;
  checkKinds(identityPolicies, sessionPolicies);
  const p = prepare(request);
  const deny = firstDenyOf(identityPolicies, p) ?? (sessionPolicies && firstDenyOf(sessionPolicies, p));
  if (deny !== undefined) return { decision: 'ExplicitDeny', reason: 'Deny', statements: [deny] };
  if (request.caller.type === 'Account') return { decision: 'Allow', reason: 'Identity', statements: [] };
  const allow = firstAllowOf(identityPolicies, p);
  if (allow === undefined) return { decision: 'ImplicitDeny', reason: 'IdentityPolicyDoesNotAllow', statements: [] };
  return throughSession({ decision: 'Allow', reason: 'Identity', statements: [allow] }, sessionPolicies, p);
}

export function evaluate(request: RequestContext, input: EvaluationInput): Decision {
  const { keyPolicy, identityPolicies = [], sessionPolicies, grantAllows = false, grantAllowsAccount = false, grantIds } = input;
  if (keyPolicy.kind === 'identity') throw new TypeError('evaluate: the key (or trust) policy must be compiled as a resource or trust policy');
  checkKinds(identityPolicies, sessionPolicies);
  const p = prepare(request);

  // 1. Explicit deny anywhere.
  const deny = firstDeny(keyPolicy, p) ?? firstDenyOf(identityPolicies, p) ?? (sessionPolicies && firstDenyOf(sessionPolicies, p));
  if (deny !== undefined) return { decision: 'ExplicitDeny', reason: 'Deny', statements: [deny] };

  // 2. What the key policy allows: the caller itself, or only its account.
  let keyDirect: StatementRef | undefined;
  let keyAccount: StatementRef | undefined;
  for (const s of keyPolicy.allows) {
    const m = statementMatch(s, p);
    if (m === DIRECT) {
      keyDirect = s.ref;
      break;
    }
    if (m === ACCOUNT && keyAccount === undefined) keyAccount = s.ref;
  }
  const keyRef = keyDirect ?? keyAccount;
  // A service principal has no identity policies: a key policy naming it is all it can have.
  const sameAccount = request.caller.type === 'Service' || KEY_ACCOUNT.exec(request.resource)?.[1] === request.caller.accountId;
  if (keyDirect !== undefined && sameAccount) return throughSession({ decision: 'Allow', reason: 'KeyPolicy', statements: [keyDirect] }, sessionPolicies, p);

  // 3. The caller's identity policies, when the key policy lets them count.
  if (keyRef !== undefined) {
    if (request.caller.type === 'Account') return { decision: 'Allow', reason: 'KeyPolicyAndIdentity', statements: [keyRef] };
    const allow = firstAllowOf(identityPolicies, p);
    if (allow !== undefined) {
      const decided = throughSession({ decision: 'Allow', reason: 'KeyPolicyAndIdentity', statements: [keyRef, allow] }, sessionPolicies, p);
      if (decided.decision === 'Allow' || !(grantAllows || grantAllowsAccount)) return decided;
    }
  }
  const grants = grantIds !== undefined && grantIds.length > 0 ? { grants: grantIds } : {};
  // A grant is an Allow like a key policy's: a role session's session policies limit it too (and a
  // session of a deleted role, whose session policies are none, gets nothing from a grant to the role).
  if (grantAllows) return throughSession({ decision: 'Allow', reason: 'Grant', statements: [], ...grants }, sessionPolicies, p);
  if (grantAllowsAccount) {
    // The account's root holds every IAM permission of its account.
    if (request.caller.type === 'Account') return { decision: 'Allow', reason: 'Grant', statements: [], ...grants };
    const allow = firstAllowOf(identityPolicies, p);
    if (allow !== undefined) return throughSession({ decision: 'Allow', reason: 'Grant', statements: [allow], ...grants }, sessionPolicies, p);
  }
  return keyRef === undefined
    ? { decision: 'ImplicitDeny', reason: 'KeyPolicyDoesNotAllow', statements: [] }
    : { decision: 'ImplicitDeny', reason: 'IdentityPolicyDoesNotAllow', statements: [keyRef] };
}

/** One line for a log: `ExplicitDeny (Deny): key policy Statement[1] (Sid "DenyHR")`. */
export function describeDecision(d: Decision): string {
  const refs = [...d.statements.map((r) => `${r.policy} ${statementLabel(r.index, r.sid)}`), ...(d.grants ?? []).map((id) => `grant ${id}`)];
  return refs.length === 0 ? `${d.decision} (${d.reason})` : `${d.decision} (${d.reason}): ${refs.join(' + ')}`;
}
