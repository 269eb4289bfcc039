// Asymmetric key specs: generating, importing and describing private keys. Private keys travel as
// canonical PKCS#8 DER inside SecretMaterial; RSA, EC and Ed25519 keys are parsed by node:crypto
// (OpenSSL), ML-DSA keys (which Node 20 does not know) by ml-dsa-keys.ts over @noble/post-quantum.

import { createPrivateKey, createPublicKey, generateKeyPair, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { SECRET_ACCESS, SecretMaterial } from '../secret.js';
import { decodePem, der, readChildren, readWhole, TAG_BIT_STRING, TAG_INTEGER, TAG_OCTET_STRING, TAG_SEQUENCE } from './der.js';
import { encodeMlDsaPkcs8, encodeMlDsaSpki, mlDsa, mlDsaSpecOfOid, parseMlDsaPkcs8, pkcs8AlgorithmOid, type MlDsaSpec } from './ml-dsa-keys.js';

export type RsaKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';
export type EccKeySpec = 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1';
export type { MlDsaSpec };
export type AsymmetricKeySpec = RsaKeySpec | EccKeySpec | 'ECC_NIST_EDWARDS25519' | MlDsaSpec;

export class InvalidKeyMaterialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidKeyMaterialError';
  }
}

const RSA_BITS: Record<RsaKeySpec, number> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
/** OpenSSL's curve names, as node reports them in asymmetricKeyDetails.namedCurve. */
/** OpenSSL curve names by key spec. */
export const EC_CURVES: Readonly<Record<EccKeySpec, string>> = {
  ECC_NIST_P256: 'prime256v1',
  ECC_NIST_P384: 'secp384r1',
  ECC_NIST_P521: 'secp521r1',
  ECC_SECG_P256K1: 'secp256k1',
};

export const ASYMMETRIC_KEY_SPECS: readonly AsymmetricKeySpec[] = [
  'RSA_2048', 'RSA_3072', 'RSA_4096',
  'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519',
  'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87',
];

export function isAsymmetricKeySpec(spec: string): spec is AsymmetricKeySpec {
  return (ASYMMETRIC_KEY_SPECS as readonly string[]).includes(spec);
}

export function isRsaSpec(spec: AsymmetricKeySpec): spec is RsaKeySpec {
  return spec in RSA_BITS;
}

export function isEccSpec(spec: AsymmetricKeySpec): spec is EccKeySpec {
  return spec in EC_CURVES;
}

export function isMlDsaSpec(spec: AsymmetricKeySpec): spec is MlDsaSpec {
  return spec === 'ML_DSA_44' || spec === 'ML_DSA_65' || spec === 'ML_DSA_87';
}

export function rsaModulusBits(spec: RsaKeySpec): number {
  return RSA_BITS[spec];
}

// ---------------------------------------------------------------------------------------------
// Generation

type NodeKeyGenArgs = ['rsa', { modulusLength: number; publicExponent: number }] | ['ec', { namedCurve: string }] | ['ed25519', Record<string, never>];

function nodeKeyGenArgs(spec: Exclude<AsymmetricKeySpec, MlDsaSpec>): NodeKeyGenArgs {
  if (isRsaSpec(spec)) return ['rsa', { modulusLength: RSA_BITS[spec], publicExponent: 0x10001 }];
  if (isEccSpec(spec)) return ['ec', { namedCurve: EC_CURVES[spec] }];
  return ['ed25519', {}];
}

const DER_ENCODINGS = {
  privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  publicKeyEncoding: { type: 'spki', format: 'der' },
} as const;

/** A fresh private key as PKCS#8 DER (ML-DSA: RFC 9881 seed-only form). */
export function generatePrivateKey(spec: AsymmetricKeySpec): SecretMaterial {
  return generateKeyPairDer(spec).privateKeyPkcs8;
}

/** As generatePrivateKey, off the main thread for RSA (RSA-4096 takes hundreds of ms). */
export async function generatePrivateKeyAsync(spec: AsymmetricKeySpec): Promise<SecretMaterial> {
  return (await generateKeyPairDerAsync(spec)).privateKeyPkcs8;
}

export interface KeyPairDer {
  readonly privateKeyPkcs8: SecretMaterial;
  readonly publicKeySpki: Buffer;
}

