// IAM with @aws-sdk/client-iam against a signed-mode server, as the account's root (the bootstrap
// credentials): users, access keys, inline and managed policies, roles, groups, the errors IAM
// answers with, and the authorization of IAM itself by the caller's identity policies.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SetDefaultPolicyVersionCommand,
  UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { allow, callError, clientsFor, deny, destroyClients, doc, fromIam } from '../helpers/identity-clients.js';
import { startServer, type TestServer } from '../helpers/start-server.js';

const INVALID_TOKEN = 'The security token included in the request is invalid.';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

let server: TestServer;
let iam: IAMClient;
let account: string;

before(async () => {
  server = await startServer({ dev: false });
  iam = clientsFor(server.url, server.credentials()).iam;
  account = /"accountId":"(\d{12})"/.exec(server.output())![1]!;
});
after(async () => {
  destroyClients();
  await server?.stop();
});

const POLICY = doc([allow('kms:Encrypt')]);
const TRUST = (principal: string) => doc([{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }]);

describe('users', () => {
  test('create with tags and path, get, rename, delete', async () => {
    const created = (await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'crypto' }] }))).User!;
    assert.equal(created.UserName, 'alice');
    assert.equal(created.Path, '/eng/');
    assert.equal(created.Arn, `arn:aws:iam::${account}:user/eng/alice`);
    assert.match(created.UserId!, /^AIDA[A-Z0-9]{16,}$/);
    assert.deepEqual(created.Tags, [{ Key: 'team', Value: 'crypto' }]);
    assert.ok(created.CreateDate instanceof Date);
    assert.equal(created.CreateDate.getMilliseconds(), 0);

    const got = (await iam.send(new GetUserCommand({ UserName: 'ALICE' }))).User!;
    assert.equal(got.UserName, 'alice');
    assert.equal(got.UserId, created.UserId);
    assert.deepEqual(got.Tags, [{ Key: 'team', Value: 'crypto' }]);

    await iam.send(new UpdateUserCommand({ UserName: 'alice', NewUserName: 'alice2', NewPath: '/ops/' }));
    const renamed = (await iam.send(new GetUserCommand({ UserName: 'alice2' }))).User!;
    assert.equal(renamed.Arn, `arn:aws:iam::${account}:user/ops/alice2`);
    assert.equal(renamed.UserId, created.UserId);
    const gone = await callError(() => iam.send(new GetUserCommand({ UserName: 'alice' })));
    assert.deepEqual(gone, { code: 'NoSuchEntity', name: 'NoSuchEntityException', message: 'The user with name alice cannot be found.', status: 404 });

    await iam.send(new DeleteUserCommand({ UserName: 'alice2' }));
    assert.equal((await callError(() => iam.send(new DeleteUserCommand({ UserName: 'alice2' })))).code, 'NoSuchEntity');
  });

  test('EntityAlreadyExists, also without regard to case', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'Bob' }));
    for (const name of ['Bob', 'bob']) {
      const e = await callError(() => iam.send(new CreateUserCommand({ UserName: name })));
      assert.deepEqual(e, { code: 'EntityAlreadyExists', name: 'EntityAlreadyExistsException', message: `User with name ${name} already exists.`, status: 409 });
    }
    await iam.send(new DeleteUserCommand({ UserName: 'bob' }));
  });

  test('list with MaxItems and Marker, by name, with PathPrefix', async () => {
    const names = ['u-c', 'u-a', 'u-e', 'u-b', 'u-d'];
    for (const n of names) await iam.send(new CreateUserCommand({ UserName: n, Path: '/paged/' }));
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iam.send(new ListUsersCommand({ PathPrefix: '/paged/', MaxItems: 2, ...(marker && { Marker: marker }) }));
      pages++;
      seen.push(...page.Users!.map((u) => u.UserName!));
      assert.equal(page.IsTruncated, page.Marker !== undefined);
      marker = page.Marker;
    } while (marker);
    assert.equal(pages, 3);
    assert.deepEqual(seen, ['u-a', 'u-b', 'u-c', 'u-d', 'u-e']);
    const bad = await callError(() => iam.send(new ListUsersCommand({ Marker: 'not-a-marker' })));
    assert.equal(bad.code, 'InvalidInput');
    for (const n of names) await iam.send(new DeleteUserCommand({ UserName: n }));
  });

  test('DeleteUser refuses while access keys, inline policies, attached policies or groups remain', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'sticky' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'sticky' }))).AccessKey!;
    await iam.send(new PutUserPolicyCommand({ UserName: 'sticky', PolicyName: 'inline', PolicyDocument: POLICY }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'sticky', PolicyArn: ADMIN }));
    await iam.send(new CreateGroupCommand({ GroupName: 'sticky-group' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'sticky-group', UserName: 'sticky' }));
    const conflict = async (message: string) => {
      const e = await callError(() => iam.send(new DeleteUserCommand({ UserName: 'sticky' })));
      assert.deepEqual(e, { code: 'DeleteConflict', name: 'DeleteConflictException', message, status: 409 });
    };
    await conflict('Cannot delete entity, must delete access keys first.');
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'sticky', AccessKeyId: key.AccessKeyId }));
    await conflict('Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'sticky', PolicyName: 'inline' }));
    await conflict('Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachUserPolicyCommand({ UserName: 'sticky', PolicyArn: ADMIN }));
    await conflict('Cannot delete entity, must remove users from group first.');
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'sticky-group', UserName: 'sticky' }));
    await iam.send(new DeleteUserCommand({ UserName: 'sticky' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'sticky-group' }));
  });
});

