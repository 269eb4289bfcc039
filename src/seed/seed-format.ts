// Our seed format (docs/seed-files.md): top-level accountId, region, keys and aliases, camelCase
// fields, strict (an unknown field is an error, so a typo never silently drops a setting).

import { isHmacKeySpec, type HmacKeySpec } from '../crypto/specs/hmac.js';
import { checkKeyPolicy } from '../kms/authorization/key-policy-cache.js';
import { allowedKeyUsages, familyOf, isAsymmetric, isKnownKeySpec } from '../kms/model/key-spec.js';
import type { KeyUsage, Scope } from '../kms/model/key.js';
import {
  failOnKmsError,
  checkFields,
  describeValue,
  finishPlan,
  isMap,
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
  readScope,
  readTags,
  readTargetKeyId,
  type PlannedAlias,
  type PlannedKey,
  type PrivateKeyMaterial,
  type SeedContext,
  type SeedPlan,
  type StandaloneAlias,
  type YamlMap,
} from './seed-plan.js';
import { parseIdentities } from './seed-identities.js';

export const TOP_LEVEL_FIELDS: readonly string[] = ['accountId', 'region', 'keys', 'aliases', 'identities'];
const KEY_FIELDS: readonly string[] = [
  'keyId',
  'accountId',
  'region',
  'description',
  'enabled',
  'keySpec',
  'keyUsage',
  'origin',
  'multiRegion',
  'material',
  'materials',
  'privateKeyPem',
  'tags',
  'aliases',
  'policy',
];
const ALIAS_FIELDS: readonly string[] = ['aliasName', 'targetKeyId', 'accountId', 'region'];
const MAX_POLICY_BYTES = 32_768;
/**
 * AWS (Requirements for imported key material), HMAC keys: at least as long as the spec's digest,
 * at most the hash function's block size. Seeded HMAC material is held to the same bounds.
 */
const HMAC_MATERIAL_BYTES: Readonly<Record<HmacKeySpec, { min: number; max: number }>> = {
  HMAC_224: { min: 28, max: 64 },
  HMAC_256: { min: 32, max: 64 },
  HMAC_384: { min: 48, max: 128 },
  HMAC_512: { min: 64, max: 128 },
};

export function parseSeedFormat(ctx: SeedContext, doc: YamlMap, defaults: Scope): SeedPlan {
  checkFields(ctx, doc, TOP_LEVEL_FIELDS, '', 'error');
  const fileScope = readScope(ctx, doc, defaults, '');
  const keys = readList(ctx, doc.keys, 'keys').map((entry, i) => readKey(ctx, entry, fileScope, join('keys', i)));
  const aliases = readList(ctx, doc.aliases, 'aliases').map((entry, i) => readStandaloneAlias(ctx, entry, fileScope, join('aliases', i)));
  const identities = parseIdentities(ctx, doc.identities, fileScope.accountId);
  return { ...finishPlan(ctx, keys, aliases), identities };
}

function readKey(ctx: SeedContext, entry: unknown, fileScope: Scope, path: string): PlannedKey {
  const map = readMap(ctx, entry, path);
  checkFields(ctx, map, KEY_FIELDS, path, 'error');
  const keyId = readKeyId(ctx, map.keyId, join(path, 'keyId'));
  const scope = readScope(ctx, map, fileScope, path);
  const aliases: PlannedAlias[] = readList(ctx, map.aliases, join(path, 'aliases')).map((alias, i) => ({
    path: join(join(path, 'aliases'), i),
    aliasName: readAliasName(ctx, alias, join(join(path, 'aliases'), i)),
  }));

  // The private key is read first: when keySpec is left out, the key says which spec it is.
  const pem = map.privateKeyPem ?? undefined;
  const privateKey = pem === undefined ? undefined : readPrivateKeyPem(ctx, pem, join(path, 'privateKeyPem'));
  const writtenSpec = readOptionalString(ctx, map.keySpec, join(path, 'keySpec'));
  const keySpec = writtenSpec ?? privateKey?.spec ?? 'SYMMETRIC_DEFAULT';
  if (!isKnownKeySpec(keySpec)) ctx.fail(join(path, 'keySpec'), `unknown key spec ${keySpec}`);
  if (familyOf(keySpec) === 'SM2') {
    ctx.fail(join(path, 'keySpec'), 'SM2 is not supported: AWS offers it only in the China Regions, and this server does not implement it');
  }

  const allowedUsages = allowedKeyUsages(keySpec);
  const writtenUsage = readOptionalString(ctx, map.keyUsage, join(path, 'keyUsage'));
  // As CreateKey: ENCRYPT_DECRYPT by default, so a spec that cannot encrypt must name its usage.
  if (writtenUsage === undefined && !allowedUsages.includes('ENCRYPT_DECRYPT')) {
    ctx.fail(join(path, 'keyUsage'), `required for ${keySpec} keys: ${allowedUsages.join(' or ')}`);
  }
  const keyUsage = (writtenUsage ?? 'ENCRYPT_DECRYPT') as KeyUsage;
  if (!allowedUsages.includes(keyUsage)) {
    ctx.fail(join(path, 'keyUsage'), `${keyUsage} is not a usage of ${keySpec} (expected ${allowedUsages.join(' or ')})`);
  }

  const origin = readOptionalString(ctx, map.origin, join(path, 'origin')) ?? 'AWS_KMS';
  if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') ctx.fail(join(path, 'origin'), `expected AWS_KMS or EXTERNAL, got ${origin}`);

  const impliedMultiRegion = keyId.startsWith('mrk-');
  const multiRegion = readOptionalBoolean(ctx, map.multiRegion, join(path, 'multiRegion')) ?? impliedMultiRegion;
  if (multiRegion !== impliedMultiRegion) {
    ctx.fail(
      join(path, 'multiRegion'),
      multiRegion ? 'a multi-Region key needs an mrk- key id' : `key id ${keyId} is a multi-Region id (mrk-): set multiRegion to true or omit it`,
    );
  }

  const materials = readMaterials(ctx, map, path, keySpec, privateKey);
  const policy = readPolicy(ctx, map.policy, join(path, 'policy'));
  const key: PlannedKey = {
    path,
    scope,
    keyId,
    aliases,
    description: readDescription(ctx, map.description, join(path, 'description')),
    enabled: readOptionalBoolean(ctx, map.enabled, join(path, 'enabled')) ?? true,
    keySpec,
    keyUsage,
    origin,
    multiRegion,
    ...(materials ? { materials } : {}),
    tags: readTags(ctx, map.tags, join(path, 'tags')),
    ...(policy !== undefined ? { policy } : {}),
  };
  return key;
}