export function generateKeyPairDer(spec: AsymmetricKeySpec): KeyPairDer {
  if (isMlDsaSpec(spec)) return generateMlDsa(spec);
  const [type, options] = nodeKeyGenArgs(spec);
  // The overloads of generateKeyPairSync are per key type; the union needs one cast.
  const pair = (generateKeyPairSync as (t: string, o: object) => { privateKey: Buffer; publicKey: Buffer })(type, { ...options, ...DER_ENCODINGS });
  return wrapNodePair(pair);
}

export async function generateKeyPairDerAsync(spec: AsymmetricKeySpec): Promise<KeyPairDer> {
  if (isMlDsaSpec(spec)) return generateMlDsa(spec);
  const [type, options] = nodeKeyGenArgs(spec);
  const generate = promisify(generateKeyPair) as (t: string, o: object) => Promise<{ privateKey: Buffer; publicKey: Buffer }>;
  return wrapNodePair(await generate(type, { ...options, ...DER_ENCODINGS }));
}

/** OpenSSL's fresh keys are already canonical: EC points uncompressed, curves named. */
function wrapNodePair(pair: { privateKey: Buffer; publicKey: Buffer }): KeyPairDer {
  return { privateKeyPkcs8: SecretMaterial.take(pair.privateKey), publicKeySpki: pair.publicKey };
}

function generateMlDsa(spec: MlDsaSpec): KeyPairDer {
  const seed = randomBytes(32);
  const pkcs8 = encodeMlDsaPkcs8(spec, seed);
  const keys = mlDsa(spec).keygen(seed);
  try {
    return { privateKeyPkcs8: new SecretMaterial(pkcs8), publicKeySpki: encodeMlDsaSpki(spec, keys.publicKey) };
  } finally {
    seed.fill(0);
    pkcs8.fill(0);
    keys.secretKey.fill(0);
  }
}

// ---------------------------------------------------------------------------------------------
// Import and inference

/**
 * Parses given private key material (PKCS#8 DER, or PEM text: "PRIVATE KEY", also "RSA PRIVATE
 * KEY"/"EC PRIVATE KEY" as local-kms seeds use) and returns canonical PKCS#8 DER; throws
 * InvalidKeyMaterialError if it is not a key of `spec`.
 */
export function importPrivateKey(spec: AsymmetricKeySpec, material: Uint8Array | string): SecretMaterial {
  const parsed = parseAnyPrivateKey(material);
  try {
    if (parsed.spec !== spec) throw new InvalidKeyMaterialError(`key material is ${parsed.spec}, not ${spec}`);
    return new SecretMaterial(parsed.pkcs8);
  } finally {
    parsed.pkcs8.fill(0);
  }
}

/** Any supported private key, whatever its spec: the spec it is and its canonical PKCS#8 DER.
 *  Throws InvalidKeyMaterialError saying why a key is not usable (never echoing it). */
export function parsePrivateKey(material: Uint8Array | string): { spec: AsymmetricKeySpec; pkcs8: SecretMaterial } {
  const parsed = parseAnyPrivateKey(material);
  return { spec: parsed.spec, pkcs8: SecretMaterial.take(parsed.pkcs8) };
}

/** The key spec a given private key is (for seed files that don't say), or undefined. */
export function inferKeySpec(material: Uint8Array | string): AsymmetricKeySpec | undefined {
  try {
    const parsed = parseAnyPrivateKey(material);
    parsed.pkcs8.fill(0);
    return parsed.spec;
  } catch {
    return undefined;
  }
}

type DerType = 'pkcs8' | 'pkcs1' | 'sec1';
const PEM_LABELS: Record<string, DerType> = { 'PRIVATE KEY': 'pkcs8', 'RSA PRIVATE KEY': 'pkcs1', 'EC PRIVATE KEY': 'sec1' };

