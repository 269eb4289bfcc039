// Sign and Verify for the asymmetric SIGN_VERIFY key specs, with AWS KMS's algorithm names and
// MessageType semantics. RAW goes through node:crypto wherever Node has the algorithm; DIGEST
// through OpenSSL (RSA, rsa-digest.ts) or @noble/curves (ECDSA, Ed25519ph); ML-DSA through
// @noble/post-quantum.

import { sign as nodeSign, verify as nodeVerify, constants, type KeyObject } from 'node:crypto';
import { ed25519, ed25519ph } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { SecretMaterial } from '../secret.js';
import { isEccSpec, isRsaSpec, withPrivateKey, type AsymmetricKeySpec, type EccKeySpec, type LoadedPrivateKey } from './asymmetric-key.js';
import { readChildren, readWhole, TAG_OCTET_STRING, TAG_SEQUENCE } from './der.js';
import { mlDsa } from './ml-dsa-keys.js';
import { HASH_LENGTH, signPkcs1Digest, signPssDigest, verifyPkcs1Digest, verifyPssDigest, type RsaHash } from './rsa-digest.js';

export type SigningAlgorithm =
  | 'RSASSA_PSS_SHA_256' | 'RSASSA_PSS_SHA_384' | 'RSASSA_PSS_SHA_512'
  | 'RSASSA_PKCS1_V1_5_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_384' | 'RSASSA_PKCS1_V1_5_SHA_512'
  | 'ECDSA_SHA_256' | 'ECDSA_SHA_384' | 'ECDSA_SHA_512'
  | 'ED25519_SHA_512' | 'ED25519_PH_SHA_512'
  | 'ML_DSA_SHAKE_256';

export type MessageType = 'RAW' | 'DIGEST' | 'EXTERNAL_MU';

/** A request the algorithm cannot take (message type, digest or μ length, key spec). */
export class InvalidSigningInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSigningInputError';
  }
}

const RSA_ALGORITHMS: SigningAlgorithm[] = [
  // AWS DescribeKey example for an RSA signing key lists PKCS#1 v1.5 first, then PSS.
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
];

/** The algorithms AWS allows for a key spec, in the order AWS lists them. */
export function signingAlgorithmsFor(spec: AsymmetricKeySpec): SigningAlgorithm[] {
  switch (spec) {
    case 'RSA_2048':
    case 'RSA_3072':
    case 'RSA_4096':
      return [...RSA_ALGORITHMS];
    case 'ECC_NIST_P256':
    case 'ECC_SECG_P256K1':
      return ['ECDSA_SHA_256'];
    case 'ECC_NIST_P384':
      return ['ECDSA_SHA_384'];
    case 'ECC_NIST_P521':
      return ['ECDSA_SHA_512'];
    case 'ECC_NIST_EDWARDS25519':
      return ['ED25519_SHA_512', 'ED25519_PH_SHA_512'];
    case 'ML_DSA_44':
    case 'ML_DSA_65':
    case 'ML_DSA_87':
      return ['ML_DSA_SHAKE_256'];
  }
}

const HASH_OF: Partial<Record<SigningAlgorithm, RsaHash>> = {
  RSASSA_PSS_SHA_256: 'sha256', RSASSA_PSS_SHA_384: 'sha384', RSASSA_PSS_SHA_512: 'sha512',
  RSASSA_PKCS1_V1_5_SHA_256: 'sha256', RSASSA_PKCS1_V1_5_SHA_384: 'sha384', RSASSA_PKCS1_V1_5_SHA_512: 'sha512',
  ECDSA_SHA_256: 'sha256', ECDSA_SHA_384: 'sha384', ECDSA_SHA_512: 'sha512',
  ED25519_PH_SHA_512: 'sha512',
};

/**
 * Digest length in bytes an algorithm's DIGEST input must have (ED25519_PH_SHA_512: 64), or
 * undefined if DIGEST is not allowed (ED25519_SHA_512, ML_DSA_SHAKE_256).
 */
export function digestLengthOf(algorithm: SigningAlgorithm): number | undefined {
  const hash = HASH_OF[algorithm];
  return hash === undefined ? undefined : HASH_LENGTH[hash];
}

/** μ is 64 bytes: AWS: "When the value of MessageType is EXTERNAL_MU the length of the Message value must be 64 bytes." */
const MU_BYTES = 64;

