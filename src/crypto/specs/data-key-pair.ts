// GenerateDataKeyPair: a fresh key pair of one of the DataKeyPairSpec values.

import { generateKeyPairDer, generateKeyPairDerAsync, type KeyPairDer } from './asymmetric-key.js';

export type DataKeyPairSpec =
  | 'RSA_2048' | 'RSA_3072' | 'RSA_4096'
  | 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1' | 'ECC_NIST_EDWARDS25519';

export const DATA_KEY_PAIR_SPECS: readonly DataKeyPairSpec[] = [
  'RSA_2048', 'RSA_3072', 'RSA_4096',
  'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519',
];

export function isDataKeyPairSpec(spec: string): spec is DataKeyPairSpec {
  return (DATA_KEY_PAIR_SPECS as readonly string[]).includes(spec);
}

/** A fresh key pair: private key as PKCS#8 DER, public key as SPKI DER (as GenerateDataKeyPair returns). */
export function generateDataKeyPair(spec: DataKeyPairSpec): KeyPairDer {
  return generateKeyPairDer(spec);
}

/** As generateDataKeyPair, with RSA generation off the main thread. */
export function generateDataKeyPairAsync(spec: DataKeyPairSpec): Promise<KeyPairDer> {
  return generateKeyPairDerAsync(spec);
}
