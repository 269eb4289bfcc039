// KmsServices for the tests below the API: an in-memory SQLite store, a file root key in a temporary
// directory, an OffsetClock and a material cache, as the server wires them.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileRootKey } from '../../src/crypto/root-key/file-root-key.js';
import type { KmsServices } from '../../src/kms/context.js';
import { MaterialCache } from '../../src/kms/material-cache.js';
import { OffsetClock } from '../../src/kms/model/clock.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export interface TestServices extends KmsServices {
  readonly clock: OffsetClock;
}

export interface ServicesOptions {
  /** The root key file in the factory's directory; services naming the same file share the root key. */
  readonly rootKeyName?: string;
  /** Default: an OffsetClock on the system clock. */
  readonly clock?: OffsetClock;
}

export interface ServicesFactory {
  /** The temporary directory of the root key files (a test may put its own files there too). */
  readonly dir: string;
  /** Fresh services: an empty in-memory store, the root key file `rootKeyName` (default root.key). */
  makeServices(options?: ServicesOptions): Promise<TestServices>;
  /** Closes every store and root key made, then removes the directory. */
  cleanup(): Promise<void>;
}

/** Services made in one temporary directory (named `prefix` + random) and closed together: `after(cleanup)`. */
export function servicesFactory(prefix: string): ServicesFactory {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const opened: TestServices[] = [];
  return {
    dir,
    async makeServices(options: ServicesOptions = {}): Promise<TestServices> {
      const rootKey = await openFileRootKey(join(dir, options.rootKeyName ?? 'root.key'));
      const store = await openSqliteStore(':memory:');
      const services: TestServices = { store, rootKey, clock: options.clock ?? new OffsetClock(), materials: new MaterialCache(rootKey) };
      opened.push(services);
      return services;
    },
    async cleanup(): Promise<void> {
      for (const services of opened) {
        await services.store.close();
        await services.rootKey.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