/** Canonical PKCS#8 (caller zeroes it) and the spec of any supported private key encoding. */
function parseAnyPrivateKey(material: Uint8Array | string): { spec: AsymmetricKeySpec; pkcs8: Buffer } {
  const text = typeof material === 'string' ? material : looksLikePem(material) ? Buffer.from(material).toString('utf8') : undefined;
  let derBytes: Buffer;
  let types: DerType[];
  if (text !== undefined) {
    let blocks;
    try {
      blocks = decodePem(text);
    } catch (error) {
      throw new InvalidKeyMaterialError(`unreadable PEM: ${(error as Error).message}`);
    }
    const keyBlocks = blocks.filter((block) => block.label in PEM_LABELS);
    for (const block of blocks) if (!keyBlocks.includes(block)) block.der.fill(0);
    if (keyBlocks.length !== 1) {
      for (const block of keyBlocks) block.der.fill(0);
      throw new InvalidKeyMaterialError('expected exactly one PEM "PRIVATE KEY", "RSA PRIVATE KEY" or "EC PRIVATE KEY" block');
    }
    derBytes = keyBlocks[0]!.der;
    types = [PEM_LABELS[keyBlocks[0]!.label]!];
  } else {
    derBytes = Buffer.from(material as Uint8Array);
    types = ['pkcs8', 'pkcs1', 'sec1'];
  }
  try {
    return parseDer(derBytes, types);
  } finally {
    derBytes.fill(0);
  }
}

function looksLikePem(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(0, 64).toString('latin1').includes('-----BEGIN ');
}

function parseDer(derBytes: Buffer, types: DerType[]): { spec: AsymmetricKeySpec; pkcs8: Buffer } {
  if (types.includes('pkcs8')) {
    const oid = pkcs8AlgorithmOid(derBytes);
    if (oid !== undefined && mlDsaSpecOfOid(oid) !== undefined) {
      let parsed;
      try {
        parsed = parseMlDsaPkcs8(derBytes);
      } catch (error) {
        throw new InvalidKeyMaterialError(`invalid ML-DSA private key: ${(error as Error).message}`);
      }
      try {
        return { spec: parsed.spec, pkcs8: encodeMlDsaPkcs8(parsed.spec, parsed.seed) };
      } finally {
        parsed.seed.fill(0);
      }
    }
  }
  for (const type of types) {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: derBytes, format: 'der', type });
    } catch {
      continue;
    }
    const spec = specOfNodeKey(key);
    if (spec === undefined) throw new InvalidKeyMaterialError(`unsupported private key type (${describeNodeKey(key)})`);
    return { spec, pkcs8: canonicalPkcs8(spec, key) };
  }
  throw new InvalidKeyMaterialError('not a PKCS#8, PKCS#1 or SEC1 private key');
}

function describeNodeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  return [key.asymmetricKeyType, details.modulusLength, details.namedCurve].filter((x) => x !== undefined).join(' ');
}

function specOfNodeKey(key: KeyObject): Exclude<AsymmetricKeySpec, MlDsaSpec> | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return (Object.keys(RSA_BITS) as RsaKeySpec[]).find((spec) => RSA_BITS[spec] === details.modulusLength);
    case 'ec':
      return (Object.keys(EC_CURVES) as EccKeySpec[]).find((spec) => EC_CURVES[spec] === details.namedCurve);
    case 'ed25519':
      return 'ECC_NIST_EDWARDS25519';
    default:
      return undefined;
  }
}

function canonicalPkcs8(spec: AsymmetricKeySpec, key: KeyObject): Buffer {
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  if (!isEccSpec(spec)) return pkcs8;
  try {
    return canonicalEcPkcs8(key, pkcs8);
  } finally {
    pkcs8.fill(0);
  }
}

/**
 * OpenSSL keeps a SEC1 key's point form: a key imported with a compressed public key would later
 * export a compressed SPKI. Rebuild the EC PKCS#8 as OpenSSL writes freshly generated keys: version
 * 1 ECPrivateKey with d and the uncompressed public key, curve only in the AlgorithmIdentifier.
 */
