// --seed FILE: creates the keys and aliases a seed file describes, at start, idempotently.
// A key whose id already exists in its account and region is left as it is (never overwritten);
// so is an alias that already exists. Each new key is committed with its material versions, tags
// and aliases in one store.commit, so a crash never leaves half a key. The whole file is validated
// (including alias targets that must already exist) before anything is written.
// Formats: ours (docs/seed-files.md, seed-format.ts) and local-kms's v3 (local-kms-format.ts).

import { SecretMaterial } from '../crypto/secret.js';
import { readFile } from 'node:fs/promises';
import { StoreConflictError, type Change } from '../store/store.js';
import type { KmsServices } from '../kms/context.js';
import { buildNewKey } from '../kms/key-factory.js';
import { defaultKeyPolicy } from '../kms/model/key-policy.js';
import type { AliasRecord, KeyRecord, Scope } from '../kms/model/key.js';
import { isLocalKmsDocument, parseLocalKmsFormat } from './local-kms-format.js';
import { parseSeedFormat, TOP_LEVEL_FIELDS } from './seed-format.js';
import {
  finishPlan,
  readMap,
  scopedName,
  SeedContext,
  SeedError,
  type PlannedAlias,
  type PlannedKey,
  type SeedPlan,
} from './seed-plan.js';
import { parseSeedYaml } from './seed-yaml.js';
import { applyIdentities, type IdentitySeedSummary } from './seed-identities.js';


export interface SeedSummary {
  /** Keys created by this run. */
  keysCreated: number;
  /** Keys not created: already present in their scope. */
  keysSkipped: number;
  aliasesCreated: number;
  /** Aliases not created: already present, or their key cannot take one (with a warning). */
  aliasesSkipped: number;
  /** IAM users, roles and access keys created: only for a file with an `identities` section. */
  identities?: IdentitySeedSummary;
  /** Each prefixed with the file name. Never contains key material. */
  warnings: string[];
}

/** Reads, validates and applies a YAML seed file. Throws SeedError (`<path>: <entry>: <problem>`). */
export async function applySeedFile(services: KmsServices, path: string, defaults: Scope): Promise<SeedSummary> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SeedError(`${path}: cannot read the seed file: ${(err as Error).message}`);
  }
  return applyDocument(services, parseSeedYaml(text, path), defaults, path);
}

/** Applies an already parsed YAML document (either format). */
export async function applySeed(services: KmsServices, doc: unknown, defaults: Scope): Promise<SeedSummary> {
  return applyDocument(services, doc, defaults, 'seed');
}

async function applyDocument(services: KmsServices, doc: unknown, defaults: Scope, source: string): Promise<SeedSummary> {
  const plan = planSeed(doc, defaults, source);
  try {
    await checkAliasTargets(services, plan);
    return await applyPlan(services, plan);
  } finally {
    // Also when an alias target is missing or a key fails: no plaintext material outlives the run.
    for (const key of plan.keys) zeroMaterials(key);
  }
}

function zeroMaterials(key: PlannedKey): void {
  for (const material of key.materials ?? []) material.fill(0);
}

/** Parses and validates a document into a plan, without touching the store. */
function planSeed(doc: unknown, defaults: Scope, source: string): SeedPlan {
  const ctx = new SeedContext(source);
  if (doc === null || doc === undefined) {
    ctx.warn('', 'the seed file is empty');
    return finishPlan(ctx, [], []);
  }
  const map = readMap(ctx, doc, '');
  if (isLocalKmsDocument(map)) {
    const ours = Object.keys(map).find((field) => TOP_LEVEL_FIELDS.includes(field));
    if (ours !== undefined) {
      ctx.fail(ours, "this file mixes our fields with local-kms's (Keys, Aliases); write one format per file");
    }
    return parseLocalKmsFormat(ctx, map, defaults);
  }
  return parseSeedFormat(ctx, map, defaults);
}

/** A standalone alias must target a key of the file or one already in the store (checked before any write). */
async function checkAliasTargets(services: KmsServices, plan: SeedPlan): Promise<void> {
  const planned = new Set(plan.keys.map((key) => scopedName(key.scope, key.keyId)));
  for (const alias of plan.aliases) {
    if (planned.has(scopedName(alias.scope, alias.targetKeyId))) continue;
    if (await services.store.getKey(alias.scope, alias.targetKeyId)) continue;
    throw new SeedError(
      `${plan.source}: ${alias.path}: alias ${alias.aliasName} targets key ${alias.targetKeyId}, which is neither defined in this file ` +
        `nor present in account ${alias.scope.accountId} region ${alias.scope.region}`,
    );
  }
}

