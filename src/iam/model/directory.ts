// An account's IAM entities as one document (stored as JSON, versioned by the store): users,
// groups, roles and customer managed policies, with their inline policies, attachments and
// memberships. IAM names are unique without regard to case ("you cannot create resources named
// both MyResource and myresource", IAM User Guide, "IAM identifiers"), so lookups fold case while
// the name keeps the case it was created with.

import { newIamId } from './ids.js';

export interface IamTag {
  readonly Key: string;
  readonly Value: string;
}

/** Inline policies by name, in the order they were first put. */
export type InlinePolicies = Record<string, string>;

interface Principal {
  readonly path: string;
  readonly createDate: number;
  tags: IamTag[];
  inlinePolicies: InlinePolicies;
  /** Managed policy ARNs, in attachment order. */
  attachedPolicies: string[];
  permissionsBoundary?: string;
}

export interface UserEntry extends Principal {
  readonly userName: string;
  /** AIDA...: what aws:userid and GetCallerIdentity's UserId show. */
  readonly userId: string;
}

export interface RoleEntry extends Principal {
  readonly roleName: string;
  /** AROA... */
  readonly roleId: string;
  assumeRolePolicyDocument: string;
  description?: string;
  /** Seconds; 3600 unless set (IAM's default). */
  maxSessionDuration: number;
  /** Epoch ms of the last AssumeRole of this role (RoleLastUsed). */
  lastUsed?: { readonly at: number; readonly region: string };
}

export interface GroupEntry {
  readonly groupName: string;
  /** AGPA... */
  readonly groupId: string;
  readonly path: string;
  readonly createDate: number;
  inlinePolicies: InlinePolicies;
  attachedPolicies: string[];
  /** User names (as created), in the order they were added. */
  members: string[];
}

export interface PolicyVersionEntry {
  readonly versionId: string;
  readonly document: string;
  readonly createDate: number;
}

export interface ManagedPolicyEntry {
  readonly policyName: string;
  /** ANPA... */
  readonly policyId: string;
  readonly arn: string;
  readonly path: string;
  readonly description?: string;
  readonly createDate: number;
  updateDate: number;
  defaultVersionId: string;
  versions: PolicyVersionEntry[];
  /** The number the next version gets (v1, v2, ...: IAM never reuses a version id). */
  nextVersion: number;
  tags: IamTag[];
}

export interface IamDirectory {
  users: UserEntry[];
  groups: GroupEntry[];
  roles: RoleEntry[];
  policies: ManagedPolicyEntry[];
}

export function emptyDirectory(): IamDirectory {
  return { users: [], groups: [], roles: [], policies: [] };
}

const fold = (name: string): string => name.toLowerCase();

export function findUser(dir: IamDirectory, userName: string): UserEntry | undefined {
  const f = fold(userName);
  return dir.users.find((u) => fold(u.userName) === f);
}

export function findRole(dir: IamDirectory, roleName: string): RoleEntry | undefined {
  const f = fold(roleName);
  return dir.roles.find((r) => fold(r.roleName) === f);
}

export function findGroup(dir: IamDirectory, groupName: string): GroupEntry | undefined {
  const f = fold(groupName);
  return dir.groups.find((g) => fold(g.groupName) === f);
}

export function findPolicyByArn(dir: IamDirectory, arn: string): ManagedPolicyEntry | undefined {
  return dir.policies.find((p) => p.arn === arn);
}

export function findPolicyByName(dir: IamDirectory, policyName: string): ManagedPolicyEntry | undefined {
  const f = fold(policyName);
  return dir.policies.find((p) => fold(p.policyName) === f);
}

/** The groups a user belongs to, in creation order of the groups. */
export function groupsOfUser(dir: IamDirectory, userName: string): GroupEntry[] {
  const f = fold(userName);
  return dir.groups.filter((g) => g.members.some((m) => fold(m) === f));
}

/** Inline policy names are unique per entity without regard to case, too. */
export function inlinePolicyName(policies: InlinePolicies, name: string): string | undefined {
  const f = fold(name);
  return Object.keys(policies).find((n) => fold(n) === f);
}

export function defaultDocument(policy: ManagedPolicyEntry): string {
  const version = policy.versions.find((v) => v.versionId === policy.defaultVersionId);
  if (!version) throw new Error(`policy ${policy.arn} has no default version ${policy.defaultVersionId}`);
  return version.document;
}

/** How many users, groups and roles a managed policy is attached to (AttachmentCount). */
export function attachmentCount(dir: IamDirectory, arn: string): number {
  const all = [...dir.users, ...dir.groups, ...dir.roles];
  return all.filter((e) => e.attachedPolicies.includes(arn)).length;
}

export function parseDirectory(document: string): IamDirectory {
  return JSON.parse(document) as IamDirectory;
}

// --- New entities, as IAM creates them (the Create* actions and seed files alike) ---------------

interface NewEntity {
  readonly path: string;
  readonly now: number;
  readonly tags?: readonly IamTag[];
  readonly permissionsBoundary?: string;
}

function principalParts(e: NewEntity): Principal {
  return {
    path: e.path,
    createDate: e.now,
    tags: [...(e.tags ?? [])],
    inlinePolicies: {},
    attachedPolicies: [],
    ...(e.permissionsBoundary !== undefined && { permissionsBoundary: e.permissionsBoundary }),
  };
}

export function newUser(userName: string, e: NewEntity): UserEntry {
  return { userName, userId: newIamId('AIDA'), ...principalParts(e) };
}

export function newRole(roleName: string, e: NewEntity & { assumeRolePolicyDocument: string; maxSessionDuration: number; description?: string }): RoleEntry {
  return {
    roleName,
    roleId: newIamId('AROA'),
    ...principalParts(e),
    assumeRolePolicyDocument: e.assumeRolePolicyDocument,
    maxSessionDuration: e.maxSessionDuration,
    ...(e.description !== undefined && { description: e.description }),
  };
}

export function newGroup(groupName: string, e: { path: string; now: number }): GroupEntry {
  return { groupName, groupId: newIamId('AGPA'), path: e.path, createDate: e.now, inlinePolicies: {}, attachedPolicies: [], members: [] };
}

export function newManagedPolicy(policyName: string, e: NewEntity & { arn: string; document: string; description?: string }): ManagedPolicyEntry {
  return {
    policyName,
    policyId: newIamId('ANPA'),
    arn: e.arn,
    path: e.path,
    ...(e.description !== undefined && { description: e.description }),
    createDate: e.now,
    updateDate: e.now,
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', document: e.document, createDate: e.now }],
    nextVersion: 2,
    tags: [...(e.tags ?? [])],
  };
}

/** Adds a version (ids are never reused: v1, v2, ...), made the default when asked; returns its id. */
export function addPolicyVersion(policy: ManagedPolicyEntry, document: string, now: number, setAsDefault: boolean): string {
  const versionId = `v${policy.nextVersion}`;
  policy.nextVersion += 1;
  policy.versions.push({ versionId, document, createDate: now });
  if (setAsDefault) policy.defaultVersionId = versionId;
  policy.updateDate = now;
  return versionId;
}
