// --dev turns authentication off, and says so: a warning at every start, an error-level line and a
// banner when the address is reachable from other machines. KMS_DEV and `dev: true` in a config
// file turn it on as the flag does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../helpers/start-server.js';

const WARNING = /"level":40,[^\n]*"msg":"DEV MODE: authentication is OFF\./;
const EXPOSED = /"level":50,[^\n]*"msg":"DEV MODE ON A NETWORK ADDRESS: /;

test('--dev on 127.0.0.1: the warning, on stderr too, but not the network-address error', async () => {
  const server = await startServer({ dev: true });
  await server.stop();
  assert.match(server.output(), WARNING);
  assert.match(server.output(), /\nWARNING: DEV MODE: authentication is OFF\./);
  assert.doesNotMatch(server.output(), EXPOSED);
});

test('KMS_DEV=true on 0.0.0.0: the warning and the louder error with a banner', async () => {
  // Listens on every interface for a moment; nothing is sent to any of them.
  const server = await startServer({ dev: false, env: { KMS_DEV: 'true', KMS_HOST: '0.0.0.0' } });
  await server.stop();
  assert.match(server.output(), WARNING);
  assert.match(server.output(), EXPOSED);
  assert.match(server.output(), /\n!{100}\n!!! DEV MODE ON A NETWORK ADDRESS: /);
});

test('dev: true in a config file turns it on; signed mode says nothing of it', async () => {
  const config = join(mkdtempSync(join(tmpdir(), 'kms-config-')), 'config.yaml');
  writeFileSync(config, 'dev: true\n');
  const fromFile = await startServer({ dev: false, args: ['--config', config] });
  const dev = await fromFile.devPost('/_kms/reset');
  await fromFile.stop();
  assert.equal(dev.status, 200);
  assert.match(fromFile.output(), WARNING);

  const signed = await startServer({ dev: false });
  await signed.stop();
  assert.doesNotMatch(signed.output(), /DEV MODE/);
});
