// Wrapping keys for imported key material (GetParametersForImport, ImportKeyMaterial): RSA key
// pairs whose public half protects the caller's material in transit, and unwrapping per AWS's
// WrappingAlgorithm. Everything is node:crypto (OpenSSL); nothing here is hand-rolled.

import { createDecipheriv } from 'node:crypto';
import { SecretMaterial } from './secret.js';
import { generateKeyPairDerAsync, rsaModulusBits, type KeyPairDer } from './specs/asymmetric-key.js';
import { maxPlaintextLength, rsaDecrypt, type RsaEncryptionAlgorithm } from './specs/rsa-encryption.js';

/** The wrapping algorithms AWS still accepts (RSAES_PKCS1_V1_5 ended on October 10, 2023; SM2PKE is China-only). */
export type WrappingAlgorithm = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256';
/** The RSA wrapping key specs (SM2 is China-only). */
export type WrappingKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';

export const WRAPPING_ALGORITHMS: readonly WrappingAlgorithm[] = [
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'RSA_AES_KEY_WRAP_SHA_1',
  'RSA_AES_KEY_WRAP_SHA_256',
];
export const WRAPPING_KEY_SPECS: readonly WrappingKeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];

export function isWrappingAlgorithm(value: string): value is WrappingAlgorithm {
  return (WRAPPING_ALGORITHMS as readonly string[]).includes(value);
}

export function isWrappingKeySpec(value: string): value is WrappingKeySpec {
  return (WRAPPING_KEY_SPECS as readonly string[]).includes(value);
}

/** AWS: RSA_AES_KEY_WRAP_SHA_* is "a two-step hybrid wrapping algorithm": the material under an AES key, the AES key under RSA-OAEP. */
export function isHybridWrapping(algorithm: WrappingAlgorithm): boolean {
  return algorithm === 'RSA_AES_KEY_WRAP_SHA_1' || algorithm === 'RSA_AES_KEY_WRAP_SHA_256';
}

/** The RSA-OAEP step of each wrapping algorithm (the same primitive RSA ENCRYPT_DECRYPT keys use). */
const OAEP: Record<WrappingAlgorithm, RsaEncryptionAlgorithm> = {
  RSAES_OAEP_SHA_1: 'RSAES_OAEP_SHA_1',
  RSAES_OAEP_SHA_256: 'RSAES_OAEP_SHA_256',
  // AWS: RSA_AES_KEY_WRAP_SHA_256 encrypts "the AES symmetric key with the downloaded RSA public
  // wrapping key and the RSAES_OAEP_SHA_256 wrapping algorithm" (and _SHA_1 with RSAES_OAEP_SHA_1).
  RSA_AES_KEY_WRAP_SHA_1: 'RSAES_OAEP_SHA_1',
  RSA_AES_KEY_WRAP_SHA_256: 'RSAES_OAEP_SHA_256',
};

/** AWS's OpenSSL example wraps with a 256-bit AES key ("openssl rand -out aes-key.bin 32"). */
export const HYBRID_AES_KEY_BYTES = 32;
/** AES key wrap with padding (RFC 5649) and its default initial value A65959A6, as OpenSSL's id-aes256-wrap-pad. */
const KWP_CIPHER = 'id-aes256-wrap-pad';
const KWP_IV = Buffer.from('a65959a6', 'hex');

/** A fresh RSA wrapping key pair: PKCS#8 private key (secret) and the SPKI public key GetParametersForImport returns. */
export function generateWrappingKeyPair(spec: WrappingKeySpec): Promise<KeyPairDer> {
  return generateKeyPairDerAsync(spec);
}

/**
 * The most material bytes RSAES-OAEP can wrap directly with this key spec: RFC 8017's k − 2·hLen − 2
 * (RSA_2048: 214 bytes with SHA-1, 190 with SHA-256). Hybrid algorithms have no such limit.
 */
export function maxDirectlyWrappedBytes(spec: WrappingKeySpec, algorithm: WrappingAlgorithm): number {
  return maxPlaintextLength(spec, OAEP[algorithm]);
}

/**
 * Decrypts wrapped key material with the wrapping private key. RSAES_OAEP_*: the blob is one RSA
 * ciphertext. RSA_AES_KEY_WRAP_*: the RSA-OAEP ciphertext of a 256-bit AES key (as long as the
 * modulus) followed by the material wrapped under that key with AES-KWP (RFC 5649), which is how
 * AWS's OpenSSL example builds it ("cat aes-key-wrapped.bin key-material-wrapped.bin").
 * Returns undefined when the blob does not unwrap (wrong key, algorithm, length or integrity).
 */
export function unwrapKeyMaterial(
  spec: WrappingKeySpec,
  algorithm: WrappingAlgorithm,
  wrappingPrivateKey: SecretMaterial,
  wrapped: Uint8Array,
): SecretMaterial | undefined {
  const modulusBytes = rsaModulusBits(spec) / 8;
  const oaep = (ciphertext: Uint8Array): Buffer | undefined => {
    try {
      return rsaDecrypt(spec, wrappingPrivateKey, OAEP[algorithm], ciphertext);
    } catch {
      // A wrapping key that is not an RSA key of `spec` unwraps nothing.
      return undefined;
    }
  };
  if (!isHybridWrapping(algorithm)) {
    const plain = oaep(wrapped);
    if (!plain) return undefined;
    return SecretMaterial.take(plain);
  }
  const kwp = wrapped.subarray(modulusBytes);
  // RFC 5649: at least two 64-bit blocks, a whole number of them.
  if (wrapped.length <= modulusBytes || kwp.length < 16 || kwp.length % 8 !== 0) return undefined;
  const aesKey = oaep(wrapped.subarray(0, modulusBytes));
  if (!aesKey) return undefined;
  try {
    if (aesKey.length !== HYBRID_AES_KEY_BYTES) return undefined;
    const decipher = createDecipheriv(KWP_CIPHER, aesKey, KWP_IV);
    const parts: Buffer[] = [];
    try {
      parts.push(decipher.update(kwp), decipher.final());
    } catch {
      for (const part of parts) part.fill(0);
      return undefined;
    }
    const plain = Buffer.concat(parts);
    for (const part of parts) part.fill(0);
    return SecretMaterial.take(plain);
  } finally {
    aesKey.fill(0);
  }
}

