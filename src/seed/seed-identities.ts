// The `identities` section of our seed format (docs/seed-files.md): accounts with root access
// keys, customer managed policies, groups, users and roles, their inline and attached policies,
// memberships and access keys with fixed ids and secrets, for tests and local setups. Validated
// whole before anything is written (policy grammar and IAM's quotas, as the IAM API applies
// them); applied idempotently: an entity that exists is kept, its policies, attachments,
// memberships and access keys are added or brought to what the file says.

import { wrapAccessKeySecret } from '../iam/root-credentials.js';
import type { IamDirectories } from '../iam/directories.js';
import { iamArn, rootArn } from '../iam/model/arns.js';
import { addPolicyVersion, findGroup, findPolicyByArn, findRole, findUser, type IamDirectory, type IamTag, newGroup, newManagedPolicy, newRole, newUser } from '../iam/model/directory.js';
import { findAwsManagedPolicy } from '../iam/aws-managed-policies.js';
import { checkPolicyDocument } from '../iam/operations/common.js';
import { checkTrustPolicy } from '../iam/operations/roles.js';
import type { RootKeyProvider } from '../crypto/root-key/root-key-provider.js';
import type { AccessKeyRecord, Change, Store } from '../store/store.js';
import { isAccountId } from '../kms/model/arn.js';
import { checkFields, failOnKmsError, isMap, join, readList, readMap, readOptionalString, readString, type SeedContext, type YamlMap } from './seed-plan.js';

const ACCOUNT_FIELDS = ['accountId', 'accessKeys', 'policies', 'groups', 'users', 'roles'];
const POLICY_FIELDS = ['policyName', 'path', 'description', 'document'];
const GROUP_FIELDS = ['groupName', 'path', 'policies', 'managedPolicies'];
const USER_FIELDS = ['userName', 'path', 'tags', 'groups', 'policies', 'managedPolicies', 'accessKeys'];
const ROLE_FIELDS = ['roleName', 'path', 'description', 'trustPolicy', 'maxSessionDuration', 'tags', 'policies', 'managedPolicies'];
const KEY_FIELDS = ['accessKeyId', 'secretAccessKey', 'status'];

const NAME = /^[\w+=,.@-]{1,64}$/;
const PATH = /^\/(?:[\x21-\x7e]*\/)?$/;
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

interface SeedKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly status: 'Active' | 'Inactive';
}

interface SeedPolicies {
  /** Inline policies by name, as JSON text. */
  readonly inline: Readonly<Record<string, string>>;
  readonly managed: readonly string[];
}

export interface SeedAccount {
  readonly accountId: string;
  /** Where in the file, for messages. */
  readonly where: string;
  readonly accessKeys: readonly SeedKey[];
  readonly policies: readonly { readonly policyName: string; readonly path: string; readonly description?: string; readonly document: string }[];
  readonly groups: readonly ({ readonly groupName: string; readonly path: string } & SeedPolicies)[];
  readonly users: readonly ({ readonly userName: string; readonly path: string; readonly tags: readonly IamTag[]; readonly groups: readonly string[]; readonly accessKeys: readonly SeedKey[] } & SeedPolicies)[];
  readonly roles: readonly ({ readonly roleName: string; readonly path: string; readonly description?: string; readonly trustPolicy: string; readonly maxSessionDuration: number; readonly tags: readonly IamTag[] } & SeedPolicies)[];
}

/** A policy written as a mapping (YAML) or as JSON text; kept as JSON text. */
function readDocument(ctx: SeedContext, value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (isMap(value)) return JSON.stringify(value);
  return ctx.fail(path, 'expected a policy document (a mapping, or JSON text)');
}

function readName(ctx: SeedContext, value: unknown, path: string): string {
  const name = readString(ctx, value, path);
  if (!NAME.test(name)) ctx.fail(path, `not an IAM name (1-64 of letters, digits and +=,.@_-): ${name}`);
  return name;
}

function readPath(ctx: SeedContext, value: unknown, path: string): string {
  const p = readOptionalString(ctx, value, path) ?? '/';
  if (!PATH.test(p)) ctx.fail(path, `not an IAM path (begins and ends with /): ${p}`);
  return p;
}