function canonicalEcPkcs8(key: KeyObject, pkcs8: Buffer): Buffer {
  const [, algorithm, privateKey] = readChildren(readWhole(pkcs8, TAG_SEQUENCE));
  const [, d] = readChildren(readWhole(privateKey!.content, TAG_SEQUENCE));
  if (d?.tag !== TAG_OCTET_STRING) throw new InvalidKeyMaterialError('malformed EC private key');
  const scalar = der(TAG_OCTET_STRING, d.content);
  const point = der(0xa1, der(TAG_BIT_STRING, Uint8Array.of(0), uncompressedPoint(createPublicKey(key))));
  const ecPrivateKey = der(TAG_SEQUENCE, der(TAG_INTEGER, Uint8Array.of(1)), scalar, point);
  const wrapped = der(TAG_OCTET_STRING, ecPrivateKey);
  try {
    return der(TAG_SEQUENCE, der(TAG_INTEGER, Uint8Array.of(0)), der(algorithm!.tag, algorithm!.content), wrapped);
  } finally {
    for (const secret of [scalar, ecPrivateKey, wrapped]) secret.fill(0);
  }
}

/** 0x04 ‖ X ‖ Y of an EC public key; JWK coordinates are fixed-length, per RFC 7518. */
export function uncompressedPoint(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.x === undefined || jwk.y === undefined) throw new Error('not an EC public key');
  return Buffer.concat([Uint8Array.of(4), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

// ---------------------------------------------------------------------------------------------
// Loading a stored key for use, and the public key

/** A private key ready for use: a node KeyObject, or (ML-DSA) the seed, which the user zeroes. */
export type LoadedPrivateKey =
  | { readonly kind: 'node'; readonly spec: Exclude<AsymmetricKeySpec, MlDsaSpec>; readonly key: KeyObject }
  | { readonly kind: 'ml-dsa'; readonly spec: MlDsaSpec; readonly seed: Buffer };

/** Parses stored canonical PKCS#8; throws InvalidKeyMaterialError if it is not a key of `spec`. */
export function loadPrivateKey(spec: AsymmetricKeySpec, privateKey: SecretMaterial): LoadedPrivateKey {
  const pkcs8 = privateKey.exposeSecret(SECRET_ACCESS);
  if (isMlDsaSpec(spec)) {
    let parsed;
    try {
      parsed = parseMlDsaPkcs8(pkcs8);
    } catch (error) {
      throw new InvalidKeyMaterialError(`invalid ML-DSA private key: ${(error as Error).message}`);
    }
    if (parsed.spec !== spec) {
      parsed.seed.fill(0);
      throw new InvalidKeyMaterialError(`key material is ${parsed.spec}, not ${spec}`);
    }
    return { kind: 'ml-dsa', spec, seed: parsed.seed };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  } catch {
    throw new InvalidKeyMaterialError('stored private key is not PKCS#8');
  }
  const actual = specOfNodeKey(key);
  if (actual !== spec) throw new InvalidKeyMaterialError(`key material is ${actual ?? describeNodeKey(key)}, not ${spec}`);
  return { kind: 'node', spec, key };
}

/** Runs `use` on the loaded key and zeroes an ML-DSA seed afterwards. */
export function withPrivateKey<T>(spec: AsymmetricKeySpec, privateKey: SecretMaterial, use: (key: LoadedPrivateKey) => T): T {
  const loaded = loadPrivateKey(spec, privateKey);
  try {
    return use(loaded);
  } finally {
    if (loaded.kind === 'ml-dsa') loaded.seed.fill(0);
  }
}

/**
 * DER SubjectPublicKeyInfo, exactly what AWS GetPublicKey returns (RSA: rsaEncryption OID with
 * NULL params; EC: id-ecPublicKey + named curve, uncompressed point; Ed25519: OID 1.3.101.112;
 * ML-DSA: OIDs 2.16.840.1.101.3.4.3.17/.18/.19, no params).
 */
export function publicKeySpki(spec: AsymmetricKeySpec, privateKey: SecretMaterial): Buffer {
  return withPrivateKey(spec, privateKey, (loaded) => {
    if (loaded.kind === 'ml-dsa') {
      const keys = mlDsa(loaded.spec).keygen(loaded.seed);
      keys.secretKey.fill(0);
      return encodeMlDsaSpki(loaded.spec, keys.publicKey);
    }
    let publicKey = createPublicKey(loaded.key);
    // Through a JWK so the point is uncompressed whatever form the key was imported in.
    if (isEccSpec(loaded.spec)) publicKey = createPublicKey({ key: publicKey.export({ format: 'jwk' }), format: 'jwk' });
    return publicKey.export({ format: 'der', type: 'spki' });
  });
}
