// The symmetric ciphertext blob, the canonical encryption context and the root-key wrapping.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { canonicalEncryptionContext } from '../../../src/crypto/encryption-context.js';
import { decodeBlob, openSymmetric, sealSymmetric } from '../../../src/crypto/symmetric-default.js';
import { SecretMaterial } from '../../../src/crypto/secret.js';
import { openFileRootKey } from '../../../src/crypto/root-key/file-root-key.js';
import { RootKeyUnwrapError } from '../../../src/crypto/root-key/root-key-provider.js';

const keyId = '0d6bc6ab-4a8b-4bb4-9e46-1c2b1e5d3f10';
const materialId = 'ab'.repeat(32);

test('canonical context: {"a":"bc"} and {"ab":"c"} encode differently', () => {
  assert.notDeepEqual(canonicalEncryptionContext({ a: 'bc' }), canonicalEncryptionContext({ ab: 'c' }));
});

test('canonical context: key order does not matter; sorting is by UTF-8 bytes', () => {
  assert.deepEqual(canonicalEncryptionContext({ b: '1', a: '2', é: '3' }), canonicalEncryptionContext({ é: '3', a: '2', b: '1' }));
  // 'Z' (0x5a) sorts before 'a' (0x61) by bytes, unlike a locale compare.
  const encoded = canonicalEncryptionContext({ a: '', Z: '' });
  assert.equal(encoded.toString('hex'), '00000002' + '00000001' + '5a' + '00000000' + '00000001' + '61' + '00000000');
});

test('canonical context: empty and absent are the same', () => {
  assert.deepEqual(canonicalEncryptionContext({}), canonicalEncryptionContext(undefined));
});

test('seal then open round-trips; the blob names its key and material', () => {
  const backingKey = new SecretMaterial(randomBytes(32));
  const blob = sealSymmetric({ keyId, materialId, backingKey, plaintext: Buffer.from('hello'), context: { k: 'v' } });
  const parsed = decodeBlob(blob)!;
  assert.equal(parsed.keyId, keyId);
  assert.equal(parsed.materialId, materialId);
  assert.equal(blob.length, 2 + keyId.length + 32 + 16 + 12 + 5 + 16);
  assert.deepEqual(openSymmetric(parsed, backingKey, { k: 'v' }), Buffer.from('hello'));
});

test('the documented format decrypts outside the server code with plain node:crypto', () => {
  const raw = randomBytes(32);
  const blob = sealSymmetric({ keyId, materialId, backingKey: new SecretMaterial(raw), plaintext: Buffer.from('outside'), context: { a: 'b' } });
  const headerLength = 2 + keyId.length + 32 + 16 + 12;
  const header = blob.subarray(0, headerLength);
  const salt = header.subarray(2 + keyId.length + 32, 2 + keyId.length + 48);
  const nonce = header.subarray(headerLength - 12);
  const info = Buffer.concat([Buffer.from('kms-server/v1/symmetric-default'), header]);
  const key = Buffer.from(hkdfSync('sha256', raw, salt, info, 32));
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.concat([header, canonicalEncryptionContext({ a: 'b' })]));
  decipher.setAuthTag(blob.subarray(blob.length - 16));
  const plain = Buffer.concat([decipher.update(blob.subarray(headerLength, blob.length - 16)), decipher.final()]);
  assert.equal(plain.toString(), 'outside');
});

test('every flipped bit, another context or another key fails to open', () => {
  const backingKey = new SecretMaterial(randomBytes(32));
  const blob = sealSymmetric({ keyId, materialId, backingKey, plaintext: Buffer.from('x'), context: { a: 'bc' } });
  for (let i = 0; i < blob.length; i++) {
    const altered = Buffer.from(blob);
    altered[i] = altered[i]! ^ 0x80;
    const parsed = decodeBlob(altered);
    assert.equal(parsed && openSymmetric(parsed, backingKey, { a: 'bc' }), parsed ? undefined : undefined, `byte ${i}`);
  }
  const parsed = decodeBlob(blob)!;
  assert.equal(openSymmetric(parsed, backingKey, { ab: 'c' }), undefined);
  assert.equal(openSymmetric(parsed, new SecretMaterial(randomBytes(32)), { a: 'bc' }), undefined);
});

test('decodeBlob refuses short, unversioned and malformed blobs', () => {
  assert.equal(decodeBlob(Buffer.alloc(0)), undefined);
  assert.equal(decodeBlob(Buffer.from([2, 1, 0x41])), undefined);
  assert.equal(decodeBlob(Buffer.alloc(200, 1)), undefined);
});

test('SecretMaterial redacts itself in JSON, template strings and util.inspect', () => {
  const secret = new SecretMaterial(Buffer.from('supersecret'));
  assert.equal(JSON.stringify({ secret }), '{"secret":"[SecretMaterial 11 bytes]"}');
  assert.equal(`${secret}`, '[SecretMaterial 11 bytes]');
  assert.ok(!inspect({ secret }).includes('supersecret'));
});

test('file root key: created with mode 0600, reused on reopen, AAD-bound', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rootkey-'));
  const path = join(dir, 'root.key');
  const first = await openFileRootKey(path);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const wrapped = await first.wrap(new SecretMaterial(Buffer.from('material')), Buffer.from('aad-1'));
  assert.ok(!wrapped.includes(Buffer.from('material')));
  const second = await openFileRootKey(path);
  assert.equal(second.id, first.id);
  const unwrapped = await second.unwrap(wrapped, Buffer.from('aad-1'));
  assert.equal(unwrapped.exposeSecret((await import('../../../src/crypto/secret.js')).SECRET_ACCESS).toString(), 'material');
  await assert.rejects(second.unwrap(wrapped, Buffer.from('aad-2')), RootKeyUnwrapError);
});

test('file root key: a group-readable key file is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rootkey-'));
  const path = join(dir, 'root.key');
  writeFileSync(path, randomBytes(32));
  chmodSync(path, 0o644);
  await assert.rejects(openFileRootKey(path), /readable by group or others/);
});