function readIamTags(ctx: SeedContext, value: unknown, path: string): IamTag[] {
  if (value === undefined || value === null) return [];
  const map = readMap(ctx, value, path);
  return Object.entries(map).map(([Key, v]) => ({ Key, Value: readString(ctx, v, join(path, Key)) }));
}

function readPolicies(ctx: SeedContext, map: YamlMap, path: string, quota: { quota: string; max: number }): SeedPolicies {
  const inline: Record<string, string> = {};
  if (map.policies !== undefined && map.policies !== null) {
    for (const [name, doc] of Object.entries(readMap(ctx, map.policies, join(path, 'policies')))) {
      const where = join(join(path, 'policies'), name);
      if (!NAME.test(name) || name.length > 128) ctx.fail(where, 'not a policy name');
      const text = readDocument(ctx, doc, where);
      failOnKmsError(ctx, where, () => checkPolicyDocument(text, 'identity', quota));
      inline[name] = text;
    }
  }
  const managed = readList(ctx, map.managedPolicies, join(path, 'managedPolicies')).map((v, i) => readString(ctx, v, join(join(path, 'managedPolicies'), i)));
  return { inline, managed };
}

function readKeys(ctx: SeedContext, value: unknown, path: string): SeedKey[] {
  return readList(ctx, value, path).map((entry, i) => {
    const where = join(path, i);
    const map = readMap(ctx, entry, where);
    checkFields(ctx, map, KEY_FIELDS, where, 'error');
    const accessKeyId = readString(ctx, map.accessKeyId, join(where, 'accessKeyId'));
    if (!ACCESS_KEY_ID.test(accessKeyId)) ctx.fail(join(where, 'accessKeyId'), 'expected 16 or more upper-case letters and digits');
    const secretAccessKey = readString(ctx, map.secretAccessKey, join(where, 'secretAccessKey'));
    if (secretAccessKey.length < 16) ctx.fail(join(where, 'secretAccessKey'), 'at least 16 characters');
    const status = readOptionalString(ctx, map.status, join(where, 'status')) ?? 'Active';
    if (status !== 'Active' && status !== 'Inactive') ctx.fail(join(where, 'status'), 'Active or Inactive');
    return { accessKeyId, secretAccessKey, status };
  });
}

