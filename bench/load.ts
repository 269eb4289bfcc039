// Reproducible load test: starts kms-server (signed mode, fresh data dir) and a trivial reference
// HTTP server as child processes, then drives both from THIS process with real SigV4-signed
// requests at a fixed concurrency (closed loop) and reports KMS figures as ratios against the
// reference measured in the same run (interleaved rounds, so drift hits both alike). Also: server
// RSS after the run and cold start (spawn → ready) against `node -e ''` (spawn → exit).
//
//   npx tsc -p tsconfig.json && node dist/bench/load.js [--rounds 3] [--seconds 2] [--concurrency 16]
//
// Load generator: node:http with a keep-alive Agent (maxSockets = concurrency) and one
// @smithy/signature-v4 signature per request, hashing with node:crypto (~33 µs per signature here,
// against ~80 µs with the pure-JS @aws-crypto/sha256-js); no SDK middleware stack, which cost
// ~550 µs of client CPU per call with @aws-sdk/client-kms and would cap the run near 1,900 req/s.
// Its own CPU use per phase is reported so a client-bound phase is visible. Timing lives here,
// never in tests.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, randomBytes, type Hash, type Hmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/src/cli/main.js, from dist/bench/. */
const CLI_PATH = resolve(here, '../src/cli/main.js');
/** <repo>/bench/results, from dist/bench/. */
const DEFAULT_OUT_DIR = resolve(here, '../../bench/results');
const REGION = 'us-east-1';
const JSON11 = 'application/x-amz-json-1.1';
const CLK_TCK = 100; // Linux USER_HZ; /proc/<pid>/stat times are in these ticks.

// ---------------------------------------------------------------------------------------------
// Reference server mode: `node dist/bench/load.js --reference-server`. Reads the body, answers a
// fixed small JSON body. No signature check, no crypto, no store.

const REFERENCE_BODY = JSON.stringify({
  KeyId: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000',
  CiphertextBlob: Buffer.alloc(64, 1).toString('base64'),
});

function runReferenceServer(): void {
  const server = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': JSON11, 'content-length': Buffer.byteLength(REFERENCE_BODY) });
      res.end(REFERENCE_BODY);
    });
  });
  server.keepAliveTimeout = 5_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stderr.write(`reference listening on http://127.0.0.1:${port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  seconds: number;
  rounds: number;
  warmup: number;
  requests: number;
  concurrency: number;
  starts: number;
  logLevel: string;
  outDir: string;
  write: boolean;
  cpuProf: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
      requests: { type: 'string', default: '200000' },
      concurrency: { type: 'string', default: '16' },
      starts: { type: 'string', default: '3' },
      'log-level': { type: 'string', default: 'warn' },
      'out-dir': { type: 'string', default: DEFAULT_OUT_DIR },
      'no-write': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(
      [
        'Usage: node dist/bench/load.js [options]',
        '  --seconds N       measured seconds per phase and round (default 2)',
        '  --rounds N        rounds of reference, Encrypt, Decrypt, GenerateDataKey (default 3)',
        '  --warmup N        unmeasured warm-up seconds per phase, once (default 1)',
        '  --requests N      cap on requests per phase and round (default 200000)',
        '  --concurrency N   requests in flight (default 16)',
        '  --starts N        cold-start samples of each kind (default 3)',
        '  --log-level L     kms-server --log-level (default warn; stdout goes to a file)',
        '  --out-dir DIR     where <date>.md goes (default bench/results)',
        '  --no-write        print only',
        '  --cpu-prof DIR    run kms-server with --cpu-prof, profile written to DIR',
        '',
      ].join('\n'),
    );
    process.exit(0);
  }
  const num = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}`);
    return n;
  };
  return {
    seconds: num('seconds', values.seconds, 0.1),
    rounds: Math.floor(num('rounds', values.rounds, 1)),
    warmup: num('warmup', values.warmup, 0),
    requests: Math.floor(num('requests', values.requests, 1)),
    concurrency: Math.floor(num('concurrency', values.concurrency, 1)),
    starts: Math.floor(num('starts', values.starts, 1)),
    logLevel: values['log-level']!,
    outDir: values['out-dir']!,
    write: !values['no-write'],
    cpuProf: values['cpu-prof'],
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes

interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly startMs: number;
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
function killChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
function killChildrenOnExit(): void {
  process.on('exit', killChildren);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      killChildren();
      process.exit(130);
    });
  }
}

