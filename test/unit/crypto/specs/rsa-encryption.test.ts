// RSAES-OAEP against node's own publicEncrypt / privateDecrypt, and AWS's plaintext limits.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createPrivateKey, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { SECRET_ACCESS, type SecretMaterial } from '../../../../src/crypto/secret.js';
import { generatePrivateKeyAsync, publicKeySpki, type RsaKeySpec } from '../../../../src/crypto/specs/asymmetric-key.js';
import { maxPlaintextLength, rsaDecrypt, rsaEncrypt, type RsaEncryptionAlgorithm } from '../../../../src/crypto/specs/rsa-encryption.js';
import { openssl, skipWithoutOpenssl, spkiKey, spkiPem } from './_support.js';

const SPECS: RsaKeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];
const ALGORITHMS = [
  ['RSAES_OAEP_SHA_1', 'sha1'],
  ['RSAES_OAEP_SHA_256', 'sha256'],
] as const;
const keys = new Map<RsaKeySpec, SecretMaterial>(await Promise.all(SPECS.map(async (spec) => [spec, await generatePrivateKeyAsync(spec)] as const)));

test('maxPlaintextLength: the AWS Encrypt reference table', () => {
  const aws: Record<RsaKeySpec, Record<RsaEncryptionAlgorithm, number>> = {
    RSA_2048: { RSAES_OAEP_SHA_1: 214, RSAES_OAEP_SHA_256: 190 },
    RSA_3072: { RSAES_OAEP_SHA_1: 342, RSAES_OAEP_SHA_256: 318 },
    RSA_4096: { RSAES_OAEP_SHA_1: 470, RSAES_OAEP_SHA_256: 446 },
  };
  for (const spec of SPECS) for (const [algorithm] of ALGORITHMS) assert.equal(maxPlaintextLength(spec, algorithm), aws[spec][algorithm]);
});

for (const spec of SPECS) {
  for (const [algorithm, oaepHash] of ALGORITHMS) {
    test(`${spec} ${algorithm}: interoperates with node's OAEP both ways, up to the maximum length`, () => {
      const key = keys.get(spec)!;
      const publicKey = spkiKey(publicKeySpki(spec, key));
      const privateKey = createPrivateKey({ key: key.exposeSecret(SECRET_ACCESS), format: 'der', type: 'pkcs8' });
      const max = maxPlaintextLength(spec, algorithm);
      for (const length of [0, 1, 32, max]) {
        const plaintext = randomBytes(length);
        const byNode = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);
        assert.deepEqual(rsaDecrypt(spec, key, algorithm, byNode), plaintext);
        const byUs = rsaEncrypt(spec, key, algorithm, plaintext);
        assert.equal(byUs.length, Number(spec.slice(4)) / 8);
        assert.deepEqual(privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, byUs), plaintext);
        assert.deepEqual(rsaDecrypt(spec, key, algorithm, byUs), plaintext);
      }
      // One byte over the maximum: we refuse, and so does OpenSSL (the limit is OAEP's, not ours).
      assert.throws(() => rsaEncrypt(spec, key, algorithm, randomBytes(max + 1)));
      assert.throws(() => publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, randomBytes(max + 1)));
    });
  }
}

test('rsaDecrypt: wrong algorithm, wrong key, tampered or ill-sized ciphertext is undefined', () => {
  const spec = 'RSA_2048';
  const key = keys.get(spec)!;
  const ciphertext = rsaEncrypt(spec, key, 'RSAES_OAEP_SHA_256', Buffer.from('secret'));
  assert.equal(rsaDecrypt(spec, key, 'RSAES_OAEP_SHA_1', ciphertext), undefined);
  const tampered = Buffer.from(ciphertext);
  tampered[10] = tampered[10]! ^ 1;
  assert.equal(rsaDecrypt(spec, key, 'RSAES_OAEP_SHA_256', tampered), undefined);
  for (const bad of [Buffer.alloc(0), ciphertext.subarray(1), Buffer.concat([ciphertext, Buffer.of(0)]), Buffer.alloc(256, 0xff), Buffer.alloc(256)]) {
    assert.equal(rsaDecrypt(spec, key, 'RSAES_OAEP_SHA_256', bad), undefined);
  }
  const other = rsaEncrypt('RSA_3072', keys.get('RSA_3072')!, 'RSAES_OAEP_SHA_256', Buffer.from('secret'));
  assert.equal(rsaDecrypt('RSA_3072', keys.get('RSA_3072')!, 'RSAES_OAEP_SHA_256', other)?.toString(), 'secret');
  assert.equal(rsaDecrypt(spec, key, 'RSAES_OAEP_SHA_256', other), undefined);
});

test('rsaEncrypt output decrypts with openssl pkeyutl (OAEP, MGF1 of the same hash)', { skip: skipWithoutOpenssl }, () => {
  const spec = 'RSA_2048';
  const key = keys.get(spec)!;
  const keyPem = createPrivateKey({ key: key.exposeSecret(SECRET_ACCESS), format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' });
  for (const [algorithm, hash] of ALGORITHMS) {
    const plaintext = randomBytes(100);
    const oaep = ['-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${hash}`, '-pkeyopt', `rsa_mgf1_md:${hash}`];
    const decrypted = openssl(['pkeyutl', '-decrypt', '-inkey', 'key.pem', '-in', 'ct.bin', ...oaep, '-out', 'pt.bin'], { 'key.pem': keyPem, 'ct.bin': rsaEncrypt(spec, key, algorithm, plaintext) }, ['pt.bin']);
    assert.equal(decrypted.status, 0, decrypted.output);
    assert.deepEqual(decrypted.files['pt.bin'], plaintext);
    // And the reverse: openssl encrypts with the SPKI alone, we decrypt.
    const encrypted = openssl(['pkeyutl', '-encrypt', '-pubin', '-inkey', 'pub.pem', '-in', 'pt.bin', ...oaep, '-out', 'ct.bin'], { 'pub.pem': spkiPem(publicKeySpki(spec, key)), 'pt.bin': plaintext }, ['ct.bin']);
    assert.equal(encrypted.status, 0, encrypted.output);
    assert.deepEqual(rsaDecrypt(spec, key, algorithm, encrypted.files['ct.bin']!), plaintext);
  }
});
