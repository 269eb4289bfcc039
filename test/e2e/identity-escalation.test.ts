// Hostile cases of IAM, STS and KMS together in signed mode: what a role session, a low-privilege
// user or an old session must NOT be able to do. A role session has no user of its own: an access
// key call without UserName must not act on the account's root keys. A grant to a role is limited
// by the session's session policies, and serves no session of a deleted (or recreated) role.
// Renaming a user needs permission on the new name too.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccessKeyLastUsedCommand,
  DeleteAccessKeyCommand,
  DeleteRoleCommand,
  DeleteUserPolicyCommand,
  GetUserPolicyCommand,
  ListUserPoliciesCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  UpdateGroupCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { CreateGrantCommand, CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { allow, callError, clientsFor, destroyClients, doc, fromIam, fromSts, type Clients } from '../helpers/identity-clients.js';
import { startServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
let root: Clients;
let account: string;
let bob: Clients;

const trust = (principal: string) => doc([{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }]);

before(async () => {
  server = await startServer({ dev: false });
  root = clientsFor(server.url, server.credentials());
  account = /"accountId":"(\d{12})"/.exec(server.output())![1]!;
  await root.iam.send(new CreateUserCommand({ UserName: 'bob' }));
  await root.iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'assume', PolicyDocument: doc([allow('sts:AssumeRole')]) }));
  bob = clientsFor(server.url, fromIam((await root.iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey));
});
after(async () => {
  destroyClients();
  await server?.stop();
});

