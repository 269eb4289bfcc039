// What a seed file asks for once parsed and validated, whatever its format (ours or local-kms's):
// a list of keys to create and aliases to add. Also the field readers both format parsers share,
// so every validation error names the file and the offending entry the same way.
// Material is held as bytes only until buildNewKey wraps it; nothing here prints it, and a
// validation error zeroes whatever material the file had yielded so far.

import { isAccountId, isRegionName } from '../kms/model/arn.js';
import { InvalidKeyMaterialError, parsePrivateKey, type AsymmetricKeySpec } from '../crypto/specs/asymmetric-key.js';
import { SECRET_ACCESS, type SecretMaterial } from '../crypto/secret.js';
import { KmsError } from '../errors/aws-errors.js';
import { SYMMETRIC_MATERIAL_BYTES } from '../kms/key-material.js';
import { isAwsManagedAliasName } from '../kms/model/aws-managed.js';
import { parseKeyIdentifier, sameScope } from '../kms/model/arn.js';
import { isWellFormedKeyId } from '../kms/model/key-ids.js';
import type { KeyUsage, Scope, Tag } from '../kms/model/key.js';
import { checkRequestTags } from '../kms/model/tags.js';
import type { SeedAccount } from './seed-identities.js';

/** A problem in a seed file. The message is `<file>: <entry path>: <what is wrong>`. */
export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

export interface PlannedAlias {
  /** Where the alias is written in the file, e.g. `keys[0].aliases[1]`. */
  readonly path: string;
  readonly aliasName: string;
}

/** A key to create (unless its id already exists in its scope). */
export interface PlannedKey {
  readonly path: string;
  readonly scope: Scope;
  readonly keyId: string;
  /** Aliases written with the key; committed together with it. */
  readonly aliases: readonly PlannedAlias[];
  readonly description: string;
  readonly enabled: boolean;
  readonly keySpec: string;
  readonly keyUsage: KeyUsage;
  readonly origin: 'AWS_KMS' | 'EXTERNAL';
  readonly multiRegion: boolean;
  /**
   * Given material versions, oldest first, in the form buildNewKey takes: 32 bytes (symmetric),
   * the raw key (HMAC) or canonical PKCS#8 DER (asymmetric; one version only). Generated (AWS_KMS)
   * or left pending import (EXTERNAL) when absent.
   */
  readonly materials?: readonly Buffer[];
  readonly tags: readonly Tag[];
  /** Absent: the default key policy of the key's scope. */
  readonly policy?: string;
}

/** An alias written apart from its key (our `aliases:` list, local-kms's `Aliases:`). */
export interface StandaloneAlias extends PlannedAlias {
  readonly scope: Scope;
  /** Key id (an ARN in the file is reduced to its id, after checking its scope). */
  readonly targetKeyId: string;
}

export interface SeedPlan {
  /** The file name (or a label), to prefix messages with. */
  readonly source: string;
  readonly keys: readonly PlannedKey[];
  readonly aliases: readonly StandaloneAlias[];
  /** Accounts' IAM identities (our format's `identities`). */
  readonly identities?: readonly SeedAccount[];
  /** Each already prefixed with the file name. */
  readonly warnings: readonly string[];
}

/** Parsing state shared by the readers: the file name for messages, the warnings so far, and the
 *  material read so far (zeroed when the file turns out to be invalid). */
export class SeedContext {
  readonly warnings: string[] = [];
  readonly #secrets: Buffer[] = [];
  constructor(readonly source: string) {}

  /** Registers material read from the file, to be zeroed if validation fails later. */
  secret(bytes: Buffer): Buffer {
    this.#secrets.push(bytes);
    return bytes;
  }