describe('access keys', () => {
  test('the secret is shown once; Inactive and deleted keys are refused at once; a third key is over the limit', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'keyed' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'keyed', PolicyName: 'list', PolicyDocument: doc([allow('kms:ListKeys')]) }));
    const k1 = (await iam.send(new CreateAccessKeyCommand({ UserName: 'keyed' }))).AccessKey!;
    assert.match(k1.AccessKeyId!, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(k1.SecretAccessKey!.length, 40);
    assert.equal(k1.Status, 'Active');
    assert.equal(k1.UserName, 'keyed');
    const k2 = (await iam.send(new CreateAccessKeyCommand({ UserName: 'keyed' }))).AccessKey!;
    const third = await callError(() => iam.send(new CreateAccessKeyCommand({ UserName: 'keyed' })));
    assert.deepEqual(third, { code: 'LimitExceeded', name: 'LimitExceededException', message: 'Cannot exceed quota for AccessKeysPerUser: 2', status: 409 });

    const listed = (await iam.send(new ListAccessKeysCommand({ UserName: 'keyed' }))).AccessKeyMetadata!;
    assert.deepEqual(listed.map((k) => k.AccessKeyId).sort(), [k1.AccessKeyId, k2.AccessKeyId].sort());
    for (const k of listed) {
      assert.equal(k.Status, 'Active');
      assert.equal((k as Record<string, unknown>).SecretAccessKey, undefined);
    }

    const kms1 = clientsFor(server.url, fromIam(k1)).kms;
    await kms1.send(new ListKeysCommand({}));
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'keyed', AccessKeyId: k1.AccessKeyId, Status: 'Inactive' }));
    assert.equal((await iam.send(new ListAccessKeysCommand({ UserName: 'keyed' }))).AccessKeyMetadata!.find((k) => k.AccessKeyId === k1.AccessKeyId)!.Status, 'Inactive');
    assert.deepEqual(await callError(() => kms1.send(new ListKeysCommand({}))), {
      code: 'UnrecognizedClientException',
      name: 'UnrecognizedClientException',
      message: INVALID_TOKEN,
      status: 400,
    });
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'keyed', AccessKeyId: k1.AccessKeyId, Status: 'Active' }));
    await kms1.send(new ListKeysCommand({}));

    const kms2 = clientsFor(server.url, fromIam(k2)).kms;
    await kms2.send(new ListKeysCommand({}));
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'keyed', AccessKeyId: k2.AccessKeyId }));
    assert.equal((await callError(() => kms2.send(new ListKeysCommand({})))).code, 'UnrecognizedClientException');
    const again = await callError(() => iam.send(new DeleteAccessKeyCommand({ UserName: 'keyed', AccessKeyId: k2.AccessKeyId })));
    assert.deepEqual(again, { code: 'NoSuchEntity', name: 'NoSuchEntityException', message: `The Access Key with id ${k2.AccessKeyId} cannot be found.`, status: 404 });

    await iam.send(new DeleteAccessKeyCommand({ UserName: 'keyed', AccessKeyId: k1.AccessKeyId }));
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'keyed', PolicyName: 'list' }));
    await iam.send(new DeleteUserCommand({ UserName: 'keyed' }));
  });
});

