// Last-usage tracking for GetKeyLastUsage without a write per cryptographic call: successful
// operations are noted in memory (one entry per key, the latest wins) and flushed to the store in
// batches, every second and at shutdown.
// AWS: "There may be a delay of up to one hour between the time a cryptographic operation occurs and
// the time that usage is recorded." Reads here see unflushed entries too (see `pending`).

import type { Store } from '../store/store.js';
import type { KeyUsageRecord } from './model/key.js';
import type { OperationObserver } from './pipeline/operation-spec.js';

/** AWS: "Only the following successful cryptographic operations are tracked" (the service model's
 *  KeyLastUsageTrackingOperation enum; a unit test keeps the two equal). */
export const TRACKED_OPERATIONS: ReadonlySet<string> = new Set([
  'Decrypt',
  'DeriveSharedSecret',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'ReEncrypt',
  'Sign',
  'Verify',
  'VerifyMac',
]);

export interface UsageRecorderOptions {
  /** Milliseconds between background flushes (default 1000). */
  readonly intervalMs?: number;
  /** A flush starts early once this many keys have unflushed usage (default 1000). */
  readonly maxPending?: number;
  /** Called when a background flush fails; the records are kept for the next flush. */
  readonly onError?: (err: unknown) => void;
}

export class UsageRecorder {
  readonly #store: Pick<Store, 'recordKeyUsage'>;
  readonly #intervalMs: number;
  readonly #maxPending: number;
  readonly #onError: (err: unknown) => void;
  /** Not yet handed to the store, by key ARN. */
  #pending = new Map<string, KeyUsageRecord>();
  /** Handed to the store by the flush in progress (still visible to `pending`). */
  #inFlight = new Map<string, KeyUsageRecord>();
  /** Flushes run one after the other. */
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  /** A background flush is queued or running: do not queue another. */
  #backgroundFlush = false;

  constructor(store: Pick<Store, 'recordKeyUsage'>, options: UsageRecorderOptions = {}) {
    this.#store = store;
    this.#intervalMs = options.intervalMs ?? 1000;
    this.#maxPending = options.maxPending ?? 1000;
    this.#onError = options.onError ?? (() => {});
  }

  /** Notes a successful use of a key; `at` is epoch milliseconds. Never writes, never throws. */
  record(keyArn: string, operation: string, requestId: string, at: number): void {
    const previous = this.#pending.get(keyArn);
    // A later use wins; at equal times the last one recorded does.
    if (previous && previous.usedAt > at) return;
    this.#pending.set(keyArn, { keyArn, operation, usedAt: at, requestId });
    if (this.#pending.size >= this.#maxPending) this.#flushInBackground();
  }

  /** The pipeline observer: a successful tracked operation used every key it resolved. AWS: "The
   *  ReEncrypt operation uses two keys: a source key for decryption and a destination key for
   *  encryption. Usage information is recorded for both keys independently". */
  readonly observer: OperationObserver = (event) => {
    if (!event.outcome.ok || !TRACKED_OPERATIONS.has(event.operation)) return;
    for (const key of event.keys) this.record(key.arn, event.operation, event.requestId ?? '', event.at);
  };

  /** The latest usage of a key not yet in the store (unflushed or being flushed), if any. */
  pending(keyArn: string): KeyUsageRecord | undefined {
    return later(this.#pending.get(keyArn), this.#inFlight.get(keyArn));
  }

  /** Number of keys with unflushed usage. */
  get size(): number {
    return this.#pending.size;
  }

  /** Writes every noted usage to the store. Concurrent calls run one after the other. On failure the
   *  records are kept (a later use still wins) and the error is thrown. */
  flush(): Promise<void> {
    const run = this.#chain.then(() => this.#flushBatch());
    this.#chain = run.catch(() => {});
    return run;
  }

  /** Starts the background flush. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#flushInBackground(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops the background flush and flushes what is left (call before the store closes). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  /** Drops every unflushed record (dev reset: the keys they name are gone). */
  clear(): void {
    this.#pending.clear();
  }

  async #flushBatch(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    this.#inFlight = batch;
    try {
      await this.#store.recordKeyUsage([...batch.values()]);
    } catch (err) {
      // Keep them for the next flush, unless a later use of the same key arrived meanwhile.
      for (const [arn, record] of batch) {
        const newer = this.#pending.get(arn);
        if (!newer || newer.usedAt < record.usedAt) this.#pending.set(arn, record);
      }
      throw err;
    } finally {
      this.#inFlight = new Map();
    }
  }

  #flushInBackground(): void {
    if (this.#backgroundFlush) return;
    this.#backgroundFlush = true;
    this.flush()
      .catch((err: unknown) => this.#onError(err))
      .finally(() => {
        this.#backgroundFlush = false;
      });
  }
}

/** The later of two usage records (the first when they tie). */
export function later(a: KeyUsageRecord | undefined, b: KeyUsageRecord | undefined): KeyUsageRecord | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.usedAt > a.usedAt ? b : a;
}
