// Wrapping keys and unwrapping of imported key material, the stateless import token, and the
// import rules that need no server (algorithm choice, material checks, key state from materials).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createCipheriv, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateWrappingKeyPair,
  maxDirectlyWrappedBytes,
  unwrapKeyMaterial,
  type WrappingKeySpec,
} from '../../../src/crypto/import-wrapping.js';
import { SECRET_ACCESS, SecretMaterial } from '../../../src/crypto/secret.js';
import { openFileRootKey } from '../../../src/crypto/root-key/file-root-key.js';
import type { KmsServices } from '../../../src/kms/context.js';
import { MAX_IMPORT_TOKEN_BYTES, openImportToken, sealImportToken } from '../../../src/kms/import-token.js';
import type { KeyRecord, MaterialRecord } from '../../../src/kms/model/key.js';
import {
  acceptImportedMaterial,
  allowedWrappingAlgorithms,
  checkWrappingChoice,
  materialFingerprint,
} from '../../../src/kms/operations/import/common.js';
import { keyWithMaterials } from '../../../src/kms/model/material.js';
import { wrapLikeAClient } from '../../helpers/wrap-key-material.js';

const pair2048 = generateWrappingKeyPair('RSA_2048');

const reveal = (secret: SecretMaterial | undefined) => secret?.exposeSecret(SECRET_ACCESS);

test('every wrapping algorithm round-trips with an RSA_2048 wrapping key', async () => {
  const pair = await pair2048;
  const material = randomBytes(32);
  for (const algorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'] as const) {
    const wrapped = wrapLikeAClient(pair.publicKeySpki, algorithm, material);
    assert.deepEqual(reveal(unwrapKeyMaterial('RSA_2048', algorithm, pair.privateKeyPkcs8, wrapped)), material, algorithm);
  }
});

test('RSA_AES_KEY_WRAP carries material longer than RSA-OAEP could (an RSA_2048 private key)', async () => {
  const pair = await pair2048;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'der' }, publicKeyEncoding: { type: 'spki', format: 'der' } });
  assert.ok(privateKey.length > maxDirectlyWrappedBytes('RSA_2048', 'RSAES_OAEP_SHA_1'));
  const wrapped = wrapLikeAClient(pair.publicKeySpki, 'RSA_AES_KEY_WRAP_SHA_256', privateKey);
  assert.deepEqual(reveal(unwrapKeyMaterial('RSA_2048', 'RSA_AES_KEY_WRAP_SHA_256', pair.privateKeyPkcs8, wrapped)), privateKey);
});

test('AES key wrap with padding matches an independent RFC 5649 implementation (pyca/cryptography)', () => {
  // aes_key_wrap_with_padding(bytes(range(32)), bytes(range(100, 150))) in Python's cryptography 48.0.0.
  const expected = 'a1d06a10f07edd229b6e599f1c10837ac0b5d17944f056e790111c0b71887446f78d1ac28f94ee0c2394344f5b4378bcc363c965a1bab78f583e59063fb8b36f';
  const kek = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
  const material = Buffer.from(Array.from({ length: 50 }, (_, i) => 100 + i));
  const cipher = createCipheriv('id-aes256-wrap-pad', kek, Buffer.from('a65959a6', 'hex'));
  assert.equal(Buffer.concat([cipher.update(material), cipher.final()]).toString('hex'), expected);
});

test('RSA-OAEP capacity is k - 2hLen - 2, as AWS states for RSA_2048 and ECC_NIST_P521', () => {
  assert.equal(maxDirectlyWrappedBytes('RSA_2048', 'RSAES_OAEP_SHA_1'), 214);
  assert.equal(maxDirectlyWrappedBytes('RSA_2048', 'RSAES_OAEP_SHA_256'), 190);
  assert.equal(maxDirectlyWrappedBytes('RSA_3072', 'RSAES_OAEP_SHA_256'), 318);
  assert.equal(maxDirectlyWrappedBytes('RSA_4096', 'RSAES_OAEP_SHA_1'), 470);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp521r1', privateKeyEncoding: { type: 'pkcs8', format: 'der' }, publicKeyEncoding: { type: 'spki', format: 'der' } });
  // "You cannot use an RSA_2048 public key to directly wrap an ECC_NIST_P521 private key."
  assert.ok(privateKey.length > maxDirectlyWrappedBytes('RSA_2048', 'RSAES_OAEP_SHA_1'));
  assert.ok(privateKey.length <= maxDirectlyWrappedBytes('RSA_3072', 'RSAES_OAEP_SHA_256'));
});

