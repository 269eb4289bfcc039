// Cross-account use (--dev: the access key id is the account): account A's key, named by its key
// ARN, serves account B exactly as far as A's key policy allows B, and only for the operations AWS
// allows across accounts. Key ids and aliases always name keys of the caller's own account.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  KMSClient,
  PutKeyPolicyCommand,
  ReEncryptCommand,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

const A = '111122223333';
const B = '444455556666';
let server: TestServer;
let a: KMSClient;
let b: KMSClient;

before(async () => {
  server = await startServer();
  a = server.client({ accessKeyId: A });
  b = server.client({ accessKeyId: B });
});
after(async () => {
  a?.destroy();
  b?.destroy();
  await server?.stop();
});

/** A's key policy: A administers; B may use the key for the given actions. */
function sharedWithB(actions: string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'AllowAccountB', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: actions, Resource: '*' },
    ],
  });
}

test('B encrypts, decrypts and describes with A key by its ARN once A key policy allows B', async () => {
  const key = (await a.send(new CreateKeyCommand({ Policy: sharedWithB(['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey']) }))).KeyMetadata!;
  const enc = await b.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('for A'), EncryptionContext: { from: 'B' } }));
  assert.equal(enc.KeyId, key.Arn);
  // B names A key by ARN to decrypt (this server's ciphertext names the key id, not its account).
  const dec = await b.send(new DecryptCommand({ KeyId: key.Arn, CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { from: 'B' } }));
  assert.equal(Buffer.from(dec.Plaintext!).toString(), 'for A');
  // A decrypts it too, without naming the key (its own).
  assert.equal(Buffer.from((await a.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { from: 'B' } }))).Plaintext!).toString(), 'for A');
  assert.equal((await b.send(new DescribeKeyCommand({ KeyId: key.Arn }))).KeyMetadata!.AWSAccountId, A);
  // Usage by B is recorded on A's key like any other (the last one: A's Decrypt above).
  assert.equal((await a.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }))).KeyLastUsage?.Operation, 'Decrypt');
});

test('without a statement for B, or for an action it does not list, B gets AccessDeniedException', async () => {
  const own = (await a.send(new CreateKeyCommand({}))).KeyMetadata!;
  assert.deepEqual(await awsError(() => b.send(new EncryptCommand({ KeyId: own.Arn, Plaintext: Buffer.from('x') }))), {
    name: 'AccessDeniedException',
    message: `User: arn:aws:iam::${B}:root is not authorized to perform: kms:Encrypt on resource: ${own.Arn} because no resource-based policy allows the kms:Encrypt action`,
    status: 400,
  });
  const encryptOnly = (await a.send(new CreateKeyCommand({ Policy: sharedWithB(['kms:Encrypt']) }))).KeyMetadata!;
  const enc = await b.send(new EncryptCommand({ KeyId: encryptOnly.Arn, Plaintext: Buffer.from('x') }));
  assert.equal((await awsError(() => b.send(new DecryptCommand({ KeyId: encryptOnly.Arn, CiphertextBlob: enc.CiphertextBlob })))).name, 'AccessDeniedException');
  // A takes the statement away: B is refused at once.
  await a.send(new PutKeyPolicyCommand({ KeyId: encryptOnly.KeyId, Policy: sharedWithB(['kms:DescribeKey']) }));
  assert.equal((await awsError(() => b.send(new EncryptCommand({ KeyId: encryptOnly.Arn, Plaintext: Buffer.from('x') })))).name, 'AccessDeniedException');
});

test('B copies A data under its own key with ReEncrypt (kms:ReEncryptFrom on A key, kms:ReEncryptTo on B key)', async () => {
  const keyA = (await a.send(new CreateKeyCommand({ Policy: sharedWithB(['kms:ReEncryptFrom']) }))).KeyMetadata!;
  const keyB = (await b.send(new CreateKeyCommand({}))).KeyMetadata!;
  const enc = await a.send(new EncryptCommand({ KeyId: keyA.KeyId, Plaintext: Buffer.from('move me') }));
  const moved = await b.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceKeyId: keyA.Arn, DestinationKeyId: keyB.KeyId }));
  assert.deepEqual([moved.SourceKeyId, moved.KeyId], [keyA.Arn, keyB.Arn]);
  assert.equal(Buffer.from((await b.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob }))).Plaintext!).toString(), 'move me');
});

test('key ids and aliases name the caller own keys; operations AWS does not allow across accounts do not find the key', async () => {
  const key = (await a.send(new CreateKeyCommand({ Policy: sharedWithB(['kms:*']) }))).KeyMetadata!;
  await a.send(new CreateAliasCommand({ AliasName: 'alias/shared', TargetKeyId: key.KeyId }));
  assert.equal((await awsError(() => b.send(new DescribeKeyCommand({ KeyId: key.KeyId })))).name, 'NotFoundException');
  assert.equal((await awsError(() => b.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:us-east-1:${A}:alias/shared` })))).name, 'NotFoundException');
  assert.deepEqual(await awsError(() => b.send(new DisableKeyCommand({ KeyId: key.Arn }))), {
    name: 'NotFoundException',
    message: `Key '${key.Arn}' does not exist`,
    status: 400,
  });
  assert.equal((await a.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.KeyState, 'Enabled');
});
