// IAM and STS ARNs as AWS forms them (IAM User Guide, "IAM ARNs"): the path sits between the kind
// and the name (arn:aws:iam::123456789012:user/division/team/name); assumed-role ARNs carry the
// role name and session name only, never the role's path.

export const iamArn = (accountId: string, kind: 'user' | 'role' | 'group' | 'policy', path: string, name: string): string =>
  `arn:aws:iam::${accountId}:${kind}${path}${name}`;

export const rootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;

export const assumedRoleArn = (accountId: string, roleName: string, sessionName: string): string =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;

/** The account and role name of a role ARN (any path), or undefined. */
export function parseRoleArn(arn: string): { accountId: string; roleName: string; path: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}):role(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn);
  return m ? { accountId: m[1]!, path: m[2]!, roleName: m[3]! } : undefined;
}

/** The account of a managed policy ARN; `aws` for AWS managed policies. */
export function parsePolicyArn(arn: string): { account: string; path: string; name: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn);
  return m ? { account: m[1]!, path: m[2]!, name: m[3]! } : undefined;
}
