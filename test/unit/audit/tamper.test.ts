// Tampering with a real SQLite trail: every edit is caught and the first affected record named, the
// untouched and the pruned trail verify; and the `audit verify` command's exit codes.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { AuditDigester } from '../../../src/audit/digester.js';
import { AUDIT_SIGNING_KEY_FILE, openAuditSigningKey, type AuditSigningKey } from '../../../src/audit/signing-key.js';
import { verifyAuditTrail, type AuditVerification } from '../../../src/audit/verify.js';
import { AuditWriter } from '../../../src/audit/writer.js';
import { chainDigest } from '../../../src/audit/chain.js';
import { runAuditCommand } from '../../../src/cli/audit.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { auditEvent } from '../../contract/store-audit-contract.js';

const root = mkdtempSync(join(tmpdir(), 'kms-audit-tamper-'));
after(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

/** A data dir with 10 events, signed digests after 4 and after 10. */
async function trail(): Promise<{ dir: string; key: AuditSigningKey; db: string }> {
  const dir = join(root, `d${++count}`);
  const key = await openAuditSigningKey(join(dir, AUDIT_SIGNING_KEY_FILE));
  const store = await openSqliteStore(join(dir, 'kms.db'));
  const digester = new AuditDigester(store, key, { everyEvents: 1_000_000 });
  const writer = new AuditWriter(store, { maxDelayMs: 1 });
  for (const n of [1, 2, 3, 4]) await writer.append(auditEvent(n));
  await digester.signNow();
  await Promise.all([5, 6, 7, 8, 9, 10].map((n) => writer.append(auditEvent(n))));
  await digester.stop();
  await writer.close();
  await store.close();
  return { dir, key, db: join(dir, 'kms.db') };
}

async function verify(t: { dir: string; key: AuditSigningKey }): Promise<AuditVerification> {
  const store = await openSqliteStore(join(t.dir, 'kms.db'));
  try {
    return await verifyAuditTrail(store, t.key.publicKey);
  } finally {
    await store.close();
  }
}

function tamper(path: string, sql: string, ...params: unknown[]): void {
  const db = new Database(path);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

function failsAt(result: AuditVerification, seq: number, eventN: number | undefined, problem: RegExp): void {
  assert.equal(result.ok, false, 'expected verification to fail');
  if (result.ok) return;
  assert.equal(result.seq, seq, result.problem);
  if (eventN !== undefined) assert.equal(result.eventId, auditEvent(eventN).eventId, result.problem);
  assert.match(result.problem, problem);
}

test('the untouched trail verifies', async () => {
  const t = await trail();
  assert.deepEqual(await verify(t), { ok: true, records: 10, digests: 2 });
});

test('an edited field of a record\'s JSON is named', async () => {
  const t = await trail();
  tamper(t.db, "UPDATE audit_events SET record = json_set(record, '$.eventName', 'Encrypt') WHERE seq = 6");
  failsAt(await verify(t), 6, 6, /modified/);
});

test('an edited indexed column is named', async () => {
  const t = await trail();
  tamper(t.db, 'UPDATE audit_events SET event_time = event_time + 1 WHERE seq = 3');
  failsAt(await verify(t), 3, 3, /modified/);
});

test('a deleted record is named', async () => {
  const t = await trail();
  tamper(t.db, 'DELETE FROM audit_events WHERE seq = 5');
  failsAt(await verify(t), 5, undefined, new RegExp(`removed: no record at seq 5; the trail resumes at seq 6 \\(eventID ${auditEvent(6).eventId}\\)`));
});

test('deleting the newest records is caught by the last signed digest', async () => {
  const t = await trail();
  tamper(t.db, 'DELETE FROM audit_events WHERE seq >= 9');
  failsAt(await verify(t), 9, undefined, /removed/);
});

test('an inserted record (later ones renumbered, its digest recomputed) is named', async () => {
  const t = await trail();
  const db = new Database(t.db);
  const prev = db.prepare('SELECT digest FROM audit_events WHERE seq = 4').get() as { digest: string };
  db.exec('UPDATE audit_events SET seq = -seq WHERE seq > 4; UPDATE audit_events SET seq = 1 - seq WHERE seq < 0');
  const forged = auditEvent(99, { eventTime: auditEvent(4).eventTime });
  db.prepare(
    `INSERT INTO audit_events (seq, account_id, region, event_time, event_name, event_source, read_only, username, access_key_id, resource_names, event_id, record, prev_digest, digest)
     VALUES (5, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(forged.accountId, forged.region, forged.eventTime, forged.eventName, forged.eventSource, forged.readOnly ? 1 : 0, forged.username, forged.accessKeyId,
    JSON.stringify(forged.resourceNames), forged.eventId, JSON.stringify(forged.record), prev.digest, chainDigest(prev.digest, 5, forged));
  db.close();
  failsAt(await verify(t), 5, 99, /inserted/);
});

test('two swapped records are named', async () => {
  const t = await trail();
  tamper(t.db, 'UPDATE audit_events SET seq = -1 WHERE seq = 7');
  tamper(t.db, 'UPDATE audit_events SET seq = 7 WHERE seq = 8');
  tamper(t.db, 'UPDATE audit_events SET seq = 8 WHERE seq = -1');
  failsAt(await verify(t), 7, 8, /chained at seq 8|moved/);
});

test('a changed digest is named', async () => {
  const t = await trail();
  tamper(t.db, "UPDATE audit_events SET digest = '" + 'f'.repeat(64) + "' WHERE seq = 2");
  failsAt(await verify(t), 2, 2, /modified/);
});

test('a rewritten chain (every digest recomputed) is caught by the signed digest', async () => {
  const t = await trail();
  const db = new Database(t.db);
  db.prepare("UPDATE audit_events SET record = json_set(record, '$.eventName', 'Encrypt') WHERE seq = 2").run();
  let prev = (db.prepare('SELECT digest FROM audit_events WHERE seq = 1').get() as { digest: string }).digest;
  const store = await openSqliteStore(t.db);
  for (const e of await store.readAuditChain(2, 100)) {
    const digest = chainDigest(prev, e.seq, e);
    db.prepare('UPDATE audit_events SET prev_digest = ?, digest = ? WHERE seq = ?').run(prev, digest, e.seq);
    prev = digest;
  }
  await store.close();
  db.close();
  failsAt(await verify(t), 4, 4, /signed digest 1/);
});

test('a forged signed digest is named', async () => {
  const t = await trail();
  tamper(t.db, "UPDATE audit_digests SET body = replace(body, '\"digestEndSeq\":10', '\"digestEndSeq\":9') WHERE seq = 2");
  failsAt(await verify(t), 5, undefined, /signed digest 2.*signature/);
});

test('the trail still verifies after pruning, and tampering after pruning is still caught', async () => {
  const t = await trail();
  const store = await openSqliteStore(t.db);
  assert.equal(await store.pruneAuditEvents(auditEvent(6).eventTime), 5);
  await store.close();
  assert.deepEqual(await verify(t), { ok: true, records: 5, digests: 1 });
  tamper(t.db, 'DELETE FROM audit_events WHERE seq = 6');
  failsAt(await verify(t), 6, undefined, /removed/);
});

test('kms-server audit verify: exit 0 with the count, 1 naming the record', async () => {
  const t = await trail();
  let out = '';
  assert.equal(await runAuditCommand(['verify', '--data-dir', t.dir], {}, (s) => (out += s)), 0);
  assert.match(out, /verified: 10 records, 2 signed digests/);
  tamper(t.db, "UPDATE audit_events SET record = json_set(record, '$.eventName', 'Encrypt') WHERE seq = 6");
  out = '';
  assert.equal(await runAuditCommand(['verify', '--data-dir', t.dir], {}, (s) => (out += s)), 1);
  assert.match(out, new RegExp(`INVALID at seq 6 \\(eventID ${auditEvent(6).eventId}\\): modified`));
  out = '';
  assert.equal(await runAuditCommand(['public-key', '--data-dir', t.dir], {}, (s) => (out += s)), 0);
  assert.match(out, /BEGIN PUBLIC KEY/);
});