  fail(path: string, message: string): never {
    for (const bytes of this.#secrets) bytes.fill(0);
    throw new SeedError(path === '' ? `${this.source}: ${message}` : `${this.source}: ${path}: ${message}`);
  }

  warn(path: string, message: string): void {
    this.warnings.push(path === '' ? `${this.source}: ${message}` : `${this.source}: ${path}: ${message}`);
  }
}

const ALIAS_NAME = /^alias\/[A-Za-z0-9/_-]+$/;
const MAX_ALIAS_NAME = 256;
const MAX_DESCRIPTION = 8192;
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;
const HEX = /^[0-9a-fA-F]+$/;
// Standard or url-safe letters, padding optional; checked again by re-encoding (canonical only).
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

// ---------------------------------------------------------------------------------------------
// Generic readers

export type YamlMap = Record<string, unknown>;

export function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isMap(value)) return 'a mapping';
  return `a ${typeof value}`;
}

export function join(path: string, field: string | number): string {
  if (typeof field === 'number') return `${path}[${field}]`;
  return path === '' ? field : `${path}.${field}`;
}

export function readMap(ctx: SeedContext, value: unknown, path: string): YamlMap {
  if (!isMap(value)) ctx.fail(path, `expected a mapping, got ${describeValue(value)}`);
  return value;
}

/** A list, or an empty one when the field is absent or written with no value. */
export function readList(ctx: SeedContext, value: unknown, path: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) ctx.fail(path, `expected a list, got ${describeValue(value)}`);
  return value;
}

export function readString(ctx: SeedContext, value: unknown, path: string): string {
  if (typeof value !== 'string') ctx.fail(path, `expected a string, got ${describeValue(value)}`);
  return value;
}

export function readOptionalString(ctx: SeedContext, value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : readString(ctx, value, path);
}

export function readOptionalBoolean(ctx: SeedContext, value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') ctx.fail(path, `expected true or false, got ${describeValue(value)}`);
  return value;
}

/** Fields outside `allowed` are an error (our format) or a warning (local-kms's, which ignores them). */
export function checkFields(ctx: SeedContext, map: YamlMap, allowed: readonly string[], path: string, mode: 'error' | 'warn'): void {
  for (const field of Object.keys(map)) {
    if (allowed.includes(field)) continue;
    const message = `unknown field (expected one of ${allowed.join(', ')})`;
    if (mode === 'error') ctx.fail(join(path, field), message);
    ctx.warn(join(path, field), `${message}; ignored`);
  }
}

/** Runs a check the API applies too (a policy's syntax, tag rules): the KmsError it throws becomes a seed failure at `path`. */
export function failOnKmsError(ctx: SeedContext, path: string, check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof KmsError) ctx.fail(path, err.message);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Domain readers

export function readKeyId(ctx: SeedContext, value: unknown, path: string): string {
  if (value === undefined || value === null) ctx.fail(path, 'required: a key id (a UUID, or mrk- and 32 hex digits)');
  const keyId = readString(ctx, value, path);
  if (!isWellFormedKeyId(keyId)) ctx.fail(path, `not a key id (expected a UUID, or mrk- and 32 hex digits): ${keyId}`);
  // Stored lower-case, as KMS prints them, so the same id written twice in two cases is one key.
  return keyId.toLowerCase();
}

export function readScope(ctx: SeedContext, map: YamlMap, base: Scope, path: string): Scope {
  const accountId = readOptionalString(ctx, map.accountId, join(path, 'accountId')) ?? base.accountId;
  const region = readOptionalString(ctx, map.region, join(path, 'region')) ?? base.region;
  if (!isAccountId(accountId)) ctx.fail(join(path, 'accountId'), `expected 12 digits, got ${accountId}`);
  if (!isRegionName(region)) ctx.fail(join(path, 'region'), `does not look like a region: ${region}`);
  return { accountId, region };
}

export interface MaterialFormat {
  /** Length in bytes: exact, or a range (default 32 exactly, symmetric key material). */
  readonly bytes?: number | { readonly min: number; readonly max: number };
  /** Hex only (local-kms's BackingKeys); otherwise hex or base64. */
  readonly hexOnly?: boolean;
}

