// The Ed25519 key that signs audit digests: generated once in the data dir (PKCS#8 PEM, mode 0600,
// created with 'wx' so two processes starting at once never overwrite each other, as
// src/crypto/root-key/file-root-key.ts does for the root key). Verifiers need only the public key
// (publicKeyPem); its fingerprint is named in every digest, as CloudTrail's digestPublicKeyFingerprint.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createOnceOrRead } from '../fs/owner-only-file.js';

export const AUDIT_SIGNING_KEY_FILE = 'audit-signing.key';

export interface AuditSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Hex SHA-256 of the DER SubjectPublicKeyInfo, first 32 digits (CloudTrail's is 32 hex digits too). */
  readonly fingerprint: string;
  publicKeyPem(): string;
}

export async function openAuditSigningKey(path: string): Promise<AuditSigningKey> {
  const { bytes, created } = await createOnceOrRead(path, 'audit signing key file', () =>
    Buffer.from(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })),
  );
  const privateKey = createPrivateKey(bytes);
  if (!created && privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`audit signing key file ${path} must hold an Ed25519 key`);
  return fromPrivateKey(privateKey);
}

function fromPrivateKey(privateKey: KeyObject): AuditSigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: publicKeyFingerprint(publicKey), publicKeyPem: () => publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function publicKeyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32);
}
