// Multi-Region keys: reading a key's related keys (primary and replicas, every Region of one
// account), building a replica (same key id, every material version under the same material ids,
// wrapped under the replica's own ARN) and moving the primary to another Region.
// The pure rules (who is primary, MultiRegionConfiguration) are in model/multi-region.ts.

import { NotFoundException, UnsupportedOperationException, ValidationException } from '../errors/aws-errors.js';
import type { Change } from '../store/store.js';
import type { KmsServices } from './context.js';
import { deleteKeyNow } from './key-deletion.js';
import { wrapMaterial } from './key-factory.js';
import { getLiveKey } from './key-resolver.js';
import { keyArn, partitionOf } from './model/arn.js';
import { enforceKeyState, type StateRule } from './model/key-state.js';
import type { KeyRecord, MaterialRecord, Scope, Tag } from './model/key.js';
import { isPrimaryKey, primaryRegionOf } from './model/multi-region.js';
import { readRelatedSet } from './multi-region-deletion.js';

const MAX_DELETION_PASSES = 5;

/**
 * The key's related set as stored now, `key` included (in its stored form). A related key whose
 * deletion date has passed is deleted first, so the set never shows a key that no longer exists
 * (the same rule key resolution applies in its own Region).
 */
export async function loadRelatedSet(services: KmsServices, key: KeyRecord): Promise<KeyRecord[]> {
  for (let pass = 1; ; pass++) {
    const set = await readRelatedSet(services, key);
    const now = services.clock.now();
    const due = set.filter((k) => k.state === 'PendingDeletion' && k.deletionDate !== undefined && k.deletionDate <= now);
    if (due.length === 0 || pass >= MAX_DELETION_PASSES) return set;
    for (const k of due) await deleteKeyNow(services, k);
  }
}

/**
 * The key with its related set, for KeyMetadata (toKeyMetadata's `related`). When the key itself
 * changed while the set was read (its last replica was just deleted), it is read again, and is
 * deleted (NotFoundException) when that made it due.
 */
export async function withRelatedKeys(services: KmsServices, key: KeyRecord): Promise<{ key: KeyRecord; related: KeyRecord[] }> {
  if (!key.multiRegion) return { key, related: [] };
  const related = await loadRelatedSet(services, key);
  if (related.find((k) => k.region === key.region)?.version === key.version) return { key, related };
  const fresh = await getLiveKey(services, { accountId: key.accountId, region: key.region }, key.keyId);
  return { key: fresh, related: await loadRelatedSet(services, fresh) };
}

/** AWS: "Identifies the multi-Region primary key that is being replicated." (also UpdatePrimaryRegion's KeyId) */
export function ensurePrimaryKey(key: KeyRecord): void {
  // AWS (ReplicateKey of a replica; LocalStack's test_kms.py::test_replicate_replica_key_should_fail,
  // PR #13102, as the wire-messages issue quotes it): "<key ARN> is not a multi-region primary key."
  if (!isPrimaryKey(key)) throw new UnsupportedOperationException(notMultiRegionPrimary(key.arn));
}

/** AWS's wording for a key that is not a multi-Region primary key (single-Region or replica). */
export function notMultiRegionPrimary(arn: string): string {
  return `${arn} is not a multi-region primary key.`;
}

/**
 * AWS: "The replica must be in a different Amazon Web Services Region than its primary key and
 * other replicas of that primary key, but in the same Amazon Web Services partition."
 * (A Region that already holds the key is AlreadyExistsException, checked against the store.)
 */
export function ensureReplicaRegion(primary: KeyRecord, replicaRegion: string): void {
  // Unconfirmed wording: no recorded AWS response found. (both ReplicaRegion checks)
  if (replicaRegion === primary.region) {
    throw new ValidationException(
      `ReplicaRegion ${replicaRegion} is the Region of the primary key ${primary.arn}. A replica key must be in a different Region.`,
    );
  }
  if (partitionOf(replicaRegion) !== partitionOf(primary.region)) {
    throw new ValidationException(
      `ReplicaRegion ${replicaRegion} is not in the partition of the primary key ${primary.arn} (${partitionOf(primary.region)}).`,
    );
  }
}

export interface ReplicaParams {
  readonly replicaRegion: string;
  readonly description: string;
  readonly policy: string;
  readonly tags: readonly Tag[];
}

