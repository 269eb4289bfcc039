// Roles with trust policies: CreateRole, GetRole, ListRoles, UpdateRole, UpdateRoleDescription,
// UpdateAssumeRolePolicy, DeleteRole, TagRole, UntagRole, ListRoleTags.

import { DeleteConflict, EntityAlreadyExists, LimitExceeded, ValidationError } from '../../errors/query-errors.js';
import { iamArn } from '../model/arns.js';
import { findRole, type IamDirectory, newRole, type RoleEntry } from '../model/directory.js';
import { byName, checkPolicyDocument, encodedDocument, inputTags, isoDate, mergeTags, noSuchRole, paginate, pathOf, removeTags, tagsOut, underPrefix } from './common.js';
import type { IamOperations, IamRequest } from './iam-operation.js';

const MAX_ROLES = 1000;
/** "Role trust policy length: 2,048 characters" (IAM quotas; the default). */
const TRUST_POLICY_LIMIT = { quota: 'ACLSizePerRole', max: 2048 };
const DEFAULT_MAX_SESSION = 3600;

export function roleArn(accountId: string, role: Pick<RoleEntry, 'path' | 'roleName'>): string {
  return iamArn(accountId, 'role', role.path, role.roleName);
}

export function roleOut(accountId: string, role: RoleEntry, full = false): Record<string, unknown> {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: roleArn(accountId, role),
    CreateDate: isoDate(role.createDate),
    AssumeRolePolicyDocument: encodedDocument(role.assumeRolePolicyDocument),
    ...(role.description !== undefined && { Description: role.description }),
    MaxSessionDuration: role.maxSessionDuration,
    ...(full && role.tags.length > 0 && { Tags: tagsOut(role.tags) }),
    ...(full && { RoleLastUsed: role.lastUsed ? { LastUsedDate: isoDate(role.lastUsed.at), Region: role.lastUsed.region } : {} }),
  };
}

export function requireRole(dir: Readonly<IamDirectory>, name: string): RoleEntry {
  const role = findRole(dir, name);
  if (!role) throw noSuchRole(name);
  return role;
}

export function roleResource(r: IamRequest, dir: Readonly<IamDirectory>): string {
  const name = r.input.RoleName as string;
  return roleArn(r.accountId, findRole(dir, name) ?? { path: pathOf(r.input), roleName: name });
}

/** A trust policy: Principal required, Resource optional, within IAM's size quota. */
export function checkTrustPolicy(text: string): void {
  checkPolicyDocument(text, 'trust', TRUST_POLICY_LIMIT);
}

function checkMaxSession(seconds: number | undefined): number {
  const value = seconds ?? DEFAULT_MAX_SESSION;
  // The model says 3600..43200; IAM's own text for a value outside.
  if (value < 3600 || value > 43200) throw new ValidationError(`The requested MaxSessionDuration ${value} is invalid. MaxSessionDuration must be between 3600 and 43200 seconds.`);
  return value;
}

function mutateRole(r: IamRequest, change: (role: RoleEntry, dir: IamDirectory) => void): Promise<Record<string, unknown>> {
  return r.services.directories.mutate(r.accountId, (dir) => {
    change(requireRole(dir, r.input.RoleName as string), dir);
    return { result: {} };
  });
}

export const ROLE_OPERATIONS: IamOperations = {
  CreateRole: {
    action: 'iam:CreateRole',
    resource: roleResource,
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const name = r.input.RoleName as string;
        if (findRole(dir, name)) throw new EntityAlreadyExists(`Role with name ${name} already exists.`);
        if (dir.roles.length >= MAX_ROLES) throw new LimitExceeded(`Cannot exceed quota for RolesPerAccount: ${MAX_ROLES}`);
        const trust = r.input.AssumeRolePolicyDocument as string;
        checkTrustPolicy(trust);
        const role = newRole(name, {
          path: pathOf(r.input),
          now: r.services.clock.now(),
          assumeRolePolicyDocument: trust,
          ...(r.input.Description !== undefined && { description: r.input.Description as string }),
          maxSessionDuration: checkMaxSession(r.input.MaxSessionDuration as number | undefined),
          tags: inputTags(r.input),
          ...(r.input.PermissionsBoundary !== undefined && { permissionsBoundary: r.input.PermissionsBoundary as string }),
        });
        dir.roles.push(role);
        return { result: { Role: roleOut(r.accountId, role, false) } };
      }),
  },
  GetRole: {
    action: 'iam:GetRole',
    resource: roleResource,
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      return { Role: roleOut(r.accountId, requireRole(dir, r.input.RoleName as string), true) };
    },
  },
  ListRoles: {
    action: 'iam:ListRoles',
    resource: (r) => `arn:aws:iam::${r.accountId}:role${(r.input.PathPrefix as string | undefined) ?? '/'}`,
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      const roles = dir.roles.filter((x) => underPrefix(x.path, r.input)).sort(byName((x: RoleEntry) => x.roleName));
      return paginate(roles, r.input, 'Roles', (x) => roleOut(r.accountId, x));
    },
  },
  UpdateRole: {
    action: 'iam:UpdateRole',
    resource: roleResource,
    run: (r) =>
      mutateRole(r, (role) => {
        if (r.input.Description !== undefined) role.description = r.input.Description as string;
        if (r.input.MaxSessionDuration !== undefined) role.maxSessionDuration = checkMaxSession(r.input.MaxSessionDuration as number);
      }),
  },
  UpdateRoleDescription: {
    action: 'iam:UpdateRoleDescription',
    resource: roleResource,
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const role = requireRole(dir, r.input.RoleName as string);
        role.description = r.input.Description as string;
        return { result: { Role: roleOut(r.accountId, role, true) } };
      }),
  },
  UpdateAssumeRolePolicy: {
    action: 'iam:UpdateAssumeRolePolicy',
    resource: roleResource,
    run: (r) =>
      mutateRole(r, (role) => {
        const trust = r.input.PolicyDocument as string;
        checkTrustPolicy(trust);
        role.assumeRolePolicyDocument = trust;
      }),
  },
  DeleteRole: {
    action: 'iam:DeleteRole',
    resource: roleResource,
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const role = requireRole(dir, r.input.RoleName as string);
        if (Object.keys(role.inlinePolicies).length > 0) throw new DeleteConflict('Cannot delete entity, must delete policies first.');
        if (role.attachedPolicies.length > 0) throw new DeleteConflict('Cannot delete entity, must detach all policies first.');
        dir.roles.splice(dir.roles.indexOf(role), 1);
        return { result: {} };
      }),
  },
  TagRole: { action: 'iam:TagRole', resource: roleResource, run: (r) => mutateRole(r, (role) => (role.tags = mergeTags(role.tags, inputTags(r.input)))) },
  UntagRole: { action: 'iam:UntagRole', resource: roleResource, run: (r) => mutateRole(r, (role) => (role.tags = removeTags(role.tags, r.input.TagKeys as string[]))) },
  ListRoleTags: {
    action: 'iam:ListRoleTags',
    resource: roleResource,
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      return paginate(requireRole(dir, r.input.RoleName as string).tags, r.input, 'Tags', (t) => ({ Key: t.Key, Value: t.Value }));
    },
  },
};
