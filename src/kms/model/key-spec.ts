// What each key spec can do: the capability table. One row per KeySpec of the service model;
// operations ask this table, never the spec's name.

import type { KeyUsage } from './key.js';

export type KeyFamily = 'SYMMETRIC' | 'RSA' | 'ECC' | 'ED25519' | 'ML_DSA' | 'HMAC' | 'SM2';

interface SpecRow {
  readonly family: KeyFamily;
  /** Usages AWS allows for the spec. */
  readonly usages: readonly KeyUsage[];
}

const TABLE: Readonly<Record<string, SpecRow>> = {
  SYMMETRIC_DEFAULT: { family: 'SYMMETRIC', usages: ['ENCRYPT_DECRYPT'] },
  RSA_2048: { family: 'RSA', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'] },
  RSA_3072: { family: 'RSA', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'] },
  RSA_4096: { family: 'RSA', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'] },
  ECC_NIST_P256: { family: 'ECC', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'] },
  ECC_NIST_P384: { family: 'ECC', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'] },
  ECC_NIST_P521: { family: 'ECC', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'] },
  ECC_SECG_P256K1: { family: 'ECC', usages: ['SIGN_VERIFY'] },
  ECC_NIST_EDWARDS25519: { family: 'ED25519', usages: ['SIGN_VERIFY'] },
  ML_DSA_44: { family: 'ML_DSA', usages: ['SIGN_VERIFY'] },
  ML_DSA_65: { family: 'ML_DSA', usages: ['SIGN_VERIFY'] },
  ML_DSA_87: { family: 'ML_DSA', usages: ['SIGN_VERIFY'] },
  HMAC_224: { family: 'HMAC', usages: ['GENERATE_VERIFY_MAC'] },
  HMAC_256: { family: 'HMAC', usages: ['GENERATE_VERIFY_MAC'] },
  HMAC_384: { family: 'HMAC', usages: ['GENERATE_VERIFY_MAC'] },
  HMAC_512: { family: 'HMAC', usages: ['GENERATE_VERIFY_MAC'] },
  SM2: { family: 'SM2', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'] },
};

export function isKnownKeySpec(keySpec: string): boolean {
  return keySpec in TABLE;
}

export function familyOf(keySpec: string): KeyFamily {
  const row = TABLE[keySpec];
  if (!row) throw new RangeError(`unknown key spec ${keySpec}`);
  return row.family;
}

/** Key usages AWS allows for a spec. */
export function allowedKeyUsages(keySpec: string): readonly KeyUsage[] {
  return TABLE[keySpec]?.usages ?? [];
}

export function isSymmetricEncryption(keySpec: string): boolean {
  return keySpec === 'SYMMETRIC_DEFAULT';
}

export function isAsymmetric(keySpec: string): boolean {
  const family = TABLE[keySpec]?.family;
  return family === 'RSA' || family === 'ECC' || family === 'ED25519' || family === 'ML_DSA' || family === 'SM2';
}

export function encryptionAlgorithmsOf(keySpec: string, keyUsage: KeyUsage): string[] | undefined {
  if (keyUsage !== 'ENCRYPT_DECRYPT') return undefined;
  switch (familyOf(keySpec)) {
    case 'SYMMETRIC':
      return ['SYMMETRIC_DEFAULT'];
    case 'RSA':
      return ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
    case 'SM2':
      return ['SM2PKE'];
    default:
      return undefined;
  }
}

const MAC_ALGORITHM: Readonly<Record<string, string>> = {
  HMAC_224: 'HMAC_SHA_224',
  HMAC_256: 'HMAC_SHA_256',
  HMAC_384: 'HMAC_SHA_384',
  HMAC_512: 'HMAC_SHA_512',
};

export function macAlgorithmsOf(keySpec: string, keyUsage: KeyUsage): string[] | undefined {
  if (keyUsage !== 'GENERATE_VERIFY_MAC') return undefined;
  const algorithm = MAC_ALGORITHM[keySpec];
  return algorithm ? [algorithm] : undefined;
}

export function keyAgreementAlgorithmsOf(keyUsage: KeyUsage): string[] | undefined {
  return keyUsage === 'KEY_AGREEMENT' ? ['ECDH'] : undefined;
}
