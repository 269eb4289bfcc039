// Periodic background work on the injected clock: deleting keys whose waiting period has ended
// (rotation and material expiry join later). One run at a time; errors are logged, never thrown.

import type { Logger } from 'pino';
import type { KmsServices } from '../kms/context.js';
import { deleteDueKeys } from '../kms/key-deletion.js';
import { rotateDueKeys } from '../kms/rotation-job.js';
import { expireImportedMaterial } from '../kms/material-expiry-job.js';

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
    } catch (err) {
      this.logger.error({ err }, 'scheduler run failed');
    }
  }
}
