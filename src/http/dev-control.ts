// --dev-only endpoints for test suites: wipe all state (also at moto's path, so suites written for
// moto's server switch unchanged) and move the clock forward to watch scheduled work happen.
// This object is never created outside --dev, so these paths do not exist there.

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
const MAX_ADVANCE_SECONDS = 100_000 * 365 * 86_400;

export class DevControl {
  constructor(private readonly actions: DevActions) {}

  handles(path: string): boolean {
    return RESET_PATHS.has(path) || path === CLOCK_PATH;
  }

  async handle(path: string, body: Buffer): Promise<DevControlResult> {
    if (RESET_PATHS.has(path)) {
      await this.actions.reset();
      return { status: 200, body: { status: 'ok' } };
    }
    let request: unknown = {};
    try {
      if (body.length > 0) request = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, body: { __type: 'SerializationException', message: 'Malformed JSON request body.' } };
    }
    const { advanceSeconds, advanceDays } = (request ?? {}) as { advanceSeconds?: unknown; advanceDays?: unknown };
    const seconds = (typeof advanceSeconds === 'number' ? advanceSeconds : 0) + (typeof advanceDays === 'number' ? advanceDays * 86_400 : 0);
    // Dates end at 8.64e15 ms; keep the clock well inside (about 100,000 years per call).
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_ADVANCE_SECONDS) {
      return { status: 400, body: { __type: 'ValidationException', message: 'advanceSeconds/advanceDays must be non-negative numbers of at most 100,000 years; time only moves forward.' } };
    }
    const state = seconds > 0 ? await this.actions.advanceClock(seconds * 1000) : this.actions.clockState();
    return { status: 200, body: { now: new Date(state.now).toISOString(), offsetSeconds: state.offsetMs / 1000 } };
  }
}
