// The in-memory last-usage recorder: latest use wins, batches flushed to the store, failures kept
// for the next flush, reads see what is not flushed yet.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyRecord, KeyUsageRecord } from '../../../src/kms/model/key.js';
import type { OperationEvent } from '../../../src/kms/pipeline/operation-spec.js';
import { later, TRACKED_OPERATIONS, UsageRecorder } from '../../../src/kms/usage-recorder.js';
import { shapeOf } from '../../../src/protocol/kms-model.js';

const ARN_A = 'arn:aws:kms:us-east-1:111122223333:key/aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa';
const ARN_B = 'arn:aws:kms:us-east-1:111122223333:key/bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb';
const T0 = 1_700_000_000_000;

/** A store double recording each batch; `fail` makes the next calls reject. */
class FakeStore {
  readonly batches: KeyUsageRecord[][] = [];
  fail = false;
  /** When set, recordKeyUsage waits for this promise before resolving. */
  gate: Promise<void> | undefined;
  async recordKeyUsage(records: readonly KeyUsageRecord[]): Promise<void> {
    if (this.gate) await this.gate;
    if (this.fail) throw new Error('disk full');
    this.batches.push([...records]);
  }
}

function usage(keyArn: string, operation: string, usedAt: number, requestId = `req-${usedAt}`): KeyUsageRecord {
  return { keyArn, operation, usedAt, requestId };
}

