// Customer managed policies with versions, and attachments of managed policies (the account's
// own, or AWS managed ones) to users, roles and groups.

import { DeleteConflict, EntityAlreadyExists, LimitExceeded, NoSuchEntity } from '../../errors/query-errors.js';
import { awsManagedPolicies, awsManagedPolicyArn, findAwsManagedPolicy } from '../aws-managed-policies.js';
import { iamArn } from '../model/arns.js';
import { addPolicyVersion, attachmentCount, findPolicyByArn, findPolicyByName, type IamDirectory, type ManagedPolicyEntry, newManagedPolicy } from '../model/directory.js';
import { byName, checkPolicyDocument, encodedDocument, inputTags, isoDate, mergeTags, noSuchPolicy, paginate, pathOf, removeTags, tagsOut, underPrefix } from './common.js';
import type { IamOperation, IamOperations, IamRequest } from './iam-operation.js';
import { POLICY_HOLDERS, type PolicyHolder } from './policy-holders.js';

const MAX_POLICIES = 1500;
/** "Managed policy length: 6,144 characters". */
const POLICY_LIMIT = { quota: 'PolicySize', max: 6144 };
/** "Versions of a managed policy that can be stored: 5". */
const MAX_VERSIONS = 5;
/** "Managed policies attached to an IAM user/role/group: 10" (the default quota). */
const MAX_ATTACHED = 10;

