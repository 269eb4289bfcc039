// Shared by ReplicateKey and UpdatePrimaryRegion: both commit changes to several keys of a set of
// related multi-Region keys, each guarded by the version it read, and start over on a conflict.

import { StoreConflictError } from '../../../store/store.js';

const MAX_ATTEMPTS = 5;

/**
 * Runs `attempt` (a full read-check-write) until it returns, running it again when its commit
 * met a concurrent change of one of the keys it read. Other errors, and a conflict on the last
 * attempt, propagate.
 */
export async function withVersionRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof StoreConflictError) || err.reason !== 'version' || n >= MAX_ATTEMPTS) throw err;
    }
  }
}
