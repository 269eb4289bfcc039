// `kms-server audit verify [--data-dir DIR]`: checks the data dir's audit trail (hash chain and signed
// digests, src/audit/verify.ts) and says how many records verified, or names the first record that
// was modified, removed, inserted or moved. `kms-server audit public-key` prints the key verifiers need.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AUDIT_SIGNING_KEY_FILE, openAuditSigningKey } from '../audit/signing-key.js';
import { verifyAuditTrail } from '../audit/verify.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';

export const AUDIT_USAGE = [
  'Usage: kms-server audit verify [--data-dir DIR]',
  '       kms-server audit public-key [--data-dir DIR]',
  '',
  'verify walks the audit trail of the data dir (default ./data, or KMS_DATA_DIR): exit 0 when every',
  'record and signed digest checks out, 1 naming the first record that does not.',
].join('\n');

export class AuditUsageError extends Error {}

/** Returns the process exit code. */
export async function runAuditCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: (text: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify' && sub !== 'public-key') throw new AuditUsageError(sub === undefined ? 'audit: a subcommand is required' : `audit: unknown subcommand '${sub}'`);
  const { values } = parseArgs({ args: [...rest], options: { 'data-dir': { type: 'string' } }, strict: true, allowPositionals: false });
  const dataDir = values['data-dir'] ?? env.KMS_DATA_DIR ?? './data';
  const keyPath = join(dataDir, AUDIT_SIGNING_KEY_FILE);
  // Never create a key here: a verifier that made its own key would "verify" nothing but fail.
  if (!existsSync(keyPath)) throw new AuditUsageError(`no audit signing key at ${keyPath}: is ${dataDir} a kms-server data dir?`);
  const key = await openAuditSigningKey(keyPath);
  if (sub === 'public-key') {
    out(key.publicKeyPem());
    return 0;
  }
  const store = await openSqliteStore(join(dataDir, 'kms.db'));
  try {
    const result = await verifyAuditTrail(store, key.publicKey);
    if (result.ok) {
      out(`audit trail verified: ${result.records} records, ${result.digests} signed digests\n`);
      return 0;
    }
    out(`audit trail INVALID at seq ${result.seq}${result.eventId === undefined ? '' : ` (eventID ${result.eventId})`}: ${result.problem}\n` + `(${result.records} records verified before it)\n`);
    return 1;
  } finally {
    await store.close();
  }
}