/**
 * The key's material, in the field its spec takes: `material` or `materials` (a rotation history)
 * for SYMMETRIC_DEFAULT, `material` for HMAC specs, `privateKeyPem` for asymmetric specs.
 */
function readMaterials(
  ctx: SeedContext,
  map: YamlMap,
  path: string,
  keySpec: string,
  privateKey: PrivateKeyMaterial | undefined,
): Buffer[] | undefined {
  const single = map.material ?? undefined;
  const list = map.materials ?? undefined;
  if (isAsymmetric(keySpec)) {
    if (single !== undefined) ctx.fail(join(path, 'material'), `${keySpec} keys take their private key in privateKeyPem, not material`);
    if (list !== undefined) ctx.fail(join(path, 'materials'), `${keySpec} keys take their private key in privateKeyPem, not materials`);
    if (!privateKey) return undefined;
    if (privateKey.spec !== keySpec) ctx.fail(join(path, 'privateKeyPem'), `the private key is ${privateKey.spec}, but keySpec is ${keySpec}`);
    return [privateKey.pkcs8];
  }

  const kind = isHmacKeySpec(keySpec) ? 'raw key bytes' : '32 bytes';
  if (privateKey) ctx.fail(join(path, 'privateKeyPem'), `${keySpec} keys take material (${kind}), not a private key`);
  if (single !== undefined && list !== undefined) ctx.fail(join(path, 'materials'), 'give either material or materials, not both');
  const format = isHmacKeySpec(keySpec) ? { bytes: HMAC_MATERIAL_BYTES[keySpec] } : {};
  if (single !== undefined) return [readMaterial(ctx, single, join(path, 'material'), format)];
  if (list === undefined) return undefined;
  if (keySpec !== 'SYMMETRIC_DEFAULT') {
    ctx.fail(join(path, 'materials'), `a rotation history is for SYMMETRIC_DEFAULT keys only; give the one ${keySpec} key in material`);
  }
  const items = readList(ctx, list, join(path, 'materials'));
  if (items.length === 0) ctx.fail(join(path, 'materials'), 'expected at least one material (omit the field to have one generated)');
  return items.map((item, i) => readMaterial(ctx, item, join(join(path, 'materials'), i)));
}

/** A JSON string, or the policy written as a YAML mapping (serialised to JSON). */
function readPolicy(ctx: SeedContext, value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  let policy: string;
  if (typeof value === 'string') policy = value;
  else if (isMap(value)) policy = JSON.stringify(value, null, 2);
  else return ctx.fail(path, `expected a JSON string or a mapping, got ${describeValue(value)}`);
  if (Buffer.byteLength(policy, 'utf8') > MAX_POLICY_BYTES) ctx.fail(path, `key policies are at most ${MAX_POLICY_BYTES} bytes`);
  failOnKmsError(ctx, path, () => checkKeyPolicy(policy));
  return policy;
}

function readStandaloneAlias(ctx: SeedContext, entry: unknown, fileScope: Scope, path: string): StandaloneAlias {
  const map = readMap(ctx, entry, path);
  checkFields(ctx, map, ALIAS_FIELDS, path, 'error');
  const scope = readScope(ctx, map, fileScope, path);
  if (map.aliasName === undefined || map.aliasName === null) ctx.fail(join(path, 'aliasName'), 'required');
  const aliasName = readAliasName(ctx, map.aliasName, join(path, 'aliasName'));
  const targetKeyId = readTargetKeyId(ctx, map.targetKeyId, scope, join(path, 'targetKeyId'));
  return { path, scope, aliasName, targetKeyId };
}
