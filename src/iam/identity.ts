// A principal with what its policies say: the IAM policies that apply to it (inline and attached,
// its groups' for a user, the role's for a role session) and a session's own policies, compiled
// once per policy text and read from the account's current directory on every request.

import { loadPolicy, type Caller as PolicyCaller, type CompiledPolicy } from '../policy/index.js';
import { findAwsManagedPolicy } from './aws-managed-policies.js';
import type { IamDirectories } from './directories.js';
import { defaultDocument, findPolicyByArn, findRole, findUser, groupsOfUser, type IamDirectory, type IamTag, type InlinePolicies } from './model/directory.js';
import { policyCallerOf, type Principal } from './principal.js';

export interface CallerIdentity {
  readonly principal: Principal;
  /** The principal as the policy evaluator sees it (type, ids, aws:PrincipalTag/*). */
  readonly policyCaller: PolicyCaller;
  /** Every identity-based policy that applies, in IAM's order: inline, attached, then groups'. */
  readonly identityPolicies: readonly CompiledPolicy[];
  /** Present for a session that has session policies (or whose role is gone: then empty, allowing nothing). */
  readonly sessionPolicies?: readonly CompiledPolicy[];
}

/** Compiled identity policies by name and text: a changed policy is a new entry. Bounded. */
const compiled = new Map<string, CompiledPolicy>();
const MAX_COMPILED = 10_000;

function compile(name: string, text: string): CompiledPolicy {
  const key = `${name}\n${text}`;
  let policy = compiled.get(key);
  if (!policy) {
    policy = loadPolicy(text, 'identity', name);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, policy);
  }
  return policy;
}

const tagRecord = (tags: readonly IamTag[]): Record<string, string> => Object.fromEntries(tags.map((t) => [t.Key, t.Value]));

function inline(policies: InlinePolicies, owner: string): CompiledPolicy[] {
  return Object.entries(policies).map(([name, text]) => compile(`inline policy ${name} of ${owner}`, text));
}

/** A managed policy's default version: the account's own, or an AWS managed one. Unknown ARNs add nothing. */
function managed(dir: Readonly<IamDirectory>, arn: string): CompiledPolicy[] {
  const own = findPolicyByArn(dir, arn);
  if (own) return [compile(`managed policy ${arn} (${own.defaultVersionId})`, defaultDocument(own))];
  const aws = findAwsManagedPolicy(arn);
  return aws ? [compile(`managed policy ${arn}`, aws.document)] : [];
}

/**
 * The identity of a principal as its account's directory describes it now, or undefined when the
 * user it names no longer exists (its keys then authenticate nothing).
 */
export async function resolveIdentity(principal: Principal, directories: IamDirectories): Promise<CallerIdentity | undefined> {
  if (principal.kind === 'root') return { principal, policyCaller: policyCallerOf(principal), identityPolicies: [] };
  const { dir } = await directories.current(principal.accountId);
  if (principal.kind === 'user') {
    const user = findUser(dir, principal.userName ?? '');
    if (!user || user.userId !== principal.userId) return undefined;
    const owner = `user ${user.userName}`;
    const policies = [...inline(user.inlinePolicies, owner), ...user.attachedPolicies.flatMap((arn) => managed(dir, arn))];
    for (const group of groupsOfUser(dir, user.userName)) {
      policies.push(...inline(group.inlinePolicies, `group ${group.groupName}`), ...group.attachedPolicies.flatMap((arn) => managed(dir, arn)));
    }
    return { principal, policyCaller: policyCallerOf(principal, tagRecord(user.tags)), identityPolicies: policies, ...sessionPoliciesOf(principal, dir) };
  }
  const role = findRole(dir, principal.roleName ?? '');
  // A session outlives nothing of its role: once the role is deleted (or replaced by one of the
  // same name, another id), the session is allowed nothing, as in AWS.
  if (!role || role.roleId !== principal.roleId) return { principal, policyCaller: policyCallerOf(principal), identityPolicies: [], sessionPolicies: [] };
  const owner = `role ${role.roleName}`;
  const policies = [...inline(role.inlinePolicies, owner), ...role.attachedPolicies.flatMap((arn) => managed(dir, arn))];
  return { principal, policyCaller: policyCallerOf(principal, tagRecord(role.tags)), identityPolicies: policies, ...sessionPoliciesOf(principal, dir) };
}

function sessionPoliciesOf(principal: Principal, dir: Readonly<IamDirectory>): { sessionPolicies?: CompiledPolicy[] } {
  if (principal.sessionPolicy === undefined && (principal.sessionPolicyArns ?? []).length === 0) return {};
  const policies = principal.sessionPolicy === undefined ? [] : [compile('session policy', principal.sessionPolicy)];
  for (const arn of principal.sessionPolicyArns ?? []) policies.push(...managed(dir, arn));
  return { sessionPolicies: policies };
}