/** Raw key material of a given length: hex (either case) or (unless hexOnly) base64. Never echoes the value. */
export function readMaterial(ctx: SeedContext, value: unknown, path: string, format: MaterialFormat = {}): Buffer {
  const given = format.bytes ?? SYMMETRIC_MATERIAL_BYTES;
  const { min, max } = typeof given === 'number' ? { min: given, max: given } : given;
  const span = (factor: number) => (min === max ? `${min * factor}` : `${min * factor} to ${max * factor}`);
  const expected = format.hexOnly
    ? `expected ${span(2)} hex characters (${span(1)} bytes)`
    : `expected ${span(2)} hex characters or base64 of ${span(1)} bytes`;
  if (typeof value !== 'string') ctx.fail(path, `${expected}, got ${describeValue(value)}`);
  const text = value.trim();
  const fits = (length: number) => length >= min && length <= max;
  // Text made only of hex digits is hex, even at a length where it would also be base64 of the
  // right size: 64 hex digits given for a key of 48 bytes or more are a mistake, not base64.
  if (HEX.test(text)) {
    if (text.length % 2 === 0 && fits(text.length / 2)) return ctx.secret(Buffer.from(text, 'hex'));
  } else if (!format.hexOnly && BASE64.test(text)) {
    const unpadded = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
    const decoded = ctx.secret(Buffer.from(unpadded, 'base64'));
    if (fits(decoded.length) && decoded.toString('base64').replace(/=+$/, '') === unpadded) return decoded;
    decoded.fill(0);
  }
  return ctx.fail(path, `${expected} (got ${text.length} characters)`);
}

export interface PrivateKeyMaterial {
  /** The spec the key is, whatever the file says it should be (callers compare). */
  readonly spec: AsymmetricKeySpec;
  /** Canonical PKCS#8 DER, as buildNewKey takes it. */
  readonly pkcs8: Buffer;
}

/**
 * A PEM private key: PKCS#8 "PRIVATE KEY" (RSA, EC, Ed25519, ML-DSA in its seed or seed-and-expanded
 * form), PKCS#1 "RSA PRIVATE KEY" or SEC1 "EC PRIVATE KEY". Messages say what is wrong, never the key.
 */
export function readPrivateKeyPem(ctx: SeedContext, value: unknown, path: string): PrivateKeyMaterial {
  if (typeof value !== 'string') ctx.fail(path, `expected a PEM private key, got ${describeValue(value)}`);
  let parsed;
  try {
    parsed = parsePrivateKey(value);
  } catch (err) {
    if (err instanceof InvalidKeyMaterialError) return ctx.fail(path, `not a usable private key: ${err.message}`);
    throw err;
  }
  return { spec: parsed.spec, pkcs8: takeSecret(ctx, parsed.pkcs8) };
}

/** The bytes of `secret` in a buffer of their own, registered with the context; disposes `secret`. */
export function takeSecret(ctx: SeedContext, secret: SecretMaterial): Buffer {
  try {
    const bytes = secret.exposeSecret(SECRET_ACCESS);
    const copy = ctx.secret(Buffer.alloc(bytes.length));
    copy.set(bytes);
    return copy;
  } finally {
    secret.dispose();
  }
}

export function readAliasName(ctx: SeedContext, value: unknown, path: string): string {
  const name = readString(ctx, value, path);
  if (!name.startsWith('alias/') || name.length === 'alias/'.length) ctx.fail(path, `alias names start with alias/: ${name}`);
  if (isAwsManagedAliasName(name)) ctx.fail(path, `alias/aws/ names are reserved for AWS managed keys: ${name}`);
  if (name.length > MAX_ALIAS_NAME) ctx.fail(path, `alias names are at most ${MAX_ALIAS_NAME} characters`);
  if (!ALIAS_NAME.test(name)) ctx.fail(path, `alias names may contain only letters, digits, /, _ and -: ${name}`);
  return name;
}

