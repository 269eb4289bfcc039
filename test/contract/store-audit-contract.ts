// The audit part of the Store contract (migration 5): appendAuditEvents (seqs, hash chain, all or
// nothing), listAuditEvents (newest first, filters, markers), readAuditChain, pruning with an
// anchor, signed digest rows. Run it with runStoreAuditContract(name, open).

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { GENESIS_DIGEST, chainDigest } from '../../src/audit/chain.js';
import { InvalidMarkerError, StoreConflictError, type AuditEventInput, type Store } from '../../src/store/store.js';

const A = '111122223333';
const B = '444455556666';
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export function auditEvent(n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    accountId: A,
    region: 'us-east-1',
    eventTime: 1_700_000_000_000 + n * 1000,
    eventName: n % 2 === 0 ? 'Decrypt' : 'CreateKey',
    eventSource: 'kms.amazonaws.com',
    readOnly: n % 2 === 0,
    username: 'alice',
    accessKeyId: 'AKIAEXAMPLE000000001',
    resourceNames: n % 3 === 0 ? [KEY] : [],
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    record: { eventVersion: '1.08', eventName: n % 2 === 0 ? 'Decrypt' : 'CreateKey', requestParameters: { n, nested: { b: 1, a: [1, 'x'] } } },
    ...overrides,
  };
}

export function runStoreAuditContract(name: string, open: () => Promise<Store>): void {
  describe(`Store audit contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    test('an empty trail has head seq 0 at the genesis digest and no anchor', async () => {
      assert.deepEqual(await store.getAuditHead(), { seq: 0, digest: GENESIS_DIGEST });
      assert.equal(await store.getAuditAnchor(), undefined);
      assert.deepEqual(await store.appendAuditEvents([]), []);
    });

    test('appends get consecutive seqs chained to the head, and round-trip', async () => {
      const first = await store.appendAuditEvents([auditEvent(1), auditEvent(2)]);
      const second = await store.appendAuditEvents([auditEvent(3, { username: undefined, accessKeyId: undefined })]);
      assert.deepEqual([...first, ...second].map((e) => e.seq), [1, 2, 3]);
      assert.equal(first[0]?.prevDigest, GENESIS_DIGEST);
      assert.equal(first[1]?.prevDigest, first[0]?.digest);
      assert.equal(second[0]?.prevDigest, first[1]?.digest);
      assert.equal(first[0]?.digest, chainDigest(GENESIS_DIGEST, 1, auditEvent(1)));
      const chain = await store.readAuditChain(1, 10);
      assert.deepEqual(chain, [...first, ...second]);
      assert.equal('username' in (chain[2] ?? {}), false);
      assert.deepEqual(await store.getAuditHead(), { seq: 3, digest: second[0]?.digest });
      assert.deepEqual((await store.readAuditChain(2, 1)).map((e) => e.seq), [2]);
    });

    test('a duplicate eventId rejects the whole batch', async () => {
      await store.appendAuditEvents([auditEvent(1)]);
      await assert.rejects(store.appendAuditEvents([auditEvent(2), auditEvent(1)]), (err: unknown) => err instanceof StoreConflictError && err.reason === 'duplicate');
      assert.deepEqual((await store.readAuditChain(1, 10)).map((e) => e.seq), [1]);
    });

    test('listAuditEvents: one account, newest first, paginated, filtered by time and attribute', async () => {
      await store.appendAuditEvents([1, 2, 3, 4, 5, 6].map((n) => auditEvent(n)));
      await store.appendAuditEvents([auditEvent(7, { accountId: B })]);
      const page1 = await store.listAuditEvents(A, {}, { limit: 4 });
      assert.deepEqual(page1.items.map((e) => e.seq), [6, 5, 4, 3]);
      assert.ok(page1.nextMarker);
      const page2 = await store.listAuditEvents(A, {}, { limit: 4, marker: page1.nextMarker });
      assert.deepEqual(page2.items.map((e) => e.seq), [2, 1]);
      assert.equal(page2.nextMarker, undefined);
      const t = (n: number) => auditEvent(n).eventTime;
      assert.deepEqual((await store.listAuditEvents(A, { startTime: t(2), endTime: t(4) }, { limit: 10 })).items.map((e) => e.seq), [4, 3, 2]);
      const by = async (key: 'ResourceName' | 'EventName' | 'ReadOnly' | 'EventId' | 'Username', value: string) =>
        (await store.listAuditEvents(A, { attribute: { key, value } }, { limit: 10 })).items.map((e) => e.seq);
      assert.deepEqual(await by('ResourceName', KEY), [6, 3]);
      assert.deepEqual(await by('EventName', 'CreateKey'), [5, 3, 1]);
      assert.deepEqual(await by('ReadOnly', 'true'), [6, 4, 2]);
      assert.deepEqual(await by('EventId', auditEvent(2).eventId), [2]);
      assert.deepEqual(await by('Username', 'bob'), []);
      assert.deepEqual((await store.listAuditEvents(B, {}, { limit: 10 })).items.map((e) => e.seq), [7]);
      await assert.rejects(store.listAuditEvents(A, {}, { limit: 1, marker: 'bogus!' }), InvalidMarkerError);
    });

    test('pruning removes the oldest prefix older than the cutoff, anchors the chain and keeps seqs growing', async () => {
      const stored = await store.appendAuditEvents([1, 2, 3, 4].map((n) => auditEvent(n)));
      // An out-of-order old event after a newer one stays: the kept chain must be unbroken.
      await store.appendAuditEvents([auditEvent(5, { eventTime: auditEvent(0).eventTime })]);
      assert.equal(await store.pruneAuditEvents(auditEvent(3).eventTime), 2);
      assert.deepEqual(await store.getAuditAnchor(), { seq: 2, digest: stored[1]?.digest });
      assert.deepEqual((await store.readAuditChain(0, 10)).map((e) => e.seq), [3, 4, 5]);
      assert.equal(await store.pruneAuditEvents(auditEvent(3).eventTime), 0);
      assert.equal(await store.pruneAuditEvents(Number.MAX_SAFE_INTEGER), 3);
      const head = await store.getAuditHead();
      assert.equal(head.seq, 5);
      const [next] = await store.appendAuditEvents([auditEvent(6)]);
      assert.equal(next?.seq, 6);
      assert.equal(next?.prevDigest, head.digest);
    });

    test('signed digest rows: only the next seq is accepted; latest and list', async () => {
      const d = (seq: number, startSeq: number, endSeq: number) => ({ seq, startSeq, endSeq, createdAt: 1000 * seq, body: `{"n":${seq}}`, signature: 'ab'.repeat(32) });
      assert.equal(await store.getLatestAuditDigest(), undefined);
      await store.putAuditDigest(d(1, 1, 5));
      await assert.rejects(store.putAuditDigest(d(3, 6, 9)), (err: unknown) => err instanceof StoreConflictError && err.reason === 'duplicate');
      await assert.rejects(store.putAuditDigest(d(1, 6, 9)), StoreConflictError);
      await store.putAuditDigest(d(2, 6, 9));
      assert.deepEqual(await store.getLatestAuditDigest(), d(2, 6, 9));
      assert.deepEqual(await store.listAuditDigests(2, 10), [d(2, 6, 9)]);
      assert.deepEqual(await store.listAuditDigests(1, 1), [d(1, 1, 5)]);
    });
  });
}
