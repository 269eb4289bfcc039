// local-kms's v3 seed file, read as local-kms reads it (github.com/nsmithuk/local-kms: README
// "Seeding file format", src/seed.go and the YAML readers of src/cmk/*_key.go), translated into a
// seed plan:
//
//   Keys:
//     Symmetric:
//       Aes:  [{ Metadata: {KeyId, Description, Origin, KeyUsage}, BackingKeys: [64 hex, ...], NextKeyRotation }]
//       Hmac: [{ Metadata: {KeyId, KeySpec: HMAC_*, ...}, BackingKeys: [hex of the spec's length], NextKeyRotation }]
//     Asymmetric:
//       Rsa:  [{ Metadata: {KeyId, KeyUsage: SIGN_VERIFY | ENCRYPT_DECRYPT, ...}, PrivateKeyPem }]
//       Ecc:  [{ Metadata: {KeyId, KeyUsage: SIGN_VERIFY, ...}, PrivateKeyPem | PrivateKeyHex (secp256k1) }]
//   Aliases: [{ AliasName, TargetKeyId }]
//
// and the legacy form where Keys is a flat list of Aes entries. Several Aes BackingKeys are a
// rotation history (the last one encrypts); Origin EXTERNAL takes at most one, and none means
// PendingImport. An asymmetric key's spec (RSA size, curve) is the private key's, as in local-kms.
// local-kms ignores fields it does not know, so unknown fields here are warnings, not errors.
// Keys are created in the server's default account and region, as local-kms does.

import { createECDH } from 'node:crypto';
import { importPrivateKey } from '../crypto/specs/asymmetric-key.js';
import { der, TAG_BIT_STRING, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE } from '../crypto/specs/der.js';
import { hmacKeyLength, isHmacKeySpec } from '../crypto/specs/hmac.js';
import { allowedKeyUsages, familyOf } from '../kms/model/key-spec.js';
import type { KeyUsage, Scope } from '../kms/model/key.js';
import {
  checkFields,
  finishPlan,
  join,
  readAliasName,
  readDescription,
  readKeyId,
  readList,
  readMap,
  readMaterial,
  readOptionalBoolean,
  readOptionalString,
  readPrivateKeyPem,
  readTargetKeyId,
  takeSecret,
  type PlannedKey,
  type PrivateKeyMaterial,
  type SeedContext,
  type SeedPlan,
  type StandaloneAlias,
  type YamlMap,
} from './seed-plan.js';

/** Top-level fields that mark a document as local-kms's. */
export const LOCAL_KMS_TOP_LEVEL_FIELDS: readonly string[] = ['Keys', 'Aliases'];
const METADATA_FIELDS: readonly string[] = ['KeyId', 'Description', 'Origin', 'KeyUsage', 'KeySpec', 'Enabled'];
const SYMMETRIC_FIELDS: readonly string[] = ['Metadata', 'BackingKeys', 'NextKeyRotation'];
const ASYMMETRIC_FIELDS: Readonly<Record<AsymmetricKind, readonly string[]>> = {
  Rsa: ['Metadata', 'PrivateKeyPem'],
  Ecc: ['Metadata', 'PrivateKeyPem', 'PrivateKeyHex'],
};
const HMAC_SPECS = ['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'];
/** id-secp256k1, 1.3.132.0.10: the curve of a PrivateKeyHex key. */
const SECP256K1_OID = Uint8Array.of(0x2b, 0x81, 0x04, 0x00, 0x0a);

type AsymmetricKind = 'Rsa' | 'Ecc';

export function isLocalKmsDocument(doc: YamlMap): boolean {
  return Object.keys(doc).some((field) => LOCAL_KMS_TOP_LEVEL_FIELDS.includes(field) || field === 'Version');
}

