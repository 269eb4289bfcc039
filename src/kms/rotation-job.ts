// The scheduler's automatic rotation: every key whose rotation date has passed gets new material
// under the same key id and ARN (a multi-Region primary's replicas with it), and its next date.

import { StoreConflictError } from '../store/store.js';
import type { KmsServices } from './context.js';
import { ANY_CONFLICT, retryOnConflict } from './key-mutation.js';
import { isDueForAutomaticRotation, nextRotationAfter, rotateKeyMaterial } from './key-rotation.js';
import type { KeyRecord } from './model/key.js';

/** Rotates every key that is due. Returns how many keys were rotated. */
export async function rotateDueKeys(services: KmsServices, batchSize = 100): Promise<number> {
  const now = services.clock.now();
  // Keys looked at in this run. Due keys that must wait (disabled, pending deletion, replicas)
  // stay in the due list, so each page asks for that many more rows.
  const seen = new Set<string>();
  let rotated = 0;
  for (;;) {
    const limit = seen.size + batchSize;
    const due = await services.store.listKeysDueForRotation(now, limit);
    const fresh = due.filter((key) => !seen.has(key.arn));
    for (const key of fresh) {
      seen.add(key.arn);
      if (await rotateIfDue(services, key, now)) rotated++;
    }
    if (fresh.length === 0 || due.length < limit) return rotated;
  }
}

/** Rotates one key if it is still due; a concurrent change makes it re-read the key and decide again. */
async function rotateIfDue(services: KmsServices, read: KeyRecord, now: number): Promise<boolean> {
  let first = true;
  try {
    return await retryOnConflict(async () => {
      const key = first ? read : await services.store.getKey({ accountId: read.accountId, region: read.region }, read.keyId);
      first = false;
      if (!key || !isDueForAutomaticRotation(key, now)) return false;
      await rotateKeyMaterial(services, key, 'AUTOMATIC', { nextRotationDate: nextRotationAfter(key, now) });
      return true;
    }, ANY_CONFLICT);
  } catch (err) {
    // Still changing after every attempt: the next run decides again.
    if (err instanceof StoreConflictError) return false;
    throw err;
  }
}
