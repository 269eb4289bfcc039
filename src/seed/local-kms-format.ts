// local-kms's v3 seed file, read as local-kms writes it (github.com/nsmithuk/local-kms, README
// "Seeding file format"), translated into a seed plan:
//
//   Keys:
//     Symmetric:
//       Aes:  [{ Metadata: {KeyId, Description, Origin, KeyUsage}, BackingKeys: [64 hex, ...], NextKeyRotation }]
//       Hmac: [...]            # skipped with a warning until HMAC keys are supported
//     Asymmetric:
//       Rsa:  [...]            # skipped with a warning until asymmetric keys are supported
//       Ecc:  [...]
//   Aliases: [{ AliasName, TargetKeyId }]
//
// and the legacy form where Keys is a flat list of Aes entries. Several BackingKeys are a rotation
// history (the last one encrypts); Origin EXTERNAL takes at most one, and none means PendingImport.
// local-kms ignores fields it does not know, so unknown fields here are warnings, not errors.
// Keys are created in the server's default account and region, as local-kms does.

import type { Scope } from '../kms/model/key.js';
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
  readTargetKeyId,
  type PlannedKey,
  type SeedContext,
  type SeedPlan,
  type StandaloneAlias,
  type YamlMap,
} from './seed-plan.js';

/** Top-level fields that mark a document as local-kms's. */
export const LOCAL_KMS_TOP_LEVEL_FIELDS: readonly string[] = ['Keys', 'Aliases'];
const METADATA_FIELDS: readonly string[] = ['KeyId', 'Description', 'Origin', 'KeyUsage', 'KeySpec', 'Enabled'];
const AES_FIELDS: readonly string[] = ['Metadata', 'BackingKeys', 'NextKeyRotation'];

/** The key kinds local-kms can seed that this server cannot create yet. */
const UNSUPPORTED: readonly { readonly group: 'Symmetric' | 'Asymmetric'; readonly kind: string; readonly reason: string }[] = [
  { group: 'Symmetric', kind: 'Hmac', reason: 'HMAC keys are not supported yet' },
  { group: 'Asymmetric', kind: 'Rsa', reason: 'RSA keys are not supported yet (they come with asymmetric key support)' },
  { group: 'Asymmetric', kind: 'Ecc', reason: 'ECC keys are not supported yet (they come with asymmetric key support)' },
];

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
    if (groups.Symmetric) {
      checkFields(ctx, groups.Symmetric, ['Aes', 'Hmac'], 'Keys.Symmetric', 'warn');
      const aes = readList(ctx, groups.Symmetric.Aes, 'Keys.Symmetric.Aes');
      for (const [i, entry] of aes.entries()) keys.push(readAes(ctx, entry, defaults, join('Keys.Symmetric.Aes', i)));
    }
    if (groups.Asymmetric) checkFields(ctx, groups.Asymmetric, ['Rsa', 'Ecc'], 'Keys.Asymmetric', 'warn');
    for (const { group, kind, reason } of UNSUPPORTED) {
      const container = groups[group];
      if (!container) continue;
      const path = `Keys.${group}.${kind}`;
      for (const [i, entry] of readList(ctx, container[kind], path).entries()) {
        keys.push(readUnsupported(ctx, entry, defaults, join(path, i), reason));
      }
    }
  }

  const aliases = readList(ctx, doc.Aliases, 'Aliases').map((entry, i) => readAlias(ctx, entry, defaults, join('Aliases', i)));
  return finishPlan(ctx, keys, aliases);
}

function readMetadata(ctx: SeedContext, entry: unknown, path: string): { map: YamlMap; metadata: YamlMap; keyId: string } {
  const map = readMap(ctx, entry, path);
  const metadataPath = join(path, 'Metadata');
  if (map.Metadata === undefined || map.Metadata === null) ctx.fail(metadataPath, 'required: a mapping with at least KeyId');
  const metadata = readMap(ctx, map.Metadata, metadataPath);
  const keyId = readKeyId(ctx, metadata.KeyId, join(metadataPath, 'KeyId'));
  return { map, metadata, keyId };
}