describe('inline policies', () => {
  const cases = [
    { kind: 'user', create: () => iam.send(new CreateUserCommand({ UserName: 'ip-user' })), name: 'ip-user' },
    { kind: 'role', create: () => iam.send(new CreateRoleCommand({ RoleName: 'ip-role', AssumeRolePolicyDocument: TRUST(`arn:aws:iam::${account}:root`) })), name: 'ip-role' },
    { kind: 'group', create: () => iam.send(new CreateGroupCommand({ GroupName: 'ip-group' })), name: 'ip-group' },
  ] as const;
  for (const c of cases) {
    test(`${c.kind}: put, get (URL-encoded as IAM returns it), list, delete`, async () => {
      await c.create();
      const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'A b', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' }] }, null, 2);
      const put = (PolicyName: string, PolicyDocument: string) =>
        c.kind === 'user'
          ? iam.send(new PutUserPolicyCommand({ UserName: c.name, PolicyName, PolicyDocument }))
          : c.kind === 'role'
            ? iam.send(new PutRolePolicyCommand({ RoleName: c.name, PolicyName, PolicyDocument }))
            : iam.send(new PutGroupPolicyCommand({ GroupName: c.name, PolicyName, PolicyDocument }));
      const get = (PolicyName: string) =>
        c.kind === 'user'
          ? iam.send(new GetUserPolicyCommand({ UserName: c.name, PolicyName }))
          : c.kind === 'role'
            ? iam.send(new GetRolePolicyCommand({ RoleName: c.name, PolicyName }))
            : iam.send(new GetGroupPolicyCommand({ GroupName: c.name, PolicyName }));
      const list = async () =>
        (c.kind === 'user'
          ? await iam.send(new ListUserPoliciesCommand({ UserName: c.name }))
          : c.kind === 'role'
            ? await iam.send(new ListRolePoliciesCommand({ RoleName: c.name }))
            : await iam.send(new ListGroupPoliciesCommand({ GroupName: c.name }))
        ).PolicyNames;
      const del = (PolicyName: string) =>
        c.kind === 'user'
          ? iam.send(new DeleteUserPolicyCommand({ UserName: c.name, PolicyName }))
          : c.kind === 'role'
            ? iam.send(new DeleteRolePolicyCommand({ RoleName: c.name, PolicyName }))
            : iam.send(new DeleteGroupPolicyCommand({ GroupName: c.name, PolicyName }));

      await put('first', text);
      await put('second', POLICY);
      const got = await get('first');
      assert.equal(got.PolicyName, 'first');
      assert.notEqual(got.PolicyDocument, text);
      assert.equal(decodeURIComponent(got.PolicyDocument!), text);
      assert.deepEqual(await list(), ['first', 'second']);
      await put('first', POLICY);
      assert.equal(decodeURIComponent((await get('first')).PolicyDocument!), POLICY);

      const malformed = await callError(() => put('bad', '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"kms:*","Resource":"*"}]}'));
      assert.equal(malformed.code, 'MalformedPolicyDocument');
      assert.equal(malformed.status, 400);
      assert.equal((await callError(() => put('bad', 'not json'))).code, 'MalformedPolicyDocument');

      await del('first');
      await del('second');
      assert.deepEqual(await list(), []);
      const missing = await callError(() => get('first'));
      assert.deepEqual(missing, { code: 'NoSuchEntity', name: 'NoSuchEntityException', message: `The ${c.kind} policy with name first cannot be found.`, status: 404 });
      assert.equal((await callError(() => del('first'))).message, `The ${c.kind} policy with name first cannot be found.`);

      if (c.kind === 'user') await iam.send(new DeleteUserCommand({ UserName: c.name }));
      if (c.kind === 'role') await iam.send(new DeleteRoleCommand({ RoleName: c.name }));
      if (c.kind === 'group') await iam.send(new DeleteGroupCommand({ GroupName: c.name }));
    });
  }

  test('on an entity that does not exist: NoSuchEntity naming it', async () => {
    assert.equal((await callError(() => iam.send(new PutUserPolicyCommand({ UserName: 'nobody', PolicyName: 'p', PolicyDocument: POLICY })))).message, 'The user with name nobody cannot be found.');
    assert.equal((await callError(() => iam.send(new GetRolePolicyCommand({ RoleName: 'norole', PolicyName: 'p' })))).message, 'The role with name norole cannot be found.');
    assert.equal((await callError(() => iam.send(new ListGroupPoliciesCommand({ GroupName: 'nogroup' })))).message, 'The group with name nogroup cannot be found.');
  });
});