test('unwrapping fails closed: another algorithm, wrong lengths, a flipped bit, a short AES key, another wrapping key', async () => {
  const pair = await pair2048;
  const other = await generateWrappingKeyPair('RSA_2048');
  const material = randomBytes(32);
  const oaep256 = wrapLikeAClient(pair.publicKeySpki, 'RSAES_OAEP_SHA_256', material);
  assert.equal(unwrapKeyMaterial('RSA_2048', 'RSAES_OAEP_SHA_1', pair.privateKeyPkcs8, oaep256), undefined);
  assert.equal(unwrapKeyMaterial('RSA_2048', 'RSAES_OAEP_SHA_256', other.privateKeyPkcs8, oaep256), undefined);
  assert.equal(unwrapKeyMaterial('RSA_2048', 'RSAES_OAEP_SHA_256', pair.privateKeyPkcs8, oaep256.subarray(1)), undefined);
  assert.equal(unwrapKeyMaterial('RSA_3072', 'RSAES_OAEP_SHA_256', pair.privateKeyPkcs8, oaep256), undefined);
  const hybrid = wrapLikeAClient(pair.publicKeySpki, 'RSA_AES_KEY_WRAP_SHA_256', material);
  for (const i of [0, 255, 256, hybrid.length - 1]) {
    const altered = Buffer.from(hybrid);
    altered[i] = altered[i]! ^ 0x01;
    assert.equal(unwrapKeyMaterial('RSA_2048', 'RSA_AES_KEY_WRAP_SHA_256', pair.privateKeyPkcs8, altered), undefined, `byte ${i}`);
  }
  assert.equal(unwrapKeyMaterial('RSA_2048', 'RSA_AES_KEY_WRAP_SHA_256', pair.privateKeyPkcs8, hybrid.subarray(0, 256)), undefined);
  assert.equal(unwrapKeyMaterial('RSA_2048', 'RSA_AES_KEY_WRAP_SHA_256', pair.privateKeyPkcs8, hybrid.subarray(0, hybrid.length - 4)), undefined);
  assert.equal(unwrapKeyMaterial('RSA_2048', 'RSA_AES_KEY_WRAP_SHA_1', pair.privateKeyPkcs8, hybrid), undefined);
  // A 128-bit AES key: AWS's construction uses a 256-bit one.
  const key = createPublicKey({ key: pair.publicKeySpki, format: 'der', type: 'spki' });
  const aes128 = randomBytes(16);
  const kwp = createCipheriv('id-aes128-wrap-pad', aes128, Buffer.from('a65959a6', 'hex'));
  const short = Buffer.concat([publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, aes128), kwp.update(material), kwp.final()]);
  assert.equal(unwrapKeyMaterial('RSA_2048', 'RSA_AES_KEY_WRAP_SHA_256', pair.privateKeyPkcs8, short), undefined);
});

async function tokenServices(): Promise<KmsServices> {
  const rootKey = await openFileRootKey(join(mkdtempSync(join(tmpdir(), 'import-token-')), 'root.key'));
  return { rootKey } as unknown as KmsServices;
}

const ARN = 'arn:aws:kms:ap-southeast-2:111122223333:key/0d6bc6ab-4a8b-4bb4-9e46-1c2b1e5d3f10';
const OTHER_ARN = 'arn:aws:kms:ap-southeast-2:111122223333:key/7e1c6ab0-0000-4bb4-9e46-1c2b1e5d3f10';