/** Parses and checks the section (nothing is written). */
export function parseIdentities(ctx: SeedContext, value: unknown, defaultAccount: string): SeedAccount[] {
  const accounts = readList(ctx, value, 'identities').map((entry, i): SeedAccount => {
    const path = join('identities', i);
    const map = readMap(ctx, entry, path);
    checkFields(ctx, map, ACCOUNT_FIELDS, path, 'error');
    const accountId = readOptionalString(ctx, map.accountId, join(path, 'accountId')) ?? defaultAccount;
    if (!isAccountId(accountId)) ctx.fail(join(path, 'accountId'), `expected 12 digits, got ${accountId}`);
    const policies = readList(ctx, map.policies, join(path, 'policies')).map((e, j) => {
      const where = join(join(path, 'policies'), j);
      const p = readMap(ctx, e, where);
      checkFields(ctx, p, POLICY_FIELDS, where, 'error');
      const document = readDocument(ctx, p.document, join(where, 'document'));
      failOnKmsError(ctx, join(where, 'document'), () => checkPolicyDocument(document, 'identity', { quota: 'PolicySize', max: 6144 }));
      const description = readOptionalString(ctx, p.description, join(where, 'description'));
      return { policyName: readName(ctx, p.policyName, join(where, 'policyName')), path: readPath(ctx, p.path, join(where, 'path')), ...(description !== undefined && { description }), document };
    });
    const groups = readList(ctx, map.groups, join(path, 'groups')).map((e, j) => {
      const where = join(join(path, 'groups'), j);
      const g = readMap(ctx, e, where);
      checkFields(ctx, g, GROUP_FIELDS, where, 'error');
      return { groupName: readName(ctx, g.groupName, join(where, 'groupName')), path: readPath(ctx, g.path, join(where, 'path')), ...readPolicies(ctx, g, where, { quota: 'GroupPolicySize', max: 5120 }) };
    });
    const users = readList(ctx, map.users, join(path, 'users')).map((e, j) => {
      const where = join(join(path, 'users'), j);
      const u = readMap(ctx, e, where);
      checkFields(ctx, u, USER_FIELDS, where, 'error');
      return {
        userName: readName(ctx, u.userName, join(where, 'userName')),
        path: readPath(ctx, u.path, join(where, 'path')),
        tags: readIamTags(ctx, u.tags, join(where, 'tags')),
        groups: readList(ctx, u.groups, join(where, 'groups')).map((v, k) => readName(ctx, v, join(join(where, 'groups'), k))),
        accessKeys: readKeys(ctx, u.accessKeys, join(where, 'accessKeys')),
        ...readPolicies(ctx, u, where, { quota: 'UserPolicySize', max: 2048 }),
      };
    });
    const roles = readList(ctx, map.roles, join(path, 'roles')).map((e, j) => {
      const where = join(join(path, 'roles'), j);
      const r = readMap(ctx, e, where);
      checkFields(ctx, r, ROLE_FIELDS, where, 'error');
      const trustPolicy = readDocument(ctx, r.trustPolicy, join(where, 'trustPolicy'));
      failOnKmsError(ctx, join(where, 'trustPolicy'), () => checkTrustPolicy(trustPolicy));
      const max = r.maxSessionDuration ?? 3600;
      if (typeof max !== 'number' || !Number.isInteger(max) || max < 3600 || max > 43200) ctx.fail(join(where, 'maxSessionDuration'), 'seconds, 3600 to 43200');
      const description = readOptionalString(ctx, r.description, join(where, 'description'));
      return {
        roleName: readName(ctx, r.roleName, join(where, 'roleName')),
        path: readPath(ctx, r.path, join(where, 'path')),
        ...(description !== undefined && { description }),
        trustPolicy,
        maxSessionDuration: max,
        tags: readIamTags(ctx, r.tags, join(where, 'tags')),
        ...readPolicies(ctx, r, where, { quota: 'RolePolicySize', max: 10240 }),
      };
    });
    const account = { accountId, where: path, accessKeys: readKeys(ctx, map.accessKeys, join(path, 'accessKeys')), policies, groups, users, roles };
    checkReferences(ctx, account);
    return account;
  });
  const ids = new Map<string, string>();
  for (const [i, a] of accounts.entries()) {
    for (const key of [...a.accessKeys, ...a.users.flatMap((u) => u.accessKeys)]) {
      if (ids.has(key.accessKeyId)) ctx.fail(join('identities', i), `access key ${key.accessKeyId} appears twice`);
      ids.set(key.accessKeyId, a.accountId);
    }
  }
  return accounts;
}

/** Groups and managed policies named by entities must be in the file (or be AWS managed). */
function checkReferences(ctx: SeedContext, a: SeedAccount): void {
  const policyArns = new Set(a.policies.map((p) => iamArn(a.accountId, 'policy', p.path, p.policyName)));
  const groups = new Set(a.groups.map((g) => g.groupName.toLowerCase()));
  for (const [kind, entities] of [['groups', a.groups], ['users', a.users], ['roles', a.roles]] as const) {
    entities.forEach((e, i) => {
      for (const arn of e.managed) {
        if (!policyArns.has(arn) && !findAwsManagedPolicy(arn)) ctx.fail(join(join(a.where, kind), i), `managed policy ${arn} is neither defined in this account's policies nor an AWS managed policy this server knows`);
      }
    });
  }
  a.users.forEach((u, i) => {
    for (const g of u.groups) if (!groups.has(g.toLowerCase())) ctx.fail(join(join(a.where, 'users'), i), `group ${g} is not defined in this account's groups`);
  });
}

export interface IdentitySeedSummary {
  usersCreated: number;
  rolesCreated: number;
  accessKeysCreated: number;
}