describe('roles', () => {
  test('create with a trust policy without Resource, get, list, update the trust policy, delete', async () => {
    const trust = TRUST(`arn:aws:iam::${account}:root`);
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'app', Path: '/svc/', AssumeRolePolicyDocument: trust, Description: 'the app', MaxSessionDuration: 7200 }))).Role!;
    assert.equal(role.Arn, `arn:aws:iam::${account}:role/svc/app`);
    assert.match(role.RoleId!, /^AROA[A-Z0-9]{16,}$/);
    assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), trust);
    assert.equal(role.MaxSessionDuration, 7200);
    const got = (await iam.send(new GetRoleCommand({ RoleName: 'app' }))).Role!;
    assert.equal(got.RoleId, role.RoleId);
    assert.equal(got.Description, 'the app');
    assert.ok((await iam.send(new ListRolesCommand({ PathPrefix: '/svc/' }))).Roles!.some((r) => r.RoleName === 'app'));

    const trust2 = TRUST(`arn:aws:iam::${account}:user/someone`);
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'app', PolicyDocument: trust2 }));
    assert.equal(decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: 'app' }))).Role!.AssumeRolePolicyDocument!), trust2);
    // A trust policy must name a principal.
    const noPrincipal = await callError(() => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'app', PolicyDocument: doc([allow('sts:AssumeRole')]) })));
    assert.equal(noPrincipal.code, 'MalformedPolicyDocument');

    const dup = await callError(() => iam.send(new CreateRoleCommand({ RoleName: 'APP', AssumeRolePolicyDocument: trust })));
    assert.deepEqual(dup, { code: 'EntityAlreadyExists', name: 'EntityAlreadyExistsException', message: 'Role with name APP already exists.', status: 409 });

    await iam.send(new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'p', PolicyDocument: POLICY }));
    assert.equal((await callError(() => iam.send(new DeleteRoleCommand({ RoleName: 'app' })))).message, 'Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'app', PolicyName: 'p' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'app' }));
    assert.deepEqual(await callError(() => iam.send(new GetRoleCommand({ RoleName: 'app' }))), {
      code: 'NoSuchEntity',
      name: 'NoSuchEntityException',
      message: 'The role with name app cannot be found.',
      status: 404,
    });
  });
});

