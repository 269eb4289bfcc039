// ECDSA (P-256, P-384, P-521, secp256k1) and Ed25519 / Ed25519ph signing, checked with node:crypto
// holding only the SPKI, the openssl command line, and @noble's Ed25519ph verifier.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { ed25519, ed25519ph } from '@noble/curves/ed25519.js';
import { SECRET_ACCESS, type SecretMaterial } from '../../../../src/crypto/secret.js';
import { generatePrivateKey, publicKeySpki, type AsymmetricKeySpec } from '../../../../src/crypto/specs/asymmetric-key.js';
import { digestLengthOf, InvalidSigningInputError, sign, signingAlgorithmsFor, verify, type SigningAlgorithm } from '../../../../src/crypto/specs/signing.js';
import { digest, flipBit, openssl, skipWithoutOpenssl, spkiKey, spkiPem } from './_support.js';

const ECDSA = [
  ['ECC_NIST_P256', 'ECDSA_SHA_256', 'sha256'],
  ['ECC_NIST_P384', 'ECDSA_SHA_384', 'sha384'],
  ['ECC_NIST_P521', 'ECDSA_SHA_512', 'sha512'],
  ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 'sha256'],
] as const;

const keys = new Map<AsymmetricKeySpec, SecretMaterial>(
  [...ECDSA.map(([spec]) => spec), 'ECC_NIST_EDWARDS25519' as const].map((spec) => [spec, generatePrivateKey(spec)]),
);
const keyOf = (spec: AsymmetricKeySpec): SecretMaterial => keys.get(spec)!;

test('signingAlgorithmsFor: AWS pairs each curve with one ECDSA hash; Ed25519 has pure and prehash', () => {
  for (const [spec, algorithm] of ECDSA) assert.deepEqual(signingAlgorithmsFor(spec), [algorithm]);
  assert.deepEqual(signingAlgorithmsFor('ECC_NIST_EDWARDS25519'), ['ED25519_SHA_512', 'ED25519_PH_SHA_512']);
  assert.equal(digestLengthOf('ECDSA_SHA_256'), 32);
  assert.equal(digestLengthOf('ECDSA_SHA_384'), 48);
  assert.equal(digestLengthOf('ECDSA_SHA_512'), 64);
  assert.equal(digestLengthOf('ED25519_PH_SHA_512'), 64);
  assert.equal(digestLengthOf('ED25519_SHA_512'), undefined);
  assert.equal(digestLengthOf('ML_DSA_SHAKE_256'), undefined);
});

