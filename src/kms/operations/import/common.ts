// Steps shared by GetParametersForImport, ImportKeyMaterial and DeleteImportedKeyMaterial: checking
// an EXTERNAL key, which wrapping algorithm fits which key material, and checking imported material
// against the key spec. The material predicates and a key's state from its materials: model/material.ts.
//
// Error messages here paraphrase the API reference; their wording is unconfirmed against a recorded
// AWS response unless a comment names one.

import { createHash } from 'node:crypto';
import {
  IncorrectKeyMaterialException,
  UnsupportedOperationException,
} from '../../../errors/aws-errors.js';
import {
  isWrappingAlgorithm,
  isWrappingKeySpec,
  isHybridWrapping,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '../../../crypto/import-wrapping.js';
import { importPrivateKey, isAsymmetricKeySpec } from '../../../crypto/specs/asymmetric-key.js';
import { isHmacKeySpec, type HmacKeySpec } from '../../../crypto/specs/hmac.js';
import { pkcs8AlgorithmOid } from '../../../crypto/specs/ml-dsa-keys.js';
import { SECRET_ACCESS, SecretMaterial } from '../../../crypto/secret.js';
import { SYMMETRIC_MATERIAL_BYTES } from '../../key-material.js';
import { enforceKeyState, type StateRule } from '../../model/key-state.js';
import { familyOf } from '../../model/key-spec.js';
import type { KeyRecord, MaterialRecord } from '../../model/key.js';

/** AWS: "Each public key and import token set is valid for 24 hours." */
export const IMPORT_PARAMETERS_VALIDITY_MS = 24 * 60 * 60 * 1000;
/** AWS (ImportKeyMaterial ValidTo): "The maximum value is 365 days from the request date." */
export const MAX_VALID_TO_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * The checks AWS applies to the key of GetParametersForImport, ImportKeyMaterial and
 * DeleteImportedKeyMaterial, in AWS's order: keys that are not EXTERNAL are refused first, then
 * the operation's key-state row applies. (The origin check comes before the key state, so these
 * operations declare ANY_STATE and call this from their `check` step.)
 */
export function ensureExternalKey(key: KeyRecord, rule: StateRule): void {
  if (key.origin !== 'EXTERNAL') {
    // AWS: "The Origin of the KMS key must be EXTERNAL." The key-state table's note [9]:
    // a key that cannot have imported material gets UnsupportedOperationException.
    // AWS (LocalStack snapshot test_get_parameters_for_import): "<key ARN> origin is AWS_KMS which is not valid for this operation."
    throw new UnsupportedOperationException(`${key.arn} origin is ${key.origin} which is not valid for this operation.`);
  }
  enforceKeyState(rule, key.state, key.arn);
}

/**
 * Checks the WrappingAlgorithm and WrappingKeySpec of a GetParametersForImport request against the
 * key whose material they will carry, per AWS's "Select a wrapping algorithm" table.
 */
export function checkWrappingChoice(key: KeyRecord, algorithm: string, wrappingKeySpec: string): { algorithm: WrappingAlgorithm; wrappingKeySpec: WrappingKeySpec } {
  const family = familyOf(key.keySpec);
  if (family === 'ML_DSA') {
    // AWS: "You can't import key material for ML-DSA KMS keys."
    throw new UnsupportedOperationException(`${key.arn} key spec ${key.keySpec} does not support imported key material.`);
  }
  if (algorithm === 'RSAES_PKCS1_V1_5') {
    // AWS: "RSAES_PKCS1_V1_5 (Deprecated) — As of October 10, 2023, KMS does not support the RSAES_PKCS1_V1_5 wrapping algorithm."
    throw new UnsupportedOperationException(
      'As of October 10, 2023, KMS does not support the RSAES_PKCS1_V1_5 wrapping algorithm. Use RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1, RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1.',
    );
  }
  if (algorithm === 'SM2PKE' || wrappingKeySpec === 'SM2') {
    // AWS: "SM2PKE (China Regions only)"; "SM2 wrapping key spec (China Regions only)".
    throw new UnsupportedOperationException(`${algorithm === 'SM2PKE' ? 'WrappingAlgorithm SM2PKE' : 'WrappingKeySpec SM2'} is supported only in the China Regions.`);
  }
  if (!isWrappingAlgorithm(algorithm) || !isWrappingKeySpec(wrappingKeySpec)) {
    // The validator has already refused values outside the service model's enums.
    throw new UnsupportedOperationException(`WrappingAlgorithm ${algorithm} with WrappingKeySpec ${wrappingKeySpec} is not supported.`);
  }
  const allowed = allowedWrappingAlgorithms(key.keySpec);
  if (!allowed.includes(algorithm)) {
    throw new UnsupportedOperationException(
      `${algorithm} is not a supported wrapping algorithm for ${key.keySpec} key material. Use ${allowed.join(' or ')}.`,
    );
  }
  if (key.keySpec === 'ECC_NIST_P521' && wrappingKeySpec === 'RSA_2048' && !isHybridWrapping(algorithm)) {
    // AWS: "You cannot use an RSA_2048 public key to directly wrap an ECC_NIST_P521 private key.
    // Instead, use an RSA_AES wrapping algorithm or choose a longer RSA public key."
    throw new UnsupportedOperationException(
      `You cannot use an RSA_2048 public key to directly wrap an ECC_NIST_P521 private key. Use an RSA_AES wrapping algorithm or a longer RSA public key.`,
    );
  }
  return { algorithm, wrappingKeySpec };
}