describe('managed policies', () => {
  test('versions v1..v5 then LimitExceeded; default version; deleting versions and the policy', async () => {
    const policy = (await iam.send(new CreatePolicyCommand({ PolicyName: 'versioned', PolicyDocument: doc([allow('kms:Encrypt')]), Description: 'd' }))).Policy!;
    assert.equal(policy.Arn, `arn:aws:iam::${account}:policy/versioned`);
    assert.equal(policy.DefaultVersionId, 'v1');
    assert.equal(policy.AttachmentCount, 0);
    const arn = policy.Arn!;
    const dupe = await callError(() => iam.send(new CreatePolicyCommand({ PolicyName: 'VERSIONED', PolicyDocument: POLICY })));
    assert.deepEqual(dupe, { code: 'EntityAlreadyExists', name: 'EntityAlreadyExistsException', message: 'A policy called VERSIONED already exists. Duplicate names are not allowed.', status: 409 });

    for (let v = 2; v <= 5; v++) {
      const created = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc([allow(`kms:Action${v}`)]) }))).PolicyVersion!;
      assert.equal(created.VersionId, `v${v}`);
      assert.equal(created.IsDefaultVersion, false);
    }
    const sixth = await callError(() => iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: POLICY })));
    assert.deepEqual(sixth, {
      code: 'LimitExceeded',
      name: 'LimitExceededException',
      message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      status: 409,
    });
    assert.deepEqual((await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [
      ['v5', false],
      ['v4', false],
      ['v3', false],
      ['v2', false],
      ['v1', true],
    ]);
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, 'v3');
    const v3 = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }))).PolicyVersion!;
    assert.equal(decodeURIComponent(v3.Document!), doc([allow('kms:Action3')]));
    assert.equal(v3.IsDefaultVersion, true);

    const delDefault = await callError(() => iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })));
    assert.deepEqual(delDefault, { code: 'DeleteConflict', name: 'DeleteConflictException', message: 'Cannot delete the default version of a policy.', status: 409 });
    assert.equal((await callError(() => iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).code, 'DeleteConflict');
    for (const v of ['v1', 'v2', 'v4', 'v5']) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
    // Version ids are never reused.
    assert.equal((await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: POLICY, SetAsDefault: true }))).PolicyVersion!.VersionId, 'v6');
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    assert.deepEqual(await callError(() => iam.send(new GetPolicyCommand({ PolicyArn: arn }))), {
      code: 'NoSuchEntity',
      name: 'NoSuchEntityException',
      message: `Policy ${arn} does not exist or is not attachable.`,
      status: 404,
    });
    assert.equal((await callError(() => iam.send(new CreatePolicyCommand({ PolicyName: 'bad', PolicyDocument: '{"Statement":[]}' })))).code, 'MalformedPolicyDocument');
  });

  test('attach and detach to users, roles and groups; list-attached-* and list-entities-for-policy; AWS managed policies', async () => {
    const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'shared', PolicyDocument: POLICY }))).Policy!.Arn!;
    await iam.send(new CreateUserCommand({ UserName: 'att-user' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'att-role', AssumeRolePolicyDocument: TRUST(`arn:aws:iam::${account}:root`) }));
    await iam.send(new CreateGroupCommand({ GroupName: 'att-group' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'att-user', PolicyArn: arn }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'att-user', PolicyArn: ADMIN }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'att-role', PolicyArn: arn }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'att-group', PolicyArn: arn }));

    assert.deepEqual((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'att-user' }))).AttachedPolicies, [
      { PolicyName: 'shared', PolicyArn: arn },
      { PolicyName: 'AdministratorAccess', PolicyArn: ADMIN },
    ]);
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'att-role' }))).AttachedPolicies, [{ PolicyName: 'shared', PolicyArn: arn }]);
    assert.deepEqual((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'att-group' }))).AttachedPolicies, [{ PolicyName: 'shared', PolicyArn: arn }]);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    assert.deepEqual(entities.PolicyUsers!.map((u) => u.UserName), ['att-user']);
    assert.deepEqual(entities.PolicyRoles!.map((r) => r.RoleName), ['att-role']);
    assert.deepEqual(entities.PolicyGroups!.map((g) => g.GroupName), ['att-group']);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount, 3);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: ADMIN }))).Policy!.PolicyName, 'AdministratorAccess');

    const attached = await callError(() => iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
    assert.deepEqual(attached, { code: 'DeleteConflict', name: 'DeleteConflictException', message: 'Cannot delete a policy attached to entities.', status: 409 });
    const unknown = `arn:aws:iam::${account}:policy/nope`;
    assert.equal((await callError(() => iam.send(new AttachUserPolicyCommand({ UserName: 'att-user', PolicyArn: unknown })))).message, `Policy ${unknown} does not exist or is not attachable.`);

    await iam.send(new DetachUserPolicyCommand({ UserName: 'att-user', PolicyArn: arn }));
    await iam.send(new DetachUserPolicyCommand({ UserName: 'att-user', PolicyArn: ADMIN }));
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'att-role', PolicyArn: arn }));
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'att-group', PolicyArn: arn }));
    const notAttached = await callError(() => iam.send(new DetachGroupPolicyCommand({ GroupName: 'att-group', PolicyArn: arn })));
    assert.deepEqual(notAttached, { code: 'NoSuchEntity', name: 'NoSuchEntityException', message: `Policy ${arn} was not found.`, status: 404 });
    const none = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    assert.equal(none.PolicyUsers!.length + none.PolicyRoles!.length + none.PolicyGroups!.length, 0);
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await iam.send(new DeleteUserCommand({ UserName: 'att-user' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'att-role' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'att-group' }));
  });
});

