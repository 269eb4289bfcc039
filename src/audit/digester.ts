// Signs a digest of the chain every `everyEvents` committed events or every `everyMs`, whichever
// comes first (CloudTrail delivers one digest file an hour; a count bound keeps the unsigned tail
// short under load). A digest covers the events after the previous digest up to the head.
// Signing is serialized; a failure leaves the events pending so the next attempt covers them.

import { signDigest } from './digest.js';
import type { AuditSigningKey } from './signing-key.js';
import type { AuditDigestRecord, Store } from '../store/store.js';

type DigestStore = Pick<Store, 'getAuditHead' | 'getAuditAnchor' | 'getLatestAuditDigest' | 'putAuditDigest' | 'readAuditChain'>;

export interface AuditDigesterOptions {
  readonly everyEvents?: number;
  readonly everyMs?: number;
  readonly now?: () => number;
}

export class AuditDigester {
  readonly #store: DigestStore;
  readonly #key: AuditSigningKey;
  readonly #everyEvents: number;
  readonly #everyMs: number;
  readonly #now: () => number;
  #pending = 0;
  #chain: Promise<unknown> = Promise.resolve();
  #interval: NodeJS.Timeout | undefined;
  #failures = 0;

  constructor(store: DigestStore, key: AuditSigningKey, options: AuditDigesterOptions = {}) {
    this.#store = store;
    this.#key = key;
    this.#everyEvents = options.everyEvents ?? 1000;
    this.#everyMs = options.everyMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** For AuditWriter's onCommitted. */
  noteCommitted(count: number): void {
    this.#pending += count;
    if (this.#pending >= this.#everyEvents) void this.signNow().catch(() => undefined);
  }

  start(): void {
    this.#interval ??= setInterval(() => void this.signNow().catch(() => undefined), this.#everyMs);
    this.#interval.unref();
  }

  /** Stops the timer and signs what is left. */
  async stop(): Promise<void> {
    if (this.#interval !== undefined) clearInterval(this.#interval);
    this.#interval = undefined;
    await this.signNow();
  }

  get failures(): number {
    return this.#failures;
  }

  /** Signs a digest up to the current head; undefined when no event followed the last digest. */
  signNow(): Promise<AuditDigestRecord | undefined> {
    const run = this.#chain.then(() => this.#sign());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #sign(): Promise<AuditDigestRecord | undefined> {
    try {
      this.#pending = 0;
      const [head, latest, anchor] = await Promise.all([this.#store.getAuditHead(), this.#store.getLatestAuditDigest(), this.#store.getAuditAnchor()]);
      const startSeq = (latest?.endSeq ?? anchor?.seq ?? 0) + 1;
      if (head.seq < startSeq) return undefined;
      const [oldest] = await this.#store.readAuditChain(startSeq, 1);
      const [newest] = await this.#store.readAuditChain(head.seq, 1);
      const now = this.#now();
      const digest = signDigest(
        this.#key,
        {
          startSeq,
          endSeq: head.seq,
          lastRecordDigest: head.digest,
          startTime: latest?.createdAt ?? oldest?.eventTime ?? now,
          endTime: now,
          ...(oldest && { oldestEventTime: oldest.eventTime }),
          ...(newest && { newestEventTime: newest.eventTime }),
        },
        latest,
      );
      await this.#store.putAuditDigest(digest);
      return digest;
    } catch (err) {
      this.#failures++;
      this.#pending = Math.max(this.#pending, 1);
      throw err;
    }
  }
}
