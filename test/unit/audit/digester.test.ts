// The digester signs every `everyEvents` committed events, links each digest to the previous one,
// and signs nothing when no event followed the last digest.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AuditDigester } from '../../../src/audit/digester.js';
import { checkDigest, parseBody } from '../../../src/audit/digest.js';
import { openAuditSigningKey } from '../../../src/audit/signing-key.js';
import { AuditWriter } from '../../../src/audit/writer.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { auditEvent } from '../../contract/store-audit-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-audit-digester-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the signing key is created once, owner-only, and reopened as the same key', async () => {
  const path = join(dir, 'k', 'audit-signing.key');
  const first = await openAuditSigningKey(path);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const again = await openAuditSigningKey(path);
  assert.equal(again.fingerprint, first.fingerprint);
  assert.match(first.publicKeyPem(), /BEGIN PUBLIC KEY/);
});

test('a digest every N committed events, chained to the previous one', async () => {
  const key = await openAuditSigningKey(join(dir, 'd', 'audit-signing.key'));
  const store = await openSqliteStore(':memory:');
  const digester = new AuditDigester(store, key, { everyEvents: 3, now: () => 1_700_000_999_000 });
  const writer = new AuditWriter(store, { maxDelayMs: 1, onCommitted: (events) => digester.noteCommitted(events.length) });
  for (const n of [1, 2, 3, 4, 5, 6, 7]) await writer.append(auditEvent(n));
  await writer.close();
  await digester.stop();
  assert.equal(await digester.signNow(), undefined, 'nothing new to sign');
  const digests = await store.listAuditDigests(1, 10);
  // Signing runs beside the writer, so a digest may take in an event committed meanwhile: check
  // that the ranges are contiguous, cover 1..7, and that the count bound triggered signing.
  assert.ok(digests.length >= 3, JSON.stringify(digests.map((d) => [d.startSeq, d.endSeq])));
  digests.forEach((d, i) => assert.equal(d.startSeq, i === 0 ? 1 : (digests[i - 1]?.endSeq ?? 0) + 1));
  assert.equal(digests.at(-1)?.endSeq, 7);
  digests.forEach((d, i) => assert.equal(checkDigest(key.publicKey, d, digests[i - 1]), undefined));
  const body = parseBody(digests[1]?.body ?? '');
  assert.equal(body?.previousDigestSignature, digests[0]?.signature);
  assert.equal(body?.digestSignatureAlgorithm, 'Ed25519');
  assert.equal(body?.oldestEventTime, new Date(auditEvent(body?.digestStartSeq ?? 0).eventTime).toISOString());
  await store.close();
});
