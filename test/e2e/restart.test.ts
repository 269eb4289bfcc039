// Durability across restarts of the real server process: state written before a kill -9 is all
// there after a restart, every ciphertext still decrypts, a graceful SIGTERM drains and exits 0,
// and the data dir keeps secrets out of the database and the key files private.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
  type AliasListEntry,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

// A 12-digit access key id is the account in --dev mode; this is the server's default bootstrap
// account, so the same keys are visible later without --dev through the bootstrap credentials.
const ACCOUNT = '111122223333';

interface Sealed {
  readonly label: string;
  readonly keyName: string;
  readonly plaintext: Buffer;
  readonly blob: Uint8Array;
  readonly context: Record<string, string>;
}

const servers: TestServer[] = [];
const clients: KMSClient[] = [];
let dataDir = '';
const keys = new Map<string, KeyMetadata>();
const sealed: Sealed[] = [];
/** Every secret byte string the database and the log must never contain. */
const secrets: { label: string; bytes: Buffer }[] = [];
let expectedAliases: { name: string; target: string }[] = [];
let expectedKeyIds: string[] = [];
let describedBefore = new Map<string, KeyMetadata>();
let tagsBefore: unknown;
let firstCredentials: { accessKeyId: string; secretAccessKey: string } | undefined;

async function start(options: { dev?: boolean } = {}): Promise<TestServer> {
  const server = await startServer({ ...options, ...(dataDir ? { dataDir } : {}) });
  servers.push(server);
  dataDir = server.dataDir;
  return server;
}

function devClient(server: TestServer): KMSClient {
  const client = server.client({ accessKeyId: ACCOUNT });
  clients.push(client);
  return client;
}

async function allKeyIds(kms: KMSClient): Promise<string[]> {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListKeysCommand({ Limit: 2, ...(marker ? { Marker: marker } : {}) }));
    ids.push(...page.Keys!.map((k) => k.KeyId!));
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return ids.sort();
}

async function customerAliases(kms: KMSClient): Promise<{ name: string; target: string }[]> {
  const entries: AliasListEntry[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListAliasesCommand({ Limit: 3, ...(marker ? { Marker: marker } : {}) }));
    entries.push(...page.Aliases!);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return entries
    .filter((a) => !a.AliasName!.startsWith('alias/aws/'))
    .map((a) => ({ name: a.AliasName!, target: a.TargetKeyId! }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function databaseFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('kms.db')).map((name) => join(dir, name));
}

/** Reads the database, its WAL and shared-memory file as bytes and searches each secret in raw, hex and base64 form. */
function assertNoSecretsInDatabase(dir: string, when: string): void {
  const files = databaseFiles(dir);
  assert.ok(files.some((f) => f.endsWith('kms.db')), `${when}: database file present (${readdirSync(dir).join(', ')})`);
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const { label, bytes: secret } of secrets) {
      for (const [form, needle] of [
        ['raw', secret],
        ['hex', Buffer.from(secret.toString('hex'))],
        ['base64', Buffer.from(secret.toString('base64'))],
      ] as const) {
        assert.equal(bytes.indexOf(needle), -1, `${when}: ${file} contains ${label} (${form})`);
      }
    }
  }
}

after(async () => {
  for (const client of clients) client.destroy();
  for (const server of servers) await server.stop('SIGKILL');
});