/** The message types an algorithm accepts. */
export function messageTypesFor(algorithm: SigningAlgorithm): MessageType[] {
  // AWS: "ED25519_SHA_512 signing algorithm requires KMS MessageType:RAW" and "ED25519_PH_SHA_512
  // signing algorithm requires KMS MessageType:DIGEST".
  if (algorithm === 'ED25519_SHA_512') return ['RAW'];
  if (algorithm === 'ED25519_PH_SHA_512') return ['DIGEST'];
  if (algorithm === 'ML_DSA_SHAKE_256') return ['RAW', 'EXTERNAL_MU'];
  return ['RAW', 'DIGEST'];
}

function checkRequest(spec: AsymmetricKeySpec, algorithm: SigningAlgorithm, messageType: MessageType, message: Uint8Array): void {
  if (!signingAlgorithmsFor(spec).includes(algorithm)) throw new InvalidSigningInputError(`${algorithm} is not valid for ${spec}`);
  if (!messageTypesFor(algorithm).includes(messageType)) throw new InvalidSigningInputError(`${algorithm} does not take MessageType ${messageType}`);
  if (messageType === 'DIGEST' && message.length !== digestLengthOf(algorithm)) {
    // AWS: "When the value of MessageType is DIGEST, the length of the Message value must match
    // the length of hashed messages for the specified signing algorithm."
    throw new InvalidSigningInputError(`${algorithm} needs a ${digestLengthOf(algorithm)}-byte digest, got ${message.length} bytes`);
  }
  if (messageType === 'EXTERNAL_MU' && message.length !== MU_BYTES) {
    throw new InvalidSigningInputError(`EXTERNAL_MU must be ${MU_BYTES} bytes, got ${message.length}`);
  }
}

export function sign(spec: AsymmetricKeySpec, privateKey: SecretMaterial, algorithm: SigningAlgorithm, messageType: MessageType, message: Uint8Array): Buffer {
  checkRequest(spec, algorithm, messageType, message);
  return withPrivateKey(spec, privateKey, (loaded) => Buffer.from(signWith(loaded, algorithm, messageType, message)));
}

/** True iff `signature` is valid; false (never throws) for malformed or invalid signatures. Throws InvalidSigningInputError for requests sign() would refuse. */
export function verify(spec: AsymmetricKeySpec, privateKey: SecretMaterial, algorithm: SigningAlgorithm, messageType: MessageType, message: Uint8Array, signature: Uint8Array): boolean {
  checkRequest(spec, algorithm, messageType, message);
  return withPrivateKey(spec, privateKey, (loaded) => {
    try {
      return verifyWith(loaded, algorithm, messageType, message, signature);
    } catch {
      return false;
    }
  });
}

function signWith(loaded: LoadedPrivateKey, algorithm: SigningAlgorithm, messageType: MessageType, message: Uint8Array): Uint8Array {
  if (loaded.kind === 'ml-dsa') {
    const dsa = mlDsa(loaded.spec);
    const { secretKey } = dsa.keygen(loaded.seed);
    try {
      // AWS: "When the value is EXTERNAL_MU KMS skips the concatenated hashing of the public key
      // hash and the message done in the ML-DSA signing algorithm." RAW is pure ML-DSA with an
      // empty context (FIPS 204 Algorithm 2), not HashML-DSA.
      return messageType === 'EXTERNAL_MU' ? dsa.internal.sign(message, secretKey, { externalMu: true }) : dsa.sign(message, secretKey);
    } finally {
      secretKey.fill(0);
    }
  }
  const { spec, key } = loaded;
  const hash = HASH_OF[algorithm];
  if (isRsaSpec(spec)) {
    const pss = algorithm.startsWith('RSASSA_PSS_');
    if (messageType === 'DIGEST') return pss ? signPssDigest(key, hash!, message) : signPkcs1Digest(key, hash!, message);
    return nodeSign(hash!, message, rsaOptions(key, pss, hash!));
  }
  if (isEccSpec(spec)) {
    if (messageType === 'RAW') return nodeSign(hash!, message, { key, dsaEncoding: 'der' });
    return withEcScalar(key, (scalar) => NOBLE_ECDSA[spec].sign(message, scalar, { prehash: false, format: 'der', extraEntropy: true }));
  }
  // Ed25519.
  if (algorithm === 'ED25519_SHA_512') return nodeSign(null, message, key);
  // AWS: "When you specify the ED25519_PH_SHA_512 signing algorithm with MessageType:DIGEST, KMS
  // still performs the SHA-512 prehash described in Step 1 of Section 7.8.1 in FIPS 186-5. This
  // means the input is hashed twice: once by you and once by KMS." So: Ed25519ph(message = digest).
  return withEd25519Seed(key, (seed) => ed25519ph.sign(message, seed));
}