describe('UsageRecorder', () => {
  test('tracks exactly the operations of the model\'s KeyLastUsageTrackingOperation enum', () => {
    const shape = shapeOf('KeyLastUsageTrackingOperation');
    assert.deepStrictEqual([...TRACKED_OPERATIONS].sort(), [...(shape.enum ?? [])].sort());
  });

  test('record does not write; flush writes one record per key, the latest use', async () => {
    const store = new FakeStore();
    const recorder = new UsageRecorder(store);
    recorder.record(ARN_A, 'Encrypt', 'r1', T0);
    recorder.record(ARN_A, 'Decrypt', 'r2', T0 + 5);
    recorder.record(ARN_B, 'Sign', 'r3', T0 + 1);
    // An older use arriving late does not replace a newer one.
    recorder.record(ARN_A, 'GenerateDataKey', 'r0', T0 + 2);
    assert.equal(store.batches.length, 0);
    assert.equal(recorder.size, 2);
    await recorder.flush();
    assert.deepStrictEqual(store.batches, [[usage(ARN_A, 'Decrypt', T0 + 5, 'r2'), usage(ARN_B, 'Sign', T0 + 1, 'r3')]]);
    assert.equal(recorder.size, 0);
    // Nothing new: no empty batch is written.
    await recorder.flush();
    assert.equal(store.batches.length, 1);
  });

  test('at equal times the last recorded use wins', async () => {
    const store = new FakeStore();
    const recorder = new UsageRecorder(store);
    recorder.record(ARN_A, 'Encrypt', 'r1', T0);
    recorder.record(ARN_A, 'Decrypt', 'r2', T0);
    assert.deepStrictEqual(recorder.pending(ARN_A), usage(ARN_A, 'Decrypt', T0, 'r2'));
  });

  test('pending shows unflushed and in-flight records, then nothing once stored', async () => {
    const store = new FakeStore();
    const recorder = new UsageRecorder(store);
    assert.equal(recorder.pending(ARN_A), undefined);
    recorder.record(ARN_A, 'Encrypt', 'r1', T0);
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    const flushing = recorder.flush();
    await new Promise((resolve) => setImmediate(resolve));
    // Being written: still visible, and a newer use recorded meanwhile wins.
    assert.deepStrictEqual(recorder.pending(ARN_A), usage(ARN_A, 'Encrypt', T0, 'r1'));
    recorder.record(ARN_A, 'Decrypt', 'r2', T0 + 1);
    assert.deepStrictEqual(recorder.pending(ARN_A), usage(ARN_A, 'Decrypt', T0 + 1, 'r2'));
    open();
    await flushing;
    assert.deepStrictEqual(recorder.pending(ARN_A), usage(ARN_A, 'Decrypt', T0 + 1, 'r2'));
    store.gate = undefined;
    await recorder.flush();
    assert.equal(recorder.pending(ARN_A), undefined);
    assert.deepStrictEqual(store.batches, [[usage(ARN_A, 'Encrypt', T0, 'r1')], [usage(ARN_A, 'Decrypt', T0 + 1, 'r2')]]);
  });

  test('a failed flush keeps its records for the next one; a newer use still wins', async () => {
    const store = new FakeStore();
    const recorder = new UsageRecorder(store);
    recorder.record(ARN_A, 'Encrypt', 'r1', T0 + 10);
    recorder.record(ARN_B, 'Sign', 'r2', T0);
    store.fail = true;
    await assert.rejects(recorder.flush(), /disk full/);
    assert.equal(recorder.size, 2);
    recorder.record(ARN_B, 'Verify', 'r3', T0 + 20);
    recorder.record(ARN_A, 'Decrypt', 'old', T0 + 1);
    store.fail = false;
    await recorder.flush();
    assert.deepStrictEqual(store.batches, [[usage(ARN_A, 'Encrypt', T0 + 10, 'r1'), usage(ARN_B, 'Verify', T0 + 20, 'r3')]]);
  });

  test('a failure also keeps records recorded while the failing write was in flight', async () => {
    const store = new FakeStore();
    const recorder = new UsageRecorder(store);
    recorder.record(ARN_A, 'Encrypt', 'r1', T0);
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    store.fail = true;
    const flushing = recorder.flush();
    await new Promise((resolve) => setImmediate(resolve));
    recorder.record(ARN_B, 'Sign', 'r2', T0 + 1);
    open();
    await assert.rejects(flushing);
    store.gate = undefined;
    store.fail = false;
    await recorder.flush();
    assert.deepStrictEqual(store.batches, [[usage(ARN_B, 'Sign', T0 + 1, 'r2'), usage(ARN_A, 'Encrypt', T0, 'r1')]]);
  });

  test('concurrent flushes write each record once', async () => {
    const store = new FakeStore();
    const recorder = new UsageRecorder(store);
    recorder.record(ARN_A, 'Encrypt', 'r1', T0);
    await Promise.all([recorder.flush(), recorder.flush(), recorder.flush()]);
    assert.deepStrictEqual(store.batches, [[usage(ARN_A, 'Encrypt', T0, 'r1')]]);
  });

  test('start flushes in the background; stop flushes what is left', async () => {
    const store = new FakeStore();
    const recorder = new UsageRecorder(store, { intervalMs: 10 });
    recorder.start();
    recorder.record(ARN_A, 'Encrypt', 'r1', T0);
    for (let i = 0; i < 100 && store.batches.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepStrictEqual(store.batches, [[usage(ARN_A, 'Encrypt', T0, 'r1')]]);
    recorder.record(ARN_B, 'Sign', 'r2', T0 + 1);
    await recorder.stop();
    assert.deepStrictEqual(store.batches.at(-1), [usage(ARN_B, 'Sign', T0 + 1, 'r2')]);
    // Stopped: nothing flushes on its own any more.
    recorder.record(ARN_A, 'Decrypt', 'r3', T0 + 2);
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(store.batches.length, 2);
  });

  test('background flush failures go to onError and are retried', async () => {
    const store = new FakeStore();
    const errors: unknown[] = [];
    const recorder = new UsageRecorder(store, { intervalMs: 10, onError: (err) => errors.push(err) });
    store.fail = true;
    recorder.start();
    recorder.record(ARN_A, 'Encrypt', 'r1', T0);
    for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(errors.length > 0);
    store.fail = false;
    await recorder.stop();
    assert.deepStrictEqual(store.batches, [[usage(ARN_A, 'Encrypt', T0, 'r1')]]);
  });

  test('reaching maxPending starts a flush without waiting for the timer', async () => {
    const store = new FakeStore();
    const recorder = new UsageRecorder(store, { maxPending: 2 });
    recorder.record(ARN_A, 'Encrypt', 'r1', T0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(store.batches.length, 0);
    recorder.record(ARN_B, 'Encrypt', 'r2', T0);
    for (let i = 0; i < 10 && store.batches.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(store.batches.length, 1);
    assert.equal(store.batches[0]!.length, 2);
  });

  test('clear drops unflushed records', async () => {
    const store = new FakeStore();
    const recorder = new UsageRecorder(store);
    recorder.record(ARN_A, 'Encrypt', 'r1', T0);
    recorder.clear();
    await recorder.flush();
    assert.deepStrictEqual(store.batches, []);
    assert.equal(recorder.pending(ARN_A), undefined);
  });

  describe('as a pipeline observer', () => {
    const caller = { scope: { accountId: '111122223333', region: 'us-east-1' }, principalArn: 'arn:aws:iam::111122223333:root', accessKeyId: 'AKIATEST', devMode: false };
    const key = (arn: string) => ({ arn }) as KeyRecord;
    const event = (operation: string, arns: string[], ok = true): OperationEvent => ({
      operation,
      caller,
      keys: arns.map(key),
      requestId: 'r1',
      at: T0,
      outcome: ok ? { ok: true, output: {} } : { ok: false, error: new Error('refused') },
    });

    test('records the key of a successful tracked operation', () => {
      const recorder = new UsageRecorder(new FakeStore());
      recorder.observer(event('Encrypt', [ARN_A]));
      assert.deepStrictEqual(recorder.pending(ARN_A), usage(ARN_A, 'Encrypt', T0, 'r1'));
    });

    test('ReEncrypt records both the source and the destination key', () => {
      const recorder = new UsageRecorder(new FakeStore());
      recorder.observer(event('ReEncrypt', [ARN_A, ARN_B]));
      assert.deepStrictEqual(recorder.pending(ARN_A), usage(ARN_A, 'ReEncrypt', T0, 'r1'));
      assert.deepStrictEqual(recorder.pending(ARN_B), usage(ARN_B, 'ReEncrypt', T0, 'r1'));
    });

    test('operations that are not tracked, and failed calls, record nothing', () => {
      const recorder = new UsageRecorder(new FakeStore());
      for (const op of ['DescribeKey', 'GetPublicKey', 'CreateKey', 'GenerateRandom', 'ListResourceTags', 'TagResource']) {
        recorder.observer(event(op, [ARN_A]));
      }
      recorder.observer(event('Encrypt', [ARN_A], false));
      assert.equal(recorder.size, 0);
    });
  });

  test('later picks the later record, the first on a tie', () => {
    const a = usage(ARN_A, 'Encrypt', T0);
    const b = usage(ARN_A, 'Decrypt', T0 + 1);
    assert.equal(later(undefined, undefined), undefined);
    assert.equal(later(a, undefined), a);
    assert.equal(later(undefined, b), b);
    assert.equal(later(a, b), b);
    assert.equal(later(b, a), b);
    const tie = usage(ARN_A, 'Sign', T0);
    assert.equal(later(a, tie), a);
  });
});