describe('restart', () => {
  test('everything acknowledged before kill -9 is there after a restart, and every ciphertext decrypts', async () => {
    const first = await start({ dev: true });
    const kms = devClient(first);
    firstCredentials = first.credentials();

    const create = async (name: string, extra: Record<string, unknown> = {}) => {
      const key = (await kms.send(new CreateKeyCommand({ Description: `restart ${name}`, ...extra }))).KeyMetadata!;
      keys.set(name, key);
      return key;
    };
    const seal = async (label: string, keyName: string, context: Record<string, string>) => {
      const plaintext = Buffer.concat([Buffer.from(`restart-plaintext-${label}-`), randomBytes(24)]);
      const out = await kms.send(new EncryptCommand({ KeyId: keys.get(keyName)!.KeyId, Plaintext: plaintext, EncryptionContext: context }));
      sealed.push({ label, keyName, plaintext, blob: out.CiphertextBlob!, context });
      secrets.push({ label: `plaintext ${label}`, bytes: plaintext });
    };

    await create('enabled', { Tags: [{ TagKey: 'team', TagValue: 'storage' }, { TagKey: 'env', TagValue: 'test' }] });
    await create('second');
    await create('disabled');
    await create('pending');
    for (const name of keys.keys()) await seal(name, name, { key: name, 'user id': 'ü-7' });
    await seal('no-context', 'enabled', {});

    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: keys.get('enabled')!.Arn, KeySpec: 'AES_256', EncryptionContext: { use: 'data key' } }));
    const dataKeyPlaintext = Buffer.from(dataKey.Plaintext!);
    sealed.push({ label: 'data key', keyName: 'enabled', plaintext: dataKeyPlaintext, blob: dataKey.CiphertextBlob!, context: { use: 'data key' } });
    secrets.push({ label: 'data key plaintext', bytes: dataKeyPlaintext });

    const moved = sealed[0]!;
    const re = await kms.send(
      new ReEncryptCommand({ CiphertextBlob: moved.blob, SourceEncryptionContext: moved.context, DestinationKeyId: keys.get('second')!.KeyId, DestinationEncryptionContext: { moved: 'yes' } }),
    );
    sealed.push({ label: 're-encrypted', keyName: 'second', plaintext: moved.plaintext, blob: re.CiphertextBlob!, context: { moved: 'yes' } });

    await kms.send(new DisableKeyCommand({ KeyId: keys.get('disabled')!.KeyId }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keys.get('pending')!.KeyId, PendingWindowInDays: 7 }));
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: keys.get('second')!.KeyId, Description: 'described after creation' }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/restart-enabled', TargetKeyId: keys.get('enabled')!.KeyId }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/restart-disabled', TargetKeyId: keys.get('disabled')!.Arn }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/restart-moving', TargetKeyId: keys.get('enabled')!.KeyId }));
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/restart-moving', TargetKeyId: keys.get('second')!.KeyId }));

    describedBefore = new Map();
    for (const [name, key] of keys) describedBefore.set(name, (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!);
    assert.equal(describedBefore.get('disabled')!.KeyState, 'Disabled');
    assert.equal(describedBefore.get('pending')!.KeyState, 'PendingDeletion');
    tagsBefore = (await kms.send(new ListResourceTagsCommand({ KeyId: keys.get('enabled')!.KeyId }))).Tags;
    expectedKeyIds = await allKeyIds(kms);
    for (const key of keys.values()) assert.ok(expectedKeyIds.includes(key.KeyId!));

    // The last acknowledged call is a write; the process dies right after its response.
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/restart-last', TargetKeyId: keys.get('second')!.KeyId }));
    await first.stop('SIGKILL');
    assert.equal(first.process.signalCode, 'SIGKILL');
    expectedAliases = [
      { name: 'alias/restart-disabled', target: keys.get('disabled')!.KeyId! },
      { name: 'alias/restart-enabled', target: keys.get('enabled')!.KeyId! },
      { name: 'alias/restart-last', target: keys.get('second')!.KeyId! },
      { name: 'alias/restart-moving', target: keys.get('second')!.KeyId! },
    ];
    // Straight after the kill, the WAL holds the recent writes: no secret may be in it either.
    assertNoSecretsInDatabase(dataDir, 'after kill -9');

    const second = await start({ dev: true });
    const after = devClient(second);
    assert.deepEqual(await allKeyIds(after), expectedKeyIds, 'ListKeys lists the same keys');
    assert.deepEqual(await customerAliases(after), expectedAliases, 'ListAliases lists the same aliases, including the last one written');
    for (const [name, key] of keys) {
      const now = (await after.send(new DescribeKeyCommand({ KeyId: key.Arn }))).KeyMetadata!;
      const was = describedBefore.get(name)!;
      for (const field of ['KeyState', 'Enabled', 'Description', 'CurrentKeyMaterialId', 'PendingDeletionWindowInDays'] as const) {
        assert.deepEqual(now[field], was[field], `${name}: ${field}`);
      }
      for (const field of ['CreationDate', 'DeletionDate'] as const) {
        assert.equal(now[field]?.getTime(), was[field]?.getTime(), `${name}: ${field}`);
      }
    }
    assert.deepEqual((await after.send(new ListResourceTagsCommand({ KeyId: keys.get('enabled')!.KeyId }))).Tags, tagsBefore);
    assert.equal((await after.send(new DescribeKeyCommand({ KeyId: 'alias/restart-last' }))).KeyMetadata!.KeyId, keys.get('second')!.KeyId);

    // Keys that are disabled or pending deletion keep their state: decrypting is refused ...
    const byLabel = (label: string) => sealed.find((s) => s.label === label)!;
    const refusedDisabled = await awsError(() => after.send(new DecryptCommand({ CiphertextBlob: byLabel('disabled').blob, EncryptionContext: byLabel('disabled').context })));
    assert.equal(refusedDisabled.name, 'DisabledException');
    const refusedPending = await awsError(() => after.send(new DecryptCommand({ CiphertextBlob: byLabel('pending').blob, EncryptionContext: byLabel('pending').context })));
    assert.equal(refusedPending.name, 'KMSInvalidStateException');
    // ... until they are brought back, which shows their key material survived too.
    await after.send(new CancelKeyDeletionCommand({ KeyId: keys.get('pending')!.KeyId }));
    assert.equal((await after.send(new DescribeKeyCommand({ KeyId: keys.get('pending')!.KeyId }))).KeyMetadata!.KeyState, 'Disabled');
    await after.send(new EnableKeyCommand({ KeyId: keys.get('pending')!.KeyId }));
    await after.send(new EnableKeyCommand({ KeyId: keys.get('disabled')!.KeyId }));

    for (const s of sealed) {
      const out = await after.send(new DecryptCommand({ CiphertextBlob: s.blob, EncryptionContext: s.context }));
      assert.ok(Buffer.from(out.Plaintext!).equals(s.plaintext), `${s.label} decrypts to its plaintext`);
      assert.equal(out.KeyId, keys.get(s.keyName)!.Arn, `${s.label} names its key`);
    }
  });

  let drain: { responseAt: number; exitedAt: number } | undefined;

  test('SIGTERM drains a request that is in flight and exits 0', async () => {
    const running = servers.at(-1)!;
    assert.equal(running.process.exitCode, null, 'the restarted server is running');
    const kms = clients.at(-1)!;
    // An idle keep-alive connection from the SDK is open while we stop the server.
    await kms.send(new ListKeysCommand({}));

    // A request whose body is still arriving when SIGTERM comes in must still be answered. One
    // keep-alive connection (like every SDK's) carries a first, complete request, so the server
    // has surely accepted it before the slow one starts on it.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (target: string, body: string, partial: boolean) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: running.port,
            method: 'POST',
            path: '/',
            agent,
            headers: {
              'content-type': 'application/x-amz-json-1.1',
              'x-amz-target': `TrentService.${target}`,
              authorization: `AWS4-HMAC-SHA256 Credential=${ACCOUNT}/20240101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00`,
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (text += d));
            res.on('end', () => resolve({ status: res.statusCode!, text }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        if (!partial) {
          req.end(body);
          return;
        }
        req.write(body.slice(0, 10));
        // Let the server read the headers and start the request, then stop it, then finish the body.
        setTimeout(() => {
          running.process.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(10)), 300);
        }, 500);
      });
    const warmUp = await post('ListKeys', '{}', false);
    assert.equal(warmUp.status, 200, warmUp.text);
    const body = JSON.stringify({ KeyId: keys.get('enabled')!.KeyId, Plaintext: Buffer.from('in flight').toString('base64') });
    const inFlight = post('Encrypt', body, true);
    const exited = new Promise<number>((resolve) => running.process.once('exit', () => resolve(Date.now())));
    const response = await inFlight;
    const responseAt = Date.now();
    assert.equal(response.status, 200, response.text);
    assert.equal(JSON.parse(response.text).KeyId, keys.get('enabled')!.Arn);
    const code = await running.stop('SIGTERM');
    drain = { responseAt, exitedAt: await exited };
    agent.destroy();
    assert.equal(code, 0, `exit code after SIGTERM; output:\n${running.output().slice(-2000)}`);
    assert.match(running.output(), /"signal":"SIGTERM".*"msg":"draining and shutting down"/);
  });

  test('after draining, shutdown does not wait for the keep-alive timeout of the drained connection', () => {
    assert.ok(drain, 'the drain test ran');
    // The server keeps answering "Connection: keep-alive" while draining, so the drained
    // connection stays open until keepAliveTimeout (5 s) expires before the process can exit.
    const lingerMs = drain.exitedAt - drain.responseAt;
    assert.ok(lingerMs < 2_000, `the process exited ${lingerMs} ms after the last in-flight response`);
  });

  test('the restarted server serves again without --dev, with the same credentials and keys', async () => {
    const third = await start({ dev: false });
    const credentials = third.credentials();
    assert.deepEqual(credentials, firstCredentials, 'the credentials file survives restarts unchanged');
    const signed = third.client(credentials);
    clients.push(signed);
    assert.deepEqual(await allKeyIds(signed), expectedKeyIds);
    for (const s of sealed) {
      const out = await signed.send(new DecryptCommand({ CiphertextBlob: s.blob, EncryptionContext: s.context }));
      assert.ok(Buffer.from(out.Plaintext!).equals(s.plaintext), `${s.label} decrypts after the graceful restart`);
    }
    const fresh = await signed.send(new EncryptCommand({ KeyId: 'alias/restart-enabled', Plaintext: Buffer.from('after restart') }));
    assert.equal(Buffer.from((await signed.send(new DecryptCommand({ CiphertextBlob: fresh.CiphertextBlob }))).Plaintext!).toString(), 'after restart');
    signed.destroy();
    assert.equal(await third.stop('SIGTERM'), 0);
  });

  test('data dir: root.key and credentials are mode 0600; the database holds no plaintext, data key or secret', () => {
    assert.ok(dataDir, 'earlier tests ran');
    for (const name of ['root.key', 'credentials']) {
      const mode = statSync(join(dataDir, name)).mode & 0o777;
      assert.equal(mode.toString(8), '600', `${name} mode`);
    }
    const rootKey = readFileSync(join(dataDir, 'root.key'));
    assert.equal(rootKey.length, 32);
    secrets.push({ label: 'root key', bytes: rootKey });
    secrets.push({ label: 'bootstrap secret access key', bytes: Buffer.from(firstCredentials!.secretAccessKey) });
    assertNoSecretsInDatabase(dataDir, 'after graceful stop');
    // The log lines of every run stay free of plaintexts too.
    for (const server of servers) {
      for (const s of sealed) {
        assert.ok(!server.output().includes(s.plaintext.toString('base64')), `log contains ${s.label}`);
      }
    }
  });
});
