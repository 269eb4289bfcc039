// ECDH: our shared secret equals the one a peer computes from its private key and our SPKI.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import { generatePrivateKey, publicKeySpki, type AsymmetricKeySpec } from '../../../../src/crypto/specs/asymmetric-key.js';
import { deriveSharedSecret, InvalidPeerKeyError, isKeyAgreementSpec } from '../../../../src/crypto/specs/key-agreement.js';
import { openssl, skipWithoutOpenssl, spkiKey, spkiPem } from './_support.js';

const CURVES = [
  ['ECC_NIST_P256', 'prime256v1', 32],
  ['ECC_NIST_P384', 'secp384r1', 48],
  ['ECC_NIST_P521', 'secp521r1', 66],
] as const;

function peer(namedCurve: string) {
  return generateKeyPairSync('ec', { namedCurve });
}

test('key agreement: the NIST curves only (AWS: secp256k1 and Ed25519 keys are signing-only)', () => {
  for (const [spec] of CURVES) assert.ok(isKeyAgreementSpec(spec));
  for (const spec of ['ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519', 'RSA_2048', 'ML_DSA_44']) assert.ok(!isKeyAgreementSpec(spec));
  const k1 = generatePrivateKey('ECC_SECG_P256K1');
  const k1Peer = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ format: 'der', type: 'spki' });
  assert.throws(() => deriveSharedSecret('ECC_SECG_P256K1', k1, k1Peer), /cannot derive/);
});

for (const [spec, namedCurve, secretBytes] of CURVES) {
  test(`${spec}: the secret equals the peer's crypto.diffieHellman with our SPKI`, () => {
    const ours = generatePrivateKey(spec);
    const ourSpki = publicKeySpki(spec, ours);
    for (let i = 0; i < 3; i++) {
      const other = peer(namedCurve);
      const secret = deriveSharedSecret(spec, ours, other.publicKey.export({ format: 'der', type: 'spki' }));
      assert.equal(secret.length, secretBytes);
      assert.deepEqual(secret, diffieHellman({ privateKey: other.privateKey, publicKey: spkiKey(ourSpki) }));
    }
  });

  test(`${spec}: a peer key on another curve, of another type, or malformed is InvalidPeerKeyError`, () => {
    const ours = generatePrivateKey(spec);
    const others: [string, Uint8Array][] = [
      ...CURVES.filter(([, curve]) => curve !== namedCurve).map(([, curve]) => [curve, peer(curve).publicKey.export({ format: 'der', type: 'spki' })] as [string, Buffer]),
      ['secp256k1', peer('secp256k1').publicKey.export({ format: 'der', type: 'spki' })],
      ['x25519', generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' })],
      ['ed25519', generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' })],
      ['rsa', generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' })],
      ['garbage', randomBytes(91)],
      ['empty', new Uint8Array(0)],
      ['PEM text', Buffer.from(spkiPem(peer(namedCurve).publicKey.export({ format: 'der', type: 'spki' })))],
    ];
    for (const [name, spki] of others) assert.throws(() => deriveSharedSecret(spec, ours, spki), InvalidPeerKeyError, name);
    // A point that is not on the curve: change the last coordinate byte of a valid SPKI.
    const valid = peer(namedCurve).publicKey.export({ format: 'der', type: 'spki' });
    const offCurve = Buffer.from(valid);
    offCurve[offCurve.length - 1] = offCurve[offCurve.length - 1]! ^ 1;
    assert.throws(() => deriveSharedSecret(spec, ours, offCurve), InvalidPeerKeyError);
  });
}

test('ECDH via openssl pkeyutl -derive gives the same secret', { skip: skipWithoutOpenssl }, () => {
  const spec: AsymmetricKeySpec = 'ECC_NIST_P384';
  const ours = generatePrivateKey(spec);
  const other = peer('secp384r1');
  const result = openssl(
    ['pkeyutl', '-derive', '-inkey', 'peer.pem', '-peerkey', 'ours.pem', '-out', 'secret.bin'],
    { 'peer.pem': other.privateKey.export({ format: 'pem', type: 'pkcs8' }), 'ours.pem': spkiPem(publicKeySpki(spec, ours)) },
    ['secret.bin'],
  );
  assert.equal(result.status, 0, result.output);
  assert.deepEqual(result.files['secret.bin'], deriveSharedSecret(spec, ours, other.publicKey.export({ format: 'der', type: 'spki' })));
});
