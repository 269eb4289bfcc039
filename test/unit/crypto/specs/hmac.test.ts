// HMAC key specs: key lengths, RFC 4231 vectors, node's createHmac, constant-time verification.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { SECRET_ACCESS, SecretMaterial } from '../../../../src/crypto/secret.js';
import { computeMac, generateHmacKey, hmacKeyLength, isHmacKeySpec, macAlgorithmFor, verifyMac, type HmacKeySpec, type MacAlgorithm } from '../../../../src/crypto/specs/hmac.js';

const SPECS: [HmacKeySpec, MacAlgorithm, number, string][] = [
  ['HMAC_224', 'HMAC_SHA_224', 28, 'sha224'],
  ['HMAC_256', 'HMAC_SHA_256', 32, 'sha256'],
  ['HMAC_384', 'HMAC_SHA_384', 48, 'sha384'],
  ['HMAC_512', 'HMAC_SHA_512', 64, 'sha512'],
];

test('HMAC specs: key length (bits as named), the one MAC algorithm', () => {
  for (const [spec, algorithm, bytes] of SPECS) {
    assert.ok(isHmacKeySpec(spec));
    assert.equal(hmacKeyLength(spec), bytes);
    assert.equal(macAlgorithmFor(spec), algorithm);
    const key = generateHmacKey(spec);
    assert.equal(key.length, bytes);
    assert.notDeepEqual(key.exposeSecret(SECRET_ACCESS), generateHmacKey(spec).exposeSecret(SECRET_ACCESS));
  }
  assert.ok(!isHmacKeySpec('HMAC_128'));
  assert.ok(!isHmacKeySpec('SYMMETRIC_DEFAULT'));
});

test('RFC 4231 test case 2 ("Jefe"), all four SHA-2 sizes', () => {
  const key = new SecretMaterial(Buffer.from('Jefe'));
  const data = Buffer.from('what do ya want for nothing?');
  const expected: Record<MacAlgorithm, string> = {
    HMAC_SHA_224: 'a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44',
    HMAC_SHA_256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    HMAC_SHA_384: 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
    HMAC_SHA_512: '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
  };
  for (const [algorithm, mac] of Object.entries(expected) as [MacAlgorithm, string][]) {
    assert.equal(computeMac(algorithm, key, data).toString('hex'), mac, algorithm);
    assert.ok(verifyMac(algorithm, key, data, Buffer.from(mac, 'hex')));
  }
});

test('computeMac equals node createHmac; verifyMac refuses tampering and wrong lengths', () => {
  for (const [spec, algorithm, , hash] of SPECS) {
    const key = generateHmacKey(spec);
    for (const length of [0, 1, 4096]) {
      const message = randomBytes(length);
      const mac = computeMac(algorithm, key, message);
      assert.deepEqual(mac, createHmac(hash, key.exposeSecret(SECRET_ACCESS)).update(message).digest());
      assert.ok(verifyMac(algorithm, key, message, mac));
      assert.ok(!verifyMac(algorithm, key, Buffer.concat([message, Buffer.of(0)]), mac));
      const tampered = Buffer.from(mac);
      tampered[0] = tampered[0]! ^ 0x80;
      assert.ok(!verifyMac(algorithm, key, message, tampered));
      assert.ok(!verifyMac(algorithm, key, message, mac.subarray(0, mac.length - 1)));
      assert.ok(!verifyMac(algorithm, key, message, Buffer.concat([mac, Buffer.of(0)])));
      assert.ok(!verifyMac(algorithm, key, message, new Uint8Array(0)));
      assert.ok(!verifyMac(algorithm, generateHmacKey(spec), message, mac));
    }
  }
});