for (const [spec, algorithm, hash] of ECDSA) {
  test(`${spec} ${algorithm}: RAW and DIGEST signatures are DER and verify with node from the SPKI alone`, () => {
    const publicKey = spkiKey(publicKeySpki(spec, keyOf(spec)));
    for (let i = 0; i < 5; i++) {
      const message = randomBytes(1 + i * 40);
      const raw = sign(spec, keyOf(spec), algorithm, 'RAW', message);
      const fromDigest = sign(spec, keyOf(spec), algorithm, 'DIGEST', digest(hash, message));
      for (const signature of [raw, fromDigest]) {
        assert.equal(signature[0], 0x30, 'DER SEQUENCE');
        assert.ok(nodeVerify(hash, message, { key: publicKey, dsaEncoding: 'der' }, signature));
        assert.ok(!nodeVerify(hash, Buffer.concat([message, Buffer.of(1)]), { key: publicKey, dsaEncoding: 'der' }, signature));
        assert.ok(verify(spec, keyOf(spec), algorithm, 'RAW', message, signature));
        assert.ok(verify(spec, keyOf(spec), algorithm, 'DIGEST', digest(hash, message), signature));
        assert.ok(!verify(spec, keyOf(spec), algorithm, 'RAW', message, flipBit(signature, signature.length * 8 - 3)));
        assert.ok(!verify(spec, keyOf(spec), algorithm, 'DIGEST', flipBit(digest(hash, message), 0), signature));
        assert.ok(!verify(spec, keyOf(spec), algorithm, 'RAW', randomBytes(10), signature));
      }
    }
  });

  test(`${spec}: DIGEST verify accepts OpenSSL's own signatures, high-S included`, () => {
    const key = createPrivateKey({ key: keyOf(spec).exposeSecret(SECRET_ACCESS), format: 'der', type: 'pkcs8' });
    // 40 OpenSSL signatures: the chance that none has s > n/2 is 2^-40.
    for (let i = 0; i < 40; i++) {
      const message = randomBytes(20);
      const signature = nodeSign(hash, message, { key, dsaEncoding: 'der' });
      assert.ok(verify(spec, keyOf(spec), algorithm, 'DIGEST', digest(hash, message), signature), `signature ${i}`);
    }
  });

  test(`${spec}: malformed signatures are false; wrong digest lengths and other algorithms are refused`, () => {
    const d = digest(hash, Buffer.from('m'));
    for (const signature of [Buffer.alloc(0), Buffer.from('3000', 'hex'), randomBytes(70), Buffer.from('3006020101020101', 'hex')]) {
      assert.equal(verify(spec, keyOf(spec), algorithm, 'RAW', Buffer.from('m'), signature), false);
      assert.equal(verify(spec, keyOf(spec), algorithm, 'DIGEST', d, signature), false);
    }
    for (const length of [0, 20, d.length - 1, d.length + 1]) {
      assert.throws(() => sign(spec, keyOf(spec), algorithm, 'DIGEST', Buffer.alloc(length)), InvalidSigningInputError);
      assert.throws(() => verify(spec, keyOf(spec), algorithm, 'DIGEST', Buffer.alloc(length), Buffer.alloc(70)), InvalidSigningInputError);
    }
    const others: SigningAlgorithm[] = ['ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512', 'RSASSA_PSS_SHA_256', 'ED25519_SHA_512'];
    for (const other of others.filter((a) => a !== algorithm)) {
      assert.throws(() => sign(spec, keyOf(spec), other, 'RAW', Buffer.from('m')), InvalidSigningInputError, other);
    }
    assert.throws(() => sign(spec, keyOf(spec), algorithm, 'EXTERNAL_MU', Buffer.alloc(64)), InvalidSigningInputError);
  });
}

test('ECDSA via openssl dgst -verify: every curve, RAW and DIGEST', { skip: skipWithoutOpenssl }, () => {
  for (const [spec, algorithm, hash] of ECDSA) {
    const pem = spkiPem(publicKeySpki(spec, keyOf(spec)));
    const message = randomBytes(300);
    for (const signature of [sign(spec, keyOf(spec), algorithm, 'RAW', message), sign(spec, keyOf(spec), algorithm, 'DIGEST', digest(hash, message))]) {
      const result = openssl(['dgst', `-${hash}`, '-verify', 'pub.pem', '-signature', 'sig.der', 'msg.bin'], { 'pub.pem': pem, 'sig.der': signature, 'msg.bin': message });
      assert.equal(result.status, 0, `${spec}: ${result.output}`);
      assert.match(result.output, /Verified OK/);
    }
    const bad = openssl(['dgst', `-${hash}`, '-verify', 'pub.pem', '-signature', 'sig.der', 'msg.bin'], {
      'pub.pem': pem,
      'sig.der': sign(spec, keyOf(spec), algorithm, 'RAW', message),
      'msg.bin': Buffer.concat([message, Buffer.of(0)]),
    });
    assert.notEqual(bad.status, 0);
  }
});

// Ed25519.

const ED = 'ECC_NIST_EDWARDS25519';
const edSpki = publicKeySpki(ED, keyOf(ED));
const edRawPublic = edSpki.subarray(12);

test('ED25519_SHA_512: pure Ed25519 over the message; node verifies from the SPKI, so does noble', () => {
  for (const length of [0, 1, 64, 4096]) {
    const message = randomBytes(length);
    const signature = sign(ED, keyOf(ED), 'ED25519_SHA_512', 'RAW', message);
    assert.equal(signature.length, 64);
    assert.ok(nodeVerify(null, message, spkiKey(edSpki), signature));
    assert.ok(ed25519.verify(signature, message, edRawPublic));
    assert.ok(verify(ED, keyOf(ED), 'ED25519_SHA_512', 'RAW', message, signature));
    assert.ok(!verify(ED, keyOf(ED), 'ED25519_SHA_512', 'RAW', Buffer.concat([message, Buffer.of(0)]), signature));
    assert.ok(!verify(ED, keyOf(ED), 'ED25519_SHA_512', 'RAW', message, flipBit(signature, 9)));
  }
});

