// The three kinds of entity that hold policies (users, roles, groups), for the actions that are
// the same for each: inline policies (Put/Get/List/Delete*Policy) and managed policy attachments
// (Attach/Detach/ListAttached*Policies).

import type { IamDirectory, InlinePolicies } from '../model/directory.js';
import { groupResource, requireGroup } from './groups.js';
import type { IamOperation } from './iam-operation.js';
import { requireRole, roleResource } from './roles.js';
import { requireUser, userResource } from './users.js';

export interface PolicyHolder {
  readonly kind: 'User' | 'Role' | 'Group';
  /** The input member naming the entity. */
  readonly member: 'UserName' | 'RoleName' | 'GroupName';
  /** The named entity (NoSuchEntity when there is none); mutate it only inside a directory mutation. */
  readonly entity: (dir: IamDirectory, name: string) => { inlinePolicies: InlinePolicies; attachedPolicies: string[] };
  readonly resource: IamOperation['resource'];
  /** "Aggregate inline policy size" quotas (IAM User Guide, "IAM and AWS STS quotas"). */
  readonly inlineQuota: { readonly quota: string; readonly max: number };
}

export const POLICY_HOLDERS: readonly PolicyHolder[] = [
  { kind: 'User', member: 'UserName', entity: requireUser, resource: (r, dir) => userResource(r, dir), inlineQuota: { quota: 'UserPolicySize', max: 2048 } },
  { kind: 'Role', member: 'RoleName', entity: requireRole, resource: roleResource, inlineQuota: { quota: 'RolePolicySize', max: 10240 } },
  { kind: 'Group', member: 'GroupName', entity: requireGroup, resource: groupResource, inlineQuota: { quota: 'GroupPolicySize', max: 5120 } },
];
