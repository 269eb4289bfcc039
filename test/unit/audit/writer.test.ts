// Group commit: concurrent appends share a transaction, resolve only after it commits, and a failing
// store rejects appends (fail closed) until a commit succeeds again.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuditUnavailableError, AuditWriter } from '../../../src/audit/writer.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { AuditEventInput, Store, StoredAuditEvent } from '../../../src/store/store.js';
import { auditEvent } from '../../contract/store-audit-contract.js';

/** Counts appendAuditEvents calls (transactions) and can be made to fail or to hold a commit. */
function spyStore(store: Store) {
  const spy = { batches: [] as number[], fail: false, hold: undefined as Promise<void> | undefined, committed: 0 };
  const wrapped: Pick<Store, 'appendAuditEvents'> = {
    async appendAuditEvents(events: readonly AuditEventInput[]): Promise<StoredAuditEvent[]> {
      spy.batches.push(events.length);
      if (spy.hold) await spy.hold;
      if (spy.fail) throw new Error('disk full');
      const stored = await store.appendAuditEvents(events);
      spy.committed += stored.length;
      return stored;
    },
  };
  return { spy, wrapped };
}

test('concurrent appends share one transaction and resolve only after it committed', async () => {
  const store = await openSqliteStore(':memory:');
  const { spy, wrapped } = spyStore(store);
  const writer = new AuditWriter(wrapped, { maxDelayMs: 5 });
  const resolvedAt: number[] = [];
  await Promise.all([1, 2, 3, 4, 5].map((n) => writer.append(auditEvent(n)).then(() => resolvedAt.push(spy.committed))));
  assert.deepEqual(spy.batches, [5]);
  assert.deepEqual(resolvedAt, [5, 5, 5, 5, 5]);
  assert.equal((await store.readAuditChain(1, 10)).length, 5);
  assert.deepEqual(writer.stats(), { commits: 1, appended: 5, failedCommits: 0, rejectedAppends: 0 });
  await writer.close();
  await store.close();
});

test('appends arriving during a commit go into the next one; maxBatch bounds a transaction', async () => {
  const store = await openSqliteStore(':memory:');
  const { spy, wrapped } = spyStore(store);
  let release!: () => void;
  spy.hold = new Promise((r) => (release = r));
  const writer = new AuditWriter(wrapped, { maxDelayMs: 1, maxBatch: 3 });
  let firstDone = false;
  const first = writer.append(auditEvent(1)).then(() => (firstDone = true));
  await new Promise((r) => setTimeout(r, 10));
  const later = [2, 3, 4, 5].map((n) => writer.append(auditEvent(n)));
  assert.equal(firstDone, false, 'not resolved before its commit');
  spy.hold = undefined;
  release();
  await Promise.all([first, ...later]);
  assert.deepEqual(spy.batches, [1, 3, 1]);
  assert.deepEqual((await store.readAuditChain(1, 10)).map((e) => e.eventId), [1, 2, 3, 4, 5].map((n) => auditEvent(n).eventId));
  await writer.close();
  await store.close();
});

test('a failing store rejects the batch, what is queued and later appends, then recovers', async () => {
  const store = await openSqliteStore(':memory:');
  const { spy, wrapped } = spyStore(store);
  let now = 0;
  const writer = new AuditWriter(wrapped, { maxDelayMs: 1, retryAfterMs: 100, now: () => now });
  spy.fail = true;
  const results = await Promise.allSettled([writer.append(auditEvent(1)), writer.append(auditEvent(2))]);
  assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof AuditUnavailableError));
  assert.equal(writer.failing, true);
  spy.fail = false;
  await assert.rejects(writer.append(auditEvent(3)), AuditUnavailableError);
  assert.deepEqual(spy.batches, [2], 'no commit tried while failing');
  now = 150;
  await writer.append(auditEvent(4));
  assert.equal(writer.failing, false);
  assert.deepEqual(writer.stats(), { commits: 1, appended: 1, failedCommits: 1, rejectedAppends: 3 });
  assert.deepEqual((await store.readAuditChain(1, 10)).map((e) => e.eventId), [auditEvent(4).eventId]);
  await writer.close();
  await store.close();
});

test('close() commits what is queued and refuses later appends', async () => {
  const store = await openSqliteStore(':memory:');
  const writer = new AuditWriter(store, { maxDelayMs: 1000 });
  const pending = writer.append(auditEvent(1));
  await writer.close();
  await pending;
  assert.equal((await store.readAuditChain(1, 10)).length, 1);
  await assert.rejects(writer.append(auditEvent(2)));
  await store.close();
});
