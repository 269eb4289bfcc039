// Steps shared by the encryption operations: usage and algorithm checks, sealing under a key
// (symmetric blob or RSA-OAEP), and the decrypting side of Decrypt and ReEncrypt: locating the key
// a ciphertext blob names, its checks, and opening the ciphertext.

import {
  DryRunOperationException,
  IncorrectKeyException,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  KMSInvalidStateException,
  UnsupportedOperationException,
  ValidationException,
} from '../../../errors/aws-errors.js';
import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import { decodeBlob, openSymmetric, sealSymmetric } from '../../../crypto/symmetric-default.js';
import type { CiphertextBlob } from '../../../crypto/ciphertext-blob.js';
import { maxPlaintextLength, rsaDecrypt, rsaEncrypt, type RsaEncryptionAlgorithm } from '../../../crypto/specs/rsa-encryption.js';
import type { KmsServices, OperationInput } from '../../context.js';
import { getLiveKey } from '../../key-resolver.js';
import { currentMaterial } from '../../key-material.js';
import { ensureAlgorithm, ensureKeyUsage } from '../../key-usage.js';
import { encryptionAlgorithmsOf, familyOf, isSymmetricEncryption } from '../../model/key-spec.js';
import type { KeyRecord } from '../../model/key.js';
import { isWellFormedKeyId } from '../../model/key-ids.js';
import type { OperationRequest, ResolvedRequest } from '../../pipeline/operation-spec.js';

export const SYMMETRIC_DEFAULT = 'SYMMETRIC_DEFAULT';

type RsaSpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';

/** Precondition: the key's usage is ENCRYPT_DECRYPT and the algorithm (default SYMMETRIC_DEFAULT) fits its spec. Returns the algorithm. */
export function ensureEncryptDecrypt(key: KeyRecord, operation: string, algorithm: string | undefined): string {
  ensureKeyUsage(key, 'ENCRYPT_DECRYPT', operation);
  const chosen = algorithm ?? SYMMETRIC_DEFAULT;
  ensureAlgorithm(key, chosen, encryptionAlgorithmsOf(key.keySpec, key.keyUsage) ?? []);
  return chosen;
}

/** Precondition: data keys come only from symmetric encryption keys. */
export function ensureSymmetricEncryptionKey(key: KeyRecord, operation: string): void {
  ensureKeyUsage(key, 'ENCRYPT_DECRYPT', operation);
  if (!isSymmetricEncryption(key.keySpec)) {
    // Unconfirmed wording: no recorded AWS response found.
    throw new InvalidKeyUsageException(`${key.arn} key spec ${key.keySpec} is not valid for ${operation}.`);
  }
}

/** This server's own refusal (AWS supports Recipient): no Nitro Enclaves attestation here. */
export function refuseRecipient(input: OperationInput): void {
  if (input.Recipient !== undefined) {
    throw new UnsupportedOperationException('Recipient (Nitro Enclaves attestation) is not supported by this server.');
  }
}

/** Precondition: a ciphertext is present. The model no longer marks it required (Recipient and
 *  DryRunModifiers flows), but every decryption here needs one. */
/**
 * The decrypting side's checks of the input alone, before any key is looked up: an IGNORE_CIPHERTEXT
 * dry run looks at no ciphertext, so it needs the key named; any other call needs a ciphertext.
 */
export function validateDecryptionInput(input: OperationInput, members: DecryptingMembers): void {
  if (!ignoresCiphertext(input)) {
    requireCiphertext(input.CiphertextBlob, 'ciphertextBlob');
  } else if (input[members.key] === undefined) {
    // Unconfirmed wording: no recorded AWS response found.
    throw new ValidationException(`${members.key} is required when DryRunModifiers includes IGNORE_CIPHERTEXT.`);
  }
}

