// The real aws CLI (v1) against a signed-mode server (no --dev), using the bootstrap credentials file
// exactly as a user would: AWS_SHARED_CREDENTIALS_FILE=<data-dir>/credentials AWS_PROFILE=kms-local.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanAwsEnv, realExecutable } from '../helpers/aws-tools.js';
import { startServer, type TestServer } from '../helpers/start-server.js';

/** The aws executable, without pyenv's shim so the ~20 calls below stay fast. */
const AWS_BIN = realExecutable('aws');

type Creds = 'profile' | { accessKeyId: string; secretAccessKey: string };

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let server: TestServer;
let work: string;
let account: string;

function aws(args: readonly string[], creds: Creds = 'profile'): Promise<CliResult> {
  // The machine's AWS_* settings must not leak into the CLI's configuration.
  const env = cleanAwsEnv({ AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '' });
  if (creds === 'profile') {
    env.AWS_SHARED_CREDENTIALS_FILE = join(server.dataDir, 'credentials');
    env.AWS_PROFILE = 'kms-local';
  } else {
    env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
    env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
  }
  return new Promise((resolve, reject) => {
    execFile(
      AWS_BIN,
      ['--endpoint-url', server.url, '--output', 'json', ...args],
      { env, encoding: 'utf8', timeout: 30_000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs a CLI call that must succeed and parses its JSON output. */
async function awsJson<T = Record<string, unknown>>(args: readonly string[], creds?: Creds): Promise<T> {
  const r = await aws(args, creds);
  assert.equal(r.code, 0, `aws ${args.join(' ')} failed:\n${r.stderr}`);
  return (r.stdout.trim() === '' ? {} : JSON.parse(r.stdout)) as T;
}

/** Runs a CLI call that must fail and returns its stderr. */
async function awsFails(args: readonly string[], creds?: Creds): Promise<string> {
  const r = await aws(args, creds);
  assert.notEqual(r.code, 0, `aws ${args.join(' ')} should have failed:\n${r.stdout}`);
  return r.stderr.trim();
}

/** Writes bytes to a temp file and returns the fileb:// URL the CLI reads blobs from. */
let fileCount = 0;
function fileb(data: Buffer): string {
  const path = join(work, `blob-${fileCount++}.bin`);
  writeFileSync(path, data);
  return `fileb://${path}`;
}

interface KeyMetadata {
  KeyId: string;
  Arn: string;
  AWSAccountId: string;
  Description: string;
  KeyState: string;
  Enabled: boolean;
  KeyUsage: string;
  KeySpec: string;
  CreationDate: number;
  DeletionDate?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let keyA: KeyMetadata;
let keyB: KeyMetadata;

before(async () => {
  server = await startServer({ dev: false });
  work = mkdtempSync(join(tmpdir(), 'kms-cli-'));
  const [a, b] = await Promise.all([
    awsJson<{ KeyMetadata: KeyMetadata }>(['kms', 'create-key', '--description', 'created by the aws cli', '--tags', 'TagKey=team,TagValue=blue', 'TagKey=env,TagValue=test']),
    awsJson<{ KeyMetadata: KeyMetadata }>(['kms', 'create-key']),
  ]);
  keyA = a.KeyMetadata;
  keyB = b.KeyMetadata;
  account = keyA.AWSAccountId;
});
after(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('aws kms (CLI v1) against a signed-mode server with the credentials file', () => {
  test('create-key with --description and --tags; describe-key; list-keys; list-resource-tags', async () => {
    assert.match(keyA.KeyId, UUID);
    assert.match(account, /^\d{12}$/);
    assert.equal(keyA.Arn, `arn:aws:kms:us-east-1:${account}:key/${keyA.KeyId}`);
    assert.equal(keyA.Description, 'created by the aws cli');
    assert.equal(keyA.KeyState, 'Enabled');
    assert.equal(keyA.Enabled, true);
    assert.equal(keyA.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(keyA.KeySpec, 'SYMMETRIC_DEFAULT');
    // The CLI prints timestamps as epoch seconds.
    assert.equal(typeof keyA.CreationDate, 'number');
    assert.ok(Math.abs(keyA.CreationDate * 1000 - Date.now()) < 5 * 60_000);

    const [described, listed, tags] = await Promise.all([
      awsJson<{ KeyMetadata: KeyMetadata }>(['kms', 'describe-key', '--key-id', keyA.Arn]),
      awsJson<{ Keys: { KeyId: string; KeyArn: string }[]; Truncated?: boolean }>(['kms', 'list-keys']),
      awsJson<{ Tags: { TagKey: string; TagValue: string }[] }>(['kms', 'list-resource-tags', '--key-id', keyA.KeyId]),
    ]);
    assert.deepEqual(described.KeyMetadata, keyA);
    const ids = listed.Keys.map((k) => k.KeyId).sort();
    assert.deepEqual(ids, [keyA.KeyId, keyB.KeyId].sort());
    assert.ok(listed.Keys.some((k) => k.KeyArn === keyA.Arn));
    assert.deepEqual(
      [...tags.Tags].sort((x, y) => x.TagKey.localeCompare(y.TagKey)),
      [
        { TagKey: 'env', TagValue: 'test' },
        { TagKey: 'team', TagValue: 'blue' },
      ],
    );
  });

  test('create-alias and list-aliases', async () => {
    const created = await aws(['kms', 'create-alias', '--alias-name', 'alias/cli-test', '--target-key-id', keyA.KeyId]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout.trim(), '');
    const all = await awsJson<{ Aliases: { AliasName: string; AliasArn: string; TargetKeyId?: string }[] }>(['kms', 'list-aliases']);
    const mine = all.Aliases.find((a) => a.AliasName === 'alias/cli-test');
    assert.ok(mine, JSON.stringify(all));
    assert.equal(mine.AliasArn, `arn:aws:kms:us-east-1:${account}:alias/cli-test`);
    assert.equal(mine.TargetKeyId, keyA.KeyId);
  });

  test('encrypt --plaintext fileb:// with an encryption context, then decrypt --query Plaintext --output text', async () => {
    const plaintext = Buffer.from('secret message from the aws cli \u00e9\u0000\u00ff', 'utf8');
    const enc = await awsJson<{ CiphertextBlob: string; KeyId: string; EncryptionAlgorithm: string }>([
      'kms', 'encrypt', '--key-id', 'alias/cli-test', '--plaintext', fileb(plaintext), '--encryption-context', 'purpose=cli,team=blue',
    ]);
    assert.equal(enc.KeyId, keyA.Arn);
    assert.equal(enc.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const blob = Buffer.from(enc.CiphertextBlob, 'base64');
    assert.ok(blob.length > plaintext.length);
    assert.ok(!blob.includes(plaintext));

    const dec = await aws([
      'kms', 'decrypt', '--ciphertext-blob', fileb(blob), '--encryption-context', 'team=blue,purpose=cli', '--query', 'Plaintext', '--output', 'text',
    ]);
    assert.equal(dec.code, 0, dec.stderr);
    assert.deepEqual(Buffer.from(dec.stdout.trim(), 'base64'), plaintext);

    const wrongContext = await awsFails(['kms', 'decrypt', '--ciphertext-blob', fileb(blob), '--encryption-context', 'purpose=other,team=blue']);
    assert.equal(wrongContext, 'An error occurred (InvalidCiphertextException) when calling the Decrypt operation:');
  });

  test('generate-data-key, then re-encrypt its ciphertext to another key and context, then decrypt', async () => {
    const dk = await awsJson<{ CiphertextBlob: string; Plaintext: string; KeyId: string }>([
      'kms', 'generate-data-key', '--key-id', keyA.KeyId, '--key-spec', 'AES_256', '--encryption-context', 'file=report.pdf',
    ]);
    assert.equal(dk.KeyId, keyA.Arn);
    const dataKey = Buffer.from(dk.Plaintext, 'base64');
    assert.equal(dataKey.length, 32);

    const re = await awsJson<{ CiphertextBlob: string; SourceKeyId: string; KeyId: string; Plaintext?: string }>([
      'kms', 're-encrypt',
      '--ciphertext-blob', fileb(Buffer.from(dk.CiphertextBlob, 'base64')),
      '--source-encryption-context', 'file=report.pdf',
      '--destination-key-id', keyB.Arn,
      '--destination-encryption-context', 'file=report.pdf,v=2',
    ]);
    assert.equal(re.SourceKeyId, keyA.Arn);
    assert.equal(re.KeyId, keyB.Arn);
    assert.equal(re.Plaintext, undefined);

    const dec = await awsJson<{ Plaintext: string; KeyId: string }>([
      'kms', 'decrypt', '--ciphertext-blob', fileb(Buffer.from(re.CiphertextBlob, 'base64')), '--encryption-context', 'v=2,file=report.pdf',
    ]);
    assert.deepEqual(Buffer.from(dec.Plaintext, 'base64'), dataKey);
    assert.equal(dec.KeyId, keyB.Arn);
  });

  test('disable-key: encrypt then fails with DisabledException', async () => {
    const disabled = await aws(['kms', 'disable-key', '--key-id', keyB.KeyId]);
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.equal(disabled.stdout.trim(), '');
    const stderr = await awsFails(['kms', 'encrypt', '--key-id', keyB.KeyId, '--plaintext', fileb(Buffer.from('x'))]);
    assert.equal(stderr, `An error occurred (DisabledException) when calling the Encrypt operation: ${keyB.Arn} is disabled.`);
  });

  test('schedule-key-deletion and cancel-key-deletion', async () => {
    const scheduled = await awsJson<{ KeyId: string; DeletionDate: number; KeyState: string; PendingWindowInDays: number }>([
      'kms', 'schedule-key-deletion', '--key-id', keyB.KeyId, '--pending-window-in-days', '7',
    ]);
    assert.equal(scheduled.KeyId, keyB.Arn);
    assert.equal(scheduled.KeyState, 'PendingDeletion');
    assert.equal(scheduled.PendingWindowInDays, 7);
    const days = (scheduled.DeletionDate * 1000 - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days < 7.1, `DeletionDate ${scheduled.DeletionDate}`);

    const cancelled = await awsJson<{ KeyId: string }>(['kms', 'cancel-key-deletion', '--key-id', keyB.KeyId]);
    assert.equal(cancelled.KeyId, keyB.Arn);
    const described = await awsJson<{ KeyMetadata: KeyMetadata }>(['kms', 'describe-key', '--key-id', keyB.KeyId]);
    // AWS leaves a key whose deletion was cancelled Disabled.
    assert.equal(described.KeyMetadata.KeyState, 'Disabled');
    assert.equal(described.KeyMetadata.DeletionDate, undefined);
  });

  test('generate-random', async () => {
    const r = await awsJson<{ Plaintext: string }>(['kms', 'generate-random', '--number-of-bytes', '64']);
    assert.equal(Buffer.from(r.Plaintext, 'base64').length, 64);
  });

  test('errors: wrong secret → InvalidSignatureException; unknown access key → UnrecognizedClientException; unknown key → NotFoundException', async () => {
    const { accessKeyId } = server.credentials();
    const missing = '11111111-2222-3333-4444-555555555555';
    const [wrongSecret, unknownKey, dummy, notFound] = await Promise.all([
      awsFails(['kms', 'list-keys'], { accessKeyId, secretAccessKey: 'not-the-secret-access-key-0000000000000' }),
      awsFails(['kms', 'encrypt', '--key-id', keyA.KeyId, '--plaintext', 'hello'], { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }),
      awsFails(['kms', 'list-aliases'], { accessKeyId: 'test', secretAccessKey: 'test' }),
      awsFails(['kms', 'describe-key', '--key-id', missing]),
    ]);
    assert.equal(
      wrongSecret,
      'An error occurred (InvalidSignatureException) when calling the ListKeys operation: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
    assert.equal(
      unknownKey,
      'An error occurred (UnrecognizedClientException) when calling the Encrypt operation: The security token included in the request is invalid.',
    );
    assert.equal(
      dummy,
      'An error occurred (UnrecognizedClientException) when calling the ListAliases operation: The security token included in the request is invalid.',
    );
    assert.equal(
      notFound,
      `An error occurred (NotFoundException) when calling the DescribeKey operation: Key 'arn:aws:kms:us-east-1:${account}:key/${missing}' does not exist`,
    );
  });
});
