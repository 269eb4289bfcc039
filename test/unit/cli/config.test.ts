// Configuration precedence: flags > environment > --config file > defaults.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, usage } from '../../../src/cli/config.js';

function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kms-config-')), 'config.yaml');
  writeFileSync(path, text);
  return path;
}

test('defaults: 127.0.0.1:4599, ./data, us-east-1, not --dev, bootstrap account 111122223333, 10/30/5 s timeouts, 1024 connections', () => {
  assert.deepEqual(loadConfig([], {}), {
    host: '127.0.0.1',
    port: 4599,
    dataDir: './data',
    region: 'us-east-1',
    dev: false,
    logLevel: 'info',
    accountId: '111122223333',
    schedulerIntervalSeconds: 60,
    headersTimeoutSeconds: 10,
    requestTimeoutSeconds: 30,
    keepAliveTimeoutSeconds: 5,
    maxConnections: 1024,
  });
});

test('timeouts and the connection limit come from flags, the environment or the file, and are checked', () => {
  const file = configFile('dev: true\nheadersTimeout: 3\nrequest-timeout: 4\n');
  const config = loadConfig(['--config', file, '--max-connections', '10'], { KMS_KEEP_ALIVE_TIMEOUT: '2' });
  assert.deepEqual(
    [config.dev, config.headersTimeoutSeconds, config.requestTimeoutSeconds, config.keepAliveTimeoutSeconds, config.maxConnections],
    [true, 3, 4, 2, 10],
  );
  assert.throws(() => loadConfig(['--request-timeout', '0'], {}), /--request-timeout must be positive, got 0/);
  assert.throws(() => loadConfig(['--max-connections', '1.5'], {}), /--max-connections must be a whole number of at least 1, got 1.5/);
  assert.throws(() => loadConfig(['--headers-timeout', '31'], {}), /--headers-timeout \(31\) must not exceed --request-timeout \(30\)/);
});

test('flags beat the environment, which beats the config file (camelCase or flag names), which beats defaults', () => {
  const file = configFile('port: 5001\nregion: eu-west-1\ndata-dir: /var/lib/kms\nlogLevel: debug\n');
  const env = { KMS_CONFIG: file, KMS_PORT: '5002', KMS_DEV: 'true' };
  const config = loadConfig(['--port', '5003'], env);
  assert.equal(config.port, 5003);
  assert.equal(config.dev, true);
  assert.equal(config.region, 'eu-west-1');
  assert.equal(config.dataDir, '/var/lib/kms');
  assert.equal(config.logLevel, 'debug');
  assert.equal(loadConfig([], env).port, 5002);
  assert.equal(loadConfig(['--config', file], {}).port, 5001);
});

test('bad values are ConfigErrors naming the option', () => {
  assert.throws(() => loadConfig(['--port', 'abc'], {}), (err: unknown) => err instanceof ConfigError && /port: expected a number/.test((err as Error).message));
  assert.throws(() => loadConfig(['--port', '70000'], {}), ConfigError);
  assert.throws(() => loadConfig(['--account-id', '123'], {}), /--account-id must be 12 digits/);
  assert.throws(() => loadConfig(['--region', 'nowhere'], {}), /--region does not look like a region/);
  assert.throws(() => loadConfig([], { KMS_DEV: 'maybe' }), /dev: expected true or false/);
  assert.throws(() => loadConfig(['--config', configFile('- a list\n')], {}), /expected a YAML mapping/);
  assert.throws(() => loadConfig(['--bogus'], {}), /Unknown option '--bogus'/);
});

test('--help text documents every option with its environment variable', () => {
  const text = usage();
  for (const name of ['--host', '--port', '--data-dir', '--region', '--dev', '--config', '--seed', '--log-level', '--account-id', '--scheduler-interval']) {
    assert.ok(text.includes(name), name);
  }
  for (const env of ['KMS_HOST', 'KMS_PORT', 'KMS_DATA_DIR', 'KMS_REGION', 'KMS_DEV', 'KMS_CONFIG', 'KMS_SEED', 'KMS_LOG_LEVEL', 'KMS_ACCOUNT_ID', 'KMS_SCHEDULER_INTERVAL']) {
    assert.ok(text.includes(env), env);
  }
});
