// The cross-account scenario with the real aws CLI (--dev: an access key id of 12 digits is that
// account's root; keys IAM made name their users). Account A's key policy allows role `decrypter`
// of account B to decrypt and re-encrypt from the key; user bob in B, allowed sts:AssumeRole,
// assumes the role, decrypts A's ciphertext by key ARN and re-encrypts it under B's own key. Then
// B's role permission, or A's key policy statement, each removed, turns decrypt into
// AccessDeniedException.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { doc, allow, type Credentials, awsCli } from '../helpers/identity-clients.js';
import { startServer, type TestServer } from '../helpers/start-server.js';

const A = '111122223333';
const B = '444455556666';
const ROOT_A: Credentials = { accessKeyId: A, secretAccessKey: 'secret-of-a' };
const ROOT_B: Credentials = { accessKeyId: B, secretAccessKey: 'secret-of-b' };
const ROLE = `arn:aws:iam::${B}:role/decrypter`;

let server: TestServer;
let work: string;
let files = 0;

function aws(args: readonly string[], creds: Credentials): Promise<{ code: number; stdout: string; stderr: string }> {
  return awsCli(server.url, args, creds);
}

async function awsJson<T = Record<string, unknown>>(args: readonly string[], creds: Credentials): Promise<T> {
  const r = await aws(args, creds);
  assert.equal(r.code, 0, `aws ${args.join(' ')} failed:\n${r.stderr}`);
  return (r.stdout.trim() === '' ? {} : JSON.parse(r.stdout)) as T;
}

async function awsFails(args: readonly string[], creds: Credentials): Promise<string> {
  const r = await aws(args, creds);
  assert.notEqual(r.code, 0, `aws ${args.join(' ')} should have failed:\n${r.stdout}`);
  return r.stderr.trim();
}

function fileb(data: Buffer): string {
  const path = join(work, `blob-${files++}.bin`);
  writeFileSync(path, data);
  return `fileb://${path}`;
}