async function applyPlan(services: KmsServices, plan: SeedPlan): Promise<SeedSummary> {
  const summary: SeedSummary = {
    keysCreated: 0,
    keysSkipped: 0,
    aliasesCreated: 0,
    aliasesSkipped: 0,
    warnings: [...plan.warnings],
  };
  // Identities first: a key policy of the file may name its roles and users.
  if (plan.identities && plan.identities.length > 0) {
    if (!services.directories) throw new SeedError(`${plan.source}: identities need a server with IAM directories`);
    summary.identities = await applyIdentities({ ...services, directories: services.directories }, plan.identities, services.clock.now());
  }
  for (const key of plan.keys) {
    try {
      await seedKey(services, plan.source, key, summary);
    } finally {
      zeroMaterials(key);
    }
  }
  for (const alias of plan.aliases) {
    const target = await services.store.getKey(alias.scope, alias.targetKeyId);
    if (!target) {
      // Validated before the first write, so the key was deleted meanwhile.
      throw new SeedError(`${plan.source}: ${alias.path}: key ${alias.targetKeyId} no longer exists`);
    }
    await addAlias(services, plan.source, alias.scope, alias, target, summary);
  }
  return summary;
}

/** Concurrent starts against one store: a duplicate on commit means another process seeded first; look again. */
const MAX_ATTEMPTS = 3;

async function seedKey(services: KmsServices, source: string, key: PlannedKey, summary: SeedSummary): Promise<void> {
  const { store } = services;
  for (let attempt = 1; ; attempt++) {
    const existing = await store.getKey(key.scope, key.keyId);
    if (existing) {
      summary.keysSkipped += 1;
      for (const alias of key.aliases) await addAlias(services, source, key.scope, alias, existing, summary);
      return;
    }

    const notes: string[] = [];
    const fresh: PlannedAlias[] = [];
    for (const alias of key.aliases) {
      const found = await store.getAlias(key.scope, alias.aliasName);
      if (found) notes.push(...existingAliasNote(source, alias, found, key.keyId));
      else fresh.push(alias);
    }

    const materials = key.materials?.map((bytes) => new SecretMaterial(bytes));
    const built = await buildNewKey(services, {
      scope: key.scope,
      keyId: key.keyId,
      description: key.description,
      keyUsage: key.keyUsage,
      keySpec: key.keySpec,
      origin: key.origin,
      keyManager: 'CUSTOMER',
      multiRegion: key.multiRegion,
      policy: key.policy ?? defaultKeyPolicy(key.scope),
      tags: key.tags,
      ...(materials ? { materials } : {}),
      enabled: key.enabled,
    }).finally(() => materials?.forEach((m) => m.dispose()));
    const { changes } = built;
    const now = services.clock.now();
    const withAliases: Change[] = [
      ...changes,
      ...fresh.map((alias) => ({ kind: 'insertAlias' as const, alias: aliasRecord(key.scope, alias.aliasName, key.keyId, now) })),
    ];
    try {
      await store.commit(withAliases);
    } catch (err) {
      if (err instanceof StoreConflictError && err.reason === 'duplicate' && attempt < MAX_ATTEMPTS) continue;
      throw new SeedError(`${source}: ${key.path}: could not create key ${key.keyId}: ${(err as Error).message}`);
    }
    summary.keysCreated += 1;
    summary.aliasesCreated += fresh.length;
    summary.aliasesSkipped += key.aliases.length - fresh.length;
    summary.warnings.push(...notes);
    return;
  }
}

/** Adds one alias to a key that is already in the store, unless the alias exists or the key cannot take it. */
async function addAlias(
  services: KmsServices,
  source: string,
  scope: Scope,
  alias: PlannedAlias,
  target: KeyRecord,
  summary: SeedSummary,
): Promise<void> {
  const found = await services.store.getAlias(scope, alias.aliasName);
  if (found) {
    summary.aliasesSkipped += 1;
    summary.warnings.push(...existingAliasNote(source, alias, found, target.keyId));
    return;
  }
  const refusal =
    target.state === 'PendingDeletion' || target.state === 'PendingReplicaDeletion'
      ? `key ${target.keyId} is pending deletion`
      : target.keyManager === 'AWS'
        ? `key ${target.keyId} is an AWS managed key`
        : undefined;
  if (refusal !== undefined) {
    summary.aliasesSkipped += 1;
    summary.warnings.push(`${source}: ${alias.path}: alias ${alias.aliasName} not created: ${refusal}`);
    return;
  }
  try {
    await services.store.commit([{ kind: 'insertAlias', alias: aliasRecord(scope, alias.aliasName, target.keyId, services.clock.now()) }]);
    summary.aliasesCreated += 1;
  } catch (err) {
    if (!(err instanceof StoreConflictError && err.reason === 'duplicate')) {
      throw new SeedError(`${source}: ${alias.path}: could not create alias ${alias.aliasName}: ${(err as Error).message}`);
    }
    summary.aliasesSkipped += 1; // created concurrently by another process
  }
}

/** An existing alias is left alone; say so only when it points at another key than the file says. */
function existingAliasNote(source: string, alias: PlannedAlias, found: AliasRecord, keyId: string): string[] {
  if (found.targetKeyId === keyId) return [];
  return [`${source}: ${alias.path}: alias ${alias.aliasName} already exists and points at key ${found.targetKeyId}, not ${keyId}; left unchanged`];
}

function aliasRecord(scope: Scope, aliasName: string, targetKeyId: string, now: number): AliasRecord {
  return { accountId: scope.accountId, region: scope.region, aliasName, targetKeyId, createdAt: now, updatedAt: now };
}