test('ED25519_PH_SHA_512: Ed25519ph of the 64-byte input (AWS hashes the digest again); noble verifies', () => {
  const message = randomBytes(1000);
  const sha512 = digest('sha512', message);
  const signature = sign(ED, keyOf(ED), 'ED25519_PH_SHA_512', 'DIGEST', sha512);
  assert.equal(signature.length, 64);
  // Ed25519ph over M = the digest: PH(M) = SHA-512(digest), as the AWS Sign reference says.
  assert.ok(ed25519ph.verify(signature, sha512, edRawPublic));
  // Not Ed25519ph of the original message, and not pure Ed25519 of the digest.
  assert.ok(!ed25519ph.verify(signature, message, edRawPublic));
  assert.ok(!ed25519.verify(signature, sha512, edRawPublic));
  assert.ok(!nodeVerify(null, sha512, spkiKey(edSpki), signature));
  // Ed25519ph is deterministic.
  assert.deepEqual(sign(ED, keyOf(ED), 'ED25519_PH_SHA_512', 'DIGEST', sha512), signature);
  assert.ok(verify(ED, keyOf(ED), 'ED25519_PH_SHA_512', 'DIGEST', sha512, signature));
  assert.ok(!verify(ED, keyOf(ED), 'ED25519_PH_SHA_512', 'DIGEST', flipBit(sha512, 100), signature));
  assert.ok(!verify(ED, keyOf(ED), 'ED25519_PH_SHA_512', 'DIGEST', sha512, flipBit(signature, 300)));
  assert.ok(!verify(ED, keyOf(ED), 'ED25519_PH_SHA_512', 'DIGEST', sha512, signature.subarray(1)));
});

test('Ed25519: each algorithm takes only its message type; the prehash digest must be 64 bytes', () => {
  // AWS: "ED25519_SHA_512 signing algorithm requires KMS MessageType:RAW" / "ED25519_PH_SHA_512 ... requires MessageType:DIGEST".
  assert.throws(() => sign(ED, keyOf(ED), 'ED25519_SHA_512', 'DIGEST', Buffer.alloc(64)), InvalidSigningInputError);
  assert.throws(() => sign(ED, keyOf(ED), 'ED25519_PH_SHA_512', 'RAW', Buffer.alloc(64)), InvalidSigningInputError);
  assert.throws(() => verify(ED, keyOf(ED), 'ED25519_PH_SHA_512', 'RAW', Buffer.alloc(64), Buffer.alloc(64)), InvalidSigningInputError);
  for (const length of [0, 32, 63, 65]) {
    assert.throws(() => sign(ED, keyOf(ED), 'ED25519_PH_SHA_512', 'DIGEST', Buffer.alloc(length)), InvalidSigningInputError);
  }
  assert.throws(() => sign(ED, keyOf(ED), 'ECDSA_SHA_512', 'RAW', Buffer.alloc(1)), InvalidSigningInputError);
  for (const signature of [Buffer.alloc(0), Buffer.alloc(63), Buffer.alloc(64), Buffer.alloc(65)]) {
    assert.equal(verify(ED, keyOf(ED), 'ED25519_SHA_512', 'RAW', Buffer.from('m'), signature), false);
    assert.equal(verify(ED, keyOf(ED), 'ED25519_PH_SHA_512', 'DIGEST', Buffer.alloc(64), signature), false);
  }
});

test('ED25519_SHA_512 via openssl pkeyutl -verify -rawin', { skip: skipWithoutOpenssl }, () => {
  const message = randomBytes(77);
  const signature = sign(ED, keyOf(ED), 'ED25519_SHA_512', 'RAW', message);
  const result = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-in', 'msg.bin', '-sigfile', 'sig.bin'], {
    'pub.pem': spkiPem(edSpki),
    'msg.bin': message,
    'sig.bin': signature,
  });
  assert.equal(result.status, 0, result.output);
  assert.match(result.output, /Signature Verified Successfully/);
});
