// DeriveSharedSecret: ECDH (NIST SP 800-56A, cofactor 1 curves) by node:crypto (OpenSSL).

import { createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import type { SecretMaterial } from '../secret.js';
import { EC_CURVES, withPrivateKey, type AsymmetricKeySpec } from './asymmetric-key.js';

export class InvalidPeerKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPeerKeyError';
  }
}

export type KeyAgreementSpec = 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521';

// AWS (CreateKey KeySpec): "Asymmetric NIST-standard elliptic curve key pairs (signing and
// verification -or- deriving shared secrets)"; ECC_SECG_P256K1 is listed under "Other asymmetric
// elliptic curve key pairs (signing and verification)" only, and Ed25519 is "signing and
// verification only". SM2 is not served here.
const CURVES: Readonly<Record<KeyAgreementSpec, string>> = {
  ECC_NIST_P256: EC_CURVES.ECC_NIST_P256,
  ECC_NIST_P384: EC_CURVES.ECC_NIST_P384,
  ECC_NIST_P521: EC_CURVES.ECC_NIST_P521,
};

export function isKeyAgreementSpec(spec: string): spec is KeyAgreementSpec {
  return spec in CURVES;
}

/**
 * ECDH between our private key and the peer's SPKI DER public key on the same curve. Throws
 * InvalidPeerKeyError if the peer key is malformed, not EC, or on another curve. Returns the raw
 * shared secret (the x coordinate, field-length big-endian).
 */
export function deriveSharedSecret(spec: AsymmetricKeySpec, privateKey: SecretMaterial, peerPublicKeySpki: Uint8Array): Buffer {
  if (!isKeyAgreementSpec(spec)) throw new Error(`${spec} keys cannot derive shared secrets`);
  const peer = parsePeerKey(CURVES[spec], peerPublicKeySpki);
  return withPrivateKey(spec, privateKey, (loaded) => {
    if (loaded.kind !== 'node') throw new Error('not an EC key');
    return diffieHellman({ privateKey: loaded.key, publicKey: peer });
  });
}

function parsePeerKey(curve: string, spki: Uint8Array): KeyObject {
  let key: KeyObject;
  try {
    // OpenSSL decodes the point and refuses one that is not on the curve.
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw new InvalidPeerKeyError('the peer public key is not a DER-encoded SubjectPublicKeyInfo');
  }
  if (key.asymmetricKeyType !== 'ec') throw new InvalidPeerKeyError(`the peer public key is ${key.asymmetricKeyType}, not EC`);
  const peerCurve = key.asymmetricKeyDetails?.namedCurve;
  if (peerCurve !== curve) throw new InvalidPeerKeyError(`the peer public key is on ${peerCurve ?? 'an unnamed curve'}, not ${curve}`);
  return key;
}
