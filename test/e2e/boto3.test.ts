// boto3 (python3) against the real server: a representative flow run by
// test/e2e/python/boto3_kms_check.py, once in signed mode with the bootstrap credentials file and
// once in --dev mode with dummy test/test credentials.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanAwsEnv, realExecutable } from '../helpers/aws-tools.js';
import { startServer, type TestServer } from '../helpers/start-server.js';

/** The script lives in the source tree; this file runs from dist/test/e2e/. */
const SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/e2e/python/boto3_kms_check.py');

/** python3, without pyenv's shim. */
const PYTHON = realExecutable('python3');

const TOO_LONG = "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface ErrorInfo {
  code: string;
  message: string | null;
  status: number;
  class: string;
}

interface FlowResult {
  ok: boolean;
  failure?: string;
  trace?: string;
  region: string;
  keyId: string;
  arn: string;
  account: string;
  keyState: string;
  creationDateIsDatetime: boolean;
  aliases: string[];
  encryptKeyId: string;
  encryptionAlgorithm: string;
  decryptRoundTrip: boolean;
  decryptKeyId: string;
  wrongContext: ErrorInfo;
  dataKeyLength: number;
  dataKeyRoundTrip: boolean;
  pages: number;
  listedAll: boolean;
  listedDistinct: boolean;
  listedCount: number;
  notFound: ErrorInfo;
  tooLong: ErrorInfo;
  randomLength: number;
  listed?: number;
  error?: ErrorInfo;
}

function runScript(endpoint: string, mode: 'flow' | 'probe', env: Record<string, string>): Promise<FlowResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      PYTHON,
      [SCRIPT, endpoint, mode],
      {
        encoding: 'utf8',
        timeout: 60_000,
        // The machine's AWS_* settings must not leak into boto3's configuration.
        env: cleanAwsEnv(env),
      },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${SCRIPT} failed: ${err.message}\n${stderr}`));
        const lines = stdout.trim().split('\n');
        if (lines.length !== 1) return reject(new Error(`expected one JSON line, got:\n${stdout}\n${stderr}`));
        const result = JSON.parse(lines[0]!) as FlowResult;
        if (!result.ok) return reject(new Error(`${result.failure}\n${result.trace}`));
        resolvePromise(result);
      },
    );
  });
}

/** What every run of the flow must show, whatever the account and region. */
function assertFlow(r: FlowResult, account: string, region: string): void {
  assert.equal(r.region, region);
  assert.match(r.keyId, UUID);
  assert.equal(r.account, account);
  assert.equal(r.arn, `arn:aws:kms:${region}:${account}:key/${r.keyId}`);
  assert.equal(r.keyState, 'Enabled');
  assert.equal(r.creationDateIsDatetime, true);
  assert.equal(r.aliases.length, 1);
  assert.match(r.aliases[0]!, /^alias\/boto3-[0-9a-f]{8}$/);
  assert.equal(r.encryptKeyId, r.arn);
  assert.equal(r.encryptionAlgorithm, 'SYMMETRIC_DEFAULT');
  assert.equal(r.decryptRoundTrip, true);
  assert.equal(r.decryptKeyId, r.arn);
  assert.deepEqual(r.wrongContext, { code: 'InvalidCiphertextException', message: '', status: 400, class: 'InvalidCiphertextException' });
  assert.equal(r.dataKeyLength, 32);
  assert.equal(r.dataKeyRoundTrip, true);
  assert.equal(r.listedCount, 3);
  assert.equal(r.pages, 3);
  assert.equal(r.listedAll, true);
  assert.equal(r.listedDistinct, true);
  assert.deepEqual(r.notFound, {
    code: 'NotFoundException',
    message: `Key 'arn:aws:kms:${region}:${account}:key/11111111-2222-3333-4444-555555555555' does not exist`,
    status: 400,
    class: 'NotFoundException',
  });
  assert.deepEqual(r.tooLong, { code: 'ValidationException', message: TOO_LONG, status: 400, class: 'ClientError' });
  assert.equal(r.randomLength, 24);
}

describe('boto3 against a signed-mode server, with the bootstrap credentials file', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dev: false });
  });
  after(async () => {
    await server?.stop();
  });

  test('the representative flow works with AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE=kms-local', async () => {
    const ready = /"msg":"kms-server ready"/.test(server.output()) && /"accountId":"(\d{12})"/.exec(server.output());
    assert.ok(ready, server.output());
    const account = ready[1]!;
    const r = await runScript(server.url, 'flow', {
      AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'credentials'),
      AWS_PROFILE: 'kms-local',
      AWS_DEFAULT_REGION: 'eu-west-3',
    });
    assertFlow(r, account, 'eu-west-3');
  });

  test('dummy test/test credentials are refused with UnrecognizedClientException', async () => {
    const r = await runScript(server.url, 'probe', { AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    assert.deepEqual(r.error, {
      code: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      status: 400,
      class: 'ClientError',
    });
  });
});

describe('boto3 against a --dev server, with dummy test/test credentials', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dev: true });
  });
  after(async () => {
    await server?.stop();
  });

  test('the representative flow works; the account is 000000000000', async () => {
    const r = await runScript(server.url, 'flow', { AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    assertFlow(r, '000000000000', 'us-east-1');
  });
});
