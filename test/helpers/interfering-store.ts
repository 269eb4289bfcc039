// A store that lets a test commit a concurrent change at the worst moment: just before an
// operation's first commit of a given kind. That commit then meets a version conflict (when the
// operation guards what it read), and its optimistic retry runs again on what the change left.

import type { KmsServices } from '../../src/kms/context.js';
import type { Change, Store } from '../../src/store/store.js';

export interface Interference {
  /** Services over the interfering store (the rest as given). */
  readonly services: KmsServices;
  /** How many commits reached the store through the wrapper (the interfered one included). */
  commits(): number;
  /** Whether `meanwhile` has run. */
  happened(): boolean;
}

/** Before the first commit `when` accepts, runs `meanwhile` (against the underlying store), then lets the commit through. */
export function interfereBeforeCommit(
  services: KmsServices,
  meanwhile: () => Promise<void>,
  when: (changes: readonly Change[]) => boolean,
): Interference {
  const store = services.store;
  let commits = 0;
  let done = false;
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'commit') {
        return async (changes: readonly Change[]) => {
          commits++;
          if (!done && when(changes)) {
            done = true;
            await meanwhile();
          }
          return target.commit(changes);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as Store;
  return { services: { ...services, store: wrapped }, commits: () => commits, happened: () => done };
}

/** `when` for interfereBeforeCommit: the commit puts the key `keyArn`. */
export function putsKey(keyArn: string): (changes: readonly Change[]) => boolean {
  return (changes) => changes.some((c) => c.kind === 'putKey' && c.key.arn === keyArn);
}
