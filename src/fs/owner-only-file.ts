// Files that hold secrets (the root key, the bootstrap credentials) must be readable by their owner
// only. Checked at every start, not only when the file is created, so a later chmod is noticed.

import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export class FileModeError extends Error {
  override readonly name = 'FileModeError';
}

/** Throws unless `path` grants nothing to group or others. */
export async function assertOwnerOnly(path: string, what: string): Promise<void> {
  const mode = (await stat(path)).mode;
  if ((mode & 0o077) !== 0) {
    throw new FileModeError(`${what} ${path} is readable by group or others (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
  }
}

/**
 * A secret file made once: created with `make()`'s bytes (mode 0600, 'wx' so two processes
 * starting at once never overwrite each other, synced), or, when it exists, read after checking
 * its mode. `created` says which; the caller validates what it read.
 */
export async function createOnceOrRead(path: string, what: string, make: () => Buffer): Promise<{ bytes: Buffer; created: boolean }> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      const bytes = make();
      await handle.writeFile(bytes);
      await handle.sync();
      return { bytes, created: true };
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  await assertOwnerOnly(path, what);
  return { bytes: await readFile(path), created: false };
}
