// HMAC key specs (RFC 2104 HMAC over SHA-2, by node:crypto).

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SECRET_ACCESS, SecretMaterial } from '../secret.js';

export type HmacKeySpec = 'HMAC_224' | 'HMAC_256' | 'HMAC_384' | 'HMAC_512';
export type MacAlgorithm = 'HMAC_SHA_224' | 'HMAC_SHA_256' | 'HMAC_SHA_384' | 'HMAC_SHA_512';

const SPECS: Record<HmacKeySpec, { algorithm: MacAlgorithm; keyBytes: number }> = {
  // AWS generates a key as long as the spec says: HMAC_224 is a 224-bit key, and so on.
  HMAC_224: { algorithm: 'HMAC_SHA_224', keyBytes: 28 },
  HMAC_256: { algorithm: 'HMAC_SHA_256', keyBytes: 32 },
  HMAC_384: { algorithm: 'HMAC_SHA_384', keyBytes: 48 },
  HMAC_512: { algorithm: 'HMAC_SHA_512', keyBytes: 64 },
};

const HASH: Record<MacAlgorithm, string> = {
  HMAC_SHA_224: 'sha224',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

export function isHmacKeySpec(spec: string): spec is HmacKeySpec {
  return spec in SPECS;
}

/** Bytes of key material AWS generates for the spec. */
export function hmacKeyLength(spec: HmacKeySpec): number {
  return SPECS[spec].keyBytes;
}

/** The one MAC algorithm each HMAC key spec supports. */
export function macAlgorithmFor(spec: HmacKeySpec): MacAlgorithm {
  return SPECS[spec].algorithm;
}

export function generateHmacKey(spec: HmacKeySpec): SecretMaterial {
  return SecretMaterial.take(randomBytes(SPECS[spec].keyBytes));
}

export function computeMac(algorithm: MacAlgorithm, key: SecretMaterial, message: Uint8Array): Buffer {
  return createHmac(HASH[algorithm], key.exposeSecret(SECRET_ACCESS)).update(message).digest();
}

/** Constant-time comparison; false for a MAC of the wrong length. */
export function verifyMac(algorithm: MacAlgorithm, key: SecretMaterial, message: Uint8Array, mac: Uint8Array): boolean {
  const expected = computeMac(algorithm, key, message);
  return mac.length === expected.length && timingSafeEqual(expected, mac);
}