test('import token: opens only for its key, carries the wrapping key and parameters, fails when altered', async () => {
  const services = await tokenServices();
  const pair = await pair2048;
  const expiresAt = Date.UTC(2030, 0, 1);
  const token = await sealImportToken(services, ARN, { algorithm: 'RSA_AES_KEY_WRAP_SHA_1', wrappingKeySpec: 'RSA_2048', expiresAt, wrappingPrivateKey: pair.privateKeyPkcs8 });
  assert.ok(!token.includes(pair.privateKeyPkcs8.exposeSecret(SECRET_ACCESS).subarray(40, 80)), 'the private key is not in the clear');
  const opened = await openImportToken(services, ARN, token);
  assert.ok(opened);
  assert.equal(opened.algorithm, 'RSA_AES_KEY_WRAP_SHA_1');
  assert.equal(opened.wrappingKeySpec, 'RSA_2048');
  assert.equal(opened.expiresAt, expiresAt);
  assert.deepEqual(reveal(opened.wrappingPrivateKey), reveal(pair.privateKeyPkcs8));
  assert.equal(await openImportToken(services, OTHER_ARN, token), undefined, 'a token of another key');
  for (const i of [0, 1, 20, token.length - 1]) {
    const altered = Buffer.from(token);
    altered[i] = altered[i]! ^ 0x80;
    assert.equal(await openImportToken(services, ARN, altered), undefined, `byte ${i}`);
  }
  assert.equal(await openImportToken(services, ARN, token.subarray(0, 30)), undefined);
  assert.equal(await openImportToken(await tokenServices(), ARN, token), undefined, 'another root key');
});

test('import token: RSA_4096 fits the 6144-byte CiphertextType limit', async () => {
  const services = await tokenServices();
  const spec: WrappingKeySpec = 'RSA_4096';
  const pair = await generateWrappingKeyPair(spec);
  const token = await sealImportToken(services, ARN, { algorithm: 'RSAES_OAEP_SHA_256', wrappingKeySpec: spec, expiresAt: Date.now(), wrappingPrivateKey: pair.privateKeyPkcs8 });
  assert.ok(token.length <= MAX_IMPORT_TOKEN_BYTES && token.length < 2600, `${token.length} bytes`);
  assert.ok(await openImportToken(services, ARN, token));
});

function key(overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    arn: ARN, keyId: '0d6bc6ab-4a8b-4bb4-9e46-1c2b1e5d3f10', accountId: '111122223333', region: 'ap-southeast-2', createdAt: 0,
    description: '', keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT', origin: 'EXTERNAL', keyManager: 'CUSTOMER',
    state: 'PendingImport', multiRegion: false, policy: '{}', version: 1, ...overrides,
  };
}