/** Spawns and waits for `<name> listening on http://127.0.0.1:PORT` on stderr. */
async function spawnListening(args: string[], banner: RegExp, stdoutFile: string | undefined): Promise<Child> {
  const outFd = stdoutFile ? openSync(stdoutFile, 'a') : undefined;
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', outFd ?? 'ignore', 'pipe'] });
  if (outFd !== undefined) closeSync(outFd);
  children.add(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  void exited.then(() => children.delete(child));
  let stderr = '';
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start in 20 s:\n${stderr}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < 65_536) stderr += d.toString();
      const m = banner.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const out = stdoutFile ? safeRead(stdoutFile) : '';
      reject(new Error(`child exited with ${code} before ready:\n${stderr}\n${out}`));
    });
  });
  const startMs = performance.now() - t0;
  child.stderr!.resume();
  return {
    process: child,
    pid: child.pid!,
    port,
    startMs,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-8192);
  } catch {
    return '';
  }
}

// kms-server prints `kms-server listening on URL` on stderr right after its `kms-server ready` log
// line; the log line is an info line and --log-level warn suppresses it, the banner is always there.
const KMS_BANNER = /kms-server listening on http:\/\/127\.0\.0\.1:(\d+)/;
const REF_BANNER = /reference listening on http:\/\/127\.0\.0\.1:(\d+)/;

async function startKms(dataDir: string, opts: Options, extraNodeArgs: string[] = []): Promise<Child> {
  return spawnListening(
    [...extraNodeArgs, CLI_PATH, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--log-level', opts.logLevel],
    KMS_BANNER,
    join(dataDir, 'server.stdout.log'),
  );
}

async function nodeStartupMs(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise<void>((r, reject) => {
    child.once('exit', (code) => (code === 0 ? r() : reject(new Error(`node -e '' exited with ${code}`))));
  });
  return performance.now() - t0;
}

function procStatus(pid: number): { rssMiB: number; hwmMiB: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]);
    return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** User+system CPU seconds of a process, from /proc (Linux); undefined elsewhere. */
function procCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ", field 3 (state) is index 0; utime is field 14 → index 11, stime 12.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Signed client

type SourceData = string | ArrayBuffer | ArrayBufferView;
function toBuffer(d: SourceData): Buffer {
  if (typeof d === 'string') return Buffer.from(d, 'utf8');
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(d);
}

/** SHA-256 / HMAC-SHA-256 on node:crypto, in the shape @smithy/signature-v4 expects. */
class NodeSha256 {
  readonly #h: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: SourceData): void {
    this.#h.update(toBuffer(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.#h.digest());
  }
}

interface Target {
  readonly name: string;
  readonly port: number;
  readonly agent: Agent;
}

interface Reply {
  status: number;
  body: string;
}

