#!/usr/bin/env node
// kms-server command line: `kms-server serve [options]`, `kms-server accounts create [--id ID]`,
// `kms-server audit verify [--data-dir DIR]`.

import { pino } from 'pino';
import { ConfigError, loadConfig, usage } from './config.js';
import { DEV_MODE_EXPOSED, DEV_MODE_WARNING, startServer } from '../main.js';
import { CREDENTIALS_PROFILE } from '../bootstrap/bootstrap-account.js';
import { join, resolve } from 'node:path';
import { ACCOUNTS_USAGE, AccountsUsageError, runAccountsCommand } from './accounts.js';
import { AUDIT_USAGE, AuditUsageError, runAuditCommand } from './audit.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help' || rest.includes('--help')) {
    process.stdout.write(usage() + '\n\n' + ACCOUNTS_USAGE + '\n\n' + AUDIT_USAGE + '\n');
    return 0;
  }
  if (command === 'accounts') {
    process.umask(0o077);
    try {
      await runAccountsCommand(rest, process.env, (text) => process.stdout.write(text));
      return 0;
    } catch (err) {
      if (err instanceof AccountsUsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        process.stderr.write(`${(err as Error).message}\n\n${ACCOUNTS_USAGE}\n`);
        return 2;
      }
      throw err;
    }
  }
  if (command === 'audit') {
    process.umask(0o077);
    try {
      return await runAuditCommand(rest, process.env, (text) => process.stdout.write(text));
    } catch (err) {
      if (err instanceof AuditUsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        process.stderr.write(`${(err as Error).message}\n\n${AUDIT_USAGE}\n`);
        return 2;
      }
      throw err;
    }
  }
  if (command !== 'serve') {
    process.stderr.write(`Unknown command '${command}'.\n\n${usage()}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(rest, process.env);
  } catch (err) {
    if (err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(err as Error).message}\n\n${usage()}\n`);
      return 2;
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel });
  // Everything this process creates (database, WAL, root key, credentials) is for its owner only.
  process.umask(0o077);
  const server = await startServer(config, logger);
  const credentials = resolve(join(config.dataDir, 'credentials'));
  process.stderr.write(
    [
      '',
      `kms-server listening on ${server.url}${config.dev ? ' (--dev: any credentials accepted)' : ''}`,
      ...(config.dev ? devBanner(server.devExposed) : []),
      `Credentials for the bootstrap account are in ${credentials} (profile ${CREDENTIALS_PROFILE}). Try:`,
      `  AWS_SHARED_CREDENTIALS_FILE=${credentials} AWS_PROFILE=${CREDENTIALS_PROFILE} aws --region ${config.region} --endpoint-url ${server.url} kms list-keys`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining and shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return -1;
}

function devBanner(exposed: boolean): string[] {
  const lines = ['', `WARNING: ${DEV_MODE_WARNING}`];
  if (exposed) {
    const bar = '!'.repeat(100);
    lines.push(bar, `!!! ${DEV_MODE_EXPOSED}`, bar);
  }
  return [...lines, ''];
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kms-server failed to start: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
