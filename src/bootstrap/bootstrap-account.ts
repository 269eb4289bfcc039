// First start: the bootstrap account and its administrator access key, written to
// <data-dir>/credentials in the AWS shared-credentials format (profile kms-local, mode 0600).
// Later starts reuse the file; if its key is unknown to the store (new database), it is re-registered.

import { existsSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertOwnerOnly } from '../fs/owner-only-file.js';
import type { RootKeyProvider } from '../crypto/root-key/root-key-provider.js';
import { newAccessKeyId, newSecretAccessKey } from '../iam/model/ids.js';
import { addRootAccessKey } from '../iam/root-credentials.js';
import type { Store } from '../store/store.js';

export const CREDENTIALS_PROFILE = 'kms-local';

export interface BootstrapResult {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly credentialsPath: string;
  readonly createdCredentials: boolean;
}

export async function ensureBootstrapAccount(
  store: Store,
  rootKey: RootKeyProvider,
  dataDir: string,
  accountId: string,
  now: number,
): Promise<BootstrapResult> {
  const credentialsPath = join(dataDir, 'credentials');
  const present = existsSync(credentialsPath);
  // It holds an administrator's secret access key: refuse to serve while others can read it.
  if (present) await assertOwnerOnly(credentialsPath, 'credentials file');
  const existing = present ? readProfile(readFileSync(credentialsPath, 'utf8'), CREDENTIALS_PROFILE) : undefined;
  const accessKeyId = existing?.aws_access_key_id ?? newAccessKeyId('AKIA', accountId);
  const secretAccessKey = existing?.aws_secret_access_key ?? newSecretAccessKey();
  if (!(await store.getAccessKey(accessKeyId))) await addRootAccessKey(store, rootKey, accountId, now, { accessKeyId, secretAccessKey });
  if (!existing) {
    const text = `[${CREDENTIALS_PROFILE}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
    const tmp = credentialsPath + '.tmp';
    // A stale or planted .tmp (another mode, or a link elsewhere) is removed, and 'wx' creates
    // the file anew with mode 0600 without following a link: the secret lands only there.
    await rm(tmp, { force: true });
    await writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
    await rename(tmp, credentialsPath);
  }
  return { accountId, accessKeyId, credentialsPath, createdCredentials: !existing };
}

function readProfile(text: string, profile: string): Record<string, string> | undefined {
  let inProfile = false;
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (section) {
      inProfile = section[1]!.trim() === profile;
      continue;
    }
    const pair = /^\s*([A-Za-z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (inProfile && pair) values[pair[1]!] = pair[2]!;
  }
  return values.aws_access_key_id && values.aws_secret_access_key ? values : undefined;
}