class SignedClient {
  readonly #signer: SignatureV4;
  readonly #iamSigner: SignatureV4;
  constructor(accessKeyId: string, secretAccessKey: string) {
    this.#iamSigner = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region: REGION, service: 'iam', sha256: NodeSha256, applyChecksum: false });
    // applyChecksum false: no x-amz-content-sha256 header, like the AWS SDK's KMS client.
    this.#signer = new SignatureV4({
      credentials: { accessKeyId, secretAccessKey },
      region: REGION,
      service: 'kms',
      sha256: NodeSha256,
      applyChecksum: false,
    });
  }

  /** One KMS JSON 1.1 call, signed now. */
  async call(target: Target, operation: string, body: string): Promise<Reply> {
    const unsigned = new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: target.port,
      path: '/',
      headers: {
        host: `127.0.0.1:${target.port}`,
        'content-type': JSON11,
        'x-amz-target': `TrentService.${operation}`,
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
    });
    const signed = await this.#signer.sign(unsigned);
    return new Promise<Reply>((resolveReply, reject) => {
      const req = httpRequest(
        { agent: target.agent, host: '127.0.0.1', port: target.port, method: 'POST', path: '/', headers: signed.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolveReply({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error('request timed out after 10 s')));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** One IAM Query-protocol call (set-up only); answers the XML text. */
  async iam(target: Target, action: string, params: Record<string, string>): Promise<string> {
    const body = new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString();
    const unsigned = new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: target.port,
      path: '/',
      headers: { host: `127.0.0.1:${target.port}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    const signed = await this.#iamSigner.sign(unsigned);
    const response = await fetch(`http://127.0.0.1:${target.port}/`, { method: 'POST', headers: signed.headers, body });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`iam ${action} → ${response.status} ${text}`);
    return text;
  }

  async callOk(target: Target, operation: string, input: unknown): Promise<Record<string, unknown>> {
    const reply = await this.call(target, operation, JSON.stringify(input));
    if (reply.status !== 200) throw new Error(`${operation} → ${reply.status} ${reply.body}`);
    return JSON.parse(reply.body) as Record<string, unknown>;
  }
}

// ---------------------------------------------------------------------------------------------
// Phases

/**
 * An IAM user as applications get them: in a group with a managed-style group policy, with an
 * inline policy allowing the crypto calls under an encryption-context condition and one denying
 * key deletion. Its own access key signs the user phase.
 */
async function benchUser(root: SignedClient, target: Target): Promise<SignedClient> {
  const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  await root.iam(target, 'CreateUser', { UserName: 'bench-app' });
  await root.iam(target, 'CreateGroup', { GroupName: 'bench-apps' });
  await root.iam(target, 'AddUserToGroup', { GroupName: 'bench-apps', UserName: 'bench-app' });
  await root.iam(target, 'PutGroupPolicy', { GroupName: 'bench-apps', PolicyName: 'describe', PolicyDocument: policy([{ Effect: 'Allow', Action: ['kms:Describe*', 'kms:List*'], Resource: '*' }]) });
  await root.iam(target, 'PutUserPolicy', {
    UserName: 'bench-app',
    PolicyName: 'use-keys',
    PolicyDocument: policy([
      { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'bench' } } },
    ]),
  });
  await root.iam(target, 'PutUserPolicy', { UserName: 'bench-app', PolicyName: 'no-deletion', PolicyDocument: policy([{ Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }]) });
  const xml = await root.iam(target, 'CreateAccessKey', { UserName: 'bench-app' });
  const id = /<AccessKeyId>([^<]+)</.exec(xml)?.[1];
  const secret = /<SecretAccessKey>([^<]+)</.exec(xml)?.[1];
  if (!id || !secret) throw new Error(`CreateAccessKey answered no key: ${xml}`);
  return new SignedClient(id, secret);
}

interface Workload {
  readonly label: string;
  readonly operation: string;
  readonly body: string;
  /** Fields a KMS answer must carry (empty for the reference's fixed body). */
  readonly expect: readonly string[];
  readonly target: Target;
  readonly serverPid: number;
  /** Who signs: the bootstrap root's client unless given (the IAM user phase). */
  readonly client?: SignedClient;
}

/** One measured stretch of one workload. */
interface Sample {
  latencies: Float64Array;
  ok: number;
  errors: number;
  errorSamples: Map<string, number>;
  seconds: number;
  clientCpuSeconds: number;
  serverCpuSeconds: number | undefined;
}

async function drive(rootClient: SignedClient, work: Workload, seconds: number, opts: Options): Promise<Sample> {
  const client = work.client ?? rootClient;
  const latencies = new Float64Array(opts.requests);
  let ok = 0;
  let errors = 0;
  let issued = 0;
  const errorSamples = new Map<string, number>();
  const fail = (what: string) => {
    errors++;
    errorSamples.set(what, (errorSamples.get(what) ?? 0) + 1);
  };
  const cpu0 = process.cpuUsage();
  const srv0 = procCpuSeconds(work.serverPid);
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const worker = async () => {
    while (issued < opts.requests && performance.now() < deadline) {
      issued++;
      const t0 = performance.now();
      try {
        const reply = await client.call(work.target, work.operation, work.body);
        const ms = performance.now() - t0;
        if (reply.status !== 200) {
          fail(`HTTP ${reply.status} ${reply.body.slice(0, 160)}`);
          continue;
        }
        const parsed = JSON.parse(reply.body) as Record<string, unknown>;
        if (!work.expect.every((f) => typeof parsed[f] === 'string')) {
          fail(`missing field in ${reply.body.slice(0, 160)}`);
          continue;
        }
        latencies[ok++] = ms;
      } catch (err) {
        fail((err as Error).message.slice(0, 160));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const srv1 = procCpuSeconds(work.serverPid);
  return {
    latencies: latencies.slice(0, ok),
    ok,
    errors,
    errorSamples,
    seconds: elapsed,
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
    serverCpuSeconds: srv0 !== undefined && srv1 !== undefined ? srv1 - srv0 : undefined,
  };
}

interface PhaseSummary {
  label: string;
  rounds: Sample[];
  ok: number;
  errors: number;
  errorSamples: Map<string, number>;
  rps: number;
  p50: number;
  p99: number;
  clientCpuPct: number;
  serverCpuMsPerReq: number;
  /** rps / reference rps of the same round, one per round. */
  ratios: number[];
  cpuRatio: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function summarize(label: string, rounds: Sample[], reference: Sample[] | undefined): PhaseSummary {
  const ok = rounds.reduce((s, r) => s + r.ok, 0);
  const seconds = rounds.reduce((s, r) => s + r.seconds, 0);
  const all = new Float64Array(ok);
  let at = 0;
  for (const r of rounds) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  all.sort();
  const errorSamples = new Map<string, number>();
  for (const r of rounds) for (const [k, n] of r.errorSamples) errorSamples.set(k, (errorSamples.get(k) ?? 0) + n);
  const serverCpu = rounds.every((r) => r.serverCpuSeconds !== undefined) ? rounds.reduce((s, r) => s + r.serverCpuSeconds!, 0) : NaN;
  const cpuPerReq = (samples: Sample[]) =>
    (samples.reduce((s, r) => s + (r.serverCpuSeconds ?? NaN), 0) * 1000) / samples.reduce((s, r) => s + r.ok, 0);
  const rps = (r: Sample) => r.ok / r.seconds;
  return {
    label,
    rounds,
    ok,
    errors: rounds.reduce((s, r) => s + r.errors, 0),
    errorSamples,
    rps: ok / seconds,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    clientCpuPct: (rounds.reduce((s, r) => s + r.clientCpuSeconds, 0) / seconds) * 100,
    serverCpuMsPerReq: (serverCpu * 1000) / ok,
    ratios: reference ? rounds.map((r, i) => rps(r) / rps(reference[i]!)) : rounds.map(() => 1),
    cpuRatio: reference ? cpuPerReq(rounds) / cpuPerReq(reference) : 1,
  };
}

function logSample(label: string, round: number, s: Sample): void {
  const sorted = Float64Array.from(s.latencies).sort();
  process.stderr.write(
    `  round ${round} ${label.padEnd(16)} ${(s.ok / s.seconds).toFixed(0).padStart(6)} req/s  p50 ${percentile(sorted, 50).toFixed(2)} ms  ` +
      `p99 ${percentile(sorted, 99).toFixed(2)} ms  errors ${s.errors}  load-gen CPU ${((s.clientCpuSeconds / s.seconds) * 100).toFixed(0)}%\n`,
  );
  for (const [what, n] of s.errorSamples) process.stderr.write(`    ${n}× ${what}\n`);
}

// ---------------------------------------------------------------------------------------------
// Report

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
const f3 = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : 'n/a');
const ratio = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : 'n/a');

function gitHead(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: resolve(here, '../..'), stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

interface Report {
  opts: Options;
  argv: string[];
  started: Date;
  loadBefore: number[];
  loadAfter: number[];
  phases: PhaseSummary[];
  kmsRss: { rssMiB: number; hwmMiB: number } | undefined;
  refRss: { rssMiB: number; hwmMiB: number } | undefined;
  kmsStarts: number[];
  nodeStarts: number[];
}

function renderMarkdown(r: Report): string {
  const cpu = cpus();
  const lines: string[] = [];
  const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const o = r.opts;
  lines.push(`# kms-server load test, ${r.started.toISOString()}`);
  lines.push('');
  lines.push(`Command: \`node dist/bench/load.js${r.argv.length ? ' ' + r.argv.join(' ') : ''}\``);
  lines.push('');
  lines.push(
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, node ${process.version}, git ${gitHead()}; ` +
      `load average before ${la(r.loadBefore)}, after ${la(r.loadAfter)}. ` +
      `Concurrency ${o.concurrency}; ${o.rounds} rounds of ${o.seconds} s per phase (reference, Encrypt, Decrypt, GenerateDataKey) ` +
      `after ${o.warmup} s warm-up each; server --log-level ${o.logLevel}.`,
  );
  lines.push('');
  lines.push(
    `Reference: a trivial node:http server answering the same signed Encrypt POSTs with a fixed ${Buffer.byteLength(REFERENCE_BODY)}-byte JSON body. ` +
      `"× reference req/s" is the median over rounds of (phase req/s ÷ reference req/s in the same round), with the range; ` +
      `"× reference CPU" compares server CPU time per request.`,
  );
  lines.push('');
  lines.push('| Phase | req/s | × reference req/s (range) | p50 ms | p99 ms | errors | server CPU ms/req | × reference CPU | load-gen CPU |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const p of r.phases) {
    const rng = p.ratios.length > 1 ? ` (${f2(Math.min(...p.ratios))}–${f2(Math.max(...p.ratios))})` : '';
    const rel = p.label === 'reference' ? '1' : `${ratio(median(p.ratios))}${rng}`;
    lines.push(
      `| ${p.label} | ${f0(p.rps)} | ${rel} | ${f2(p.p50)} | ${f2(p.p99)} | ${p.errors} | ${f3(p.serverCpuMsPerReq)} | ${
        p.label === 'reference' ? '1' : ratio(p.cpuRatio)
      } | ${f0(p.clientCpuPct)}% |`,
    );
  }
  lines.push('');
  const perRound = r.phases.map((p) => `${p.label} ${p.rounds.map((s) => f0(s.ok / s.seconds)).join(' / ')}`);
  lines.push(`req/s per round: ${perRound.join('; ')}.`);
  lines.push('');
  const kmsStart = median(r.kmsStarts);
  const nodeStart = median(r.nodeStarts);
  lines.push('| Resource | kms-server | baseline | ratio |');
  lines.push('|---|---:|---:|---:|');
  if (r.kmsRss && r.refRss) {
    lines.push(`| RSS after the run, MiB (baseline: the reference server) | ${f1(r.kmsRss.rssMiB)} | ${f1(r.refRss.rssMiB)} | ${ratio(r.kmsRss.rssMiB / r.refRss.rssMiB)} |`);
    lines.push(`| peak RSS (VmHWM), MiB | ${f1(r.kmsRss.hwmMiB)} | ${f1(r.refRss.hwmMiB)} | ${ratio(r.kmsRss.hwmMiB / r.refRss.hwmMiB)} |`);
  } else {
    lines.push('| RSS after the run | n/a (no /proc) | | |');
  }
  lines.push(
    `| cold start, ms: spawn → ready, fresh data dir (baseline: \`node -e ''\` spawn → exit), median of ${r.kmsStarts.length} | ${f0(kmsStart)} | ${f0(nodeStart)} | ${ratio(kmsStart / nodeStart)} |`,
  );
  lines.push('');
  lines.push(`Cold start samples, ms: kms-server ${r.kmsStarts.map(f0).join(', ')}; node -e '' ${r.nodeStarts.map(f0).join(', ')}.`);
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--reference-server') {
    runReferenceServer();
    return -1;
  }
  const opts = parseOptions(argv);
  killChildrenOnExit();
  const started = new Date();
  const loadBefore = loadavg();
  const scratch = mkdtempSync(join(tmpdir(), 'kms-bench-'));
  try {
    // Cold starts first: node -e '' and kms-server (fresh data dir each), alternating.
    process.stderr.write('cold start\n');
    const nodeStarts: number[] = [];
    const kmsStarts: number[] = [];
    for (let i = 0; i < opts.starts; i++) {
      nodeStarts.push(await nodeStartupMs());
      const dir = join(scratch, `cold-${i}`);
      mkdirSync(dir);
      const s = await startKms(dir, opts);
      kmsStarts.push(s.startMs);
      await s.stop();
    }
    process.stderr.write(`  kms-server ${kmsStarts.map(f0).join(', ')} ms; node -e '' ${nodeStarts.map(f0).join(', ')} ms\n`);

    const dataDir = join(scratch, 'data');
    mkdirSync(dataDir);
    const profArgs = opts.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', resolve(opts.cpuProf)] : [];
    const kms = await startKms(dataDir, opts, profArgs);
    const ref = await spawnListening([fileURLToPath(import.meta.url), '--reference-server'], REF_BANNER, undefined);

    const credentials = readFileSync(join(dataDir, 'credentials'), 'utf8');
    const accessKeyId = /aws_access_key_id\s*=\s*(\S+)/.exec(credentials)?.[1];
    const secretAccessKey = /aws_secret_access_key\s*=\s*(\S+)/.exec(credentials)?.[1];
    if (!accessKeyId || !secretAccessKey) throw new Error(`no kms-local credentials in ${dataDir}/credentials`);
    const client = new SignedClient(accessKeyId, secretAccessKey);
    const kmsTarget: Target = { name: 'kms-server', port: kms.port, agent: new Agent({ keepAlive: true, maxSockets: opts.concurrency }) };
    const refTarget: Target = { name: 'reference', port: ref.port, agent: new Agent({ keepAlive: true, maxSockets: opts.concurrency }) };

    // Set-up through the same signed path: a key, one ciphertext, and a round-trip check.
    const created = await client.callOk(kmsTarget, 'CreateKey', { Description: 'bench/load.ts' });
    const keyId = (created.KeyMetadata as { KeyId: string }).KeyId;
    const context = { purpose: 'bench', tenant: 'load-test' };
    const plaintext = randomBytes(64).toString('base64');
    const encrypted = await client.callOk(kmsTarget, 'Encrypt', { KeyId: keyId, Plaintext: plaintext, EncryptionContext: context });
    const decrypted = await client.callOk(kmsTarget, 'Decrypt', { CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context });
    if (decrypted.Plaintext !== plaintext) throw new Error('Decrypt did not return the plaintext');

    const encryptBody = JSON.stringify({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context });
    const kmsWork = { target: kmsTarget, serverPid: kms.pid };
    const userClient = await benchUser(client, kmsTarget);
    const workloads: Workload[] = [
      // The reference gets the Encrypt request, signed the same way.
      { label: 'reference', operation: 'Encrypt', body: encryptBody, expect: [], target: refTarget, serverPid: ref.pid },
      { label: 'Encrypt', operation: 'Encrypt', body: encryptBody, expect: ['CiphertextBlob', 'KeyId'], ...kmsWork },
      // The same Encrypt by an IAM user: the key policy delegates to IAM, so the user's two inline
      // policies and its group's policy are evaluated too (the cost of identities).
      { label: 'Encrypt (IAM user)', operation: 'Encrypt', body: encryptBody, expect: ['CiphertextBlob', 'KeyId'], ...kmsWork, client: userClient },
      {
        label: 'Decrypt',
        operation: 'Decrypt',
        body: JSON.stringify({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }),
        expect: ['Plaintext', 'KeyId'],
        ...kmsWork,
      },
      {
        label: 'GenerateDataKey',
        operation: 'GenerateDataKey',
        body: JSON.stringify({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }),
        expect: ['Plaintext', 'CiphertextBlob', 'KeyId'],
        ...kmsWork,
      },
    ];

    process.stderr.write(`load: concurrency ${opts.concurrency}, ${opts.rounds} × ${opts.seconds} s per phase, ${opts.warmup} s warm-up each\n`);
    if (opts.warmup > 0) for (const w of workloads) await drive(client, w, opts.warmup, opts);
    const samples = workloads.map(() => [] as Sample[]);
    for (let round = 1; round <= opts.rounds; round++) {
      for (const [i, w] of workloads.entries()) {
        const s = await drive(client, w, opts.seconds, opts);
        samples[i]!.push(s);
        logSample(w.label, round, s);
      }
    }

    const kmsRss = procStatus(kms.pid);
    const refRss = procStatus(ref.pid);
    kmsTarget.agent.destroy();
    refTarget.agent.destroy();
    await Promise.all([kms.stop(), ref.stop()]);

    const refSamples = samples[0]!;
    const phases = workloads.map((w, i) => summarize(w.label, samples[i]!, i === 0 ? undefined : refSamples));
    const report: Report = { opts, argv, started, loadBefore, loadAfter: loadavg(), phases, kmsRss, refRss, kmsStarts, nodeStarts };
    const markdown = renderMarkdown(report);
    process.stdout.write('\n' + markdown);
    if (opts.write) {
      mkdirSync(opts.outDir, { recursive: true });
      const stamp = started.toISOString().replace(/:/g, '').replace(/\.\d+Z$/, 'Z');
      const file = join(opts.outDir, `${stamp}.md`);
      writeFileSync(file, markdown);
      process.stderr.write(`\nwritten to ${file}\n`);
    }
    if (opts.cpuProf) process.stderr.write(`cpu profile of kms-server in ${resolve(opts.cpuProf)}\n`);
    const errors = phases.reduce((s, p) => s + p.errors, 0);
    return errors === 0 ? 0 : 1;
  } finally {
    killChildren();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`load test failed: ${(err as Error).stack ?? String(err)}\n`);
    killChildren();
    process.exit(1);
  },
);
