// GenerateDataKeyPair: PKCS#8 private key and SPKI public key of one pair, of the right spec.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { SECRET_ACCESS } from '../../../../src/crypto/secret.js';
import { inferKeySpec } from '../../../../src/crypto/specs/asymmetric-key.js';
import { DATA_KEY_PAIR_SPECS, generateDataKeyPair, generateDataKeyPairAsync, isDataKeyPairSpec } from '../../../../src/crypto/specs/data-key-pair.js';
import { spkiKey } from './_support.js';

const pairs = await Promise.all(DATA_KEY_PAIR_SPECS.map(async (spec) => [spec, await generateDataKeyPairAsync(spec)] as const));

test('data key pair specs: the eight AWS DataKeyPairSpec values', () => {
  assert.deepEqual([...DATA_KEY_PAIR_SPECS].sort(), ['ECC_NIST_EDWARDS25519', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'RSA_2048', 'RSA_3072', 'RSA_4096']);
  assert.ok(!isDataKeyPairSpec('ML_DSA_44'));
  assert.ok(!isDataKeyPairSpec('HMAC_256'));
});

test('each pair: the private key is PKCS#8 of the spec, the SPKI is its public key, and they sign/verify', () => {
  for (const [spec, pair] of pairs) {
    const pkcs8 = pair.privateKeyPkcs8.exposeSecret(SECRET_ACCESS);
    assert.equal(inferKeySpec(pkcs8), spec);
    const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    assert.deepEqual(pair.publicKeySpki, createPublicKey(privateKey).export({ format: 'der', type: 'spki' }), spec);
    const message = randomBytes(64);
    const hash = privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256';
    assert.ok(nodeVerify(hash, message, spkiKey(pair.publicKeySpki), nodeSign(hash, message, privateKey)), spec);
  }
});

test('the sync variant, and fresh pairs each time', () => {
  const a = generateDataKeyPair('ECC_NIST_P256');
  const b = generateDataKeyPair('ECC_NIST_P256');
  assert.notDeepEqual(a.publicKeySpki, b.publicKeySpki);
  assert.equal(inferKeySpec(generateDataKeyPair('RSA_2048').privateKeyPkcs8.exposeSecret(SECRET_ACCESS)), 'RSA_2048');
});