function verifyWith(loaded: LoadedPrivateKey, algorithm: SigningAlgorithm, messageType: MessageType, message: Uint8Array, signature: Uint8Array): boolean {
  if (loaded.kind === 'ml-dsa') {
    const dsa = mlDsa(loaded.spec);
    const keys = dsa.keygen(loaded.seed);
    keys.secretKey.fill(0);
    if (signature.length !== dsa.lengths.signature) return false;
    return messageType === 'EXTERNAL_MU'
      ? dsa.internal.verify(signature, message, keys.publicKey, { externalMu: true })
      : dsa.verify(signature, message, keys.publicKey);
  }
  const { spec, key } = loaded;
  const hash = HASH_OF[algorithm];
  if (isRsaSpec(spec)) {
    const pss = algorithm.startsWith('RSASSA_PSS_');
    if (messageType === 'DIGEST') return pss ? verifyPssDigest(key, hash!, message, signature) : verifyPkcs1Digest(key, hash!, message, signature);
    return nodeVerify(hash!, message, rsaOptions(key, pss, hash!), signature);
  }
  if (isEccSpec(spec)) {
    if (messageType === 'RAW') return nodeVerify(hash!, message, { key, dsaEncoding: 'der' }, signature);
    const publicPoint = withEcScalar(key, (scalar) => NOBLE_ECDSA[spec].getPublicKey(scalar, false));
    // lowS: false: OpenSSL (and so AWS-style signers) produce high-S signatures half the time.
    return NOBLE_ECDSA[spec].verify(signature, message, publicPoint, { prehash: false, format: 'der', lowS: false });
  }
  if (algorithm === 'ED25519_SHA_512') return nodeVerify(null, message, key, signature);
  const publicKey = withEd25519Seed(key, (seed) => ed25519.getPublicKey(seed));
  // zip215: false: RFC 8032 / FIPS 186-5 strict encodings, as OpenSSL verifies Ed25519.
  return ed25519ph.verify(signature, message, publicKey, { zip215: false });
}

/** AWS: RSASSA-PSS with MGF1 of the same hash and a salt as long as the digest. */
function rsaOptions(key: KeyObject, pss: boolean, hash: RsaHash) {
  return pss
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[hash] }
    : { key, padding: constants.RSA_PKCS1_PADDING };
}

const NOBLE_ECDSA: Record<EccKeySpec, typeof p256> = {
  ECC_NIST_P256: p256,
  ECC_NIST_P384: p384,
  ECC_NIST_P521: p521,
  ECC_SECG_P256K1: secp256k1,
};

/** Runs `use` on the private scalar d (fixed-length, from the PKCS#8 ECPrivateKey), then zeroes it. */
function withEcScalar<T>(key: KeyObject, use: (scalar: Buffer) => T): T {
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  let scalar: Buffer | undefined;
  try {
    const [, , privateKey] = readChildren(readWhole(pkcs8, TAG_SEQUENCE));
    const [, d] = readChildren(readWhole(privateKey!.content, TAG_SEQUENCE));
    if (d?.tag !== TAG_OCTET_STRING) throw new Error('malformed EC private key');
    scalar = Buffer.from(d.content);
    return use(scalar);
  } finally {
    pkcs8.fill(0);
    scalar?.fill(0);
  }
}

/** Runs `use` on the 32-byte Ed25519 seed (RFC 8410 CurvePrivateKey), then zeroes it. */
function withEd25519Seed<T>(key: KeyObject, use: (seed: Buffer) => T): T {
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  let seed: Buffer | undefined;
  try {
    const [, , privateKey] = readChildren(readWhole(pkcs8, TAG_SEQUENCE));
    const curvePrivateKey = readWhole(privateKey!.content, TAG_OCTET_STRING);
    if (curvePrivateKey.length !== 32) throw new Error('malformed Ed25519 private key');
    seed = Buffer.from(curvePrivateKey);
    return use(seed);
  } finally {
    pkcs8.fill(0);
    seed?.fill(0);
  }
}

