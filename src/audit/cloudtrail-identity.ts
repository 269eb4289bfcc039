// The userIdentity element of a CloudTrail record.
// Source: AWS CloudTrail User Guide, "CloudTrail userIdentity element"
// (docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html)
// and the KMS ct-*.html examples (IAMUser with principalId, arn, accountId, accessKeyId, userName).

export interface AuditedCaller {
  kind: 'root' | 'user' | 'assumed-role';
  accountId: string;
  arn: string;
  userId: string;
  accessKeyId: string;
  userName?: string;
  roleName?: string;
  roleArn?: string;
  roleId?: string;
  sessionName?: string;
  sessionCreationDate?: Date;
  issuedBy?: 'AssumeRole' | 'GetSessionToken';
}

/** eventTime and sessionContext.attributes.creationDate: ISO 8601, whole seconds, 'Z'. */
export function cloudTrailTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sessionAttributes(caller: AuditedCaller): Record<string, unknown> {
  // mfaAuthenticated: this server has no MFA, so always "false" (a string, as CloudTrail writes it).
  // Order as in the userIdentity page's examples: mfaAuthenticated, then creationDate.
  const attributes: Record<string, unknown> = { mfaAuthenticated: 'false' };
  if (caller.sessionCreationDate !== undefined) attributes.creationDate = cloudTrailTime(caller.sessionCreationDate);
  return attributes;
}

/**
 * GetSessionToken credentials: the identity stays IAMUser/Root and gains a sessionContext with an
 * empty sessionIssuer (CloudTrail User Guide, "CloudTrail record contents" example: sessionIssuer {},
 * webIdFederationData {}, attributes {mfaAuthenticated, creationDate}).
 */
function sessionTokenContext(caller: AuditedCaller): Record<string, unknown> {
  return { sessionIssuer: {}, webIdFederationData: {}, attributes: sessionAttributes(caller) };
}

export function userIdentity(caller: AuditedCaller | undefined): Record<string, unknown> {
  // UNCONFIRMED: a request naming no known identity; CloudTrail's documented types include
  // "Unknown" for identities it cannot classify.
  if (caller === undefined) return { type: 'Unknown' };
  switch (caller.kind) {
    case 'root': {
      const root: Record<string, unknown> = {
        type: 'Root', principalId: caller.accountId, arn: caller.arn, accountId: caller.accountId,
        accessKeyId: caller.accessKeyId,
      };
      if (caller.issuedBy === 'GetSessionToken') root.sessionContext = sessionTokenContext(caller);
      return root;
    }
    case 'user': {
      const user: Record<string, unknown> = {
        type: 'IAMUser', principalId: caller.userId, arn: caller.arn, accountId: caller.accountId,
        accessKeyId: caller.accessKeyId, userName: caller.userName ?? caller.arn.split('/').pop(),
      };
      if (caller.issuedBy === 'GetSessionToken') user.sessionContext = sessionTokenContext(caller);
      return user;
    }
    case 'assumed-role': {
      // principalId is "roleId:sessionName" (userIdentity example "AROA...:AssumedRoleSessionName").
      const principalId = caller.userId.includes(':') || caller.roleId === undefined || caller.sessionName === undefined
        ? caller.userId : `${caller.roleId}:${caller.sessionName}`;
      const issuer: Record<string, unknown> = { type: 'Role' };
      if (caller.roleId !== undefined) issuer.principalId = caller.roleId;
      if (caller.roleArn !== undefined) issuer.arn = caller.roleArn;
      issuer.accountId = caller.accountId;
      if (caller.roleName !== undefined) issuer.userName = caller.roleName;
      return {
        type: 'AssumedRole', principalId, arn: caller.arn, accountId: caller.accountId,
        accessKeyId: caller.accessKeyId,
        sessionContext: { sessionIssuer: issuer, attributes: sessionAttributes(caller) },
      };
    }
    default:
      return { type: 'Unknown' };
  }
}
