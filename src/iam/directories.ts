// Reads and writes of accounts' IAM directories. A read validates its cached copy against the
// stored version on every call (one small read), so a change made on any node is seen by the next
// request everywhere: a removed permission is never served from a stale copy. A write re-reads,
// applies the change and commits only over the version it read, retrying on a concurrent write.

import { StoreConflictError, type Change, type Store } from '../store/store.js';
import { emptyDirectory, parseDirectory, type IamDirectory } from './model/directory.js';

export interface IamSnapshot {
  /** 0 while the account has no directory yet. */
  readonly version: number;
  /** Shared between requests: never modify it (writes go through mutate()). */
  readonly dir: Readonly<IamDirectory>;
}

/** What a mutation returns: its answer, and other changes to commit with the directory. */
export interface MutationResult<T> {
  readonly result: T;
  readonly changes?: readonly Change[];
  /** False: nothing changed, commit nothing (the answer is still returned). */
  readonly changed?: boolean;
}

const MAX_ATTEMPTS = 20;
const EMPTY: IamSnapshot = { version: 0, dir: emptyDirectory() };

export class IamDirectories {
  readonly #cache = new Map<string, IamSnapshot>();

  constructor(private readonly store: Store) {}

  async current(accountId: string): Promise<IamSnapshot> {
    const version = await this.store.getIamVersion(accountId);
    if (version === undefined) return EMPTY;
    const cached = this.#cache.get(accountId);
    if (cached?.version === version) return cached;
    const record = await this.store.getIamDirectory(accountId);
    if (!record) return EMPTY;
    const snapshot = { version: record.version, dir: parseDirectory(record.document) };
    this.#cache.set(accountId, snapshot);
    return snapshot;
  }

  /** Applies `change` to a fresh copy of the directory and commits it (with the extra changes) atomically. */
  async mutate<T>(accountId: string, change: (dir: IamDirectory, version: number) => MutationResult<T> | Promise<MutationResult<T>>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const record = await this.store.getIamDirectory(accountId);
      const dir = record ? parseDirectory(record.document) : emptyDirectory();
      const outcome = await change(dir, record?.version ?? 0);
      if (outcome.changed === false) return outcome.result;
      try {
        await this.store.commit([
          { kind: 'putIamDirectory', accountId, document: JSON.stringify(dir), ...(record && { expectedVersion: record.version }) },
          ...(outcome.changes ?? []),
        ]);
        return outcome.result;
      } catch (err) {
        const raced = err instanceof StoreConflictError && (err.reason === 'version' || (err.reason === 'duplicate' && !record));
        if (!raced || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  /** Forget cached copies (after a dev reset). */
  clear(): void {
    this.#cache.clear();
  }
}
