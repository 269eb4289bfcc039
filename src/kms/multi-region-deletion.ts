// Deletion rules of multi-Region keys that touch more than the key being deleted, and the read of
// a key's related set. Kept apart from multi-region.ts so key-deletion.ts can use it without an
// import cycle.

import type { Change } from '../store/store.js';
import type { KmsServices } from './context.js';
import { DAY_MS } from './model/clock.js';
import type { KeyRecord } from './model/key.js';
import { isPrimaryKey, isReplicaKey, primaryOf, relatedSet, replicasOf } from './model/multi-region.js';

/** The related set of a multi-Region key as stored now (`key` included, in its stored form; any
 *  state). multi-region.ts loadRelatedSet also deletes related keys whose deletion date has passed. */
export async function readRelatedSet(services: KmsServices, key: KeyRecord): Promise<KeyRecord[]> {
  return relatedSet(key, await services.store.listRelatedKeys(key.accountId, key.keyId));
}

/** The replicas of `key` that still exist (any state), when `key` is a multi-Region primary. */
export async function existingReplicas(services: KmsServices, key: KeyRecord): Promise<KeyRecord[]> {
  if (!isPrimaryKey(key)) return [];
  return replicasOf(await readRelatedSet(services, key));
}

/**
 * The changes to commit together with the deletion of `key`. For a replica: a versioned put of its
 * primary, which starts the primary's waiting period when this was its last replica.
 * AWS: "When the last of its replicas keys is deleted (not just scheduled), the key state of the
 * primary key changes to PendingDeletion and its waiting period (PendingWindowInDays) begins."
 * The put is versioned even when nothing changes, so a ScheduleKeyDeletion or CancelKeyDeletion of
 * the primary that commits meanwhile makes this deletion retry with what it decided.
 */
export async function changesWithKeyDeletion(services: KmsServices, key: KeyRecord): Promise<Change[]> {
  if (!isReplicaKey(key)) return [];
  const set = await readRelatedSet(services, key);
  const primary = primaryOf(set);
  if (!primary) return [];
  const lastReplica = !replicasOf(set).some((k) => k.region !== key.region);
  let next: KeyRecord = primary;
  if (primary.state === 'PendingReplicaDeletion' && lastReplica) {
    // The replica is deleted as of its deletion date, even when the scheduler gets to it later.
    const deletedAt = key.deletionDate ?? services.clock.now();
    const days = primary.pendingWindowInDays ?? 30;
    next = { ...primary, state: 'PendingDeletion', deletionDate: deletedAt + days * DAY_MS, pendingWindowInDays: days };
  }
  return [{ kind: 'putKey', key: { ...next, version: primary.version + 1 }, expectedVersion: primary.version }];
}
