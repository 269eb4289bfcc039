// Steps shared by the symmetric cryptographic operations: usage and algorithm checks, sealing
// under a key's current material, and opening a blob under the material it names.

import {
  DryRunOperationException,
  IncorrectKeyException,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  KMSInternalException,
} from '../../../errors/aws-errors.js';
import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import { decodeBlob, openSymmetric, sealSymmetric } from '../../../crypto/symmetric-default.js';
import type { Caller, KmsServices } from '../../context.js';
import { getLiveKey, resolveKeyInState } from '../../key-resolver.js';
import { CRYPTO_RULE, enforceKeyState } from '../../model/key-state.js';
import type { KeyRecord } from '../../model/key.js';

export const SYMMETRIC_DEFAULT = 'SYMMETRIC_DEFAULT';

/** Precondition: the key's usage is ENCRYPT_DECRYPT and the algorithm fits its spec. */
export function ensureEncryptDecrypt(key: KeyRecord, operation: string, algorithm: string | undefined): void {
  if (key.keyUsage !== 'ENCRYPT_DECRYPT') {
    throw new InvalidKeyUsageException(`${key.arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`);
  }
  if (key.keySpec === 'SYMMETRIC_DEFAULT' && algorithm !== undefined && algorithm !== SYMMETRIC_DEFAULT) {
    throw new InvalidKeyUsageException(`The encryption algorithm ${algorithm} is not valid for ${key.arn}.`);
  }
}

/** Resolves a key for encryption under AWS's key-state table and usage rules. */
export async function keyForEncryption(
  services: KmsServices,
  caller: Caller,
  keyIdentifier: string,
  operation: string,
  algorithm: string | undefined,
): Promise<KeyRecord> {
  const key = await resolveKeyInState(services, caller, keyIdentifier, CRYPTO_RULE);
  ensureEncryptDecrypt(key, operation, algorithm);
  return key;
}

export function throwIfDryRun(input: Readonly<Record<string, unknown>>): void {
  if (input.DryRun === true) throw new DryRunOperationException();
}

export async function sealUnderKey(
  services: KmsServices,
  key: KeyRecord,
  plaintext: Uint8Array,
  context: EncryptionContext | undefined,
): Promise<{ ciphertext: Buffer; materialId: string }> {
  const materialId = key.currentMaterialId;
  const material = materialId && (await services.store.getMaterial(key.arn, materialId));
  if (!materialId || !material) throw new KMSInternalException('The key has no current key material.');
  const backingKey = await services.materials.unwrap(material);
  return { ciphertext: sealSymmetric({ keyId: key.keyId, materialId, backingKey, plaintext, ...(context ? { context } : {}) }), materialId };
}

export interface OpenedCiphertext {
  readonly key: KeyRecord;
  readonly plaintext: Buffer;
  readonly materialId: string;
}

/** Decrypts a symmetric blob in the caller's scope; `keyIdentifier`, when given, must name the blob's key. */
export async function openCiphertext(
  services: KmsServices,
  caller: Caller,
  blobBytes: Uint8Array,
  context: EncryptionContext | undefined,
  keyIdentifier: string | undefined,
  algorithm: string | undefined,
  operation: string,
): Promise<OpenedCiphertext> {
  const blob = decodeBlob(blobBytes);
  let key: KeyRecord;
  if (keyIdentifier !== undefined) {
    key = await resolveKeyInState(services, caller, keyIdentifier, CRYPTO_RULE);
    ensureEncryptDecrypt(key, operation, algorithm);
    if (!blob) throw new InvalidCiphertextException();
    // AWS: IncorrectKeyException when the KeyId does not identify the key the ciphertext was made with.
    if (blob.keyId !== key.keyId) {
      throw new IncorrectKeyException('The key ID in the request does not identify a CMK that can perform this operation.');
    }
  } else {
    if (!blob) throw new InvalidCiphertextException();
    key = await getLiveKey(services, caller.scope, blob.keyId);
    enforceKeyState(CRYPTO_RULE, key.state, key.arn);
    ensureEncryptDecrypt(key, operation, algorithm);
  }
  const material = await services.store.getMaterial(key.arn, blob.materialId);
  if (!material) throw new InvalidCiphertextException();
  const backingKey = await services.materials.unwrap(material);
  const plaintext = openSymmetric(blob, backingKey, context);
  if (!plaintext) throw new InvalidCiphertextException();
  return { key, plaintext, materialId: blob.materialId };
}
