// ML-DSA key wrappers (RFC 9881, "Algorithm Identifiers for ML-DSA"): the PKCS#8 private key in
// its seed-only form and the SubjectPublicKeyInfo. The lattice arithmetic is @noble/post-quantum's;
// this file only builds and reads the small DER around it.

import { timingSafeEqual } from 'node:crypto';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { der, readChildren, readTlv, readWhole, TAG_BIT_STRING, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE } from './der.js';

export type MlDsaSpec = 'ML_DSA_44' | 'ML_DSA_65' | 'ML_DSA_87';

export const ML_DSA_SEED_BYTES = 32;

// id-ml-dsa-44/65/87 ::= { joint-iso-itu-t(2) country(16) us(840) organization(1) gov(101)
// csor(3) nistAlgorithm(4) sigAlgs(3) 17/18/19 }, DER-encoded content octets.
const OID_PREFIX = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03];
const OIDS: Record<MlDsaSpec, Buffer> = {
  ML_DSA_44: Buffer.from([...OID_PREFIX, 0x11]),
  ML_DSA_65: Buffer.from([...OID_PREFIX, 0x12]),
  ML_DSA_87: Buffer.from([...OID_PREFIX, 0x13]),
};

const IMPLEMENTATIONS = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } as const;

export function mlDsa(spec: MlDsaSpec): (typeof IMPLEMENTATIONS)[MlDsaSpec] {
  return IMPLEMENTATIONS[spec];
}

/** RFC 9881: "the parameters field of the AlgorithmIdentifier ... MUST be absent". */
function algorithmIdentifier(spec: MlDsaSpec): Buffer {
  return der(TAG_SEQUENCE, der(TAG_OID, OIDS[spec]));
}

export function mlDsaSpecOfOid(oid: Uint8Array): MlDsaSpec | undefined {
  for (const spec of Object.keys(OIDS) as MlDsaSpec[]) if (OIDS[spec].equals(oid)) return spec;
  return undefined;
}

/** PKCS#8 v1: version 0, algorithm, privateKey OCTET STRING { [0] IMPLICIT OCTET STRING seed }. */
export function encodeMlDsaPkcs8(spec: MlDsaSpec, seed: Uint8Array): Buffer {
  if (seed.length !== ML_DSA_SEED_BYTES) throw new Error('ML-DSA seed must be 32 bytes');
  const seedChoice = der(0x80, seed);
  const privateKey = der(TAG_OCTET_STRING, seedChoice);
  try {
    return der(TAG_SEQUENCE, der(TAG_INTEGER, Uint8Array.of(0)), algorithmIdentifier(spec), privateKey);
  } finally {
    seedChoice.fill(0);
    privateKey.fill(0);
  }
}

export function encodeMlDsaSpki(spec: MlDsaSpec, publicKey: Uint8Array): Buffer {
  return der(TAG_SEQUENCE, algorithmIdentifier(spec), der(TAG_BIT_STRING, Uint8Array.of(0), publicKey));
}

/** The algorithm OID of a PKCS#8 PrivateKeyInfo / OneAsymmetricKey, or undefined if it is not one. */
export function pkcs8AlgorithmOid(pkcs8: Uint8Array): Buffer | undefined {
  try {
    const [version, algorithm] = readChildren(readWhole(pkcs8, TAG_SEQUENCE));
    if (version?.tag !== TAG_INTEGER || algorithm?.tag !== TAG_SEQUENCE) return undefined;
    const oid = readTlv(algorithm.content, 0);
    return oid.tag === TAG_OID ? oid.content : undefined;
  } catch {
    return undefined;
  }
}

export interface ParsedMlDsaKey {
  readonly spec: MlDsaSpec;
  /** The 32-byte seed; the caller owns it and should zero it after use. */
  readonly seed: Buffer;
}

/**
 * Reads an ML-DSA PKCS#8 key. Accepts RFC 9881's seed-only form and its "both" form (the expanded
 * key is then checked against the seed). The expanded-only form is refused: without the seed the
 * key cannot be brought to the canonical seed-only form.
 */
export function parseMlDsaPkcs8(pkcs8: Uint8Array): ParsedMlDsaKey {
  const fields = readChildren(readWhole(pkcs8, TAG_SEQUENCE));
  const [version, algorithm, privateKey, ...rest] = fields;
  if (version?.tag !== TAG_INTEGER || version.content.length !== 1 || version.content[0]! > 1) {
    throw new Error('unsupported PKCS#8 version');
  }
  if (algorithm?.tag !== TAG_SEQUENCE) throw new Error('missing AlgorithmIdentifier');
  const algorithmFields = readChildren(algorithm.content);
  const spec = algorithmFields.length === 1 && algorithmFields[0]!.tag === TAG_OID ? mlDsaSpecOfOid(algorithmFields[0]!.content) : undefined;
  if (spec === undefined) throw new Error('not an ML-DSA key (unknown OID or parameters present)');
  if (privateKey?.tag !== TAG_OCTET_STRING) throw new Error('missing privateKey');
  // Optional trailing fields: [0] attributes, then (version 1 only) [1] publicKey.
  let publicKey: Buffer | undefined;
  for (const field of rest) {
    if (field.tag === 0xa0) continue;
    // [1] IMPLICIT BIT STRING: a leading unused-bits octet, which must be 0.
    if (field.tag === 0x81 && version.content[0] === 1 && publicKey === undefined && field.content[0] === 0) {
      publicKey = field.content.subarray(1);
      continue;
    }
    throw new Error('unexpected field in PKCS#8');
  }

  const choice = readTlv(privateKey.content, 0);
  if (choice.end !== privateKey.content.length) throw new Error('trailing bytes in ML-DSA privateKey');
  let seed: Buffer;
  if (choice.tag === 0x80) {
    seed = Buffer.from(choice.content);
  } else if (choice.tag === TAG_SEQUENCE) {
    const [seedField, expandedField, ...extra] = readChildren(choice.content);
    if (seedField?.tag !== TAG_OCTET_STRING || expandedField?.tag !== TAG_OCTET_STRING || extra.length > 0) {
      throw new Error('malformed ML-DSA "both" private key');
    }
    seed = Buffer.from(seedField.content);
    if (seed.length === ML_DSA_SEED_BYTES && !expandedMatchesSeed(spec, seed, expandedField.content)) {
      seed.fill(0);
      throw new Error('ML-DSA expanded key does not match its seed');
    }
  } else if (choice.tag === TAG_OCTET_STRING) {
    throw new Error('expanded-only ML-DSA private keys are not supported: a 32-byte seed is required');
  } else {
    throw new Error('unknown ML-DSA private key form');
  }
  if (seed.length !== ML_DSA_SEED_BYTES) throw new Error('ML-DSA seed must be 32 bytes');
  if (publicKey !== undefined && !publicKeyMatchesSeed(spec, seed, publicKey)) {
    seed.fill(0);
    throw new Error('ML-DSA public key does not match its seed');
  }
  return { spec, seed };
}

function expandedMatchesSeed(spec: MlDsaSpec, seed: Uint8Array, expanded: Uint8Array): boolean {
  const { secretKey } = mlDsa(spec).keygen(seed);
  try {
    return secretKey.length === expanded.length && timingSafeEqual(secretKey, expanded);
  } finally {
    secretKey.fill(0);
  }
}

function publicKeyMatchesSeed(spec: MlDsaSpec, seed: Uint8Array, publicKey: Uint8Array): boolean {
  const keys = mlDsa(spec).keygen(seed);
  keys.secretKey.fill(0);
  return Buffer.from(keys.publicKey).equals(publicKey);
}