/**
 * The replica record and the store changes that create it. AWS: "A primary key and its replica keys
 * share properties that make them interoperable. They have the same key ID and key material. They
 * also have the same key spec, key usage, key material origin, and automatic key rotation status."
 * and "When you replicate a primary key that has been rotated, the new replica key has the current
 * key material and all previous versions of the key material". Each material version keeps its
 * material id (ciphertext names it), wrapped again under the replica's ARN.
 * AWS: "If you replicate a multi-Region primary key with imported key material, the replica key is
 * created with no key material. You must import the same key material that you imported into the
 * primary key." — such a replica starts PendingImport.
 * The changes include a versioned put of the primary, so a rotation (a new material version) or a
 * ScheduleKeyDeletion of the primary that commits meanwhile makes the replication start over.
 */
export async function buildReplica(services: KmsServices, primary: KeyRecord, params: ReplicaParams): Promise<{ replica: KeyRecord; changes: Change[] }> {
  const scope: Scope = { accountId: primary.accountId, region: params.replicaRegion };
  const arn = keyArn(scope, primary.keyId);
  const imported = primary.origin === 'EXTERNAL';
  const materials: MaterialRecord[] = [];
  if (!imported) {
    for (const material of await services.store.listMaterials(primary.arn)) {
      if (material.wrapped.length === 0) continue;
      const secret = await services.materials.unwrap(material); // owned by the cache: not disposed here
      // The primary's record (state, rotation, import fields) under the replica's ARN, wrapped for it.
      materials.push({ ...material, ...(await wrapMaterial(services, arn, secret, material.createdAt, material.state, material.materialId)) });
    }
  }
  const replica: KeyRecord = {
    arn,
    keyId: primary.keyId,
    accountId: primary.accountId,
    region: params.replicaRegion,
    createdAt: services.clock.now(),
    description: params.description,
    keyUsage: primary.keyUsage,
    keySpec: primary.keySpec,
    origin: primary.origin,
    keyManager: primary.keyManager,
    // AWS answers Creating for a few seconds first; this server copies the material synchronously.
    state: imported ? 'PendingImport' : 'Enabled',
    multiRegion: true,
    policy: params.policy,
    ...(!imported && primary.currentMaterialId !== undefined ? { currentMaterialId: primary.currentMaterialId } : {}),
    // Rotation status is shared; the rotation schedule (nextRotationDate) stays with the primary,
    // which rotates the whole set.
    ...(primary.rotationEnabled !== undefined ? { rotationEnabled: primary.rotationEnabled } : {}),
    ...(primary.rotationPeriodInDays !== undefined ? { rotationPeriodInDays: primary.rotationPeriodInDays } : {}),
    primaryRegion: primaryRegionOf(primary),
    version: 1,
  };
  const changes: Change[] = [
    { kind: 'putKey', key: { ...primary, version: primary.version + 1 }, expectedVersion: primary.version },
    { kind: 'putKey', key: replica },
    ...materials.map((material) => ({ kind: 'putMaterial' as const, material })),
  ];
  if (params.tags.length > 0) changes.push({ kind: 'putTags', keyArn: arn, tags: params.tags });
  return { replica, changes };
}

/**
 * UpdatePrimaryRegion: every key of the set gets the new primary Region, in one commit guarded by
 * each key's version. AWS: "This operation changes the replica key in the specified Region to a
 * primary key and changes the former primary key to a replica key." and "If there are other
 * related replica keys, they become replicas of the new primary key." The rotation schedule moves
 * with the primary role.
 * Preconditions checked here: the new primary Region holds a replica in a state the rule allows.
 */
export function primaryRegionChanges(primary: KeyRecord, set: readonly KeyRecord[], newPrimaryRegion: string, rule: StateRule): Change[] {
  const target = set.find((k) => k.region === newPrimaryRegion);
  // AWS: "The primary Region must already have a replica key."
  if (!target) throw new NotFoundException(`Key '${keyArn({ accountId: primary.accountId, region: newPrimaryRegion }, primary.keyId)}' does not exist`);
  // AWS: "Both the primary key and the replica key must be in the Enabled key state when the operation starts."
  enforceKeyState(rule, target.state, target.arn);
  const schedule = {
    ...(primary.nextRotationDate !== undefined ? { nextRotationDate: primary.nextRotationDate } : {}),
    ...(primary.onDemandRotationStartDate !== undefined ? { onDemandRotationStartDate: primary.onDemandRotationStartDate } : {}),
  };
  return set.map((k): Change => {
    let next: KeyRecord = { ...k, primaryRegion: newPrimaryRegion };
    if (k.region === primary.region) {
      const { nextRotationDate: _n, onDemandRotationStartDate: _o, ...rest } = next;
      next = rest;
    } else if (k.region === newPrimaryRegion) {
      next = { ...next, ...schedule };
    }
    return { kind: 'putKey', key: { ...next, version: k.version + 1 }, expectedVersion: k.version };
  });
}
