// Deleting a key for good: its record, every material version, its aliases, tags and grants, in one
// commit; then its cached material is dropped.

import { StoreConflictError } from '../store/store.js';
import type { KmsServices } from './context.js';
import type { KeyRecord } from './model/key.js';
import { changesWithKeyDeletion } from './multi-region-deletion.js';

/** Deletes the key as read; returns false when it changed meanwhile (e.g. deletion cancelled). */
export async function deleteKeyNow(services: KmsServices, key: KeyRecord): Promise<boolean> {
  try {
    // The versioned put guards against a CancelKeyDeletion that committed after `key` was read.
    await services.store.commit([
      { kind: 'putKey', key: { ...key, version: key.version + 1 }, expectedVersion: key.version },
      { kind: 'deleteKey', keyArn: key.arn },
      // A multi-Region replica: its primary may start its own waiting period (multi-region-deletion.ts).
      ...(await changesWithKeyDeletion(services, key)),
    ]);
  } catch (err) {
    if (!(err instanceof StoreConflictError)) throw err;
    return false;
  } finally {
    services.materials.forgetKey(key.arn);
  }
  return true;
}

/** Deletes every key whose waiting period has ended. Returns how many were deleted. */
export async function deleteDueKeys(services: KmsServices, batchSize = 100): Promise<number> {
  let deleted = 0;
  for (;;) {
    const due = await services.store.listKeysDueForDeletion(services.clock.now(), batchSize);
    let progressed = 0;
    for (const key of due) if (await deleteKeyNow(services, key)) progressed++;
    deleted += progressed;
    // Deleting a multi-Region key's last replica can make its primary due at once: look again
    // until a pass deletes nothing.
    if (due.length === 0 || progressed === 0) return deleted;
  }
}
