// Read-check-write with optimistic concurrency: a commit carries the version it read, a concurrent
// change makes it fail on that check, and the whole read-check-write runs again (the pipeline does
// that for every writing operation; background jobs call retryOnConflict themselves).

import { StoreConflictError, type Change } from '../store/store.js';
import type { KmsServices } from './context.js';
import type { KeyRecord } from './model/key.js';

const MAX_ATTEMPTS = 5;

type ConflictReason = StoreConflictError['reason'];

/** For retryOnConflict: every conflict starts over (background jobs that re-read everything they check). */
export const ANY_CONFLICT: readonly ConflictReason[] = ['version', 'duplicate', 'missing'];

/**
 * Runs `attempt` (a full read-check-write) until it returns, running it again when its commit met a
 * concurrent change: a StoreConflictError whose reason is in `retryOn` (by default 'version', a key
 * changed since it was read). Other errors, and a conflict on the last of 5 attempts, propagate.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, retryOn: readonly ConflictReason[] = ['version']): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof StoreConflictError) || !retryOn.includes(err.reason) || n >= MAX_ATTEMPTS) throw err;
    }
  }
}

/** A key change with other store changes committed with it (e.g. tags, or the replicas of a multi-Region key). */
export interface KeyChange {
  readonly key: KeyRecord;
  readonly changes: readonly Change[];
}

/**
 * Commits `updated` in place of `read` (the record the pipeline resolved), with `changes`, guarded
 * by the version read: a concurrent change of the key fails the commit, and the pipeline runs the
 * operation again from a fresh read. Nothing is written when nothing changed. Returns what is stored.
 */
export async function commitKey(services: KmsServices, read: KeyRecord, updated: KeyRecord, changes: readonly Change[] = []): Promise<KeyRecord> {
  if (updated === read && changes.length === 0) return read;
  const next = { ...updated, version: read.version + 1 };
  await services.store.commit([{ kind: 'putKey', key: next, expectedVersion: read.version }, ...changes]);
  return next;
}

/**
 * A put of `key` as read that changes nothing but its version. Committed with changes that a read of
 * the key decided (its state, its materials, its related keys), it makes a concurrent change of the
 * key fail that commit, so the retry decides again on what the change left.
 */
export function versionGuard(key: KeyRecord): Change {
  return { kind: 'putKey', key: { ...key, version: key.version + 1 }, expectedVersion: key.version };
}
