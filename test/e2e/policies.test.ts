// Key policies through @aws-sdk/client-kms (--dev: authentication is off, authorization is not):
// stored and returned as given, checked against the policy grammar and the lockout safety check,
// and evaluated for every call on the key.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListKeyPoliciesCommand,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
let kms: KMSClient;

before(async () => {
  server = await startServer();
  kms = server.client({ region: 'us-east-2', accessKeyId: '444455556666' });
});
after(async () => {
  kms?.destroy();
  await server?.stop();
});

test('a key created without a policy gets AWS default key policy: the account root may do kms:*', async () => {
  const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
  const out = await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }));
  assert.equal(out.PolicyName, 'default');
  assert.deepEqual(JSON.parse(out.Policy!), {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:*', Resource: '*' }],
  });
  assert.deepEqual((await kms.send(new ListKeyPoliciesCommand({ KeyId: key.Arn }))).PolicyNames, ['default']);
});

const ACCOUNT_ROOT = 'arn:aws:iam::444455556666:root';
/** Lets the account manage the key, as a policy must (the lockout safety check). */
const ADMIN = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ACCOUNT_ROOT }, Action: 'kms:*', Resource: '*' };

test('CreateKey and PutKeyPolicy store the policy text exactly as given', async () => {
  const given = JSON.stringify({ Version: '2012-10-17', Statement: [ADMIN, { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }] });
  const key = (await kms.send(new CreateKeyCommand({ Policy: given }))).KeyMetadata!;
  assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default' }))).Policy, given);
  const next = JSON.stringify({ Version: '2012-10-17', Statement: [ADMIN, { Effect: 'Deny', Principal: '*', Action: 'kms:Sign', Resource: '*' }] }, null, 2);
  await kms.send(new PutKeyPolicyCommand({ KeyId: key.Arn, Policy: next }));
  assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy, next);
});

test('the lockout safety check: a policy that would not let the caller change it again is refused unless bypassed', async () => {
  const lockout = 'The new key policy will not allow you to update the key policy in the future.';
  const decryptOnly = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT_ROOT }, Action: 'kms:Decrypt', Resource: '*' }] });
  assert.deepEqual(await awsError(() => kms.send(new CreateKeyCommand({ Policy: decryptOnly }))), { name: 'MalformedPolicyDocumentException', message: lockout, status: 400 });
  const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
  assert.deepEqual(await awsError(() => kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: decryptOnly }))), {
    name: 'MalformedPolicyDocumentException',
    message: lockout,
    status: 400,
  });
  // Still the default policy: the refused one was not stored.
  assert.match((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy!, /Enable IAM User Permissions/);
  await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: decryptOnly, BypassPolicyLockoutSafetyCheck: true }));
  // Locked out, as AWS warns: reading the policy is no longer allowed either.
  assert.deepEqual(await awsError(() => kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))), {
    name: 'AccessDeniedException',
    message: `User: ${ACCOUNT_ROOT} is not authorized to perform: kms:GetKeyPolicy on resource: ${key.Arn} because no resource-based policy allows the kms:GetKeyPolicy action`,
    status: 400,
  });
});

test('an explicit Deny in the key policy refuses that call only, with AWS text, and the log names the statement', async () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [ADMIN, { Sid: 'NoHREncryption', Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:dept': 'HR' } } }],
  });
  const key = (await kms.send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!;
  const ok = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x'), EncryptionContext: { dept: 'IT' } }));
  assert.ok(ok.CiphertextBlob);
  const mark = server.output().length;
  assert.deepEqual(await awsError(() => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x'), EncryptionContext: { dept: 'HR' } }))), {
    name: 'AccessDeniedException',
    message: `User: ${ACCOUNT_ROOT} is not authorized to perform: kms:Encrypt on resource: ${key.Arn} with an explicit deny in a resource-based policy`,
    status: 400,
  });
  await new Promise((r) => setTimeout(r, 100));
  assert.match(server.output().slice(mark), /"errorCode":"AccessDeniedException","denied":"ExplicitDeny \(Deny\): key policy Statement\[1\] \(Sid \\"NoHREncryption\\"\)"/);
  // Other operations on the key are untouched by that statement.
  await kms.send(new DecryptCommand({ CiphertextBlob: ok.CiphertextBlob, EncryptionContext: { dept: 'IT' } }));
});

