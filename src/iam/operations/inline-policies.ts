// Inline policies of users, roles and groups: Put/Get/List/Delete{User,Role,Group}Policy. One
// table of the three owners, so the twelve actions are one implementation.

import { NoSuchEntity } from '../../errors/query-errors.js';
import { inlinePolicyName, type IamDirectory, type InlinePolicies } from '../model/directory.js';
import { checkPolicyDocument, encodedDocument, paginate, policySize } from './common.js';
import { groupResource, requireGroup } from './groups.js';
import type { IamOperation, IamOperations, IamRequest } from './iam-operation.js';
import { requireRole, roleResource } from './roles.js';
import { requireUser, userResource } from './users.js';

interface Owner {
  readonly kind: 'User' | 'Role' | 'Group';
  /** The input member naming the owner. */
  readonly member: 'UserName' | 'RoleName' | 'GroupName';
  readonly policies: (dir: IamDirectory, name: string) => InlinePolicies;
  readonly resource: IamOperation['resource'];
  /** "Aggregate inline policy size" quotas (IAM User Guide, "IAM and AWS STS quotas"). */
  readonly quota: { readonly quota: string; readonly max: number };
}

const OWNERS: readonly Owner[] = [
  { kind: 'User', member: 'UserName', policies: (dir, n) => requireUser(dir, n).inlinePolicies, resource: (r, dir) => userResource(r, dir), quota: { quota: 'UserPolicySize', max: 2048 } },
  { kind: 'Role', member: 'RoleName', policies: (dir, n) => requireRole(dir, n).inlinePolicies, resource: roleResource, quota: { quota: 'RolePolicySize', max: 10240 } },
  { kind: 'Group', member: 'GroupName', policies: (dir, n) => requireGroup(dir, n).inlinePolicies, resource: groupResource, quota: { quota: 'GroupPolicySize', max: 5120 } },
];

function noSuchPolicy(owner: Owner, name: string): NoSuchEntity {
  return new NoSuchEntity(`The ${owner.kind.toLowerCase()} policy with name ${name} cannot be found.`);
}

function operationsOf(owner: Owner): Record<string, IamOperation> {
  const ownerName = (r: IamRequest) => r.input[owner.member] as string;
  return {
    [`Put${owner.kind}Policy`]: {
      action: `iam:Put${owner.kind}Policy`,
      resource: owner.resource,
      run: (r) =>
        r.services.directories.mutate(r.accountId, (dir) => {
          const policies = owner.policies(dir, ownerName(r));
          const name = r.input.PolicyName as string;
          const text = r.input.PolicyDocument as string;
          const existing = inlinePolicyName(policies, name);
          const others = Object.entries(policies).filter(([n]) => n !== existing).reduce((sum, [, t]) => sum + policySize(t), 0);
          checkPolicyDocument(text, 'identity', { quota: owner.quota.quota, max: owner.quota.max - others });
          // As an own property: a plain assignment to "__proto__" would hit Object.prototype's setter,
          // answer success and store nothing (a Deny silently dropped).
          Object.defineProperty(policies, existing ?? name, { value: text, enumerable: true, writable: true, configurable: true });
          return { result: {} };
        }),
    },
    [`Get${owner.kind}Policy`]: {
      action: `iam:Get${owner.kind}Policy`,
      resource: owner.resource,
      run: async (r) => {
        const { dir } = await r.services.directories.current(r.accountId);
        const policies = owner.policies(dir as IamDirectory, ownerName(r));
        const name = inlinePolicyName(policies, r.input.PolicyName as string);
        if (name === undefined) throw noSuchPolicy(owner, r.input.PolicyName as string);
        return { [owner.member]: ownerName(r), PolicyName: name, PolicyDocument: encodedDocument(policies[name]!) };
      },
    },
    [`List${owner.kind}Policies`]: {
      action: `iam:List${owner.kind}Policies`,
      resource: owner.resource,
      run: async (r) => {
        const { dir } = await r.services.directories.current(r.accountId);
        return paginate(Object.keys(owner.policies(dir as IamDirectory, ownerName(r))), r.input, 'PolicyNames', (n) => n);
      },
    },
    [`Delete${owner.kind}Policy`]: {
      action: `iam:Delete${owner.kind}Policy`,
      resource: owner.resource,
      run: (r) =>
        r.services.directories.mutate(r.accountId, (dir) => {
          const policies = owner.policies(dir, ownerName(r));
          const name = inlinePolicyName(policies, r.input.PolicyName as string);
          if (name === undefined) throw noSuchPolicy(owner, r.input.PolicyName as string);
          delete policies[name];
          return { result: {} };
        }),
    },
  };
}

export const INLINE_POLICY_OPERATIONS: IamOperations = Object.assign({}, ...OWNERS.map(operationsOf)) as IamOperations;
