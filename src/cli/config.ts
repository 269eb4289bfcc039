// Server configuration: command-line flags > environment variables > YAML config file > defaults.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { isAccountId, isRegionName } from '../kms/model/arn.js';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly region: string;
  readonly dev: boolean;
  readonly seed?: string;
  readonly logLevel: string;
  readonly accountId: string;
  readonly schedulerIntervalSeconds: number;
  readonly headersTimeoutSeconds: number;
  readonly requestTimeoutSeconds: number;
  readonly keepAliveTimeoutSeconds: number;
  readonly maxConnections: number;
}

interface OptionSpec {
  readonly flag: string;
  readonly env: string;
  readonly key: keyof ServerConfig;
  readonly kind: 'string' | 'number' | 'boolean';
  readonly default?: string | number | boolean;
  readonly help: string;
}

export const OPTIONS: readonly OptionSpec[] = [
  { flag: 'host', env: 'KMS_HOST', key: 'host', kind: 'string', default: '127.0.0.1', help: 'address to listen on' },
  { flag: 'port', env: 'KMS_PORT', key: 'port', kind: 'number', default: 4599, help: 'TCP port to listen on' },
  { flag: 'data-dir', env: 'KMS_DATA_DIR', key: 'dataDir', kind: 'string', default: './data', help: 'folder for the database, root key and credentials file' },
  { flag: 'region', env: 'KMS_REGION', key: 'region', kind: 'string', default: 'us-east-1', help: 'region used when a request names none' },
  { flag: 'dev', env: 'KMS_DEV', key: 'dev', kind: 'boolean', default: false, help: 'accept any credentials; enable /_kms/reset, /moto-api/reset and /_kms/clock' },
  { flag: 'seed', env: 'KMS_SEED', key: 'seed', kind: 'string', help: 'YAML seed file of keys and aliases to create at start (idempotent)' },
  { flag: 'log-level', env: 'KMS_LOG_LEVEL', key: 'logLevel', kind: 'string', default: 'info', help: 'trace, debug, info, warn, error or silent' },
  { flag: 'account-id', env: 'KMS_ACCOUNT_ID', key: 'accountId', kind: 'string', default: '111122223333', help: 'id of the bootstrap account created on first start' },
  { flag: 'headers-timeout', env: 'KMS_HEADERS_TIMEOUT', key: 'headersTimeoutSeconds', kind: 'number', default: 10, help: 'seconds a client has to send the request headers' },
  { flag: 'request-timeout', env: 'KMS_REQUEST_TIMEOUT', key: 'requestTimeoutSeconds', kind: 'number', default: 30, help: 'seconds a client has to send the whole request' },
  { flag: 'keep-alive-timeout', env: 'KMS_KEEP_ALIVE_TIMEOUT', key: 'keepAliveTimeoutSeconds', kind: 'number', default: 5, help: 'seconds an idle kept-alive connection stays open' },
  { flag: 'max-connections', env: 'KMS_MAX_CONNECTIONS', key: 'maxConnections', kind: 'number', default: 1024, help: 'open connections at most; more are closed at once' },
  { flag: 'scheduler-interval', env: 'KMS_SCHEDULER_INTERVAL', key: 'schedulerIntervalSeconds', kind: 'number', default: 60, help: 'seconds between scheduler runs (deletions, rotations, material expiry)' },
];

export class ConfigError extends Error {}

export function usage(): string {
  const lines = [
    'Usage: kms-server serve [options]',
    '',
    'An AWS KMS-compatible key management server.',
    '',
    'Options (each also as an environment variable; flags > environment > --config file > defaults):',
    `  --config FILE${' '.repeat(15)}KMS_CONFIG${' '.repeat(14)}YAML file with any of the options below (camelCase or flag names)`,
  ];
  for (const o of OPTIONS) {
    const flag = `--${o.flag}${o.kind === 'boolean' ? '' : ' ' + (o.kind === 'number' ? 'N' : 'VALUE')}`;
    const def = o.default === undefined ? '' : ` (default: ${String(o.default)})`;
    lines.push(`  ${flag.padEnd(28)}${o.env.padEnd(24)}${o.help}${def}`);
  }
  lines.push('  --help', '', 'Example: npm start -- --dev --port 5000');
  return lines.join('\n');
}

export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig {
  const parsed = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string' },
      help: { type: 'boolean' },
      ...Object.fromEntries(OPTIONS.map((o) => [o.flag, { type: o.kind === 'boolean' ? ('boolean' as const) : ('string' as const) }])),
    },
    allowPositionals: false,
    strict: true,
  });
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  const configPath = (flags.config as string | undefined) ?? env.KMS_CONFIG;
  const file = configPath ? readConfigFile(configPath) : {};
  const config: Record<string, unknown> = {};
  for (const o of OPTIONS) {
    const raw = flags[o.flag] ?? env[o.env] ?? file[o.key] ?? file[o.flag] ?? file[camelCase(o.flag)];
    if (raw === undefined) {
      if (o.default !== undefined) config[o.key] = o.default;
      continue;
    }
    config[o.key] = convert(o, raw);
  }
  const result = config as unknown as ServerConfig;
  if (!Number.isInteger(result.port) || result.port < 0 || result.port > 65535) throw new ConfigError(`--port must be 0-65535, got ${result.port}`);
  if (!isAccountId(result.accountId)) throw new ConfigError(`--account-id must be 12 digits, got ${result.accountId}`);
  if (!isRegionName(result.region)) throw new ConfigError(`--region does not look like a region: ${result.region}`);
  if (!(result.schedulerIntervalSeconds > 0)) throw new ConfigError('--scheduler-interval must be positive');
  for (const [flag, value] of [
    ['headers-timeout', result.headersTimeoutSeconds],
    ['request-timeout', result.requestTimeoutSeconds],
    ['keep-alive-timeout', result.keepAliveTimeoutSeconds],
  ] as const) {
    if (!(value > 0)) throw new ConfigError(`--${flag} must be positive, got ${value}`);
  }
  // Node refuses a headers timeout above the request timeout (the headers are part of the request).
  if (result.headersTimeoutSeconds > result.requestTimeoutSeconds) {
    throw new ConfigError(`--headers-timeout (${result.headersTimeoutSeconds}) must not exceed --request-timeout (${result.requestTimeoutSeconds})`);
  }
  if (!Number.isInteger(result.maxConnections) || result.maxConnections < 1) {
    throw new ConfigError(`--max-connections must be a whole number of at least 1, got ${result.maxConnections}`);
  }
  return result;
}

/** 'headers-timeout' -> 'headersTimeout': the flag in camelCase, as a YAML file may name it. */
function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function readConfigFile(path: string): Record<string, unknown> {
  const doc: unknown = parseYaml(readFileSync(path, 'utf8'));
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`${path}: expected a YAML mapping`);
  return doc as Record<string, unknown>;
}

function convert(o: OptionSpec, raw: unknown): string | number | boolean {
  switch (o.kind) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (/^(1|true|yes|on)$/i.test(String(raw))) return true;
      if (/^(0|false|no|off|)$/i.test(String(raw))) return false;
      throw new ConfigError(`${o.flag}: expected true or false, got ${String(raw)}`);
    case 'number': {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new ConfigError(`${o.flag}: expected a number, got ${String(raw)}`);
      return n;
    }
    case 'string':
      return String(raw);
  }
}
