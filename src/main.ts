// Composition root: the only place that picks the store, the root-key provider and the clock.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { CallerAuthenticator } from './auth/caller-authenticator.js';
import { ensureBootstrapAccount } from './bootstrap/bootstrap-account.js';
import type { ServerConfig } from './cli/config.js';
import { openFileRootKey } from './crypto/root-key/file-root-key.js';
import { DevControl } from './http/dev-control.js';
import { isLoopbackAddress } from './http/listen-address.js';
import { createHttpServer, type ConnectionLimits } from './http/server.js';
import type { KmsServices } from './kms/context.js';
import { IamDirectories } from './iam/directories.js';
import { MaterialCache } from './kms/material-cache.js';
import { UsageRecorder } from './kms/usage-recorder.js';
import { OffsetClock } from './kms/model/clock.js';
import { Scheduler } from './scheduler/scheduler.js';
import { applySeedFile } from './seed/apply-seed.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';

export interface StartedServer {
  readonly url: string;
  readonly port: number;
  /** --dev on an address other machines can reach. */
  readonly devExposed: boolean;
  stop(): Promise<void>;
}

export async function startServer(config: ServerConfig, logger: Logger = pino({ level: config.logLevel })): Promise<StartedServer> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const rootKey = await openFileRootKey(join(config.dataDir, 'root.key'));
  const store = await openSqliteStore(join(config.dataDir, 'kms.db'));
  const clock = new OffsetClock();
  const usage = new UsageRecorder(store, { onError: (err) => logger.error({ err }, 'key usage flush failed') });
  const directories = new IamDirectories(store);
  const services: KmsServices = { store, rootKey, clock, materials: new MaterialCache(rootKey), usage, directories, observers: [usage.observer] };

  const bootstrap = async () => ensureBootstrapAccount(store, rootKey, config.dataDir, config.accountId, clock.now());
  const account = await bootstrap();
  if (config.seed) {
    const summary = await applySeedFile(services, config.seed, { accountId: config.accountId, region: config.region });
    logger.info({ seed: config.seed, ...summary }, 'seed applied');
  }

  const scheduler = new Scheduler(services, logger, config.schedulerIntervalSeconds * 1000);
  const authenticator = new CallerAuthenticator(store, rootKey, { dev: config.dev, defaultRegion: config.region, now: () => clock.now() });
  const dev = config.dev
    ? new DevControl({
        reset: async () => {
          usage.clear();
          await store.resetAll();
          services.materials.clear();
          authenticator.clear();
          directories.clear();
          await bootstrap();
        },
        advanceClock: async (ms) => {
          clock.advance(ms);
          await scheduler.runOnce();
          return { now: clock.now(), offsetMs: clock.offsetMs };
        },
        clockState: () => ({ now: clock.now(), offsetMs: clock.offsetMs }),
      })
    : undefined;
  const limits: ConnectionLimits = {
    headersTimeoutMs: config.headersTimeoutSeconds * 1000,
    requestTimeoutMs: config.requestTimeoutSeconds * 1000,
    keepAliveTimeoutMs: config.keepAliveTimeoutSeconds * 1000,
    maxConnections: config.maxConnections,
  };
  const http = createHttpServer({ services, authenticator, logger, limits, devMode: config.dev, ...(dev ? { dev } : {}) });

  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(config.port, config.host, () => resolve());
  });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const devExposed = config.dev && !isLoopbackAddress(typeof address === 'object' && address ? address.address : config.host);
  if (config.dev) warnAboutDevMode(logger, url, devExposed);
  scheduler.start();
  usage.start();
  await scheduler.runOnce();
  logger.info({ url, dataDir: config.dataDir, dev: config.dev, accountId: account.accountId, region: config.region }, 'kms-server ready');

  return {
    url,
    port,
    devExposed,
    stop: async () => {
      await http.close();
      await scheduler.stop();
      // Unflushed key usage is written before the store closes.
      await usage.stop();
      await store.close();
      await rootKey.close();
    },
  };
}

/**
 * --dev turns authentication off: said at every start, and as an error when the address is
 * reachable from other machines, where anyone could use, reset or delete every key.
 */
function warnAboutDevMode(logger: Logger, url: string, exposed: boolean): void {
  logger.warn({ dev: true, url }, DEV_MODE_WARNING);
  if (exposed) logger.error({ dev: true, url }, DEV_MODE_EXPOSED);
}

export const DEV_MODE_WARNING =
  'DEV MODE: authentication is OFF. Any credentials are accepted and /_kms/reset deletes every key. For local development and tests only.';
export const DEV_MODE_EXPOSED =
  'DEV MODE ON A NETWORK ADDRESS: anyone who can reach this address can use, reset and delete every key without credentials. Listen on 127.0.0.1, or run without --dev.';