function policyOut(dir: Readonly<IamDirectory>, p: ManagedPolicyEntry, withTags = false): Record<string, unknown> {
  return {
    PolicyName: p.policyName,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: attachmentCount(dir as IamDirectory, p.arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    ...(p.description !== undefined && { Description: p.description }),
    CreateDate: isoDate(p.createDate),
    UpdateDate: isoDate(p.updateDate),
    ...(withTags && p.tags.length > 0 && { Tags: tagsOut(p.tags) }),
  };
}

/** An AWS managed policy as GetPolicy shows it. */
function awsPolicyOut(dir: Readonly<IamDirectory>, arn: string): Record<string, unknown> | undefined {
  const aws = findAwsManagedPolicy(arn);
  if (!aws) return undefined;
  return {
    PolicyName: aws.name,
    PolicyId: aws.policyId,
    Arn: arn,
    Path: '/',
    DefaultVersionId: aws.defaultVersionId,
    AttachmentCount: attachmentCount(dir as IamDirectory, arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: aws.description,
    CreateDate: isoDate(Date.UTC(2015, 1, 6, 18, 39, 46)),
    UpdateDate: isoDate(Date.UTC(2015, 1, 6, 18, 39, 46)),
  };
}

function versionOut(p: ManagedPolicyEntry, versionId: string): Record<string, unknown> {
  const v = p.versions.find((x) => x.versionId === versionId);
  if (!v) throw new NoSuchEntity(`Policy ${p.arn} version ${versionId} does not exist or is not attachable.`);
  return { Document: encodedDocument(v.document), VersionId: v.versionId, IsDefaultVersion: v.versionId === p.defaultVersionId, CreateDate: isoDate(v.createDate) };
}

function requirePolicy(dir: Readonly<IamDirectory>, arn: string): ManagedPolicyEntry {
  const p = findPolicyByArn(dir as IamDirectory, arn);
  if (!p) throw noSuchPolicy(arn);
  return p;
}

const policyResource = (r: IamRequest): string => r.input.PolicyArn as string;

function mutatePolicy(r: IamRequest, change: (p: ManagedPolicyEntry, dir: IamDirectory) => Record<string, unknown>): Promise<Record<string, unknown>> {
  return r.services.directories.mutate(r.accountId, (dir) => ({ result: change(requirePolicy(dir, r.input.PolicyArn as string), dir) }));
}

// --- attachments ---------------------------------------------------------------------------

/** The account's own policies and the AWS managed ones can be attached; others are not found. */
function attachableName(dir: Readonly<IamDirectory>, arn: string): string {
  const own = findPolicyByArn(dir as IamDirectory, arn);
  if (own) return own.policyName;
  const aws = findAwsManagedPolicy(arn);
  if (aws) return aws.name;
  throw noSuchPolicy(arn);
}

function attachmentOperations(a: PolicyHolder): Record<string, IamOperation> {
  const name = (r: IamRequest) => r.input[a.member] as string;
  return {
    [`Attach${a.kind}Policy`]: {
      action: `iam:Attach${a.kind}Policy`,
      resource: a.resource,
      run: (r) =>
        r.services.directories.mutate(r.accountId, (dir) => {
          const arn = r.input.PolicyArn as string;
          const attached = a.entity(dir, name(r)).attachedPolicies;
          attachableName(dir, arn);
          if (attached.includes(arn)) return { result: {}, changed: false };
          if (attached.length >= MAX_ATTACHED) throw new LimitExceeded(`Cannot exceed quota for PoliciesPer${a.kind}: ${MAX_ATTACHED}`);
          attached.push(arn);
          return { result: {} };
        }),
    },
    [`Detach${a.kind}Policy`]: {
      action: `iam:Detach${a.kind}Policy`,
      resource: a.resource,
      run: (r) =>
        r.services.directories.mutate(r.accountId, (dir) => {
          const arn = r.input.PolicyArn as string;
          const attached = a.entity(dir, name(r)).attachedPolicies;
          if (!attached.includes(arn)) throw new NoSuchEntity(`Policy ${arn} was not found.`);
          attached.splice(attached.indexOf(arn), 1);
          return { result: {} };
        }),
    },
    [`ListAttached${a.kind}Policies`]: {
      action: `iam:ListAttached${a.kind}Policies`,
      resource: a.resource,
      run: async (r) => {
        const { dir } = await r.services.directories.current(r.accountId);
        const arns = a.entity(dir as IamDirectory, name(r)).attachedPolicies;
        return paginate(arns, r.input, 'AttachedPolicies', (arn) => ({ PolicyName: attachableName(dir, arn), PolicyArn: arn }));
      },
    },
  };
}

export const MANAGED_POLICY_OPERATIONS: IamOperations = {
  CreatePolicy: {
    action: 'iam:CreatePolicy',
    resource: (r) => iamArn(r.accountId, 'policy', pathOf(r.input), r.input.PolicyName as string),
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const name = r.input.PolicyName as string;
        if (findPolicyByName(dir, name)) throw new EntityAlreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
        if (dir.policies.length >= MAX_POLICIES) throw new LimitExceeded(`Cannot exceed quota for PoliciesPerAccount: ${MAX_POLICIES}`);
        const text = r.input.PolicyDocument as string;
        checkPolicyDocument(text, 'identity', POLICY_LIMIT);
        const path = pathOf(r.input);
        const policy = newManagedPolicy(name, {
          arn: iamArn(r.accountId, 'policy', path, name),
          path,
          now: r.services.clock.now(),
          document: text,
          ...(r.input.Description !== undefined && { description: r.input.Description as string }),
          tags: inputTags(r.input),
        });
        dir.policies.push(policy);
        return { result: { Policy: policyOut(dir, policy, true) } };
      }),
  },
  GetPolicy: {
    action: 'iam:GetPolicy',
    resource: policyResource,
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      const arn = r.input.PolicyArn as string;
      const own = findPolicyByArn(dir, arn);
      const out = own ? policyOut(dir, own, true) : awsPolicyOut(dir, arn);
      if (!out) throw noSuchPolicy(arn);
      return { Policy: out };
    },
  },
  ListPolicies: {
    action: 'iam:ListPolicies',
    resource: () => '*',
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      const scope = (r.input.Scope as string | undefined) ?? 'All';
      const onlyAttached = r.input.OnlyAttached === true;
      const own = scope === 'AWS' ? [] : dir.policies.filter((p) => underPrefix(p.path, r.input)).map((p) => policyOut(dir, p));
      const aws = scope === 'Local' ? [] : awsManagedPolicies().map((p) => awsPolicyOut(dir, awsManagedPolicyArn(p.name))!).filter((p) => underPrefix(p.Path as string, r.input));
      const all = [...aws, ...own].filter((p) => !onlyAttached || (p.AttachmentCount as number) > 0).sort(byName((p: Record<string, unknown>) => p.PolicyName as string));
      return paginate(all, r.input, 'Policies', (p) => p);
    },
  },
  DeletePolicy: {
    action: 'iam:DeletePolicy',
    resource: policyResource,
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const policy = requirePolicy(dir, r.input.PolicyArn as string);
        if (attachmentCount(dir, policy.arn) > 0) throw new DeleteConflict('Cannot delete a policy attached to entities.');
        if (policy.versions.length > 1) throw new DeleteConflict('Cannot delete a policy with more than one version. Delete the non-default versions first.');
        dir.policies.splice(dir.policies.indexOf(policy), 1);
        return { result: {} };
      }),
  },
  CreatePolicyVersion: {
    action: 'iam:CreatePolicyVersion',
    resource: policyResource,
    run: (r) =>
      mutatePolicy(r, (policy) => {
        if (policy.versions.length >= MAX_VERSIONS) {
          throw new LimitExceeded(`A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
        }
        const text = r.input.PolicyDocument as string;
        checkPolicyDocument(text, 'identity', POLICY_LIMIT);
        const versionId = addPolicyVersion(policy, text, r.services.clock.now(), r.input.SetAsDefault === true);
        return { PolicyVersion: versionOut(policy, versionId) };
      }),
  },
  GetPolicyVersion: {
    action: 'iam:GetPolicyVersion',
    resource: policyResource,
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      const arn = r.input.PolicyArn as string;
      const aws = findAwsManagedPolicy(arn);
      if (aws && aws.defaultVersionId === r.input.VersionId) {
        return { PolicyVersion: { Document: encodedDocument(aws.document), VersionId: aws.defaultVersionId, IsDefaultVersion: true, CreateDate: isoDate(Date.UTC(2015, 1, 6, 18, 39, 46)) } };
      }
      return { PolicyVersion: versionOut(requirePolicy(dir, arn), r.input.VersionId as string) };
    },
  },
  ListPolicyVersions: {
    action: 'iam:ListPolicyVersions',
    resource: policyResource,
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      const policy = requirePolicy(dir, r.input.PolicyArn as string);
      const newestFirst = [...policy.versions].reverse();
      return paginate(newestFirst, r.input, 'Versions', (v) => {
        const { Document: _document, ...rest } = versionOut(policy, v.versionId);
        return rest;
      });
    },
  },
  DeletePolicyVersion: {
    action: 'iam:DeletePolicyVersion',
    resource: policyResource,
    run: (r) =>
      mutatePolicy(r, (policy) => {
        const versionId = r.input.VersionId as string;
        versionOut(policy, versionId);
        if (versionId === policy.defaultVersionId) throw new DeleteConflict('Cannot delete the default version of a policy.');
        policy.versions = policy.versions.filter((v) => v.versionId !== versionId);
        return {};
      }),
  },
  SetDefaultPolicyVersion: {
    action: 'iam:SetDefaultPolicyVersion',
    resource: policyResource,
    run: (r) =>
      mutatePolicy(r, (policy) => {
        const versionId = r.input.VersionId as string;
        versionOut(policy, versionId);
        policy.defaultVersionId = versionId;
        policy.updateDate = r.services.clock.now();
        return {};
      }),
  },
  TagPolicy: { action: 'iam:TagPolicy', resource: policyResource, run: (r) => mutatePolicy(r, (p) => ((p.tags = mergeTags(p.tags, inputTags(r.input))), {})) },
  UntagPolicy: { action: 'iam:UntagPolicy', resource: policyResource, run: (r) => mutatePolicy(r, (p) => ((p.tags = removeTags(p.tags, r.input.TagKeys as string[])), {})) },
  ListPolicyTags: {
    action: 'iam:ListPolicyTags',
    resource: policyResource,
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      return paginate(requirePolicy(dir, r.input.PolicyArn as string).tags, r.input, 'Tags', (t) => ({ Key: t.Key, Value: t.Value }));
    },
  },
  ListEntitiesForPolicy: {
    action: 'iam:ListEntitiesForPolicy',
    resource: policyResource,
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      const arn = r.input.PolicyArn as string;
      attachableName(dir, arn);
      const has = (e: { attachedPolicies: string[] }) => e.attachedPolicies.includes(arn);
      return {
        PolicyGroups: dir.groups.filter(has).map((g) => ({ GroupName: g.groupName, GroupId: g.groupId })),
        PolicyUsers: dir.users.filter(has).map((u) => ({ UserName: u.userName, UserId: u.userId })),
        PolicyRoles: dir.roles.filter(has).map((x) => ({ RoleName: x.roleName, RoleId: x.roleId })),
        IsTruncated: false,
      };
    },
  },
  ...Object.assign({}, ...POLICY_HOLDERS.map(attachmentOperations)),
};
