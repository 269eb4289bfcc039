// First start writes the bootstrap credentials; later starts reuse them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBootstrapAccount } from '../../../src/bootstrap/bootstrap-account.js';
import { openFileRootKey } from '../../../src/crypto/root-key/file-root-key.js';
import { SECRET_ACCESS } from '../../../src/crypto/secret.js';
import { accessKeySecretAad } from '../../../src/crypto/material-aad.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';

test('first start: an account, an access key whose secret is stored wrapped, and a 0600 credentials file in AWS format', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kms-bootstrap-'));
  const store = await openSqliteStore(join(dir, 'kms.db'));
  const rootKey = await openFileRootKey(join(dir, 'root.key'));
  const result = await ensureBootstrapAccount(store, rootKey, dir, '111122223333', 1_000);
  assert.equal(result.createdCredentials, true);
  assert.match(result.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
  const text = readFileSync(result.credentialsPath, 'utf8');
  assert.equal(statSync(result.credentialsPath).mode & 0o777, 0o600);
  const secret = /aws_secret_access_key = (\S+)/.exec(text)![1]!;
  assert.equal(text, `[kms-local]\naws_access_key_id = ${result.accessKeyId}\naws_secret_access_key = ${secret}\n`);
  const record = (await store.getAccessKey(result.accessKeyId))!;
  assert.equal(record.accountId, '111122223333');
  assert.equal(record.principalArn, 'arn:aws:iam::111122223333:root');
  assert.ok(!record.wrappedSecret.includes(Buffer.from(secret)), 'the secret is not stored in the clear');
  const unwrapped = await rootKey.unwrap(record.wrappedSecret, accessKeySecretAad(result.accessKeyId));
  assert.equal(unwrapped.exposeSecret(SECRET_ACCESS).toString(), secret);
  assert.deepEqual(await store.getAccount('111122223333'), { accountId: '111122223333', createdAt: 1_000 });

  // A later start reuses the file and the key.
  const again = await ensureBootstrapAccount(store, rootKey, dir, '111122223333', 2_000);
  assert.deepEqual({ ...again, createdCredentials: false }, again);
  assert.equal(again.accessKeyId, result.accessKeyId);
  assert.equal(readFileSync(result.credentialsPath, 'utf8'), text);

  // A new database with the old credentials file: the same key is registered again.
  await store.close();
  rmSync(join(dir, 'kms.db'));
  const fresh = await openSqliteStore(join(dir, 'kms.db'));
  const reused = await ensureBootstrapAccount(fresh, rootKey, dir, '111122223333', 3_000);
  assert.equal(reused.accessKeyId, result.accessKeyId);
  assert.ok(await fresh.getAccessKey(result.accessKeyId));
  await fresh.close();
  await rootKey.close();
});

test('a credentials file that group or others can read stops the start, as a root key file does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kms-bootstrap-'));
  const store = await openSqliteStore(join(dir, 'kms.db'));
  const rootKey = await openFileRootKey(join(dir, 'root.key'));
  const first = await ensureBootstrapAccount(store, rootKey, dir, '111122223333', 1_000);
  chmodSync(first.credentialsPath, 0o640);
  await assert.rejects(
    ensureBootstrapAccount(store, rootKey, dir, '111122223333', 2_000),
    new RegExp(`^FileModeError: credentials file ${first.credentialsPath} is readable by group or others \\(mode 640\\); chmod 600 it$`),
  );
  chmodSync(first.credentialsPath, 0o600);
  assert.equal((await ensureBootstrapAccount(store, rootKey, dir, '111122223333', 3_000)).accessKeyId, first.accessKeyId);
  await store.close();
  await rootKey.close();
});

test('a stale credentials.tmp (mode 0644) or a planted link there does not decide where the secret goes or its mode', async () => {
  for (const plant of ['file', 'link'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'kms-bootstrap-'));
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'kms-elsewhere-')), 'stolen');
    if (plant === 'file') {
      writeFileSync(join(dir, 'credentials.tmp'), 'old');
      chmodSync(join(dir, 'credentials.tmp'), 0o644);
    } else {
      writeFileSync(elsewhere, '');
      symlinkSync(elsewhere, join(dir, 'credentials.tmp'));
    }
    const store = await openSqliteStore(join(dir, 'kms.db'));
    const rootKey = await openFileRootKey(join(dir, 'root.key'));
    const result = await ensureBootstrapAccount(store, rootKey, dir, '111122223333', 1_000);
    assert.equal(statSync(result.credentialsPath).mode & 0o777, 0o600, plant);
    assert.match(readFileSync(result.credentialsPath, 'utf8'), /aws_secret_access_key = \S+/);
    if (plant === 'link') assert.equal(readFileSync(elsewhere, 'utf8'), '', 'nothing written through the link');
    await store.close();
    await rootKey.close();
  }
});
