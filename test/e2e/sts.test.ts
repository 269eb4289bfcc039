// STS with @aws-sdk/client-sts and the aws CLI against a --dev server (the access key id names the
// account's root; keys IAM made name their users; temporary credentials are checked as in signed
// mode: token, expiry). GetCallerIdentity, AssumeRole (trust policies, identity policies, across
// accounts, session tags, ExternalId, session policies), GetSessionToken, expiry by the dev clock.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetUserCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { allow, callError, clientsFor, destroyClients, doc, fromIam, fromSts, type Clients, type Credentials, awsCli } from '../helpers/identity-clients.js';
import { startServer, type TestServer } from '../helpers/start-server.js';

const A = '111122223333';
const B = '444455556666';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED = 'The security token included in the request is expired';

let server: TestServer;
let rootA: Clients;
let rootB: Clients;
/** bob in A, with no policy of his own unless a test gives him one. */
let bobCreds: Credentials;
let bob: Clients;
let bobId: string;

const trust = (principal: string, extra: Record<string, unknown> = {}) => doc([{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', ...extra }]);
const roleArnOf = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const bobArn = `arn:aws:iam::${A}:user/bob`;

before(async () => {
  server = await startServer();
  rootA = clientsFor(server.url, { accessKeyId: A, secretAccessKey: 'x' });
  rootB = clientsFor(server.url, { accessKeyId: B, secretAccessKey: 'x' });
  bobId = (await rootA.iam.send(new CreateUserCommand({ UserName: 'bob' }))).User!.UserId!;
  bobCreds = fromIam((await rootA.iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey);
  bob = clientsFor(server.url, bobCreds);
});
after(async () => {
  destroyClients();
  await server?.stop();
});

async function assume(who: Clients, roleArn: string, extra: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}) {
  return who.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess', ...extra }));
}

function cli(args: readonly string[], creds: Credentials): Promise<{ code: number; stdout: string; stderr: string }> {
  return awsCli(server.url, args, creds);
}

describe('GetCallerIdentity', () => {
  test('root, user and role session', async () => {
    assert.deepEqual(
      { ...(await rootA.sts.send(new GetCallerIdentityCommand({}))), $metadata: undefined },
      { UserId: A, Account: A, Arn: `arn:aws:iam::${A}:root`, $metadata: undefined },
    );
    const me = await bob.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.UserId, bobId);
    assert.match(me.UserId!, /^AIDA/);
    assert.equal(me.Arn, bobArn);
    assert.equal(me.Account, A);

    const role = (await rootA.iam.send(new CreateRoleCommand({ RoleName: 'who', AssumeRolePolicyDocument: trust(bobArn) }))).Role!;
    const session = await assume(bob, role.Arn!, { RoleSessionName: 'who-session' });
    assert.equal(session.AssumedRoleUser!.Arn, `arn:aws:sts::${A}:assumed-role/who/who-session`);
    assert.equal(session.AssumedRoleUser!.AssumedRoleId, `${role.RoleId}:who-session`);
    const asRole = await clientsFor(server.url, fromSts(session.Credentials)).sts.send(new GetCallerIdentityCommand({}));
    assert.equal(asRole.UserId, `${role.RoleId}:who-session`);
    assert.match(asRole.UserId!, /^AROA[A-Z0-9]+:who-session$/);
    assert.equal(asRole.Arn, `arn:aws:sts::${A}:assumed-role/who/who-session`);
    assert.equal(asRole.Account, A);
  });

  test('the aws CLI: get-caller-identity and assume-role', async () => {
    const id = await cli(['sts', 'get-caller-identity'], bobCreds);
    assert.equal(id.code, 0, id.stderr);
    assert.deepEqual(JSON.parse(id.stdout), { UserId: bobId, Account: A, Arn: bobArn });
    const assumed = await cli(['sts', 'assume-role', '--role-arn', roleArnOf(A, 'who'), '--role-session-name', 'cli'], bobCreds);
    assert.equal(assumed.code, 0, assumed.stderr);
    const out = JSON.parse(assumed.stdout) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string }; AssumedRoleUser: { Arn: string } };
    assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${A}:assumed-role/who/cli`);
    assert.match(out.Credentials.AccessKeyId, /^ASIA/);
    const creds = fromSts(out.Credentials);
    const asRole = await cli(['sts', 'get-caller-identity'], creds);
    assert.equal(JSON.parse(asRole.stdout).Arn, `arn:aws:sts::${A}:assumed-role/who/cli`);
    const denied = await cli(['sts', 'assume-role', '--role-arn', roleArnOf(A, 'nope'), '--role-session-name', 'cli'], bobCreds);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /An error occurred \(AccessDenied\) when calling the AssumeRole operation: User: arn:aws:iam::111122223333:user\/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role\/nope/);
  });
});

describe('AssumeRole', () => {
  test('same account: a trust policy naming the user needs no identity policy; one naming the account root does', async () => {
    await rootA.iam.send(new CreateRoleCommand({ RoleName: 'direct', AssumeRolePolicyDocument: trust(bobArn) }));
    await assume(bob, roleArnOf(A, 'direct'));
    await rootA.iam.send(new CreateRoleCommand({ RoleName: 'via-root', AssumeRolePolicyDocument: trust(`arn:aws:iam::${A}:root`) }));
    const denied = await callError(() => assume(bob, roleArnOf(A, 'via-root')));
    assert.deepEqual(denied, {
      code: 'AccessDenied',
      name: 'AccessDenied',
      message: `User: ${bobArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArnOf(A, 'via-root')}`,
      status: 403,
    });
    await rootA.iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'assume', PolicyDocument: doc([allow('sts:AssumeRole', roleArnOf(A, 'via-root'))]) }));
    await assume(bob, roleArnOf(A, 'via-root'));
    // A role that does not exist is refused like one the caller may not assume.
    assert.equal((await callError(() => assume(bob, roleArnOf(A, 'missing')))).code, 'AccessDenied');
    await rootA.iam.send(new DeleteUserPolicyCommand({ UserName: 'bob', PolicyName: 'assume' }));
    assert.equal((await callError(() => assume(bob, roleArnOf(A, 'via-root')))).code, 'AccessDenied');
  });

  test('across accounts both sides must allow: remove either and it is AccessDenied', async () => {
    await rootB.iam.send(new CreateRoleCommand({ RoleName: 'for-a', AssumeRolePolicyDocument: trust(`arn:aws:iam::${A}:root`) }));
    const target = roleArnOf(B, 'for-a');
    // B trusts A, but A has not allowed bob.
    assert.equal((await callError(() => assume(bob, target))).message, `User: ${bobArn} is not authorized to perform: sts:AssumeRole on resource: ${target}`);
    await rootA.iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'cross', PolicyDocument: doc([allow('sts:AssumeRole', target)]) }));
    const session = await assume(bob, target);
    assert.equal(session.AssumedRoleUser!.Arn, `arn:aws:sts::${B}:assumed-role/for-a/sess`);
    assert.equal((await clientsFor(server.url, fromSts(session.Credentials)).sts.send(new GetCallerIdentityCommand({}))).Account, B);
    // B stops trusting A.
    await rootB.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'for-a', PolicyDocument: trust(`arn:aws:iam::${B}:root`) }));
    assert.equal((await callError(() => assume(bob, target))).code, 'AccessDenied');
    // Even a trust policy naming bob directly needs A's permission across accounts.
    await rootB.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'for-a', PolicyDocument: trust(bobArn) }));
    await assume(bob, target);
    await rootA.iam.send(new DeleteUserPolicyCommand({ UserName: 'bob', PolicyName: 'cross' }));
    assert.equal((await callError(() => assume(bob, target))).code, 'AccessDenied');
  });

  test('DurationSeconds over the role MaxSessionDuration or under 900: ValidationError', async () => {
    const arn = roleArnOf(A, 'direct');
    assert.deepEqual(await callError(() => assume(bob, arn, { DurationSeconds: 3601 })), {
      code: 'ValidationError',
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      status: 400,
    });
    const expiry = (await assume(bob, arn, { DurationSeconds: 900 })).Credentials!.Expiration!;
    assert.ok(Math.abs(expiry.getTime() - Date.now() - 900_000) < 5_000);
    assert.equal((await callError(() => assume(bob, arn, { DurationSeconds: 899 }))).code, 'ValidationError');
  });

  test('role credentials with KMS: the key policy decides, AccessDenied names the assumed-role ARN', async () => {
    await rootA.iam.send(new CreateRoleCommand({ RoleName: 'kms-user', AssumeRolePolicyDocument: trust(bobArn) }));
    await rootA.iam.send(new PutRolePolicyCommand({ RoleName: 'kms-user', PolicyName: 'enc', PolicyDocument: doc([allow(['kms:Encrypt', 'kms:DescribeKey'])]) }));
    const key = (await rootA.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const session = clientsFor(server.url, fromSts((await assume(bob, roleArnOf(A, 'kms-user'), { RoleSessionName: 'worker' })).Credentials));
    const enc = await session.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    assert.equal(enc.KeyId, key.Arn);
    assert.deepEqual(await callError(() => session.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))), {
      code: 'AccessDeniedException',
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${A}:assumed-role/kms-user/worker is not authorized to perform: kms:Decrypt on resource: ${key.Arn} because no identity-based policy allows the kms:Decrypt action`,
      status: 400,
    });
  });

  test('session tags are aws:PrincipalTag in a key policy condition', async () => {
    await rootA.iam.send(
      new CreateRoleCommand({ RoleName: 'tagged', AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: bobArn }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]) }),
    );
    const policy = doc([
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: roleArnOf(A, 'tagged') }, Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/project': 'blue' } } },
    ]);
    const key = (await rootA.kms.send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!;
    const blue = clientsFor(server.url, fromSts((await assume(bob, roleArnOf(A, 'tagged'), { Tags: [{ Key: 'project', Value: 'blue' }] })).Credentials));
    assert.equal((await blue.kms.send(new DescribeKeyCommand({ KeyId: key.Arn }))).KeyMetadata!.KeyId, key.KeyId);
    const red = clientsFor(server.url, fromSts((await assume(bob, roleArnOf(A, 'tagged'), { Tags: [{ Key: 'project', Value: 'red' }] })).Credentials));
    assert.equal((await callError(() => red.kms.send(new DescribeKeyCommand({ KeyId: key.Arn })))).code, 'AccessDeniedException');
    const untagged = clientsFor(server.url, fromSts((await assume(bob, roleArnOf(A, 'tagged'))).Credentials));
    assert.equal((await callError(() => untagged.kms.send(new DescribeKeyCommand({ KeyId: key.Arn })))).code, 'AccessDeniedException');
    // Tagging a session needs sts:TagSession in the trust policy.
    assert.equal((await callError(() => assume(bob, roleArnOf(A, 'direct'), { Tags: [{ Key: 'project', Value: 'blue' }] }))).message, `User: ${bobArn} is not authorized to perform: sts:TagSession on resource: ${roleArnOf(A, 'direct')}`);
  });

  test('an ExternalId condition in the trust policy', async () => {
    await rootA.iam.send(new CreateRoleCommand({ RoleName: 'external', AssumeRolePolicyDocument: trust(bobArn, { Condition: { StringEquals: { 'sts:ExternalId': 'secret-123' } } }) }));
    assert.equal((await callError(() => assume(bob, roleArnOf(A, 'external')))).code, 'AccessDenied');
    assert.equal((await callError(() => assume(bob, roleArnOf(A, 'external'), { ExternalId: 'wrong' }))).code, 'AccessDenied');
    await assume(bob, roleArnOf(A, 'external'), { ExternalId: 'secret-123' });
  });

  test('a session policy narrows what the role allows', async () => {
    const key = (await rootA.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const narrowed = clientsFor(
      server.url,
      fromSts((await assume(bob, roleArnOf(A, 'kms-user'), { RoleSessionName: 'narrow', Policy: doc([allow('kms:DescribeKey')]) })).Credentials),
    );
    await narrowed.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(await callError(() => narrowed.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }))), {
      code: 'AccessDeniedException',
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${A}:assumed-role/kms-user/narrow is not authorized to perform: kms:Encrypt on resource: ${key.Arn} because no session policy allows the kms:Encrypt action`,
      status: 400,
    });
    // A session policy cannot add what the role lacks.
    const wide = clientsFor(server.url, fromSts((await assume(bob, roleArnOf(A, 'kms-user'), { Policy: doc([allow('kms:*')]) })).Credentials));
    const enc = await wide.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    assert.equal((await callError(() => wide.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })))).code, 'AccessDeniedException');
    assert.equal((await callError(() => assume(bob, roleArnOf(A, 'kms-user'), { Policy: '{"Statement":' }))).code, 'MalformedPolicyDocument');
  });

  test('a tampered session token: UnrecognizedClientException from KMS, InvalidClientTokenId from STS', async () => {
    const creds = fromSts((await assume(bob, roleArnOf(A, 'kms-user'))).Credentials);
    const last = creds.sessionToken!.slice(-1);
    const tampered = clientsFor(server.url, { ...creds, sessionToken: creds.sessionToken!.slice(0, -1) + (last === 'A' ? 'B' : 'A') });
    assert.deepEqual(await callError(() => tampered.kms.send(new ListKeysCommand({}))), {
      code: 'UnrecognizedClientException',
      name: 'UnrecognizedClientException',
      message: INVALID_TOKEN,
      status: 400,
    });
    assert.deepEqual(await callError(() => tampered.sts.send(new GetCallerIdentityCommand({}))), {
      code: 'InvalidClientTokenId',
      name: 'InvalidClientTokenId',
      message: INVALID_TOKEN,
      status: 403,
    });
    // Without its token the temporary key is not a key at all.
    const bare = clientsFor(server.url, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey });
    assert.equal((await callError(() => bare.sts.send(new GetCallerIdentityCommand({})))).code, 'InvalidClientTokenId');
  });

  test('a deleted role: its sessions are allowed nothing', async () => {
    await rootA.iam.send(new CreateRoleCommand({ RoleName: 'doomed', AssumeRolePolicyDocument: trust(bobArn) }));
    await rootA.iam.send(new PutRolePolicyCommand({ RoleName: 'doomed', PolicyName: 'all', PolicyDocument: doc([allow('kms:*')]) }));
    const session = clientsFor(server.url, fromSts((await assume(bob, roleArnOf(A, 'doomed'), { RoleSessionName: 'ss' })).Credentials));
    await session.kms.send(new ListKeysCommand({}));
    await rootA.iam.send(new DeleteRolePolicyCommand({ RoleName: 'doomed', PolicyName: 'all' }));
    await rootA.iam.send(new DeleteRoleCommand({ RoleName: 'doomed' }));
    const denied = await callError(() => session.kms.send(new ListKeysCommand({})));
    assert.equal(denied.code, 'AccessDeniedException');
    assert.match(denied.message, new RegExp(`^User: arn:aws:sts::${A}:assumed-role/doomed/ss is not authorized to perform: kms:ListKeys on resource: \\*`));
    // A new role of the same name does not revive the old sessions.
    await rootA.iam.send(new CreateRoleCommand({ RoleName: 'doomed', AssumeRolePolicyDocument: trust(bobArn) }));
    await rootA.iam.send(new PutRolePolicyCommand({ RoleName: 'doomed', PolicyName: 'all', PolicyDocument: doc([allow('kms:*')]) }));
    assert.equal((await callError(() => session.kms.send(new ListKeysCommand({})))).code, 'AccessDeniedException');
  });
});

describe('AssumeRole refusals and source identity', () => {
  test('the root user may not assume roles, even one whose trust policy names its account', async () => {
    await rootA.iam.send(new CreateRoleCommand({ RoleName: 'not-for-root', AssumeRolePolicyDocument: trust(`arn:aws:iam::${A}:root`) }));
    const e = await callError(() => assume(rootA, roleArnOf(A, 'not-for-root')));
    assert.deepEqual([e.code, e.status, e.message], ['AccessDenied', 403, 'Roles may not be assumed by root accounts.']);
  });

  test('a source identity persists down a role chain and cannot be changed', async () => {
    const chainTrust = doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }]);
    await rootA.iam.send(new CreateRoleCommand({ RoleName: 'sourced', AssumeRolePolicyDocument: chainTrust }));
    await rootA.iam.send(new PutRolePolicyCommand({ RoleName: 'sourced', PolicyName: 'chain', PolicyDocument: doc([allow(['sts:AssumeRole', 'sts:SetSourceIdentity'])]) }));
    await rootA.iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'source', PolicyDocument: doc([allow(['sts:AssumeRole', 'sts:SetSourceIdentity'])]) }));
    try {
      const first = await assume(bob, roleArnOf(A, 'sourced'), { SourceIdentity: 'bob@example.com' });
      assert.equal(first.SourceIdentity, 'bob@example.com');
      const session = clientsFor(server.url, fromSts(first.Credentials));
      const second = await assume(session, roleArnOf(A, 'sourced'), { RoleSessionName: 'chained' });
      assert.equal(second.SourceIdentity, 'bob@example.com');
      const changed = await callError(() => assume(session, roleArnOf(A, 'sourced'), { RoleSessionName: 'chained', SourceIdentity: 'mallory' }));
      assert.equal(changed.code, 'InvalidParameterValue');
    } finally {
      await rootA.iam.send(new DeleteUserPolicyCommand({ UserName: 'bob', PolicyName: 'source' }));
    }
  });
});

describe('GetSessionToken', () => {
  test('works for a user; its credentials cannot call IAM or GetSessionToken', async () => {
    await rootA.iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'iam-read', PolicyDocument: doc([allow(['iam:GetUser', 'kms:ListKeys'])]) }));
    assert.equal((await bob.iam.send(new GetUserCommand({}))).User!.UserName, 'bob');
    const token = await bob.sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    assert.match(token.Credentials!.AccessKeyId!, /^ASIA/);
    const temp = clientsFor(server.url, fromSts(token.Credentials));
    assert.deepEqual({ ...(await temp.sts.send(new GetCallerIdentityCommand({}))), $metadata: undefined }, { UserId: bobId, Account: A, Arn: bobArn, $metadata: undefined });
    await temp.kms.send(new ListKeysCommand({}));
    // AWS answers IAM calls with GetSessionToken credentials (no MFA) as if the token were unknown
    // (aws/aws-sdk-js#460, cloudyr/aws.iam#15), and refuses a second GetSessionToken
    // (aws/aws-sdk-php#1876, aws/aws-sdk-js#3670).
    assert.deepEqual(await callError(() => temp.iam.send(new GetUserCommand({}))), { code: 'InvalidClientTokenId', name: 'InvalidClientTokenId', message: INVALID_TOKEN, status: 403 });
    assert.deepEqual(await callError(() => temp.sts.send(new GetSessionTokenCommand({}))), {
      code: 'AccessDenied',
      name: 'AccessDenied',
      message: 'Cannot call GetSessionToken with session credentials',
      status: 403,
    });
    // Role sessions are session credentials too.
    const role = clientsFor(server.url, fromSts((await assume(bob, roleArnOf(A, 'direct'))).Credentials));
    assert.equal((await callError(() => role.sts.send(new GetSessionTokenCommand({})))).message, 'Cannot call GetSessionToken with session credentials');
    assert.equal((await callError(() => bob.sts.send(new GetSessionTokenCommand({ DurationSeconds: 129_601 })))).code, 'ValidationError');
    await rootA.iam.send(new DeleteUserPolicyCommand({ UserName: 'bob', PolicyName: 'iam-read' }));
  });
});

describe('expiry (dev clock)', () => {
  test('expired credentials: ExpiredTokenException from KMS, ExpiredToken from STS', async () => {
    const session = clientsFor(server.url, fromSts((await assume(bob, roleArnOf(A, 'kms-user'), { DurationSeconds: 900 })).Credentials));
    const token = clientsFor(server.url, fromSts((await bob.sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials));
    await session.sts.send(new GetCallerIdentityCommand({}));
    assert.equal((await server.devPost('/_kms/clock', { advanceSeconds: 901 })).status, 200);
    for (const c of [session, token]) {
      assert.deepEqual(await callError(() => c.kms.send(new ListKeysCommand({}))), { code: 'ExpiredTokenException', name: 'ExpiredTokenException', message: EXPIRED, status: 400 });
      const sts = await callError(() => c.sts.send(new GetCallerIdentityCommand({})));
      assert.deepEqual({ code: sts.code, message: sts.message }, { code: 'ExpiredToken', message: EXPIRED });
    }
    // Long-term keys do not expire.
    assert.equal((await bob.sts.send(new GetCallerIdentityCommand({}))).Arn, bobArn);
  });
});
