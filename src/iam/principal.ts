// Who signed a request, as IAM sees it: an account's root user, an IAM user, or a role session
// (AssumeRole). Temporary credentials carry theirs in the session record; long-term keys name the
// root or a user. Plain JSON, so a session's principal can be stored with its credentials.

import type { Caller as PolicyCaller } from '../policy/index.js';
import { rootArn } from './model/arns.js';

export interface Principal {
  readonly kind: 'root' | 'user' | 'assumed-role';
  readonly accountId: string;
  /** arn:aws:iam::A:root, arn:aws:iam::A:user/PATH/NAME, arn:aws:sts::A:assumed-role/ROLE/SESSION. */
  readonly arn: string;
  /** aws:userid and GetCallerIdentity's UserId: the account id, AIDA..., or AROA...:SESSION. */
  readonly userId: string;
  readonly userName?: string;
  /** Role sessions: the role as it was when the session began (IAM ARN with its path) and the session name. */
  readonly roleName?: string;
  readonly roleArn?: string;
  readonly roleId?: string;
  readonly sessionName?: string;
  /** Session tags (AssumeRole Tags and inherited transitive tags): they override the role's tags of the same key. */
  readonly sessionTags?: Readonly<Record<string, string>>;
  readonly transitiveTagKeys?: readonly string[];
  readonly sourceIdentity?: string;
  /** AssumeRole's Policy and PolicyArns: they limit what the role's policies allow (session policies). */
  readonly sessionPolicy?: string;
  readonly sessionPolicyArns?: readonly string[];
  /** Which STS call issued the credentials, for temporary ones. */
  readonly issuedBy?: 'AssumeRole' | 'GetSessionToken';
}

export function rootPrincipal(accountId: string): Principal {
  return { kind: 'root', accountId, arn: rootArn(accountId), userId: accountId };
}

/** aws:PrincipalType (IAM User Guide, "AWS global condition context keys"). */
export function principalType(p: Principal): PolicyCaller['type'] {
  return p.kind === 'root' ? 'Account' : p.kind === 'user' ? 'User' : 'AssumedRole';
}

/** The principal as policies see it, with aws:PrincipalTag/* from `tags` (the user's or the role's, then session tags). */
export function policyCallerOf(p: Principal, tags?: Readonly<Record<string, string>>): PolicyCaller {
  const merged = p.sessionTags ? { ...tags, ...p.sessionTags } : tags;
  return {
    arn: p.arn,
    accountId: p.accountId,
    type: principalType(p),
    userId: p.userId,
    ...(p.userName !== undefined && { username: p.userName }),
    ...(p.roleArn !== undefined && { roleArn: p.roleArn }),
    ...(merged && Object.keys(merged).length > 0 && { tags: merged }),
  };
}