function requireCiphertext(value: unknown, member: string): Buffer {
  if (value === undefined) {
    throw new ValidationException(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value as Buffer;
}

/** AWS: with DryRunModifiers IGNORE_CIPHERTEXT, "KMS performs only authorization validation without
 *  ciphertext validation"; the key must then be named. Returns true when the call is such a dry run. */
export function ignoresCiphertext(input: OperationInput): boolean {
  const modifiers = input.DryRunModifiers as readonly string[] | undefined;
  return input.DryRun === true && modifiers !== undefined && modifiers.includes('IGNORE_CIPHERTEXT');
}

/** The input members of the decrypting side: Decrypt's, or ReEncrypt's Source* members. */
export interface DecryptingMembers {
  /** The member that names the key, declared with `locate: keyOfCiphertext`. */
  readonly key: 'KeyId' | 'SourceKeyId';
  readonly context: 'EncryptionContext' | 'SourceEncryptionContext';
  readonly algorithm: 'EncryptionAlgorithm' | 'SourceEncryptionAlgorithm';
}

/**
 * The `locate` of Decrypt's KeyId and ReEncrypt's SourceKeyId: a symmetric ciphertext blob names
 * its key. Undefined when no ciphertext names one (none sent, asymmetric ciphertext or garbage,
 * or an IGNORE_CIPHERTEXT dry run, which looks at no ciphertext): `checkDecryption` then answers.
 * A blob naming a key that does not exist here is NotFoundException.
 */
export async function keyOfCiphertext({ input, caller, services }: OperationRequest): Promise<KeyRecord | undefined> {
  if (ignoresCiphertext(input) || input.CiphertextBlob === undefined) return undefined;
  const blob = decodeBlob(input.CiphertextBlob as Uint8Array);
  return blob ? getLiveKey(services, caller.scope, blob.keyId) : undefined;
}

/**
 * The checks of the decrypting side, after the key's state, in this order: an IGNORE_CIPHERTEXT
 * dry run needs only a named key that fits; otherwise a ciphertext is required, a key must be
 * named or located, a named key that is not the blob's key is IncorrectKeyException before its
 * usage is looked at (as AWS), then the usage and algorithm. Opening the ciphertext comes later.
 */
export function checkDecryption({ input, keys }: ResolvedRequest, members: DecryptingMembers, operation: string): void {
  const key = keys.get(members.key);
  const algorithm = input[members.algorithm] as string | undefined;
  if (ignoresCiphertext(input)) {
    // validateDecryptionInput made sure the key is named.
    ensureEncryptDecrypt(key!, operation, algorithm);
    return;
  }
  const ciphertext = requireCiphertext(input.CiphertextBlob, 'ciphertextBlob');
  // No key named and none located: asymmetric ciphertext carries no key id.
  // AWS answers InvalidCiphertextException with an empty message (LocalStack snapshot test_encrypt_decrypt_encryption_context).
  if (!key) throw new InvalidCiphertextException();
  if (input[members.key] !== undefined) {
    const blob = decodeBlob(ciphertext);
    // AWS checks that the named key is the blob's key before anything about that key's usage.
    if (blob && isWellFormedKeyId(blob.keyId) && blob.keyId !== key.keyId && !isSymmetricEncryption(key.keySpec)) throw incorrectKey();
  }
  ensureEncryptDecrypt(key, operation, algorithm);
}

/**
 * AWS: with IGNORE_CIPHERTEXT "KMS performs only authorization validation without ciphertext
 * validation", so any other dry run validates the ciphertext too. The pipeline answers DryRun
 * after the checks and before `run`; so in a dry run the check opens the ciphertext (and zeroes the
 * plaintext at once): DryRunOperationException then means that the call would have succeeded, and
 * a ciphertext that does not open gives its real error. Outside dry runs `run` opens it once.
 */
export async function validateCiphertextInDryRun(request: ResolvedRequest, members: DecryptingMembers): Promise<void> {
  if (request.input.DryRun !== true || ignoresCiphertext(request.input)) return;
  (await openCiphertext(request, members)).plaintext.fill(0);
}

/** The crypto family's operations answer DryRun through the pipeline (`dryRun: true`); other
 *  families not yet on it still call this. */

export interface Sealed {
  readonly ciphertext: Buffer;
  /** Present for symmetric encryption keys only, as AWS reports it. */
  readonly materialId?: string;
}

/** Encrypts under the key's current material with the algorithm ensureEncryptDecrypt chose. */
export async function sealUnderKey(
  services: KmsServices,
  key: KeyRecord,
  algorithm: string,
  plaintext: Uint8Array,
  context: EncryptionContext | undefined,
): Promise<Sealed> {
  const { materialId, secret } = await currentMaterial(services, key);
  if (familyOf(key.keySpec) === 'RSA') {
    ensureNoContext(context);
    const max = maxPlaintextLength(key.keySpec as RsaSpec, algorithm as RsaEncryptionAlgorithm);
    if (plaintext.length > max) {
      // AWS (LocalStack snapshot test_encrypt_validate_plaintext_size_per_key_type): "Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot encrypt data larger than 214 bytes."
      throw new ValidationException(`Algorithm ${algorithm} and key spec ${key.keySpec} cannot encrypt data larger than ${max} bytes.`);
    }
    return { ciphertext: rsaEncrypt(key.keySpec as RsaSpec, secret, algorithm as RsaEncryptionAlgorithm, plaintext) };
  }
  return {
    ciphertext: sealSymmetric({ keyId: key.keyId, materialId, backingKey: secret, plaintext, ...(context ? { context } : {}) }),
    materialId,
  };
}

export interface OpenedCiphertext {
  readonly key: KeyRecord;
  readonly plaintext: Buffer;
  readonly algorithm: string;
  /** Present for symmetric encryption keys only. */
  readonly materialId?: string;
}

/**
 * Decrypts with the key `checkDecryption` accepted. A key the caller named opens RSA ciphertext
 * (RSA keys) or a symmetric blob that must be that key's; a located key opens the blob that named it.
 */
export async function openCiphertext(request: ResolvedRequest, members: DecryptingMembers): Promise<OpenedCiphertext> {
  const { input, services } = request;
  const key = request.key(members.key);
  const ciphertext = input.CiphertextBlob as Uint8Array;
  const context = input[members.context] as EncryptionContext | undefined;
  const namedByCaller = input[members.key] !== undefined;
  if (namedByCaller && familyOf(key.keySpec) === 'RSA') {
    return openRsa(services, key, (input[members.algorithm] as string | undefined) ?? SYMMETRIC_DEFAULT, ciphertext, context);
  }
  return openSymmetricBlob(services, key, decodeBlob(ciphertext), context, namedByCaller);
}

/** AWS: "An encryption context is supported only on operations with symmetric encryption KMS keys." */
function ensureNoContext(context: EncryptionContext | undefined): void {
  if (context !== undefined && Object.keys(context).length > 0) {
    // Unconfirmed wording: no recorded AWS response found.
    throw new ValidationException('EncryptionContext is not supported for asymmetric KMS keys.');
  }
}

function incorrectKey(): IncorrectKeyException {
  // AWS (LocalStack snapshot test_error_messaging_for_invalid_keys, decrypt-invalid-key-id).
  return new IncorrectKeyException('The key ID in the request does not identify a CMK that can perform this operation.');
}

async function openSymmetricBlob(
  services: KmsServices,
  key: KeyRecord,
  blob: CiphertextBlob | undefined,
  context: EncryptionContext | undefined,
  keyNamedByCaller: boolean,
): Promise<OpenedCiphertext> {
  if (!blob) throw new InvalidCiphertextException();
  // AWS: IncorrectKeyException when the KeyId does not identify the key the ciphertext was made with.
  if (keyNamedByCaller && blob.keyId !== key.keyId) throw incorrectKey();
  const material = await services.store.getMaterial(key.arn, blob.materialId);
  if (!material) throw new InvalidCiphertextException();
  // Imported material deleted or expired: AWS answers as for a key pending import.
  if (material.wrapped.length === 0) throw new KMSInvalidStateException(`${key.arn} is pending import.`);
  const plaintext = openSymmetric(blob, await services.materials.unwrap(material), context);
  if (!plaintext) throw new InvalidCiphertextException();
  return { key, plaintext, algorithm: SYMMETRIC_DEFAULT, materialId: blob.materialId };
}

async function openRsa(
  services: KmsServices,
  key: KeyRecord,
  algorithm: string,
  ciphertext: Uint8Array,
  context: EncryptionContext | undefined,
): Promise<OpenedCiphertext> {
  ensureNoContext(context);
  const { secret } = await currentMaterial(services, key);
  const plaintext = rsaDecrypt(key.keySpec as RsaSpec, secret, algorithm as RsaEncryptionAlgorithm, ciphertext);
  if (!plaintext) throw new InvalidCiphertextException();
  return { key, plaintext, algorithm };
}