export function parseLocalKmsFormat(ctx: SeedContext, doc: YamlMap, defaults: Scope): SeedPlan {
  if (doc.Version !== undefined) {
    ctx.fail('Version', "local-kms's versioned seed format is not supported; write its v3 format (Keys.Symmetric.Aes ...) or ours (see docs/seed-files.md)");
  }
  checkFields(ctx, doc, LOCAL_KMS_TOP_LEVEL_FIELDS, '', 'warn');
  const keys: PlannedKey[] = [];

  if (Array.isArray(doc.Keys)) {
    // Legacy: Keys is a flat list of Aes entries.
    for (const [i, entry] of doc.Keys.entries()) keys.push(readAes(ctx, entry, defaults, join('Keys', i)));
  } else if (doc.Keys !== undefined && doc.Keys !== null) {
    const keysMap = readMap(ctx, doc.Keys, 'Keys');
    checkFields(ctx, keysMap, ['Symmetric', 'Asymmetric'], 'Keys', 'warn');
    const groups: Record<string, YamlMap> = {};
    for (const group of ['Symmetric', 'Asymmetric'] as const) {
      const value = keysMap[group];
      if (value === undefined || value === null) continue;
      groups[group] = readMap(ctx, value, join('Keys', group));
    }
    // In local-kms's order: Aes, Hmac, Rsa, Ecc.
    if (groups.Symmetric) {
      checkFields(ctx, groups.Symmetric, ['Aes', 'Hmac'], 'Keys.Symmetric', 'warn');
      const aes = readList(ctx, groups.Symmetric.Aes, 'Keys.Symmetric.Aes');
      for (const [i, entry] of aes.entries()) keys.push(readAes(ctx, entry, defaults, join('Keys.Symmetric.Aes', i)));
      const hmac = readList(ctx, groups.Symmetric.Hmac, 'Keys.Symmetric.Hmac');
      for (const [i, entry] of hmac.entries()) keys.push(readHmac(ctx, entry, defaults, join('Keys.Symmetric.Hmac', i)));
    }
    if (groups.Asymmetric) {
      checkFields(ctx, groups.Asymmetric, ['Rsa', 'Ecc'], 'Keys.Asymmetric', 'warn');
      for (const kind of ['Rsa', 'Ecc'] as const) {
        const path = `Keys.Asymmetric.${kind}`;
        for (const [i, entry] of readList(ctx, groups.Asymmetric[kind], path).entries()) {
          keys.push(readAsymmetric(ctx, entry, defaults, join(path, i), kind));
        }
      }
    }
  }

  const aliases = readList(ctx, doc.Aliases, 'Aliases').map((entry, i) => readAlias(ctx, entry, defaults, join('Aliases', i)));
  return finishPlan(ctx, keys, aliases);
}

/** What every kind of entry has: Metadata with KeyId, Description, Origin and Enabled. */
interface Entry {
  readonly map: YamlMap;
  readonly metadata: YamlMap;
  readonly metadataPath: string;
  readonly keyId: string;
  readonly description: string;
  readonly origin: 'AWS_KMS' | 'EXTERNAL';
}

function readEntry(ctx: SeedContext, entry: unknown, path: string, fields: readonly string[]): Entry {
  const map = readMap(ctx, entry, path);
  const metadataPath = join(path, 'Metadata');
  if (map.Metadata === undefined || map.Metadata === null) ctx.fail(metadataPath, 'required: a mapping with at least KeyId');
  const metadata = readMap(ctx, map.Metadata, metadataPath);
  const keyId = readKeyId(ctx, metadata.KeyId, join(metadataPath, 'KeyId'));
  checkFields(ctx, map, fields, path, 'warn');
  checkFields(ctx, metadata, METADATA_FIELDS, metadataPath, 'warn');

  const origin = readOptionalString(ctx, metadata.Origin, join(metadataPath, 'Origin')) || 'AWS_KMS';
  if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') ctx.fail(join(metadataPath, 'Origin'), `expected AWS_KMS or EXTERNAL, got ${origin}`);
  if (readOptionalBoolean(ctx, metadata.Enabled, join(metadataPath, 'Enabled')) === false) {
    ctx.warn(join(metadataPath, 'Enabled'), 'ignored: local-kms seeds every key enabled');
  }
  const description = readDescription(ctx, metadata.Description, join(metadataPath, 'Description'));
  return { map, metadata, metadataPath, keyId, description, origin };
}

function plannedKey(entry: Entry, scope: Scope, path: string, keySpec: string, keyUsage: KeyUsage, materials: readonly Buffer[]): PlannedKey {
  return {
    path,
    scope,
    keyId: entry.keyId,
    aliases: [],
    description: entry.description,
    enabled: true,
    keySpec,
    keyUsage,
    origin: entry.origin,
    multiRegion: entry.keyId.startsWith('mrk-'),
    ...(materials.length > 0 ? { materials } : {}),
    tags: [],
  };
}

