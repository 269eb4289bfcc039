// examples/cross-account-seed.yaml in signed mode, driven with the aws CLI: the seed's accounts,
// user, role and key policy give exactly the cross-account path it describes, with real
// signatures and the seeded access keys.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awsCli, type Credentials } from '../helpers/identity-clients.js';
import { startServer, type TestServer } from '../helpers/start-server.js';

const SEED = resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples/cross-account-seed.yaml');
const OWNER: Credentials = { accessKeyId: 'AKIAOWNEREXAMPLE0001', secretAccessKey: 'owner-secret-for-local-tests-only' };
const ADMIN_B: Credentials = { accessKeyId: 'AKIAADMINEXAMPLE0002', secretAccessKey: 'admin-secret-for-local-tests-only' };
const BOB: Credentials = { accessKeyId: 'AKIABOBEXAMPLE000001', secretAccessKey: 'bob-secret-for-local-tests-only' };
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/0b9b1c3e-5f2a-4c1d-9e8f-111111111111';

let server: TestServer;
let work: string;

before(async () => {
  server = await startServer({ dev: false, args: ['--seed', SEED] });
  work = mkdtempSync(join(tmpdir(), 'kms-seeded-'));
});
after(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function ok<T = Record<string, unknown>>(args: readonly string[], creds: Credentials): Promise<T> {
  const r = await awsCli(server.url, [...args, '--region', 'us-east-1'], creds);
  assert.equal(r.code, 0, `aws ${args.join(' ')} failed:\n${r.stderr}`);
  return (r.stdout.trim() === '' ? {} : JSON.parse(r.stdout)) as T;
}

async function fails(args: readonly string[], creds: Credentials): Promise<string> {
  const r = await awsCli(server.url, [...args, '--region', 'us-east-1'], creds);
  assert.notEqual(r.code, 0, `aws ${args.join(' ')} should have failed:\n${r.stdout}`);
  return r.stderr.trim();
}

test('the seeded bob assumes decrypter, decrypts the owner\'s ciphertext by key ARN and copies it under B\'s key', async () => {
  const plaintext = Buffer.from('seeded secret');
  const input = join(work, 'plain.bin');
  writeFileSync(input, plaintext);
  const { CiphertextBlob } = await ok<{ CiphertextBlob: string }>(['kms', 'encrypt', '--key-id', KEY_ARN, '--plaintext', `fileb://${input}`], OWNER);
  const blob = join(work, 'ct.bin');
  writeFileSync(blob, Buffer.from(CiphertextBlob, 'base64'));

  assert.equal((await ok<{ Arn: string }>(['sts', 'get-caller-identity'], BOB)).Arn, 'arn:aws:iam::222222222222:user/bob');
  // bob himself is not in the key policy.
  assert.match(await fails(['kms', 'decrypt', '--key-id', KEY_ARN, '--ciphertext-blob', `fileb://${blob}`], BOB), /AccessDeniedException.*user\/bob is not authorized to perform: kms:Decrypt/);

  const assumed = await ok<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }>(
    ['sts', 'assume-role', '--role-arn', 'arn:aws:iam::222222222222:role/decrypter', '--role-session-name', 'seeded'],
    BOB,
  );
  const session: Credentials = { accessKeyId: assumed.Credentials.AccessKeyId, secretAccessKey: assumed.Credentials.SecretAccessKey, sessionToken: assumed.Credentials.SessionToken };
  const decrypted = await ok<{ Plaintext: string }>(['kms', 'decrypt', '--key-id', KEY_ARN, '--ciphertext-blob', `fileb://${blob}`], session);
  assert.deepEqual(Buffer.from(decrypted.Plaintext, 'base64'), plaintext);

  const keyB = (await ok<{ KeyMetadata: { Arn: string } }>(['kms', 'create-key'], ADMIN_B)).KeyMetadata.Arn;
  const copied = await ok<{ CiphertextBlob: string; KeyId: string }>(['kms', 're-encrypt', '--source-key-id', KEY_ARN, '--destination-key-id', keyB, '--ciphertext-blob', `fileb://${blob}`], session);
  assert.equal(copied.KeyId, keyB);
  const copy = join(work, 'copy.bin');
  writeFileSync(copy, Buffer.from(copied.CiphertextBlob, 'base64'));
  assert.deepEqual(Buffer.from((await ok<{ Plaintext: string }>(['kms', 'decrypt', '--ciphertext-blob', `fileb://${copy}`], ADMIN_B)).Plaintext, 'base64'), plaintext);

  // B's administrator removes the role's permission: the same session is refused at once.
  await ok(['iam', 'delete-role-policy', '--role-name', 'decrypter', '--policy-name', 'use-shared-key'], ADMIN_B);
  assert.match(
    await fails(['kms', 'decrypt', '--key-id', KEY_ARN, '--ciphertext-blob', `fileb://${blob}`], session),
    /AccessDeniedException.*assumed-role\/decrypter\/seeded is not authorized to perform: kms:Decrypt on resource: .* because no identity-based policy allows the kms:Decrypt action/,
  );
});