describe('groups', () => {
  test('create, add and remove members, get-group lists them, list-groups-for-user', async () => {
    const group = (await iam.send(new CreateGroupCommand({ GroupName: 'devs', Path: '/team/' }))).Group!;
    assert.equal(group.Arn, `arn:aws:iam::${account}:group/team/devs`);
    assert.match(group.GroupId!, /^AGPA/);
    assert.equal((await callError(() => iam.send(new CreateGroupCommand({ GroupName: 'DEVS' })))).message, 'Group with name DEVS already exists.');
    await iam.send(new CreateGroupCommand({ GroupName: 'ops' }));
    await iam.send(new CreateUserCommand({ UserName: 'm1' }));
    await iam.send(new CreateUserCommand({ UserName: 'm2' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'm1' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'm2' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'ops', UserName: 'm1' }));
    const got = await iam.send(new GetGroupCommand({ GroupName: 'devs' }));
    assert.equal(got.Group!.GroupName, 'devs');
    assert.deepEqual(got.Users!.map((u) => u.UserName), ['m1', 'm2']);
    assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'm1' }))).Groups!.map((g) => g.GroupName).sort(), ['devs', 'ops']);
    assert.equal((await callError(() => iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'ghost' })))).message, 'The user with name ghost cannot be found.');
    assert.equal((await callError(() => iam.send(new AddUserToGroupCommand({ GroupName: 'ghosts', UserName: 'm1' })))).message, 'The group with name ghosts cannot be found.');
    const nonEmpty = await callError(() => iam.send(new DeleteGroupCommand({ GroupName: 'devs' })));
    assert.deepEqual(nonEmpty, { code: 'DeleteConflict', name: 'DeleteConflictException', message: 'Cannot delete entity, must remove users from group first.', status: 409 });
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'm1' }));
    assert.deepEqual((await iam.send(new GetGroupCommand({ GroupName: 'devs' }))).Users!.map((u) => u.UserName), ['m2']);
    assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'm1' }))).Groups!.map((g) => g.GroupName), ['ops']);
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'm2' }));
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'ops', UserName: 'm1' }));
    for (const g of ['devs', 'ops']) await iam.send(new DeleteGroupCommand({ GroupName: g }));
    for (const u of ['m1', 'm2']) await iam.send(new DeleteUserCommand({ UserName: u }));
  });
});

describe('authorization of IAM by identity policies', () => {
  test('no policy: AccessDenied (403); an Allow for iam:CreateUser works; an explicit Deny wins', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'limited' }));
    const limited = clientsFor(server.url, fromIam((await iam.send(new CreateAccessKeyCommand({ UserName: 'limited' }))).AccessKey)).iam;
    const userArn = `arn:aws:iam::${account}:user/limited`;
    const target = `arn:aws:iam::${account}:user/made-by-limited`;
    assert.deepEqual(await callError(() => limited.send(new CreateUserCommand({ UserName: 'made-by-limited' }))), {
      code: 'AccessDenied',
      name: 'AccessDenied',
      message: `User: ${userArn} is not authorized to perform: iam:CreateUser on resource: ${target} because no identity-based policy allows the iam:CreateUser action`,
      status: 403,
    });
    await iam.send(new PutUserPolicyCommand({ UserName: 'limited', PolicyName: 'create', PolicyDocument: doc([allow('iam:CreateUser', `arn:aws:iam::${account}:user/made-by-*`)]) }));
    assert.equal((await limited.send(new CreateUserCommand({ UserName: 'made-by-limited' }))).User!.Arn, target);
    // Allowed on made-by-* only.
    assert.equal((await callError(() => limited.send(new CreateUserCommand({ UserName: 'other' })))).code, 'AccessDenied');
    // Nothing else was granted.
    assert.equal((await callError(() => limited.send(new DeleteUserCommand({ UserName: 'made-by-limited' })))).code, 'AccessDenied');

    await iam.send(new PutUserPolicyCommand({ UserName: 'limited', PolicyName: 'deny', PolicyDocument: doc([deny('iam:*')]) }));
    assert.deepEqual(await callError(() => limited.send(new CreateUserCommand({ UserName: 'made-by-limited-2' }))), {
      code: 'AccessDenied',
      name: 'AccessDenied',
      message: `User: ${userArn} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${account}:user/made-by-limited-2 with an explicit deny in an identity-based policy`,
      status: 403,
    });
  });
});