/**
 * AWS (Select a wrapping algorithm): symmetric encryption and HMAC key material: RSAES_OAEP_SHA_256,
 * RSAES_OAEP_SHA_1; RSA private keys: RSA_AES_KEY_WRAP_SHA_256, RSA_AES_KEY_WRAP_SHA_1 ("To import
 * an RSA private key, you must use an RSA_AES wrapping algorithm"); elliptic curve private keys: all four.
 */
export function allowedWrappingAlgorithms(keySpec: string): WrappingAlgorithm[] {
  switch (familyOf(keySpec)) {
    case 'SYMMETRIC':
    case 'HMAC':
      return ['RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1'];
    case 'RSA':
      return ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1'];
    case 'ECC':
    case 'ED25519':
      return ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1'];
    default:
      return [];
  }
}

/**
 * AWS (Requirements for imported key material), HMAC keys: the key material must be at least as
 * long as the spec's digest and at most the hash function's block size.
 */
const HMAC_IMPORT_LENGTHS: Readonly<Record<HmacKeySpec, { min: number; max: number }>> = {
  HMAC_224: { min: 28, max: 64 },
  HMAC_256: { min: 32, max: 64 },
  HMAC_384: { min: 48, max: 128 },
  HMAC_512: { min: 64, max: 128 },
};

/**
 * Checks unwrapped material against the key spec and returns what the key stores: the bytes of a
 * symmetric or HMAC key, the canonical PKCS#8 of a private key. Throws IncorrectKeyMaterialException
 * (AWS: "the key material in the request is ... invalid, or does not meet expectations").
 */
export function acceptImportedMaterial(key: KeyRecord, material: SecretMaterial): SecretMaterial {
  const bytes = material.exposeSecret(SECRET_ACCESS);
  const family = familyOf(key.keySpec);
  if (family === 'SYMMETRIC') {
    // AWS: "Symmetric encryption key: 256-bit AES key".
    if (bytes.length !== SYMMETRIC_MATERIAL_BYTES) {
      throw new IncorrectKeyMaterialException(`Key material for a SYMMETRIC_DEFAULT key must be 256 bits (32 bytes); the imported key material is ${bytes.length} bytes.`);
    }
    return new SecretMaterial(bytes);
  }
  if (isHmacKeySpec(key.keySpec)) {
    const { min, max } = HMAC_IMPORT_LENGTHS[key.keySpec];
    if (bytes.length < min || bytes.length > max) {
      throw new IncorrectKeyMaterialException(`Key material for a ${key.keySpec} key must be ${min} to ${max} bytes; the imported key material is ${bytes.length} bytes.`);
    }
    return new SecretMaterial(bytes);
  }
  if (isAsymmetricKeySpec(key.keySpec)) {
    // AWS: asymmetric key material is the private key "in PKCS #8 format, DER-encoded".
    if (pkcs8AlgorithmOid(bytes) === undefined) {
      throw new IncorrectKeyMaterialException(`Key material for a ${key.keySpec} key must be a DER-encoded PKCS #8 private key.`);
    }
    try {
      return importPrivateKey(key.keySpec, bytes);
    } catch {
      // InvalidKeyMaterialError, or a DER parser's complaint about bytes that only look like PKCS #8:
      // either way the caller sent something that is not a private key of the spec.
      throw new IncorrectKeyMaterialException(`The imported key material is not a ${key.keySpec} private key.`);
    }
  }
  throw new UnsupportedOperationException(`${key.arn} key spec ${key.keySpec} does not support imported key material.`);
}

const FINGERPRINT_PREFIX = 'kms-server/v1/material-fingerprint\n';

/**
 * Recognises the same material on re-import: SHA-256 under a domain prefix and the key id (not the
 * ARN, so the replicas of a multi-Region key, which share the key id, recognise the primary's
 * material). Stored, never returned.
 */
export function materialFingerprint(keyId: string, material: SecretMaterial): Buffer {
  return createHash('sha256').update(FINGERPRINT_PREFIX).update(keyId).update('\n').update(material.exposeSecret(SECRET_ACCESS)).digest();
}

export function sameFingerprint(material: MaterialRecord, fingerprint: Buffer): boolean {
  return material.fingerprint !== undefined && material.fingerprint.equals(fingerprint);
}
