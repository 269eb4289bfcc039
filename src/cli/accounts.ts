// `kms-server accounts create [--id ID] [--data-dir DIR]`: a new account and its root user's
// access key, written on the data dir's store (the server may be running: SQLite allows another
// writer), printed once in the AWS shared-credentials format on stdout. The secret is stored only
// wrapped under the data dir's root key.

import { randomInt } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openFileRootKey } from '../crypto/root-key/file-root-key.js';
import { addRootAccessKey } from '../iam/root-credentials.js';
import { isAccountId } from '../kms/model/arn.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';

export const ACCOUNTS_USAGE = [
  'Usage: kms-server accounts create [--id ID] [--data-dir DIR]',
  '',
  'Creates an account (12 digits; random when --id is left out) on the data dir (default ./data,',
  'or KMS_DATA_DIR) and prints its root access key as a credentials-file profile.',
].join('\n');

export class AccountsUsageError extends Error {}

export async function runAccountsCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: (text: string) => void): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'create') throw new AccountsUsageError(sub === undefined ? 'accounts: a subcommand is required' : `accounts: unknown subcommand '${sub}'`);
  const { values } = parseArgs({ args: [...rest], options: { id: { type: 'string' }, 'data-dir': { type: 'string' } }, strict: true, allowPositionals: false });
  const accountId = values.id ?? String(randomInt(100_000_000_000, 999_999_999_999));
  if (!isAccountId(accountId)) throw new AccountsUsageError(`--id must be 12 digits, got ${accountId}`);
  const dataDir = values['data-dir'] ?? env.KMS_DATA_DIR ?? './data';
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const rootKey = await openFileRootKey(join(dataDir, 'root.key'));
  const store = await openSqliteStore(join(dataDir, 'kms.db'));
  try {
    if (await store.getAccount(accountId)) throw new AccountsUsageError(`account ${accountId} already exists`);
    const credentials = await addRootAccessKey(store, rootKey, accountId, Date.now());
    out(`[account-${accountId}]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`);
  } finally {
    await store.close();
    await rootKey.close();
  }
}
