// Time is injected: the scheduler and every handler read a Clock, so tests can move time forward.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const DAY_MS = 86_400_000;

const systemClock: Clock = { now: () => Date.now() };

/** A clock running at real speed plus an adjustable offset (the --dev time-travel endpoint moves it). */
export class OffsetClock implements Clock {
  #offsetMs: number;
  constructor(offsetMs = 0, private readonly base: Clock = systemClock) {
    this.#offsetMs = offsetMs;
  }
  now(): number {
    return this.base.now() + this.#offsetMs;
  }
  get offsetMs(): number {
    return this.#offsetMs;
  }
  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}