function readAes(ctx: SeedContext, value: unknown, scope: Scope, path: string): PlannedKey {
  const entry = readEntry(ctx, value, path, SYMMETRIC_FIELDS);
  const { metadata, metadataPath } = entry;
  const keyUsage = readOptionalString(ctx, metadata.KeyUsage, join(metadataPath, 'KeyUsage')) || 'ENCRYPT_DECRYPT';
  if (keyUsage !== 'ENCRYPT_DECRYPT') ctx.fail(join(metadataPath, 'KeyUsage'), `AES keys are ENCRYPT_DECRYPT, got ${keyUsage}`);
  const keySpec = readOptionalString(ctx, metadata.KeySpec, join(metadataPath, 'KeySpec')) || 'SYMMETRIC_DEFAULT';
  if (keySpec !== 'SYMMETRIC_DEFAULT') ctx.fail(join(metadataPath, 'KeySpec'), `AES keys are SYMMETRIC_DEFAULT, got ${keySpec}`);

  const materials = readBackingKeys(ctx, entry, path, 32);
  if (entry.map.NextKeyRotation !== undefined && entry.map.NextKeyRotation !== null) {
    ctx.warn(join(path, 'NextKeyRotation'), `ignored for key ${entry.keyId}: scheduled rotation from seed files is not supported yet`);
  }
  return plannedKey(entry, scope, path, keySpec, keyUsage, materials);
}

/** local-kms: KeySpec HMAC_*, usage GENERATE_VERIFY_MAC, backing keys of exactly the spec's length. */
function readHmac(ctx: SeedContext, value: unknown, scope: Scope, path: string): PlannedKey {
  const entry = readEntry(ctx, value, path, SYMMETRIC_FIELDS);
  const { metadata, metadataPath, keyId } = entry;
  let keySpec = readOptionalString(ctx, metadata.KeySpec, join(metadataPath, 'KeySpec')) || '';
  if (keySpec === '') {
    // local-kms then uses 32-byte backing keys and HMAC_SHA_256: an HMAC_256 key in all but name.
    ctx.warn(join(metadataPath, 'KeySpec'), `missing for key ${keyId}: HMAC_256 assumed, as local-kms then makes a 32-byte HMAC_SHA_256 key`);
    keySpec = 'HMAC_256';
  }
  if (!isHmacKeySpec(keySpec)) ctx.fail(join(metadataPath, 'KeySpec'), `Hmac keys are ${HMAC_SPECS.join(', ')}, got ${keySpec}`);
  const keyUsage = readOptionalString(ctx, metadata.KeyUsage, join(metadataPath, 'KeyUsage')) || 'GENERATE_VERIFY_MAC';
  if (keyUsage !== 'GENERATE_VERIFY_MAC') ctx.fail(join(metadataPath, 'KeyUsage'), `Hmac keys are GENERATE_VERIFY_MAC, got ${keyUsage}`);

  const materials = readBackingKeys(ctx, entry, path, hmacKeyLength(keySpec));
  if (materials.length > 1) {
    // local-kms computes MACs with the first backing key (and verifies with any); an HMAC key has
    // one key material here, as in AWS, where HMAC keys are never rotated.
    ctx.warn(join(path, 'BackingKeys'), `key ${keyId}: only the first backing key is used (the one local-kms computes MACs with)`);
    for (const extra of materials.splice(1)) extra.fill(0);
  }
  if (entry.map.NextKeyRotation !== undefined && entry.map.NextKeyRotation !== null) {
    ctx.warn(join(path, 'NextKeyRotation'), `ignored for key ${keyId}: HMAC keys are not rotated`);
  }
  return plannedKey(entry, scope, path, keySpec, keyUsage, materials);
}

/** Hex backing keys of `bytes` bytes: at least one for AWS_KMS, at most one for EXTERNAL. */
function readBackingKeys(ctx: SeedContext, entry: Entry, path: string, bytes: number): Buffer[] {
  const backingPath = join(path, 'BackingKeys');
  const materials = readList(ctx, entry.map.BackingKeys, backingPath).map((item, i) =>
    readMaterial(ctx, item, join(backingPath, i), { bytes, hexOnly: true }),
  );
  if (entry.origin === 'AWS_KMS' && materials.length === 0) {
    ctx.fail(backingPath, `at least one backing key (${bytes * 2} hex characters) is required unless Metadata.Origin is EXTERNAL`);
  }
  if (entry.origin === 'EXTERNAL' && materials.length > 1) ctx.fail(backingPath, 'an EXTERNAL key takes at most one backing key');
  return materials;
}

/**
 * Rsa and Ecc entries: the spec is the private key's (RSA size, curve), and KeyUsage is required,
 * as local-kms requires it. Ecc also takes ECC_NIST_EDWARDS25519 keys, which AWS counts as ECC.
 */