function readAes(ctx: SeedContext, entry: unknown, scope: Scope, path: string): PlannedKey {
  const { map, metadata, keyId } = readMetadata(ctx, entry, path);
  const metadataPath = join(path, 'Metadata');
  checkFields(ctx, map, AES_FIELDS, path, 'warn');
  checkFields(ctx, metadata, METADATA_FIELDS, metadataPath, 'warn');

  const origin = readOptionalString(ctx, metadata.Origin, join(metadataPath, 'Origin')) || 'AWS_KMS';
  if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') ctx.fail(join(metadataPath, 'Origin'), `expected AWS_KMS or EXTERNAL, got ${origin}`);
  const keyUsage = readOptionalString(ctx, metadata.KeyUsage, join(metadataPath, 'KeyUsage')) || 'ENCRYPT_DECRYPT';
  if (keyUsage !== 'ENCRYPT_DECRYPT') ctx.fail(join(metadataPath, 'KeyUsage'), `AES keys are ENCRYPT_DECRYPT, got ${keyUsage}`);
  const keySpec = readOptionalString(ctx, metadata.KeySpec, join(metadataPath, 'KeySpec')) || 'SYMMETRIC_DEFAULT';
  if (keySpec !== 'SYMMETRIC_DEFAULT') ctx.fail(join(metadataPath, 'KeySpec'), `AES keys are SYMMETRIC_DEFAULT, got ${keySpec}`);
  if (readOptionalBoolean(ctx, metadata.Enabled, join(metadataPath, 'Enabled')) === false) {
    ctx.warn(join(metadataPath, 'Enabled'), 'ignored: local-kms seeds every key enabled');
  }

  const backingPath = join(path, 'BackingKeys');
  const materials = readList(ctx, map.BackingKeys, backingPath).map((item, i) => readMaterial(ctx, item, join(backingPath, i), true));
  if (origin === 'AWS_KMS' && materials.length === 0) {
    ctx.fail(backingPath, 'at least one backing key (64 hex characters) is required unless Metadata.Origin is EXTERNAL');
  }
  if (origin === 'EXTERNAL' && materials.length > 1) ctx.fail(backingPath, 'an EXTERNAL key takes at most one backing key');

  if (map.NextKeyRotation !== undefined && map.NextKeyRotation !== null) {
    ctx.warn(join(path, 'NextKeyRotation'), `ignored for key ${keyId}: scheduled rotation from seed files is not supported yet`);
  }

  return {
    kind: 'create',
    path,
    scope,
    keyId,
    aliases: [],
    description: readDescription(ctx, metadata.Description, join(metadataPath, 'Description')),
    enabled: true,
    keySpec,
    keyUsage,
    origin,
    multiRegion: keyId.startsWith('mrk-'),
    ...(materials.length > 0 ? { materials } : {}),
    tags: [],
  };
}

function readUnsupported(ctx: SeedContext, entry: unknown, scope: Scope, path: string, reason: string): PlannedKey {
  const { keyId } = readMetadata(ctx, entry, path);
  ctx.warn(path, `key ${keyId} skipped: ${reason}`);
  return { kind: 'unsupported', path, scope, keyId, aliases: [], reason };
}

function readAlias(ctx: SeedContext, entry: unknown, scope: Scope, path: string): StandaloneAlias {
  const map = readMap(ctx, entry, path);
  checkFields(ctx, map, ['AliasName', 'TargetKeyId'], path, 'warn');
  if (map.AliasName === undefined || map.AliasName === null) ctx.fail(join(path, 'AliasName'), 'required');
  const aliasName = readAliasName(ctx, map.AliasName, join(path, 'AliasName'));
  const targetKeyId = readTargetKeyId(ctx, map.TargetKeyId, scope, join(path, 'TargetKeyId'));
  return { path, scope, aliasName, targetKeyId };
}
