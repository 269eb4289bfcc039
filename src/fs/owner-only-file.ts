// Files that hold secrets (the root key, the bootstrap credentials) must be readable by their owner
// only. Checked at every start, not only when the file is created, so a later chmod is noticed.

import { stat } from 'node:fs/promises';

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
