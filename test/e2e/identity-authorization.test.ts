// KMS authorized by key policies together with the caller's IAM policies, for IAM users of an
// account, in signed mode (the bootstrap credentials are the account's root) and in --dev (the
// access key id names the account; keys IAM made name their users): the same scenarios, both ways.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutRolePolicyCommand,
  DeleteUserPolicyCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SetDefaultPolicyVersionCommand,
} from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, EncryptCommand, ListAliasesCommand, type KeyMetadata } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { allow, callError, clientsFor, deny, destroyClients, doc, fromIam, fromSts, type Clients } from '../helpers/identity-clients.js';
import { startServer, type TestServer } from '../helpers/start-server.js';

const REGION = 'us-east-1';

for (const mode of ['signed', 'dev'] as const) {
  describe(`${mode} mode`, () => {
    let server: TestServer;
    let account: string;
    let root: Clients;
    let n = 0;

    before(async () => {
      server = await startServer({ dev: mode === 'dev' });
      if (mode === 'signed') {
        account = /"accountId":"(\d{12})"/.exec(server.output())![1]!;
        root = clientsFor(server.url, server.credentials());
      } else {
        account = '123456789012';
        root = clientsFor(server.url, { accessKeyId: account, secretAccessKey: 'x' });
      }
    });
    after(async () => {
      destroyClients();
      await server?.stop();
    });

    /** A new user with an access key, and its clients. */
    async function newUser(): Promise<{ name: string; arn: string; c: Clients }> {
      const name = `user-${mode}-${++n}`;
      await root.iam.send(new CreateUserCommand({ UserName: name }));
      const c = clientsFor(server.url, fromIam((await root.iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey));
      return { name, arn: `arn:aws:iam::${account}:user/${name}`, c };
    }
    const newKey = async (policy?: string): Promise<KeyMetadata> => (await root.kms.send(new CreateKeyCommand(policy === undefined ? {} : { Policy: policy }))).KeyMetadata!;
    const encrypt = (c: Clients, key: KeyMetadata) => c.kms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x') }));
    const notAllowed = (who: string, action: string, resource: string) =>
      `User: ${who} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

    test('the default key policy delegates to IAM: Encrypt only with an IAM policy allowing kms:Encrypt', async () => {
      const u = await newUser();
      const key = await newKey();
      assert.deepEqual(await callError(() => encrypt(u.c, key)), {
        code: 'AccessDeniedException',
        name: 'AccessDeniedException',
        message: notAllowed(u.arn, 'kms:Encrypt', key.Arn!),
        status: 400,
      });
      await root.iam.send(new PutUserPolicyCommand({ UserName: u.name, PolicyName: 'enc', PolicyDocument: doc([allow('kms:Encrypt', key.Arn!)]) }));
      assert.equal((await encrypt(u.c, key)).KeyId, key.Arn);
      // Only that key, only that action.
      const other = await newKey();
      assert.equal((await callError(() => encrypt(u.c, other))).message, notAllowed(u.arn, 'kms:Encrypt', other.Arn!));
      assert.equal((await callError(() => u.c.kms.send(new DescribeKeyCommand({ KeyId: key.Arn })))).message, notAllowed(u.arn, 'kms:DescribeKey', key.Arn!));
      // Removing the policy takes effect on the next request.
      await root.iam.send(new DeleteUserPolicyCommand({ UserName: u.name, PolicyName: 'enc' }));
      assert.equal((await callError(() => encrypt(u.c, key))).code, 'AccessDeniedException');
    });

    test('CreateKey needs kms:CreateKey in IAM', async () => {
      const u = await newUser();
      assert.deepEqual(await callError(() => u.c.kms.send(new CreateKeyCommand({}))), {
        code: 'AccessDeniedException',
        name: 'AccessDeniedException',
        message: notAllowed(u.arn, 'kms:CreateKey', '*'),
        status: 400,
      });
      await root.iam.send(new PutUserPolicyCommand({ UserName: u.name, PolicyName: 'create', PolicyDocument: doc([allow('kms:CreateKey')]) }));
      const key = (await u.c.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      assert.equal(key.AWSAccountId, account);
    });

    test('CreateAlias needs kms:CreateAlias on the alias ARN in IAM and on the key', async () => {
      const u = await newUser();
      const key = await newKey();
      const alias = `alias/${mode}-ident-${n}`;
      const aliasArn = `arn:aws:kms:${REGION}:${account}:${alias}`;
      const create = () => u.c.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyId }));
      await root.iam.send(new PutUserPolicyCommand({ UserName: u.name, PolicyName: 'alias', PolicyDocument: doc([allow('kms:CreateAlias', key.Arn!)]) }));
      assert.equal((await callError(create)).message, notAllowed(u.arn, 'kms:CreateAlias', aliasArn));
      await root.iam.send(new PutUserPolicyCommand({ UserName: u.name, PolicyName: 'alias', PolicyDocument: doc([allow('kms:CreateAlias', aliasArn)]) }));
      assert.equal((await callError(create)).message, notAllowed(u.arn, 'kms:CreateAlias', key.Arn!));
      await root.iam.send(new PutUserPolicyCommand({ UserName: u.name, PolicyName: 'alias', PolicyDocument: doc([allow('kms:CreateAlias', [aliasArn, key.Arn!])]) }));
      await create();
      assert.ok((await root.kms.send(new ListAliasesCommand({ KeyId: key.KeyId }))).Aliases!.some((a) => a.AliasName === alias));
    });

    test('ListAliases is authorized by IAM alone', async () => {
      const u = await newUser();
      assert.equal((await callError(() => u.c.kms.send(new ListAliasesCommand({})))).message, notAllowed(u.arn, 'kms:ListAliases', '*'));
      await root.iam.send(new PutUserPolicyCommand({ UserName: u.name, PolicyName: 'list', PolicyDocument: doc([allow('kms:ListAliases')]) }));
      assert.ok(Array.isArray((await u.c.kms.send(new ListAliasesCommand({}))).Aliases));
    });

    test('a key policy naming the user allows without any IAM policy; an identity-policy Deny still wins', async () => {
      const u = await newUser();
      const key = await newKey(
        doc([
          { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: u.arn }, Action: ['kms:Encrypt', 'kms:DescribeKey'], Resource: '*' },
        ]),
      );
      assert.equal((await encrypt(u.c, key)).KeyId, key.Arn);
      await root.iam.send(new PutUserPolicyCommand({ UserName: u.name, PolicyName: 'deny', PolicyDocument: doc([deny('kms:Encrypt')]) }));
      assert.deepEqual(await callError(() => encrypt(u.c, key)), {
        code: 'AccessDeniedException',
        name: 'AccessDeniedException',
        message: `User: ${u.arn} is not authorized to perform: kms:Encrypt on resource: ${key.Arn} with an explicit deny in an identity-based policy`,
        status: 400,
      });
      await u.c.kms.send(new DescribeKeyCommand({ KeyId: key.Arn }));
    });

    test('group policies apply to members, and stop applying when they leave', async () => {
      const u = await newUser();
      const key = await newKey();
      const group = `g-${mode}-${n}`;
      await root.iam.send(new CreateGroupCommand({ GroupName: group }));
      await root.iam.send(new PutGroupPolicyCommand({ GroupName: group, PolicyName: 'enc', PolicyDocument: doc([allow('kms:Encrypt')]) }));
      assert.equal((await callError(() => encrypt(u.c, key))).code, 'AccessDeniedException');
      await root.iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: u.name }));
      await encrypt(u.c, key);
      await root.iam.send(new RemoveUserFromGroupCommand({ GroupName: group, UserName: u.name }));
      assert.equal((await callError(() => encrypt(u.c, key))).code, 'AccessDeniedException');
    });

    test('a managed policy version change takes effect on the next request', async () => {
      const u = await newUser();
      const key = await newKey();
      const arn = (await root.iam.send(new CreatePolicyCommand({ PolicyName: `p-${mode}-${n}`, PolicyDocument: doc([allow('kms:DescribeKey')]) }))).Policy!.Arn!;
      await root.iam.send(new AttachUserPolicyCommand({ UserName: u.name, PolicyArn: arn }));
      await u.c.kms.send(new DescribeKeyCommand({ KeyId: key.Arn }));
      assert.equal((await callError(() => encrypt(u.c, key))).code, 'AccessDeniedException');
      await root.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc([allow('kms:Encrypt')]), SetAsDefault: true }));
      await encrypt(u.c, key);
      assert.equal((await callError(() => u.c.kms.send(new DescribeKeyCommand({ KeyId: key.Arn })))).message, notAllowed(u.arn, 'kms:DescribeKey', key.Arn!));
      await root.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
      await u.c.kms.send(new DescribeKeyCommand({ KeyId: key.Arn }));
      assert.equal((await callError(() => encrypt(u.c, key))).code, 'AccessDeniedException');
      // AWS managed policies attach the same way.
      await root.iam.send(new AttachUserPolicyCommand({ UserName: u.name, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
      await encrypt(u.c, key);
    });
    test('a role session (temporary credentials with their session token) is authorized by the role policies', async () => {
      const u = await newUser();
      const role = `r-${mode}-${n}`;
      const trust = doc([{ Effect: 'Allow', Principal: { AWS: u.arn }, Action: 'sts:AssumeRole' }]);
      await root.iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: trust }));
      await root.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'enc', PolicyDocument: doc([allow('kms:Encrypt')]) }));
      const creds = fromSts((await u.c.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${role}`, RoleSessionName: 'sess' }))).Credentials);
      const session = clientsFor(server.url, creds);
      const sessionArn = `arn:aws:sts::${account}:assumed-role/${role}/sess`;
      assert.equal((await session.sts.send(new GetCallerIdentityCommand({}))).Arn, sessionArn);
      const key = await newKey();
      await encrypt(session, key);
      assert.equal((await callError(() => session.kms.send(new DescribeKeyCommand({ KeyId: key.Arn })))).message, notAllowed(sessionArn, 'kms:DescribeKey', key.Arn!));
      // The user's own policies do not reach the session, nor the session's the user.
      assert.equal((await callError(() => encrypt(u.c, key))).code, 'AccessDeniedException');
      const noToken = clientsFor(server.url, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey });
      assert.equal((await callError(() => encrypt(noToken, key))).code, 'UnrecognizedClientException');
    });
  });
}