/** An alias target: a key id, or a key ARN in the alias's own scope (reduced to its key id). */
export function readTargetKeyId(ctx: SeedContext, value: unknown, scope: Scope, path: string): string {
  if (value === undefined || value === null) ctx.fail(path, 'required: the key id the alias points at');
  const raw = readString(ctx, value, path);
  const id = parseKeyIdentifier(raw);
  if (id.kind === 'keyArn') {
    if (!sameScope(id.scope, scope)) {
      ctx.fail(path, `key ARN ${raw} is not in account ${scope.accountId} region ${scope.region}, where the alias is created`);
    }
    return readKeyId(ctx, id.keyId, path);
  }
  if (id.kind === 'keyId') return readKeyId(ctx, id.keyId, path);
  return ctx.fail(path, `expected a key id or key ARN, got ${raw}`);
}

export function readDescription(ctx: SeedContext, value: unknown, path: string): string {
  const description = readOptionalString(ctx, value, path) ?? '';
  if (description.length > MAX_DESCRIPTION) ctx.fail(path, `descriptions are at most ${MAX_DESCRIPTION} characters`);
  return description;
}

/** Tags as a mapping `{ Key: Value }` or as AWS's list of `{ TagKey, TagValue }`. */
export function readTags(ctx: SeedContext, value: unknown, path: string): Tag[] {
  if (value === undefined || value === null) return [];
  const tags: Tag[] = [];
  if (isMap(value)) {
    for (const [tagKey, tagValue] of Object.entries(value)) {
      tags.push({ TagKey: tagKey, TagValue: readString(ctx, tagValue, join(path, tagKey)) });
    }
  } else if (Array.isArray(value)) {
    for (const [i, entry] of value.entries()) {
      const map = readMap(ctx, entry, join(path, i));
      checkFields(ctx, map, ['TagKey', 'TagValue'], join(path, i), 'error');
      tags.push({
        TagKey: readString(ctx, map.TagKey, join(join(path, i), 'TagKey')),
        TagValue: readString(ctx, map.TagValue ?? '', join(join(path, i), 'TagValue')),
      });
    }
  } else {
    ctx.fail(path, `expected a mapping of tag keys to values or a list of {TagKey, TagValue}, got ${describeValue(value)}`);
  }
  for (const tag of tags) {
    if (tag.TagKey.length < 1 || tag.TagKey.length > MAX_TAG_KEY) ctx.fail(path, `tag keys are 1 to ${MAX_TAG_KEY} characters: ${tag.TagKey}`);
    if (tag.TagValue.length > MAX_TAG_VALUE) ctx.fail(path, `tag values are at most ${MAX_TAG_VALUE} characters (tag ${tag.TagKey})`);
  }
  failOnKmsError(ctx, path, () => checkRequestTags(tags));
  return tags;
}

// ---------------------------------------------------------------------------------------------
// Whole-plan checks

/** Key ids and alias names are unique per scope across the whole file. Returns the finished plan. */
export function finishPlan(ctx: SeedContext, keys: readonly PlannedKey[], aliases: readonly StandaloneAlias[]): SeedPlan {
  const keyPaths = new Map<string, string>();
  for (const key of keys) {
    const id = scopedName(key.scope, key.keyId);
    const earlier = keyPaths.get(id);
    if (earlier !== undefined) ctx.fail(key.path, `key ${key.keyId} is already defined at ${earlier}`);
    keyPaths.set(id, key.path);
  }
  const aliasPaths = new Map<string, string>();
  const allAliases = [
    ...keys.flatMap((key) => key.aliases.map((alias) => ({ ...alias, scope: key.scope }))),
    ...aliases,
  ];
  for (const alias of allAliases) {
    const id = scopedName(alias.scope, alias.aliasName);
    const earlier = aliasPaths.get(id);
    if (earlier !== undefined) ctx.fail(alias.path, `alias ${alias.aliasName} is already defined at ${earlier}`);
    aliasPaths.set(id, alias.path);
  }
  return { source: ctx.source, keys, aliases, warnings: ctx.warnings };
}

export function scopedName(scope: Scope, name: string): string {
  return `${scope.accountId}/${scope.region}/${name}`;
}
