// ML-DSA (FIPS 204) signing, RAW and EXTERNAL_MU, checked with @noble/post-quantum's verifier
// given only the public key taken out of the SPKI, and μ recomputed here with @noble/hashes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { generatePrivateKey, publicKeySpki } from '../../../../src/crypto/specs/asymmetric-key.js';
import { InvalidSigningInputError, messageTypesFor, sign, signingAlgorithmsFor, verify } from '../../../../src/crypto/specs/signing.js';
import { flipBit, mlDsaMu } from './_support.js';

const SPECS = [
  ['ML_DSA_44', ml_dsa44, 2420],
  ['ML_DSA_65', ml_dsa65, 3309],
  ['ML_DSA_87', ml_dsa87, 4627],
] as const;

test('ML-DSA keys sign with ML_DSA_SHAKE_256 only, RAW or EXTERNAL_MU', () => {
  for (const [spec] of SPECS) assert.deepEqual(signingAlgorithmsFor(spec), ['ML_DSA_SHAKE_256']);
  assert.deepEqual(messageTypesFor('ML_DSA_SHAKE_256'), ['RAW', 'EXTERNAL_MU']);
});

for (const [spec, dsa, signatureBytes] of SPECS) {
  const key = generatePrivateKey(spec);
  // The raw public key, cut out of the SPKI by its fixed 22-byte header (checked in asymmetric-key.test).
  const publicKey = publicKeySpki(spec, key).subarray(22);

  test(`${spec} RAW: pure ML-DSA with an empty context; noble verifies with the public key`, () => {
    for (const length of [0, 1, 100, 4096]) {
      const message = randomBytes(length);
      const signature = sign(spec, key, 'ML_DSA_SHAKE_256', 'RAW', message);
      assert.equal(signature.length, signatureBytes);
      assert.ok(dsa.verify(signature, message, publicKey));
      assert.ok(!dsa.verify(signature, message, publicKey, { context: Uint8Array.of(1) }));
      assert.ok(verify(spec, key, 'ML_DSA_SHAKE_256', 'RAW', message, signature));
      assert.ok(!verify(spec, key, 'ML_DSA_SHAKE_256', 'RAW', Buffer.concat([message, Buffer.of(0)]), signature));
      assert.ok(!verify(spec, key, 'ML_DSA_SHAKE_256', 'RAW', message, flipBit(signature, 1234)));
    }
  });

  test(`${spec} EXTERNAL_MU: a signature of μ is a RAW signature of the message`, () => {
    const message = randomBytes(10_000); // larger than AWS's 4096-byte RAW limit, the reason for μ
    const mu = mlDsaMu(publicKey, message);
    const signature = sign(spec, key, 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', mu);
    assert.equal(signature.length, signatureBytes);
    // AWS: "The signatures produced by the externally computed μ are the same as the RAW ones."
    assert.ok(dsa.verify(signature, message, publicKey));
    assert.ok(verify(spec, key, 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', mu, signature));
    assert.ok(verify(spec, key, 'ML_DSA_SHAKE_256', 'RAW', message, signature));
    // And a RAW signature verifies through μ.
    const raw = sign(spec, key, 'ML_DSA_SHAKE_256', 'RAW', message.subarray(0, 4096));
    assert.ok(verify(spec, key, 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', mlDsaMu(publicKey, message.subarray(0, 4096)), raw));
    assert.ok(!verify(spec, key, 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', flipBit(mu, 7), signature));
    assert.ok(!verify(spec, key, 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', mu, flipBit(signature, 50)));
  });

  test(`${spec}: μ must be 64 bytes; DIGEST and other algorithms are refused; bad signatures are false`, () => {
    for (const length of [0, 32, 63, 65]) {
      assert.throws(() => sign(spec, key, 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', Buffer.alloc(length)), InvalidSigningInputError);
      assert.throws(() => verify(spec, key, 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', Buffer.alloc(length), Buffer.alloc(signatureBytes)), InvalidSigningInputError);
    }
    assert.throws(() => sign(spec, key, 'ML_DSA_SHAKE_256', 'DIGEST', Buffer.alloc(64)), InvalidSigningInputError);
    assert.throws(() => sign(spec, key, 'ED25519_SHA_512', 'RAW', Buffer.alloc(1)), InvalidSigningInputError);
    for (const signature of [Buffer.alloc(0), Buffer.alloc(signatureBytes - 1), Buffer.alloc(signatureBytes), randomBytes(signatureBytes), Buffer.alloc(signatureBytes + 1)]) {
      assert.equal(verify(spec, key, 'ML_DSA_SHAKE_256', 'RAW', Buffer.from('m'), signature), false);
      assert.equal(verify(spec, key, 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', Buffer.alloc(64), signature), false);
    }
  });
}
