// RSAES-OAEP for RSA ENCRYPT_DECRYPT keys, by node:crypto (OpenSSL): MGF1 with the same hash as
// the OAEP hash, empty label, as AWS KMS encrypts.

import { constants, createPublicKey, privateDecrypt, publicEncrypt } from 'node:crypto';
import type { SecretMaterial } from '../secret.js';
import { rsaModulusBits, withPrivateKey, type RsaKeySpec } from './asymmetric-key.js';

export type RsaEncryptionAlgorithm = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256';

const OAEP_HASH: Record<RsaEncryptionAlgorithm, { name: 'sha1' | 'sha256'; length: number }> = {
  RSAES_OAEP_SHA_1: { name: 'sha1', length: 20 },
  RSAES_OAEP_SHA_256: { name: 'sha256', length: 32 },
};


/**
 * AWS's maximum plaintext lengths. AWS (Encrypt API reference): "RSA_2048 RSAES_OAEP_SHA_1: 214
 * bytes, RSAES_OAEP_SHA_256: 190 bytes; RSA_3072 ... 342 / 318 bytes; RSA_4096 ... 470 / 446
 * bytes", which is RFC 8017's k − 2·hLen − 2.
 */
export function maxPlaintextLength(spec: RsaKeySpec, algorithm: RsaEncryptionAlgorithm): number {
  return rsaModulusBits(spec) / 8 - 2 * OAEP_HASH[algorithm].length - 2;
}

export function rsaEncrypt(spec: RsaKeySpec, privateKey: SecretMaterial, algorithm: RsaEncryptionAlgorithm, plaintext: Uint8Array): Buffer {
  const max = maxPlaintextLength(spec, algorithm);
  if (plaintext.length > max) throw new Error(`${algorithm} with ${spec} takes at most ${max} bytes of plaintext`);
  return withPrivateKey(spec, privateKey, (loaded) => {
    if (loaded.kind !== 'node') throw new Error('not an RSA key');
    const key = createPublicKey(loaded.key);
    return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm].name }, plaintext);
  });
}

/** The plaintext, or undefined on any failure (wrong length, wrong key or algorithm, bad padding). */
export function rsaDecrypt(spec: RsaKeySpec, privateKey: SecretMaterial, algorithm: RsaEncryptionAlgorithm, ciphertext: Uint8Array): Buffer | undefined {
  if (ciphertext.length !== rsaModulusBits(spec) / 8) return undefined;
  return withPrivateKey(spec, privateKey, (loaded) => {
    if (loaded.kind !== 'node') return undefined;
    try {
      return privateDecrypt({ key: loaded.key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm].name }, ciphertext);
    } catch {
      return undefined;
    }
  });
}