test('wrapping algorithms per key material, as AWS tabulates them', () => {
  assert.deepEqual(allowedWrappingAlgorithms('SYMMETRIC_DEFAULT'), ['RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1']);
  assert.deepEqual(allowedWrappingAlgorithms('HMAC_384'), ['RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1']);
  assert.deepEqual(allowedWrappingAlgorithms('RSA_3072'), ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1']);
  assert.equal(allowedWrappingAlgorithms('ECC_NIST_P256').length, 4);
  assert.deepEqual(checkWrappingChoice(key(), 'RSAES_OAEP_SHA_1', 'RSA_4096'), { algorithm: 'RSAES_OAEP_SHA_1', wrappingKeySpec: 'RSA_4096' });
  assert.throws(() => checkWrappingChoice(key({ keySpec: 'RSA_2048' }), 'RSAES_OAEP_SHA_256', 'RSA_4096'), { name: 'UnsupportedOperationException' });
  assert.throws(() => checkWrappingChoice(key({ keySpec: 'ECC_NIST_P521', keyUsage: 'SIGN_VERIFY' }), 'RSAES_OAEP_SHA_1', 'RSA_2048'), /RSA_2048 public key to directly wrap an ECC_NIST_P521/);
  assert.deepEqual(checkWrappingChoice(key({ keySpec: 'ECC_NIST_P521', keyUsage: 'SIGN_VERIFY' }), 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_2048').algorithm, 'RSA_AES_KEY_WRAP_SHA_1');
  assert.throws(() => checkWrappingChoice(key({ keySpec: 'ML_DSA_44', keyUsage: 'SIGN_VERIFY' }), 'RSAES_OAEP_SHA_1', 'RSA_2048'), /does not support imported key material/);
  assert.throws(() => checkWrappingChoice(key(), 'RSAES_PKCS1_V1_5', 'RSA_2048'), /As of October 10, 2023/);
  assert.throws(() => checkWrappingChoice(key(), 'SM2PKE', 'SM2'), /China Regions/);
});

test('imported material must fit the key spec: 32 bytes, HMAC lengths, PKCS#8 private keys of the spec', () => {
  const check = (k: KeyRecord, bytes: Buffer) => acceptImportedMaterial(k, new SecretMaterial(bytes));
  assert.equal(check(key(), randomBytes(32)).length, 32);
  assert.throws(() => check(key(), randomBytes(16)), { name: 'IncorrectKeyMaterialException', message: /must be 256 bits \(32 bytes\); the imported key material is 16 bytes/ });
  const hmac = key({ keySpec: 'HMAC_384', keyUsage: 'GENERATE_VERIFY_MAC' });
  assert.equal(check(hmac, randomBytes(48)).length, 48);
  assert.equal(check(hmac, randomBytes(128)).length, 128);
  assert.throws(() => check(hmac, randomBytes(47)), { name: 'IncorrectKeyMaterialException' });
  assert.throws(() => check(hmac, randomBytes(129)), { name: 'IncorrectKeyMaterialException' });
  const ec = key({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  assert.ok(check(ec, p256.export({ type: 'pkcs8', format: 'der' })).length > 0);
  assert.throws(() => check(ec, p256.export({ type: 'sec1', format: 'der' })), /DER-encoded PKCS #8 private key/);
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
  assert.throws(() => check(ec, p384.export({ type: 'pkcs8', format: 'der' })), /is not a ECC_NIST_P256 private key/);
});

test('the fingerprint depends on the key id and the material only', () => {
  const m = new SecretMaterial(Buffer.alloc(32, 7));
  assert.deepEqual(materialFingerprint('a', m), materialFingerprint('a', new SecretMaterial(Buffer.alloc(32, 7))));
  assert.notDeepEqual(materialFingerprint('a', m), materialFingerprint('b', m));
  assert.notDeepEqual(materialFingerprint('a', m), materialFingerprint('a', new SecretMaterial(Buffer.alloc(32, 8))));
});

test('key state and expiry follow the associated materials', () => {
  const material = (id: string, extra: Partial<MaterialRecord>): MaterialRecord => ({
    keyArn: ARN, materialId: id, wrapped: Buffer.from([1]), createdAt: 0, state: 'CURRENT', importState: 'IMPORTED', ...extra,
  });
  const current = material('m1', { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: 5000 });
  const old = material('m0', { state: 'NON_CURRENT', expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: 3000 });
  const pending = material('m2', { state: 'PENDING_ROTATION', expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: 1000 });
  const enabled = keyWithMaterials(key({ currentMaterialId: 'm1' }), [old, current, pending]);
  assert.equal(enabled.state, 'Enabled');
  // The earliest ValidTo of the associated materials; pending rotation material is not associated.
  assert.equal(enabled.validTo, 3000);
  assert.equal(enabled.expirationModel, 'KEY_MATERIAL_EXPIRES');
  const oldGone = keyWithMaterials(enabled, [{ ...old, wrapped: Buffer.alloc(0), importState: 'PENDING_IMPORT' }, current]);
  assert.equal(oldGone.state, 'PendingImport');
  assert.equal(oldGone.validTo, 5000);
  assert.equal(keyWithMaterials(key({ currentMaterialId: 'm1', state: 'Disabled' }), [current]).state, 'Disabled');
  assert.equal(keyWithMaterials(key({ currentMaterialId: 'm1', state: 'PendingDeletion' }), []).state, 'PendingDeletion');
  const forever = keyWithMaterials(key({ currentMaterialId: 'm1' }), [{ ...current, expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', validTo: undefined } as MaterialRecord]);
  assert.equal(forever.expirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
  assert.equal(forever.validTo, undefined);
});