before(async () => {
  server = await startServer();
  work = mkdtempSync(join(tmpdir(), 'kms-xacct-'));
});
after(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const rootStatement = (account: string) => ({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' });

test('bob in B assumes decrypter, decrypts A ciphertext and re-encrypts it under B key; removing either side denies', async () => {
  // Account B's role first: a key policy may name only principals that exist (AWS refuses others:
  // "Policy contains a statement with one or more invalid principals.").
  const keyB = (await awsJson<{ KeyMetadata: { Arn: string; KeyId: string } }>(['kms', 'create-key'], ROOT_B)).KeyMetadata;
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'sts:AssumeRole' }] });
  const role = await awsJson<{ Role: { Arn: string } }>(['iam', 'create-role', '--role-name', 'decrypter', '--assume-role-policy-document', trust], ROOT_B);
  assert.equal(role.Role.Arn, ROLE);

  // Account A: a key whose policy lets B's decrypter role decrypt and re-encrypt from it.
  const keyPolicy = doc([rootStatement(A), { Sid: 'AllowDecrypterOfB', Effect: 'Allow', Principal: { AWS: ROLE }, Action: ['kms:Decrypt', 'kms:ReEncryptFrom'], Resource: '*' }]);
  const keyA = (await awsJson<{ KeyMetadata: { Arn: string; KeyId: string } }>(['kms', 'create-key', '--policy', keyPolicy], ROOT_A)).KeyMetadata;
  const plaintext = Buffer.from('secret of account A');
  const ciphertext = Buffer.from(
    (await awsJson<{ CiphertextBlob: string }>(['kms', 'encrypt', '--key-id', keyA.Arn, '--plaintext', fileb(plaintext)], ROOT_A)).CiphertextBlob,
    'base64',
  );

  // Account B: its permissions and bob.
  const rolePolicy = doc([allow(['kms:Decrypt', 'kms:ReEncryptFrom'], keyA.Arn), allow(['kms:ReEncryptTo', 'kms:DescribeKey'], keyB.Arn)]);
  await awsJson(['iam', 'put-role-policy', '--role-name', 'decrypter', '--policy-name', 'use-keys', '--policy-document', rolePolicy], ROOT_B);
  await awsJson(['iam', 'create-user', '--user-name', 'bob'], ROOT_B);
  await awsJson(['iam', 'put-user-policy', '--user-name', 'bob', '--policy-name', 'assume', '--policy-document', doc([allow('sts:AssumeRole', ROLE)])], ROOT_B);
  const bobKey = (await awsJson<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string } }>(['iam', 'create-access-key', '--user-name', 'bob'], ROOT_B)).AccessKey;
  const bob: Credentials = { accessKeyId: bobKey.AccessKeyId, secretAccessKey: bobKey.SecretAccessKey };
  assert.equal((await awsJson<{ Arn: string }>(['sts', 'get-caller-identity'], bob)).Arn, `arn:aws:iam::${B}:user/bob`);

  // bob assumes the role.
  const assumed = await awsJson<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string }; AssumedRoleUser: { Arn: string } }>(
    ['sts', 'assume-role', '--role-arn', ROLE, '--role-session-name', 'bob-session'],
    bob,
  );
  const sessionArn = `arn:aws:sts::${B}:assumed-role/decrypter/bob-session`;
  assert.equal(assumed.AssumedRoleUser.Arn, sessionArn);
  const session: Credentials = { accessKeyId: assumed.Credentials.AccessKeyId, secretAccessKey: assumed.Credentials.SecretAccessKey, sessionToken: assumed.Credentials.SessionToken };
  assert.equal((await awsJson<{ Arn: string }>(['sts', 'get-caller-identity'], session)).Arn, sessionArn);

  // Decrypt A's ciphertext by A's key ARN, and re-encrypt it under B's key.
  const decryptArgs = ['kms', 'decrypt', '--key-id', keyA.Arn, '--ciphertext-blob', fileb(ciphertext)];
  const decrypted = await awsJson<{ Plaintext: string; KeyId: string }>(decryptArgs, session);
  assert.equal(Buffer.from(decrypted.Plaintext, 'base64').toString(), plaintext.toString());
  assert.equal(decrypted.KeyId, keyA.Arn);
  const reEncrypted = await awsJson<{ CiphertextBlob: string; KeyId: string; SourceKeyId: string }>(
    ['kms', 're-encrypt', '--ciphertext-blob', fileb(ciphertext), '--source-key-id', keyA.Arn, '--destination-key-id', keyB.KeyId],
    session,
  );
  assert.equal(reEncrypted.KeyId, keyB.Arn);
  assert.equal(reEncrypted.SourceKeyId, keyA.Arn);
  const underB = await awsJson<{ Plaintext: string; KeyId: string }>(['kms', 'decrypt', '--ciphertext-blob', fileb(Buffer.from(reEncrypted.CiphertextBlob, 'base64'))], ROOT_B);
  assert.equal(Buffer.from(underB.Plaintext, 'base64').toString(), plaintext.toString());
  assert.equal(underB.KeyId, keyB.Arn);
  // bob himself (not the role) may not decrypt.
  assert.match(await awsFails(decryptArgs, bob), /\(AccessDeniedException\) when calling the Decrypt operation: User: arn:aws:iam::444455556666:user\/bob is not authorized to perform: kms:Decrypt/);

  // B removes the role's permission: denied by B's side (no identity-based policy).
  await awsJson(['iam', 'delete-role-policy', '--role-name', 'decrypter', '--policy-name', 'use-keys'], ROOT_B);
  assert.equal(
    await awsFails(decryptArgs, session),
    `An error occurred (AccessDeniedException) when calling the Decrypt operation: User: ${sessionArn} is not authorized to perform: kms:Decrypt on resource: ${keyA.Arn} because no identity-based policy allows the kms:Decrypt action`,
  );
  await awsJson(['iam', 'put-role-policy', '--role-name', 'decrypter', '--policy-name', 'use-keys', '--policy-document', rolePolicy], ROOT_B);
  await awsJson(decryptArgs, session);

  // A removes the statement for B's role from its key policy: denied by A's side.
  await awsJson(['kms', 'put-key-policy', '--key-id', keyA.KeyId, '--policy-name', 'default', '--policy', doc([rootStatement(A)])], ROOT_A);
  assert.equal(
    await awsFails(decryptArgs, session),
    `An error occurred (AccessDeniedException) when calling the Decrypt operation: User: ${sessionArn} is not authorized to perform: kms:Decrypt on resource: ${keyA.Arn} because no resource-based policy allows the kms:Decrypt action`,
  );
  assert.match(
    await awsFails(['kms', 're-encrypt', '--ciphertext-blob', fileb(ciphertext), '--source-key-id', keyA.Arn, '--destination-key-id', keyB.KeyId], session),
    /\(AccessDeniedException\) when calling the ReEncrypt operation: User: arn:aws:sts::444455556666:assumed-role\/decrypter\/bob-session is not authorized to perform: kms:ReEncryptFrom/,
  );
  // A still decrypts its own ciphertext.
  await awsJson(['kms', 'decrypt', '--ciphertext-blob', fileb(ciphertext)], ROOT_A);
});
