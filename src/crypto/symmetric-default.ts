// SYMMETRIC_DEFAULT: AES-256-GCM under a one-time key derived per message.
// With random 96-bit nonces NIST caps one key at 2^32 messages; deriving a fresh key from the
// backing key and a random 128-bit salt (HKDF-SHA-256) for every message removes that ceiling.

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { canonicalEncryptionContext, type EncryptionContext } from './encryption-context.js';
import { decodeBlob, encodeHeader, NONCE_BYTES, SALT_BYTES, type CiphertextBlob } from './ciphertext-blob.js';
import { SECRET_ACCESS, type SecretMaterial } from './secret.js';

const HKDF_INFO = Buffer.from('kms-server/v1/symmetric-default', 'ascii');

export interface SealInput {
  readonly keyId: string;
  readonly materialId: string;
  readonly backingKey: SecretMaterial;
  readonly plaintext: Uint8Array;
  readonly context?: EncryptionContext;
}

export function sealSymmetric(input: SealInput): Buffer {
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const header = encodeHeader(input.keyId, input.materialId, salt, nonce);
  const key = deriveMessageKey(input.backingKey, salt, header);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.concat([header, canonicalEncryptionContext(input.context)]));
    const body = Buffer.concat([cipher.update(input.plaintext), cipher.final()]);
    return Buffer.concat([header, body, cipher.getAuthTag()]);
  } finally {
    key.fill(0);
  }
}

/** Returns the plaintext, or undefined when the tag does not verify (wrong key, context or bytes). */
export function openSymmetric(blob: CiphertextBlob, backingKey: SecretMaterial, context?: EncryptionContext): Buffer | undefined {
  const key = deriveMessageKey(backingKey, blob.salt, blob.header);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, blob.nonce);
    decipher.setAAD(Buffer.concat([blob.header, canonicalEncryptionContext(context)]));
    decipher.setAuthTag(blob.tag);
    return Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  } finally {
    key.fill(0);
  }
}

export { decodeBlob };

function deriveMessageKey(backingKey: SecretMaterial, salt: Buffer, header: Buffer): Buffer {
  // The header (key id, material id, salt, nonce) goes into the info so a derived key is bound to
  // exactly one blob header.
  const info = Buffer.concat([HKDF_INFO, header]);
  return Buffer.from(hkdfSync('sha256', backingKey.exposeSecret(SECRET_ACCESS), salt, info, 32));
}
