// --dev-only endpoints for test suites: wipe all state (also at moto's path, so suites written for
// moto's server switch unchanged), move the clock forward to watch scheduled work happen, and
// explain the latest AccessDenied answers (which policy statement matched, or what did not).
// This object is never created outside --dev, so these paths do not exist there.

import type { StatementTrace } from '../policy/index.js';

export interface DevControlResult {
  readonly status: number;
  readonly body: unknown;
}

export interface DevActions {
  reset(): Promise<void>;
  /** Moves the injected clock forward and runs the scheduler once; returns the new time. */
  advanceClock(ms: number): Promise<{ now: number; offsetMs: number }>;
  clockState(): { now: number; offsetMs: number };
}

const RESET_PATHS = new Set(['/_kms/reset', '/moto-api/reset']);
const CLOCK_PATH = '/_kms/clock';
const EXPLAIN_PATH = '/_kms/explain';
/** Denials kept for /_kms/explain: the latest ones, oldest dropped first. */
const MAX_DENIALS = 200;
/** Listed when no request id is asked for. */
const LISTED_DENIALS = 20;

/** One refused request, as /_kms/explain tells it. */
export interface DenialRecord {
  readonly requestId: string;
  readonly at: string;
  readonly operation: string | undefined;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** AWS's message, as the caller got it. */
  readonly message: string;
  /** The deciding statement, or that nothing allowed (the log line's `denied`). */
  readonly decision: string;
  readonly statements: readonly StatementTrace[];
}
const MAX_ADVANCE_SECONDS = 100_000 * 365 * 86_400;

export class DevControl {
  readonly #denials = new Map<string, DenialRecord>();

  constructor(private readonly actions: DevActions) {}

  handles(path: string): boolean {
    return RESET_PATHS.has(path) || path === CLOCK_PATH || path === EXPLAIN_PATH;
  }

  /** Keeps a refused request for /_kms/explain. */
  recordDenial(record: DenialRecord): void {
    if (this.#denials.size >= MAX_DENIALS) this.#denials.delete(this.#denials.keys().next().value!);
    this.#denials.set(record.requestId, record);
  }

  async handle(path: string, body: Buffer): Promise<DevControlResult> {
    if (RESET_PATHS.has(path)) {
      this.#denials.clear();
      await this.actions.reset();
      return { status: 200, body: { status: 'ok' } };
    }
    let request: unknown = {};
    try {
      if (body.length > 0) request = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, body: { __type: 'SerializationException', message: 'Malformed JSON request body.' } };
    }
    if (path === EXPLAIN_PATH) return this.#explain(request);
    const { advanceSeconds, advanceDays } = (request ?? {}) as { advanceSeconds?: unknown; advanceDays?: unknown };
    const seconds = (typeof advanceSeconds === 'number' ? advanceSeconds : 0) + (typeof advanceDays === 'number' ? advanceDays * 86_400 : 0);
    // Dates end at 8.64e15 ms; keep the clock well inside (about 100,000 years per call).
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_ADVANCE_SECONDS) {
      return { status: 400, body: { __type: 'ValidationException', message: 'advanceSeconds/advanceDays must be non-negative numbers of at most 100,000 years; time only moves forward.' } };
    }
    const state = seconds > 0 ? await this.actions.advanceClock(seconds * 1000) : this.actions.clockState();
    return { status: 200, body: { now: new Date(state.now).toISOString(), offsetSeconds: state.offsetMs / 1000 } };
  }

  /** {"requestId": "..."}: that denial in full; {}: the latest denials, newest first, without their statements. */
  #explain(request: unknown): DevControlResult {
    const { requestId } = (request ?? {}) as { requestId?: unknown };
    if (requestId === undefined) {
      const latest = [...this.#denials.values()].reverse().slice(0, LISTED_DENIALS);
      return { status: 200, body: { denials: latest.map(({ statements: _statements, ...summary }) => summary) } };
    }
    if (typeof requestId !== 'string') return { status: 400, body: { __type: 'ValidationException', message: 'requestId must be a string.' } };
    const record = this.#denials.get(requestId);
    if (!record) {
      return { status: 404, body: { __type: 'NotFoundException', message: `No denial with request id ${requestId} is on record (the latest ${MAX_DENIALS} are kept, until a reset).` } };
    }
    return { status: 200, body: record };
  }
}
