// Inline policies of users, roles and groups: Put/Get/List/Delete{User,Role,Group}Policy, one
// implementation over the three policy holders (policy-holders.ts).

import { NoSuchEntity } from '../../errors/query-errors.js';
import { inlinePolicyName, type IamDirectory } from '../model/directory.js';
import { checkPolicyDocument, encodedDocument, paginate, policySize } from './common.js';
import type { IamOperation, IamOperations, IamRequest } from './iam-operation.js';
import { POLICY_HOLDERS, type PolicyHolder } from './policy-holders.js';

function noSuchPolicy(owner: PolicyHolder, name: string): NoSuchEntity {
  return new NoSuchEntity(`The ${owner.kind.toLowerCase()} policy with name ${name} cannot be found.`);
}

function operationsOf(owner: PolicyHolder): Record<string, IamOperation> {
  const ownerName = (r: IamRequest) => r.input[owner.member] as string;
  return {
    [`Put${owner.kind}Policy`]: {
      action: `iam:Put${owner.kind}Policy`,
      resource: owner.resource,
      run: (r) =>
        r.services.directories.mutate(r.accountId, (dir) => {
          const policies = owner.entity(dir, ownerName(r)).inlinePolicies;
          const name = r.input.PolicyName as string;
          const text = r.input.PolicyDocument as string;
          const existing = inlinePolicyName(policies, name);
          const others = Object.entries(policies).filter(([n]) => n !== existing).reduce((sum, [, t]) => sum + policySize(t), 0);
          checkPolicyDocument(text, 'identity', { quota: owner.inlineQuota.quota, max: owner.inlineQuota.max - others });
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
        const policies = owner.entity(dir as IamDirectory, ownerName(r)).inlinePolicies;
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
        return paginate(Object.keys(owner.entity(dir as IamDirectory, ownerName(r)).inlinePolicies), r.input, 'PolicyNames', (n) => n);
      },
    },
    [`Delete${owner.kind}Policy`]: {
      action: `iam:Delete${owner.kind}Policy`,
      resource: owner.resource,
      run: (r) =>
        r.services.directories.mutate(r.accountId, (dir) => {
          const policies = owner.entity(dir, ownerName(r)).inlinePolicies;
          const name = inlinePolicyName(policies, r.input.PolicyName as string);
          if (name === undefined) throw noSuchPolicy(owner, r.input.PolicyName as string);
          delete policies[name];
          return { result: {} };
        }),
    },
  };
}

export const INLINE_POLICY_OPERATIONS: IamOperations = Object.assign({}, ...POLICY_HOLDERS.map(operationsOf)) as IamOperations;
