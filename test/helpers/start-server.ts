// Starts the real kms-server process (the compiled CLI) on a free port and a fresh data dir,
// and gives tests SDK clients pointed at it.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KMSClient } from '@aws-sdk/client-kms';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/src/cli/main.js, from dist/test/helpers/. */
export const CLI_PATH = resolve(here, '../../src/cli/main.js');

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly process: ChildProcess;
  /** stdout+stderr so far (JSON log lines and the banner). */
  output(): string;
  client(options?: { region?: string; accessKeyId?: string; secretAccessKey?: string }): KMSClient;
  /** The bootstrap credentials written to <data-dir>/credentials. */
  credentials(): { accessKeyId: string; secretAccessKey: string };
  /** POST to a --dev control path (/_kms/reset, /_kms/clock). */
  devPost(path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  readonly dev?: boolean;
  readonly dataDir?: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kms-test-'));
  const args = [CLI_PATH, 'serve', '--port', '0', '--data-dir', dataDir, ...(options.dev === false ? [] : ['--dev']), ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), 20_000);
    const onData = () => {
      const m = /"msg":"kms-server ready"/.test(output) && /"url":"http:\/\/[^"]*:(\d+)"/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const server: TestServer = {
    url,
    port,
    dataDir,
    process: child,
    output: () => output,
    client: (o = {}) =>
      new KMSClient({
        endpoint: url,
        region: o.region ?? 'us-east-1',
        credentials: { accessKeyId: o.accessKeyId ?? 'test', secretAccessKey: o.secretAccessKey ?? 'test' },
        maxAttempts: 1,
      }),
    credentials: () => {
      const text = readFileSync(join(dataDir, 'credentials'), 'utf8');
      return {
        accessKeyId: /aws_access_key_id\s*=\s*(\S+)/.exec(text)![1]!,
        secretAccessKey: /aws_secret_access_key\s*=\s*(\S+)/.exec(text)![1]!,
      };
    },
    devPost: async (path, body) => {
      const res = await fetch(url + path, { method: 'POST', body: body === undefined ? '' : JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return server;
}

/** Runs fn and returns the AWS error it throws (fails if it does not throw). */
export async function awsError(fn: () => Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await fn();
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}
