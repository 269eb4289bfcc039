// Periodic background work on the injected clock: deleting keys whose waiting period has ended,
// rotating due keys, expiring imported material, and removing STS credentials a day after they
// expired. One run at a time; errors are logged, never thrown.

import type { Logger } from 'pino';
import type { KmsServices } from '../kms/context.js';
import { deleteDueKeys } from '../kms/key-deletion.js';
import { rotateDueKeys } from '../kms/rotation-job.js';
import { expireImportedMaterial } from '../kms/material-expiry-job.js';

/**
 * Expired temporary credentials are kept this long, so their holders keep getting
 * ExpiredTokenException (which tells them to refresh) rather than "invalid"; then they are removed.
 */
const EXPIRED_SESSION_GRACE_MS = 86_400_000;

export class Scheduler {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly services: KmsServices,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.#timer.unref();
  }

  /** Runs the jobs now; concurrent callers share the same run. */
  runOnce(): Promise<void> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  async #run(): Promise<void> {
    try {
      const deleted = await deleteDueKeys(this.services);
      if (deleted > 0) this.logger.info({ deleted }, 'deleted keys whose waiting period ended');
      const rotated = await rotateDueKeys(this.services);
      if (rotated > 0) this.logger.info({ rotated }, 'rotated keys whose rotation date passed');
      const expired = await expireImportedMaterial(this.services);
      if (expired > 0) this.logger.info({ expired }, 'deleted imported key material whose ValidTo passed');
      const sessions = await this.services.store.deleteExpiredSessions(this.services.clock.now() - EXPIRED_SESSION_GRACE_MS);
      if (sessions > 0) this.logger.info({ sessions }, 'removed temporary credentials expired for over a day');
    } catch (err) {
      this.logger.error({ err }, 'scheduler run failed');
    }
  }
}