test('a key policy that does not allow the account leaves the key usable by nobody (no IAM delegation without it)', async () => {
  const serviceOnly = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: 'kms:*', Resource: '*' }] });
  const key = (await kms.send(new CreateKeyCommand({ Policy: serviceOnly, BypassPolicyLockoutSafetyCheck: true }))).KeyMetadata!;
  const refused = await awsError(() => kms.send(new DescribeKeyCommand({ KeyId: key.KeyId })));
  assert.equal(refused.name, 'AccessDeniedException');
  assert.match(refused.message, /because no resource-based policy allows the kms:DescribeKey action$/);
});

test('errors: malformed policy, a policy name other than default, an alias, an AWS managed key', async () => {
  const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
  const malformed = await awsError(() => kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: '{"Statement": [' })));
  assert.equal(malformed.name, 'MalformedPolicyDocumentException');
  const created = await awsError(() => kms.send(new CreateKeyCommand({ Policy: 'not json' })));
  assert.equal(created.name, 'MalformedPolicyDocumentException');
  const name = await awsError(() => kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'other' })));
  assert.equal(name.name, 'NotFoundException');
  const alias = await awsError(() => kms.send(new GetKeyPolicyCommand({ KeyId: 'alias/aws/s3' })));
  assert.deepEqual(alias, { name: 'InvalidArnException', message: 'Key Aliases are not supported for this operation.', status: 400 });
  const managed = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
  assert.equal(managed.KeyManager, 'AWS');
  const put = await awsError(() => kms.send(new PutKeyPolicyCommand({ KeyId: managed.KeyId, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [ADMIN] }) })));
  assert.equal(put.name, 'AccessDeniedException');
});

test('a key policy may name only IAM users and roles that exist (name and path); accounts, "*" and services need nothing', async () => {
  const { IAMClient, CreateRoleCommand } = await import('@aws-sdk/client-iam');
  const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: '444455556666', secretAccessKey: 'x' } });
  try {
    const root = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:*', Resource: '*' };
    const naming = (principal: string) => JSON.stringify({ Version: '2012-10-17', Statement: [root, { Effect: 'Allow', Principal: { AWS: principal }, Action: 'kms:Decrypt', Resource: '*' }] });
    const role = 'arn:aws:iam::444455556666:role/apps/reader';
    for (const missing of [role, 'arn:aws:iam::444455556666:role/reader', 'arn:aws:iam::444455556666:role/apps/READER', 'arn:aws:iam::777788889999:user/nobody']) {
      const err = await awsError(() => kms.send(new CreateKeyCommand({ Policy: naming(missing) })));
      assert.deepEqual([err.name, err.message], ['MalformedPolicyDocumentException', 'Policy contains a statement with one or more invalid principals.'], missing);
    }
    await iam.send(new CreateRoleCommand({ RoleName: 'reader', Path: '/apps/', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'sts:AssumeRole' }] }) }));
    const key = (await kms.send(new CreateKeyCommand({ Policy: naming(role) }))).KeyMetadata!;
    const bad = await awsError(() => kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default', Policy: naming('arn:aws:iam::444455556666:user/ghost') })));
    assert.equal(bad.name, 'MalformedPolicyDocumentException');
    for (const fine of ['arn:aws:iam::777788889999:root', '777788889999', '*', 'arn:aws:sts::444455556666:assumed-role/reader/s1']) {
      await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default', Policy: naming(fine) }));
    }
  } finally {
    iam.destroy();
  }
});
