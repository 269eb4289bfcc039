// Group commit for audit events. append() resolves only once its event is committed (durable: the
// SQLite store commits with synchronous = FULL), so a request is answered only after its audit
// record exists. Appends arriving within maxDelayMs, or while a transaction is running, share the
// next transaction (up to maxBatch events): one fsync for many requests.
// Fail closed: when a commit fails, that batch and every append queued behind it reject, and so
// does every append for retryAfterMs (no hammering a failing store); the next append after that is
// tried again and, if its commit succeeds, the writer is healthy again.

import type { AuditEventInput, Store, StoredAuditEvent } from '../store/store.js';

export class AuditUnavailableError extends Error {
  override readonly name = 'AuditUnavailableError';
  constructor(cause?: unknown) {
    super('the audit trail cannot be written', cause === undefined ? undefined : { cause });
  }
}

export interface AuditWriterOptions {
  /** Most events in one transaction (default 256). */
  readonly maxBatch?: number;
  /** How long the first append of a batch waits for others (default 2 ms). */
  readonly maxDelayMs?: number;
  /** After a failed commit, appends reject without trying for this long (default 1000 ms). */
  readonly retryAfterMs?: number;
  readonly now?: () => number;
  /** Called after each commit with what was stored (e.g. AuditDigester.noteCommitted). Must not throw. */
  readonly onCommitted?: (events: readonly StoredAuditEvent[]) => void;
}

export interface AuditWriterStats {
  readonly commits: number;
  readonly appended: number;
  readonly failedCommits: number;
  /** Appends rejected (their batch failed, or the writer was failing or closed): the metric to alert on. */
  readonly rejectedAppends: number;
}

interface Pending {
  readonly event: AuditEventInput;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export class AuditWriter {
  readonly #store: Pick<Store, 'appendAuditEvents'>;
  readonly #maxBatch: number;
  readonly #maxDelayMs: number;
  readonly #retryAfterMs: number;
  readonly #now: () => number;
  readonly #onCommitted: ((events: readonly StoredAuditEvent[]) => void) | undefined;
  #queue: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #draining: Promise<void> | undefined;
  #failedAt: number | undefined;
  #closed = false;
  #stats = { commits: 0, appended: 0, failedCommits: 0, rejectedAppends: 0 };

  constructor(store: Pick<Store, 'appendAuditEvents'>, options: AuditWriterOptions = {}) {
    this.#store = store;
    this.#maxBatch = options.maxBatch ?? 256;
    this.#maxDelayMs = options.maxDelayMs ?? 2;
    this.#retryAfterMs = options.retryAfterMs ?? 1000;
    this.#now = options.now ?? Date.now;
    this.#onCommitted = options.onCommitted;
  }

  append(event: AuditEventInput): Promise<void> {
    if (this.#closed) return this.#rejectNow(new Error('audit writer is closed'));
    if (this.#failedAt !== undefined && this.#now() - this.#failedAt < this.#retryAfterMs) return this.#rejectNow(new AuditUnavailableError());
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ event, resolve, reject });
      this.#schedule();
    });
  }

  stats(): AuditWriterStats {
    return { ...this.#stats };
  }

  /** Whether the last commit failed (and no later one succeeded). */
  get failing(): boolean {
    return this.#failedAt !== undefined;
  }

  /** Commits what is queued, then refuses further appends. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#draining === undefined && this.#queue.length > 0) this.#startDrain();
    await this.#draining;
  }

  #rejectNow(err: Error): Promise<void> {
    this.#stats.rejectedAppends++;
    return Promise.reject(err);
  }

  #schedule(): void {
    // A running drain picks the new event up when its transaction ends.
    if (this.#draining !== undefined) return;
    if (this.#queue.length >= this.#maxBatch) {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#startDrain();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#startDrain();
      }, this.#maxDelayMs);
    }
  }

  #startDrain(): void {
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      // Appends made between the drain's last check and now found it still running: schedule them.
      if (this.#queue.length > 0) {
        if (this.#closed) this.#startDrain();
        else this.#schedule();
      }
    });
  }

  /** One transaction at a time, so events are chained in the order their appends were accepted. */
  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      let stored: StoredAuditEvent[];
      try {
        stored = await this.#store.appendAuditEvents(batch.map((p) => p.event));
      } catch (err) {
        this.#stats.failedCommits++;
        this.#failedAt = this.#now();
        // Everything queued behind the failed batch rejects too: the store just refused a commit.
        const rejected = [...batch, ...this.#queue.splice(0)];
        this.#stats.rejectedAppends += rejected.length;
        const error = new AuditUnavailableError(err);
        for (const p of rejected) p.reject(error);
        return;
      }
      this.#failedAt = undefined;
      this.#stats.commits++;
      this.#stats.appended += batch.length;
      for (const p of batch) p.resolve();
      try {
        this.#onCommitted?.(stored);
      } catch {
        // The events are committed and their appends resolved; a failing observer changes nothing.
      }
    }
  }
}