/** Writes the accounts' identities (see the module comment for what is kept and what is updated). */
export async function applyIdentities(
  services: { readonly store: Store; readonly rootKey: RootKeyProvider; readonly directories: IamDirectories },
  accounts: readonly SeedAccount[],
  now: number,
): Promise<IdentitySeedSummary> {
  const summary: IdentitySeedSummary = { usersCreated: 0, rolesCreated: 0, accessKeysCreated: 0 };
  for (const a of accounts) {
    const keyChanges: Change[] = [{ kind: 'putAccount', account: { accountId: a.accountId, createdAt: now } }];
    await services.directories.mutate(a.accountId, (dir) => {
      mergeAccount(dir, a, now, summary);
      return { result: undefined };
    });
    const { dir } = await services.directories.current(a.accountId);
    const owners: { key: SeedKey; user?: { userName: string; userId: string; arn: string } }[] = [
      ...a.accessKeys.map((key) => ({ key })),
      ...a.users.flatMap((u) => {
        const entry = findUser(dir, u.userName)!;
        return u.accessKeys.map((key) => ({ key, user: { userName: entry.userName, userId: entry.userId, arn: iamArn(a.accountId, 'user', entry.path, entry.userName) } }));
      }),
    ];
    for (const { key, user } of owners) {
      const existing = await services.store.getAccessKey(key.accessKeyId);
      if (existing && existing.accountId !== a.accountId) throw new Error(`seed: access key ${key.accessKeyId} already belongs to account ${existing.accountId}`);
      const wrappedSecret = await wrapAccessKeySecret(services.rootKey, key.accessKeyId, key.secretAccessKey);
      const record: AccessKeyRecord = {
        accessKeyId: key.accessKeyId,
        wrappedSecret,
        accountId: a.accountId,
        principalArn: user?.arn ?? rootArn(a.accountId),
        createdAt: existing?.createdAt ?? now,
        status: key.status,
        ...(user && { userName: user.userName, ownerId: user.userId }),
      };
      if (!existing) summary.accessKeysCreated += 1;
      keyChanges.push({ kind: 'putAccessKey', accessKey: record });
    }
    await services.store.commit(keyChanges);
  }
  return summary;
}

function mergeAccount(dir: IamDirectory, a: SeedAccount, now: number, summary: IdentitySeedSummary): void {
  for (const p of a.policies) {
    const arn = iamArn(a.accountId, 'policy', p.path, p.policyName);
    const existing = findPolicyByArn(dir, arn);
    if (existing) {
      // The file's document becomes the default version when it differs from it.
      const current = existing.versions.find((v) => v.versionId === existing.defaultVersionId);
      if (current?.document !== p.document) {
        if (existing.versions.length >= 5) existing.versions.splice(existing.versions.findIndex((v) => v.versionId !== existing.defaultVersionId), 1);
        addPolicyVersion(existing, p.document, now, true);
      }
      continue;
    }
    dir.policies.push(newManagedPolicy(p.policyName, { arn, path: p.path, now, document: p.document, ...(p.description !== undefined && { description: p.description }) }));
  }
  for (const g of a.groups) {
    let group = findGroup(dir, g.groupName);
    if (!group) {
      group = newGroup(g.groupName, { path: g.path, now });
      dir.groups.push(group);
    }
    Object.assign(group.inlinePolicies, g.inline);
    for (const arn of g.managed) if (!group.attachedPolicies.includes(arn)) group.attachedPolicies.push(arn);
  }
  for (const u of a.users) {
    let user = findUser(dir, u.userName);
    if (!user) {
      user = newUser(u.userName, { path: u.path, now });
      dir.users.push(user);
      summary.usersCreated += 1;
    }
    if (u.tags.length > 0) user.tags = [...user.tags.filter((t) => !u.tags.some((n) => n.Key.toLowerCase() === t.Key.toLowerCase())), ...u.tags];
    Object.assign(user.inlinePolicies, u.inline);
    for (const arn of u.managed) if (!user.attachedPolicies.includes(arn)) user.attachedPolicies.push(arn);
    for (const name of u.groups) {
      const group = findGroup(dir, name)!;
      if (!group.members.some((m) => m.toLowerCase() === user.userName.toLowerCase())) group.members.push(user.userName);
    }
  }
  for (const r of a.roles) {
    let role = findRole(dir, r.roleName);
    if (!role) {
      role = newRole(r.roleName, { path: r.path, now, assumeRolePolicyDocument: r.trustPolicy, maxSessionDuration: r.maxSessionDuration });
      dir.roles.push(role);
      summary.rolesCreated += 1;
    }
    role.assumeRolePolicyDocument = r.trustPolicy;
    role.maxSessionDuration = r.maxSessionDuration;
    if (r.description !== undefined) role.description = r.description;
    if (r.tags.length > 0) role.tags = [...role.tags.filter((t) => !r.tags.some((n) => n.Key.toLowerCase() === t.Key.toLowerCase())), ...r.tags];
    Object.assign(role.inlinePolicies, r.inline);
    for (const arn of r.managed) if (!role.attachedPolicies.includes(arn)) role.attachedPolicies.push(arn);
  }
}