function readAsymmetric(ctx: SeedContext, value: unknown, scope: Scope, path: string, kind: AsymmetricKind): PlannedKey {
  const entry = readEntry(ctx, value, path, ASYMMETRIC_FIELDS[kind]);
  const { map, metadata, metadataPath, keyId } = entry;
  const pem = map.PrivateKeyPem || undefined;
  const hex = kind === 'Ecc' ? map.PrivateKeyHex || undefined : undefined;
  let keyPath: string;
  let key: PrivateKeyMaterial;
  if (pem !== undefined) {
    // local-kms reads the PEM when both are given.
    if (hex !== undefined) ctx.warn(join(path, 'PrivateKeyHex'), `ignored for key ${keyId}: PrivateKeyPem is given too, and is the one read`);
    keyPath = join(path, 'PrivateKeyPem');
    key = readPrivateKeyPem(ctx, pem, keyPath);
  } else if (hex !== undefined) {
    keyPath = join(path, 'PrivateKeyHex');
    key = readSecp256k1Hex(ctx, hex, keyPath);
  } else {
    return ctx.fail(
      join(path, 'PrivateKeyPem'),
      kind === 'Rsa' ? 'required: the RSA private key in PEM' : 'required: the private key in PEM, or a secp256k1 key in PrivateKeyHex',
    );
  }

  const family = familyOf(key.spec);
  if (kind === 'Rsa' && family !== 'RSA') ctx.fail(keyPath, `Rsa entries take RSA private keys; this one is ${key.spec}`);
  if (kind === 'Ecc' && family !== 'ECC' && family !== 'ED25519') ctx.fail(keyPath, `Ecc entries take elliptic-curve private keys; this one is ${key.spec}`);
  const declared = readOptionalString(ctx, metadata.KeySpec, join(metadataPath, 'KeySpec')) || undefined;
  if (declared !== undefined && declared !== key.spec) ctx.fail(join(metadataPath, 'KeySpec'), `the private key is ${key.spec}, not ${declared}`);

  const allowed = allowedKeyUsages(key.spec);
  const keyUsage = readOptionalString(ctx, metadata.KeyUsage, join(metadataPath, 'KeyUsage')) || undefined;
  if (keyUsage === undefined) ctx.fail(join(metadataPath, 'KeyUsage'), `required for ${key.spec} keys: ${allowed.join(' or ')}`);
  if (!allowed.includes(keyUsage as KeyUsage)) {
    ctx.fail(join(metadataPath, 'KeyUsage'), `${keyUsage} is not a usage of ${key.spec} (expected ${allowed.join(' or ')})`);
  }
  return plannedKey(entry, scope, path, key.spec, keyUsage as KeyUsage, [key.pkcs8]);
}

/** local-kms's PrivateKeyHex: a secp256k1 private scalar, 64 hex characters. */
function readSecp256k1Hex(ctx: SeedContext, value: unknown, path: string): PrivateKeyMaterial {
  const scalar = readMaterial(ctx, value, path, { bytes: 32, hexOnly: true });
  const ecdh = createECDH('secp256k1');
  try {
    ecdh.setPrivateKey(scalar);
  } catch {
    ctx.fail(path, 'not a secp256k1 private key (it must be above zero and below the curve order)');
  }
  // SEC1 ECPrivateKey { version 1, privateKey, [0] curve, [1] public key }, then canonical PKCS#8.
  const octets = der(TAG_OCTET_STRING, scalar);
  const sec1 = der(
    TAG_SEQUENCE,
    der(TAG_INTEGER, Uint8Array.of(1)),
    octets,
    der(0xa0, der(TAG_OID, SECP256K1_OID)),
    der(0xa1, der(TAG_BIT_STRING, Uint8Array.of(0), ecdh.getPublicKey())),
  );
  try {
    return { spec: 'ECC_SECG_P256K1', pkcs8: takeSecret(ctx, importPrivateKey('ECC_SECG_P256K1', sec1)) };
  } finally {
    for (const secret of [scalar, octets, sec1]) secret.fill(0);
  }
}

function readAlias(ctx: SeedContext, entry: unknown, scope: Scope, path: string): StandaloneAlias {
  const map = readMap(ctx, entry, path);
  checkFields(ctx, map, ['AliasName', 'TargetKeyId'], path, 'warn');
  if (map.AliasName === undefined || map.AliasName === null) ctx.fail(join(path, 'AliasName'), 'required');
  const aliasName = readAliasName(ctx, map.AliasName, join(path, 'AliasName'));
  const targetKeyId = readTargetKeyId(ctx, map.TargetKeyId, scope, join(path, 'TargetKeyId'));
  return { path, scope, aliasName, targetKeyId };
}