async function session(roleName: string, extra: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}): Promise<Clients> {
  const out = await bob.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${roleName}`, RoleSessionName: 'sess', ...extra }));
  return clientsFor(server.url, fromSts(out.Credentials));
}

describe('access keys from a role session', () => {
  test('without UserName, a role session can neither create nor see nor change the root user\'s keys', async () => {
    await root.iam.send(new CreateRoleCommand({ RoleName: 'keymaker', AssumeRolePolicyDocument: trust(`arn:aws:iam::${account}:root`) }));
    await root.iam.send(new PutRolePolicyCommand({ RoleName: 'keymaker', PolicyName: 'keys', PolicyDocument: doc([allow(['iam:*AccessKey*', 'iam:GetUser'])]) }));
    const s = await session('keymaker');
    const rootKeyId = server.credentials().accessKeyId;
    const before = (await root.iam.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!.length;

    const created = await callError(() => s.iam.send(new CreateAccessKeyCommand({})));
    assert.equal(created.code, 'ValidationError');
    assert.equal(created.message, 'Must specify userName when calling with non-User credentials');
    assert.equal((await root.iam.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!.length, before, 'no root key was made');

    assert.equal((await callError(() => s.iam.send(new ListAccessKeysCommand({})))).code, 'ValidationError');
    assert.equal((await callError(() => s.iam.send(new UpdateAccessKeyCommand({ AccessKeyId: rootKeyId, Status: 'Inactive' })))).code, 'ValidationError');
    assert.equal((await callError(() => s.iam.send(new DeleteAccessKeyCommand({ AccessKeyId: rootKeyId })))).code, 'ValidationError');
    assert.equal((await callError(() => s.iam.send(new GetUserCommand({})))).code, 'ValidationError');
    // The root's key still works.
    assert.equal((await root.iam.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!.find((k) => k.AccessKeyId === rootKeyId)?.Status, 'Active');
    // Naming a user still works for a session its policy allows.
    const forBob = (await s.iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
    assert.equal(forBob.UserName, 'bob');
    await s.iam.send(new DeleteAccessKeyCommand({ UserName: 'bob', AccessKeyId: forBob.AccessKeyId! }));
  });
});

describe('grants and role sessions', () => {
  test('a grant to the role is limited by the session policy, and serves no session of a deleted or recreated role', async () => {
    const roleArn = `arn:aws:iam::${account}:role/granted`;
    await root.iam.send(new CreateRoleCommand({ RoleName: 'granted', AssumeRolePolicyDocument: trust(`arn:aws:iam::${account}:root`) }));
    const key = (await root.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await root.kms.send(new CreateGrantCommand({ KeyId: key.Arn!, GranteePrincipal: roleArn, Operations: ['Encrypt'] }));
    const encrypt = (c: Clients) => c.kms.send(new EncryptCommand({ KeyId: key.Arn!, Plaintext: Buffer.from('x') }));

    const plain = await session('granted');
    await encrypt(plain);

    const limited = await session('granted', { Policy: doc([allow('s3:GetObject')]) });
    const e = await callError(() => encrypt(limited));
    assert.equal(e.code, 'AccessDeniedException');

    await root.iam.send(new DeleteRoleCommand({ RoleName: 'granted' }));
    assert.equal((await callError(() => encrypt(plain))).code, 'AccessDeniedException', 'the role is gone');
    await root.iam.send(new CreateRoleCommand({ RoleName: 'granted', AssumeRolePolicyDocument: trust(`arn:aws:iam::${account}:root`) }));
    assert.equal((await callError(() => encrypt(plain))).code, 'AccessDeniedException', 'another role of the same name');
    await encrypt(await session('granted'));
  });
});

describe('renaming users', () => {
  test('UpdateUser with NewUserName needs iam:UpdateUser on the new name as well', async () => {
    await root.iam.send(new CreateUserCommand({ UserName: 'mallory' }));
    await root.iam.send(
      new PutUserPolicyCommand({ UserName: 'mallory', PolicyName: 'self', PolicyDocument: doc([allow('iam:UpdateUser', `arn:aws:iam::${account}:user/mallory`)]) }),
    );
    const mallory = clientsFor(server.url, fromIam((await root.iam.send(new CreateAccessKeyCommand({ UserName: 'mallory' }))).AccessKey));
    const e = await callError(() => mallory.iam.send(new UpdateUserCommand({ UserName: 'mallory', NewUserName: 'admin' })));
    assert.equal(e.code, 'AccessDenied');
    assert.match(e.message, new RegExp(`iam:UpdateUser on resource: arn:aws:iam::${account}:user/admin`));
    assert.equal((await root.iam.send(new GetUserCommand({ UserName: 'mallory' }))).User!.UserName, 'mallory');
    // Allowed on both names, the rename goes through.
    await root.iam.send(
      new PutUserPolicyCommand({
        UserName: 'mallory',
        PolicyName: 'self',
        PolicyDocument: doc([allow('iam:UpdateUser', [`arn:aws:iam::${account}:user/mallory`, `arn:aws:iam::${account}:user/mallory2`])]),
      }),
    );
    await mallory.iam.send(new UpdateUserCommand({ UserName: 'mallory', NewUserName: 'mallory2' }));
    assert.equal((await root.iam.send(new GetUserCommand({ UserName: 'mallory2' }))).User!.UserName, 'mallory2');
  });

  test('UpdateGroup with NewGroupName or NewPath needs iam:UpdateGroup on the new ARN as well', async () => {
    await root.iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await root.iam.send(new CreateUserCommand({ UserName: 'trent' }));
    await root.iam.send(new PutUserPolicyCommand({ UserName: 'trent', PolicyName: 'g', PolicyDocument: doc([allow('iam:UpdateGroup', `arn:aws:iam::${account}:group/devs`)]) }));
    const trent = clientsFor(server.url, fromIam((await root.iam.send(new CreateAccessKeyCommand({ UserName: 'trent' }))).AccessKey));
    const renamed = await callError(() => trent.iam.send(new UpdateGroupCommand({ GroupName: 'devs', NewGroupName: 'admins' })));
    assert.equal(renamed.code, 'AccessDenied');
    assert.match(renamed.message, new RegExp(`on resource: arn:aws:iam::${account}:group/admins`));
    const moved = await callError(() => trent.iam.send(new UpdateGroupCommand({ GroupName: 'devs', NewPath: '/admin/' })));
    assert.match(moved.message, new RegExp(`on resource: arn:aws:iam::${account}:group/admin/devs`));
  });
});

describe('inline policy names', () => {
  test('a Deny put under the name __proto__ is stored and denies (not silently dropped)', async () => {
    await root.iam.send(new CreateUserCommand({ UserName: 'eve' }));
    await root.iam.send(new PutUserPolicyCommand({ UserName: 'eve', PolicyName: 'allow', PolicyDocument: doc([allow('iam:GetUser')]) }));
    const eve = clientsFor(server.url, fromIam((await root.iam.send(new CreateAccessKeyCommand({ UserName: 'eve' }))).AccessKey));
    await eve.iam.send(new GetUserCommand({}));
    const denyDoc = doc([{ Effect: 'Deny', Action: 'iam:GetUser', Resource: '*' }]);
    await root.iam.send(new PutUserPolicyCommand({ UserName: 'eve', PolicyName: '__proto__', PolicyDocument: denyDoc }));
    assert.deepEqual((await root.iam.send(new ListUserPoliciesCommand({ UserName: 'eve' }))).PolicyNames, ['allow', '__proto__']);
    assert.equal(decodeURIComponent((await root.iam.send(new GetUserPolicyCommand({ UserName: 'eve', PolicyName: '__proto__' }))).PolicyDocument!), denyDoc);
    assert.equal((await callError(() => eve.iam.send(new GetUserCommand({})))).code, 'AccessDenied');
    await root.iam.send(new DeleteUserPolicyCommand({ UserName: 'eve', PolicyName: '__proto__' }));
    await eve.iam.send(new GetUserCommand({}));
  });
});

describe('transitive session tags', () => {
  test('a transitive tag keyed __proto__ is carried on and cannot be changed down the chain', async () => {
    const tagTrust = doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]);
    await root.iam.send(new CreateRoleCommand({ RoleName: 'chain', AssumeRolePolicyDocument: tagTrust }));
    await root.iam.send(new PutRolePolicyCommand({ RoleName: 'chain', PolicyName: 'sts', PolicyDocument: doc([allow(['sts:AssumeRole', 'sts:TagSession'])]) }));
    // A user begins the chain: the root may not assume roles.
    await root.iam.send(new CreateUserCommand({ UserName: 'chainer' }));
    await root.iam.send(new PutUserPolicyCommand({ UserName: 'chainer', PolicyName: 'sts', PolicyDocument: doc([allow(['sts:AssumeRole', 'sts:TagSession'])]) }));
    const chainer = clientsFor(server.url, fromIam((await root.iam.send(new CreateAccessKeyCommand({ UserName: 'chainer' }))).AccessKey));
    const first = await chainer.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/chain`, RoleSessionName: 'one', Tags: [{ Key: '__proto__', Value: 'a' }], TransitiveTagKeys: ['__proto__'] }),
    );
    const one = clientsFor(server.url, fromSts(first.Credentials));
    const e = await callError(() => one.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/chain`, RoleSessionName: 'two', Tags: [{ Key: '__proto__', Value: 'b' }] })));
    assert.equal(e.code, 'InvalidParameterValue');
  });
});

describe('GetAccessKeyLastUsed', () => {
  test('is authorized on the key owner: a user allowed it on itself sees its own key, not the root\'s', async () => {
    await root.iam.send(new CreateUserCommand({ UserName: 'auditor' }));
    const own = `arn:aws:iam::${account}:user/auditor`;
    await root.iam.send(new PutUserPolicyCommand({ UserName: 'auditor', PolicyName: 'self', PolicyDocument: doc([allow('iam:GetAccessKeyLastUsed', own)]) }));
    const key = (await root.iam.send(new CreateAccessKeyCommand({ UserName: 'auditor' }))).AccessKey!;
    const auditor = clientsFor(server.url, fromIam(key));
    const mine = await auditor.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
    assert.equal(mine.UserName, 'auditor');
    const e = await callError(() => auditor.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: server.credentials().accessKeyId })));
    assert.equal(e.code, 'AccessDenied');
    assert.match(e.message, new RegExp(`on resource: arn:aws:iam::${account}:root because no identity-based policy allows`));
  });
});
