// Key policies through @aws-sdk/client-kms (--dev): stored and returned as given; not evaluated yet.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
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

test('CreateKey and PutKeyPolicy store the policy text exactly as given', async () => {
  const given = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}]}';
  const key = (await kms.send(new CreateKeyCommand({ Policy: given }))).KeyMetadata!;
  assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default' }))).Policy, given);
  const next = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }] }, null, 2);
  await kms.send(new PutKeyPolicyCommand({ KeyId: key.Arn, Policy: next }));
  assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy, next);
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
  const put = await awsError(() => kms.send(new PutKeyPolicyCommand({ KeyId: managed.KeyId, Policy: '{"Statement":[]}' })));
  assert.equal(put.name, 'AccessDeniedException');
});
