// Bad input on purpose, with raw HTTP (no SDK) against the real server process. Whatever a client
// sends, the answer is a 4xx with a JSON {"__type", "message"} body and an x-amzn-RequestId header
// (never a 5xx, a hang or a crash), and the server keeps serving normal requests afterwards.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type TestServer } from '../helpers/start-server.js';

const JSON11 = 'application/x-amz-json-1.1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: TestServer;
let keyId = '';
const requestIds: string[] = [];
const openSockets: Socket[] = [];

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: Record<string, unknown> | undefined;
}

interface CallOptions {
  /** X-Amz-Target operation name (TrentService.<target>), or null for no header. */
  readonly target?: string | null;
  /** X-Amz-Target header value sent verbatim (wins over `target`). */
  readonly rawTarget?: string;
  readonly body?: string | Blob;
  readonly contentType?: string | null;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly url?: string;
}

async function call(options: CallOptions): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? JSON11;
  if (options.rawTarget !== undefined) headers['x-amz-target'] = options.rawTarget;
  else if (options.target !== null && options.target !== undefined) headers['x-amz-target'] = `TrentService.${options.target}`;
  const method = options.method ?? 'POST';
  const res = await fetch((options.url ?? server.url) + (options.path ?? '/'), {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: options.body ?? '{}' }),
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  const requestId = res.headers.get('x-amzn-requestid');
  if (requestId) requestIds.push(requestId);
  return { status: res.status, headers: res.headers, text, json };
}

/** A KMS error answer: 4xx, JSON with __type (a message, if any, a non-empty string: AWS omits empty ones), and a request id. */
function assertError(reply: Reply, label: string, type?: string, message?: string | RegExp): void {
  const where = `${label}: HTTP ${reply.status} ${reply.text.slice(0, 300)}`;
  assert.ok(reply.status >= 400 && reply.status < 500, `${where} — expected a 4xx`);
  assert.ok(reply.json && typeof reply.json.__type === 'string', `${where} — expected a JSON body with __type`);
  if ('message' in reply.json) assert.ok(typeof reply.json.message === 'string' && reply.json.message !== '', `${where} — message`);
  if (type !== undefined) assert.equal(reply.json.__type, type, where);
  if (typeof message === 'string') assert.equal(reply.json.message, message, where);
  else if (message) assert.match(reply.json.message as string, message, where);
  assert.match(reply.headers.get('x-amzn-requestid') ?? '', UUID, `${where} — x-amzn-RequestId header`);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/x-amz-json-1\.1/, `${where} — content type`);
}

const validation = (...violations: string[]) =>
  `${violations.length} validation ${violations.length === 1 ? 'error' : 'errors'} detected: ${violations.join('; ')}`;

/** Sends raw bytes on a fresh TCP connection and collects what comes back until close, `until` matches, or `waitMs`. */
function rawExchange(data: string, until?: RegExp, waitMs = 1_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (d) => {
      received += d.toString('latin1');
      if (until?.test(received)) done();
    });
    socket.on('close', done);
    socket.on('error', done);
    socket.write(data);
  });
}

/** Opens a connection that sends `data` and then stalls. */
function stalledSocket(data: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write(data, () => resolve(socket));
    });
    socket.on('error', reject);
    openSockets.push(socket);
  });
}

type BigPostResult = { status: number; text: string; requestId: string | undefined } | { connectionError: string };

/**
 * POSTs `size` bytes with node:http (declared length or chunked). The server answers 413 as soon
 * as it knows the body is too large and then closes the connection, so the client either reads
 * that answer or fails its remaining writes (EPIPE/ECONNRESET); both are fine, a hang is not.
 */
function bigPost(size: number, chunked: boolean): Promise<BigPostResult> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { 'content-type': JSON11, 'x-amz-target': 'TrentService.ListKeys' };
    if (!chunked) headers['content-length'] = size;
    const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, text, requestId: res.headers['x-amzn-requestid'] as string | undefined }));
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ connectionError: err.code ?? err.message }));
    });
    // A response may still arrive after a failed write; give it a moment before settling.
    req.on('error', (err: NodeJS.ErrnoException) => setTimeout(() => resolve({ connectionError: err.code ?? err.message }), 200));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < size && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

function assertTooLarge(reply: BigPostResult, label: string): void {
  if ('connectionError' in reply) {
    assert.match(reply.connectionError, /^(EPIPE|ECONNRESET)$/, `${label}: connection error ${reply.connectionError}`);
    return;
  }
  assert.equal(reply.status, 413, `${label}: ${reply.text}`);
  assert.equal(JSON.parse(reply.text).__type, 'RequestEntityTooLargeException', label);
  assert.match(reply.requestId ?? '', UUID, label);
}

function errorLines(output: string): string[] {
  return output.split('\n').filter((line) => line.includes('"level":50'));
}

before(async () => {
  server = await startServer();
  const created = await call({ target: 'CreateKey', body: '{}' });
  assert.equal(created.status, 200, created.text);
  keyId = (created.json!.KeyMetadata as { KeyId: string }).KeyId;
});
after(async () => {
  for (const socket of openSockets) socket.destroy();
  await server?.stop();
});

describe('wrong JSON types are SerializationException', () => {
  test('a member of the wrong type fails before any constraint is checked', async () => {
    const cases: [string, string, unknown, RegExp?][] = [
      ['KeyId as number', 'DescribeKey', { KeyId: 42 }, /^NUMBER_VALUE can not be converted to a String$/],
      ['KeyId as object', 'DescribeKey', { KeyId: { id: keyId } }],
      ['KeyId as array', 'DescribeKey', { KeyId: [keyId] }],
      ['KeyId as boolean', 'DescribeKey', { KeyId: true }],
      ['Plaintext as number', 'Encrypt', { KeyId: keyId, Plaintext: 12345 }, /^NUMBER_VALUE can not be converted to a Blob$/],
      ['Plaintext as array', 'Encrypt', { KeyId: keyId, Plaintext: ['YQ=='] }],
      ['CiphertextBlob as object', 'Decrypt', { CiphertextBlob: {} }],
      ['NumberOfBytes as string', 'GenerateRandom', { NumberOfBytes: '32' }, /^STRING_VALUE can not be converted to an Integer$/],
      ['NumberOfBytes beyond Integer range', 'GenerateRandom', { NumberOfBytes: 2 ** 31 }],
      ['NumberOfBytes as boolean', 'GenerateDataKey', { KeyId: keyId, NumberOfBytes: false }],
      ['Limit as string', 'ListKeys', { Limit: '10' }],
      ['Limit as object', 'ListAliases', { Limit: {} }],
      ['EncryptionContext as array', 'Encrypt', { KeyId: keyId, Plaintext: 'YQ==', EncryptionContext: [{ a: 'b' }] }],
      ['EncryptionContext with a number value', 'Encrypt', { KeyId: keyId, Plaintext: 'YQ==', EncryptionContext: { a: 1 } }],
      ['EncryptionContext with an object value', 'Encrypt', { KeyId: keyId, Plaintext: 'YQ==', EncryptionContext: { a: { b: 'c' } } }],
      ['EncryptionContext with a boolean value', 'Decrypt', { CiphertextBlob: 'YQ==', EncryptionContext: { a: true } }],
      ['EncryptionContext as string', 'GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: 'a=b' }],
      ['Tags as object', 'CreateKey', { Tags: { TagKey: 'a', TagValue: 'b' } }],
      ['Tags as string', 'CreateKey', { Tags: 'a=b' }],
      ['Tags with a string element', 'CreateKey', { Tags: ['a=b'] }],
      ['TagKey as number', 'CreateKey', { Tags: [{ TagKey: 1, TagValue: 'b' }] }],
      ['GrantTokens with a number', 'Encrypt', { KeyId: keyId, Plaintext: 'YQ==', GrantTokens: [1] }],
      ['DryRun as string', 'Encrypt', { KeyId: keyId, Plaintext: 'YQ==', DryRun: 'true' }],
      ['PendingWindowInDays as string', 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: '7' }],
      ['Description as number', 'UpdateKeyDescription', { KeyId: keyId, Description: 7 }],
      ['AliasName as array', 'CreateAlias', { AliasName: ['alias/x'], TargetKeyId: keyId }],
    ];
    for (const [label, target, body, message] of cases) {
      assertError(await call({ target, body: JSON.stringify(body) }), label, 'SerializationException', message);
    }
  });

  test('NumberOfBytes 1e309 (Infinity in JSON) is a SerializationException', async () => {
    // JSON.stringify cannot produce this literal; send it verbatim.
    for (const literal of ['1e309', '-1e309', '1e400']) {
      assertError(await call({ target: 'GenerateRandom', body: `{"NumberOfBytes":${literal}}` }), literal, 'SerializationException');
    }
  });

  test('fractional NumberOfBytes never becomes a 5xx', async () => {
    // The server truncates fractions like a Java int deserializer (5.5 -> 5); rejecting them
    // with a SerializationException would be acceptable too.
    for (const [value, bytes] of [[5.5, 5], [1024.9, 1024]] as const) {
      const reply = await call({ target: 'GenerateRandom', body: `{"NumberOfBytes":${value}}` });
      if (reply.status === 200) assert.equal(Buffer.from(reply.json!.Plaintext as string, 'base64').length, bytes, `${value}`);
      else assertError(reply, `NumberOfBytes ${value}`, 'SerializationException');
    }
    const tooSmall = await call({ target: 'GenerateRandom', body: '{"NumberOfBytes":0.5}' });
    assertError(tooSmall, 'NumberOfBytes 0.5');
  });
});

describe('invalid base64 is SerializationException', () => {
  test('Plaintext and CiphertextBlob must be strict, padded base64', async () => {
    const values = ['abc', 'a$c=', 'YR==', 'YQ=', '====', ' YQ==', 'YQ==\n', 'Y Q==', 'YQ==YQ==x', '-_-_'];
    for (const value of values) {
      const enc = await call({ target: 'Encrypt', body: JSON.stringify({ KeyId: keyId, Plaintext: value }) });
      assertError(enc, `Plaintext ${JSON.stringify(value)}`, 'SerializationException');
      // Plaintext is sensitive: the error must not echo it.
      if (value.length > 3) assert.ok(!(enc.json!.message as string).includes(value.trim()), `Plaintext ${JSON.stringify(value)} echoed`);
      const dec = await call({ target: 'Decrypt', body: JSON.stringify({ CiphertextBlob: value }) });
      assertError(dec, `CiphertextBlob ${JSON.stringify(value)}`, 'SerializationException', /can not be converted to a Blob/);
    }
  });
});

describe('constraint violations are ValidationException in AWS format', () => {
  test('lengths, ranges, enums and patterns', async () => {
    const longId = 'k'.repeat(2049);
    const cases: [string, string, unknown, string][] = [
      ['empty KeyId', 'DescribeKey', { KeyId: '' }, validation("Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1")],
      ['KeyId of 2049 characters', 'DescribeKey', { KeyId: longId }, validation(`Value '${longId}' at 'keyId' failed to satisfy constraint: Member must have length less than or equal to 2048`)],
      ['NumberOfBytes negative', 'GenerateRandom', { NumberOfBytes: -3 }, validation("Value '-3' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1")],
      ['NumberOfBytes 0', 'GenerateRandom', { NumberOfBytes: 0 }, validation("Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1")],
      ['NumberOfBytes 1025', 'GenerateDataKey', { KeyId: keyId, NumberOfBytes: 1025 }, validation("Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024")],
      ['Limit 0', 'ListKeys', { Limit: 0 }, validation("Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")],
      ['Limit 1001', 'ListKeys', { Limit: 1001 }, validation("Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000")],
      ['ListAliases Limit 1001', 'ListAliases', { Limit: 1001 }, validation("Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000")],
      ['empty Marker', 'ListKeys', { Marker: '' }, validation("Value '' at 'marker' failed to satisfy constraint: Member must have length greater than or equal to 1")],
      ['empty Plaintext', 'Encrypt', { KeyId: keyId, Plaintext: '' }, validation("Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1")],
      // AWS (LocalStack snapshot test_invalid_generate_mac[HMAC_256-INVALID]) lists the MAC algorithms in this order.
      ['MacAlgorithm not in the enum', 'GenerateMac', { KeyId: keyId, Message: 'YQ==', MacAlgorithm: 'INVALID' }, validation("Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]")],
      ['KeySpec not in the enum', 'GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_512' }, validation("Value 'AES_512' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]")],
      ['empty grant token', 'Encrypt', { KeyId: keyId, Plaintext: 'YQ==', GrantTokens: [''] }, validation("Value '' at 'grantTokens.1.member' failed to satisfy constraint: Member must have length greater than or equal to 1")],
      ['Tag without a value', 'CreateKey', { Tags: [{ TagKey: 'a' }] }, validation("Value null at 'tags.1.member.tagValue' failed to satisfy constraint: Member must not be null")],
      ['two violations', 'Encrypt', { KeyId: '', Plaintext: '' }, validation(
        "Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1",
        "Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1",
      )],
    ];
    for (const [label, target, body, message] of cases) {
      assertError(await call({ target, body: JSON.stringify(body) }), label, 'ValidationException', message);
    }
    const pattern = await call({ target: 'CreateAlias', body: JSON.stringify({ AliasName: 'alias/bad name!', TargetKeyId: keyId }) });
    assertError(pattern, 'AliasName with spaces', 'ValidationException', /^1 validation error detected: Value 'alias\/bad name!' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
  });

  test('missing required members', async () => {
    const notNull = (path: string) => `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
    const cases: [string, unknown, string][] = [
      ['DescribeKey', {}, validation(notNull('keyId'))],
      ['EnableKey', { KeyId: null }, validation(notNull('keyId'))],
      ['Encrypt', {}, validation(notNull('keyId'), notNull('plaintext'))],
      ['Encrypt', { KeyId: keyId }, validation(notNull('plaintext'))],
      ['UpdateKeyDescription', { KeyId: keyId }, validation(notNull('description'))],
      ['CreateAlias', {}, validation(notNull('aliasName'), notNull('targetKeyId'))],
      ['DeleteAlias', { TargetKeyId: keyId }, validation(notNull('aliasName'))],
      ['ReEncrypt', { CiphertextBlob: 'YQ==' }, validation(notNull('destinationKeyId'))],
      ['GenerateDataKey', { NumberOfBytes: 32 }, validation(notNull('keyId'))],
      ['ListResourceTags', {}, validation(notNull('keyId'))],
    ];
    for (const [target, body, message] of cases) {
      assertError(await call({ target, body: JSON.stringify(body) }), `${target} ${JSON.stringify(body)}`, 'ValidationException', message);
    }
    assertError(await call({ target: 'GenerateDataKey', body: JSON.stringify({ KeyId: keyId }) }), 'GenerateDataKey without size', 'ValidationException');
  });

  test('Decrypt and ReEncrypt without CiphertextBlob are a ValidationException, not an internal error', async () => {
    // The current botocore model no longer marks CiphertextBlob as required, so the generic
    // validator lets it through and the operation dereferences undefined.
    const cases: [string, unknown][] = [
      ['Decrypt', {}],
      ['Decrypt', { KeyId: keyId }],
      ['ReEncrypt', { DestinationKeyId: keyId }],
    ];
    for (const [target, body] of cases) {
      assertError(await call({ target, body: JSON.stringify(body) }), `${target} ${JSON.stringify(body)}`, 'ValidationException', /ciphertextBlob/);
    }
  });
});

describe('bodies that are not a JSON object', () => {
  test('null, arrays, scalars and malformed JSON are SerializationException', async () => {
    const bodies = ['null', '[]', '[{"KeyId":"x"}]', '"KeyId"', '42', 'true', 'not json', '{"KeyId":', '{\'KeyId\':\'x\'}', '{"KeyId":"x"} trailing', '{"KeyId":"x",}', '\ufeff{}', '{"KeyId":"\\x41"}'];
    for (const body of bodies) {
      assertError(await call({ target: 'DescribeKey', body }), `body ${JSON.stringify(body)}`, 'SerializationException');
    }
    const binary = new Blob([Uint8Array.from([0x00, 0xff, 0xfe, 0x7b, 0x7d, 0x80])]);
    assertError(await call({ target: 'DescribeKey', body: binary, contentType: JSON11 }), 'binary body', 'SerializationException');
  });

  test('an empty body is an empty input structure', async () => {
    assertError(await call({ target: 'DescribeKey', body: '' }), 'empty body for DescribeKey', 'ValidationException', validation("Value null at 'keyId' failed to satisfy constraint: Member must not be null"));
    const list = await call({ target: 'ListKeys', body: '' });
    assert.ok(list.status < 500, `empty body for ListKeys: ${list.status} ${list.text}`);
  });

  test('deep nesting and many members do not overflow the stack', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    assertError(await call({ target: 'ListKeys', body: deep }), 'deeply nested array', 'SerializationException');
    const deepTags = `{"Tags":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    assertError(await call({ target: 'CreateKey', body: deepTags }), 'deeply nested Tags', 'SerializationException');
    const deepUnknown = `{"Unknown":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
    const unknown = await call({ target: 'ListKeys', body: deepUnknown });
    assert.ok(unknown.status < 500, `deeply nested unknown member: ${unknown.status} ${unknown.text.slice(0, 200)}`);
    const context = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 'v']));
    const wide = await call({ target: 'Encrypt', body: JSON.stringify({ KeyId: keyId, Plaintext: 'YQ==', EncryptionContext: context }) });
    assert.ok(wide.status < 500, `5000-entry encryption context: ${wide.status} ${wide.text.slice(0, 200)}`);
  });

  test('__proto__ and constructor as member names or context keys are plain data', async () => {
    assertError(await call({ target: 'DescribeKey', body: '{"__proto__":{"KeyId":"x"}}' }), '__proto__ member', 'ValidationException');
    const enc = await call({ target: 'Encrypt', body: JSON.stringify({ KeyId: keyId, Plaintext: 'YQ==', EncryptionContext: JSON.parse('{"__proto__":"p","constructor":"c"}') }) });
    assert.equal(enc.status, 200, enc.text);
    const blob = enc.json!.CiphertextBlob as string;
    const ok = await call({ target: 'Decrypt', body: `{"CiphertextBlob":"${blob}","EncryptionContext":{"constructor":"c","__proto__":"p"}}` });
    assert.equal(ok.status, 200, ok.text);
    const wrong = await call({ target: 'Decrypt', body: `{"CiphertextBlob":"${blob}","EncryptionContext":{"constructor":"c"}}` });
    assertError(wrong, 'context without __proto__', 'InvalidCiphertextException');
  });
});

describe('oversized bodies', () => {
  test('several MB, with a declared length or chunked: 413 (or the connection closed) at once, no hang', async () => {
    for (const chunked of [false, true, false, true]) {
      const started = Date.now();
      assertTooLarge(await bigPost(5 * 1024 * 1024, chunked), chunked ? 'chunked' : 'declared length');
      assert.ok(Date.now() - started < 8_000, `answered in ${Date.now() - started} ms`);
    }
    // Declared just over the limit with a body that never comes: refused from the headers alone.
    const answer = await rawExchange(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${JSON11}\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Length: ${256 * 1024 + 1}\r\n\r\n{`, /\r\n\r\n\{.*\}$/s);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /RequestEntityTooLargeException/);
  });

  test('a large but acceptable body is processed normally', async () => {
    const body = JSON.stringify({ Limit: 5, Padding: 'x'.repeat(200 * 1024) });
    const reply = await call({ target: 'ListKeys', body });
    assert.equal(reply.status, 200, reply.text.slice(0, 200));
  });
});

describe('routing, methods and headers', () => {
  test('unknown, missing or malformed X-Amz-Target is UnknownOperationException', async () => {
    const targets: (string | null)[] = [
      'TrentService.Nope',
      null,
      'TrentService.',
      'TrentService',
      'KMS.ListKeys',
      'trentservice.ListKeys',
      'TrentService.listKeys',
      'TrentService.ListKeys.Extra',
      'TrentService.constructor',
      'TrentService.__proto__',
      'TrentService.toString',
      'TrentService.hasOwnProperty',
    ];
    for (const target of targets) {
      const reply = await call(target === null ? { target: null, body: '{}' } : { rawTarget: target, body: '{}' });
      assertError(reply, `target ${JSON.stringify(target)}`, 'UnknownOperationException');
    }
  });

  test('an operation of the model this server does not implement is a 4xx', async () => {
    assertError(await call({ target: 'Sign', body: JSON.stringify({ KeyId: keyId, Message: 'YQ==', SigningAlgorithm: 'ECDSA_SHA_256' }) }), 'Sign');
  });

  test('a wrong or missing content type is refused', async () => {
    for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/x-amz-json-1.0x', '']) {
      assertError(await call({ target: 'ListKeys', body: '{}', contentType }), `content type ${JSON.stringify(contentType)}`);
    }
    // fetch always adds a content type to a string body; send a request without one by hand.
    const answer = await rawExchange('POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Length: 2\r\n\r\n{}', /\r\n\r\n\{.*\}$/s);
    assert.match(answer, /^HTTP\/1\.1 4\d\d /, answer);
    assert.match(answer, /\r\nx-amzn-requestid: [0-9a-f-]{36}\r\n/i, answer);
    assert.match(answer, /\r\n\r\n\{"__type":"\w+","message":/, answer);
  });

  test('methods other than POST and paths other than / are refused', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      assertError(await call({ method, target: 'ListKeys' }), `${method} /`);
    }
    const head = await call({ method: 'HEAD', target: 'ListKeys' });
    assert.ok(head.status >= 400 && head.status < 500, `HEAD /: ${head.status}`);
    for (const path of ['/foo', '/health/x', '//', '/%2F', '/_kms/unknown', '/../etc/passwd']) {
      assertError(await call({ path, target: 'ListKeys' }), `POST ${path}`);
    }
    assertError(await call({ path: '/health', target: 'ListKeys' }), 'POST /health');
    const query = await call({ path: '/?foo=bar', target: 'ListKeys' });
    assert.equal(query.status, 200, `a query string on / is ignored: ${query.text}`);
    // But an X-Amz-Target in it that disagrees with the header is refused, not overridden by the
    // header (it once was, and a presigned URL could then be re-targeted).
    assertError(
      await call({ path: '/?foo=bar&X-Amz-Target=x', target: 'ListKeys' }),
      'conflicting X-Amz-Target',
      'UnknownOperationException',
      'The request names more than one operation in X-Amz-Target: TrentService.ListKeys, x',
    );
  });

  test('garbage Authorization headers in --dev mode do not break anything', async () => {
    const values = [
      'garbage',
      'AWS4-HMAC-SHA256',
      'AWS4-HMAC-SHA256 Credential=',
      'AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=, Signature=',
      'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=zz',
      'AWS4-HMAC-SHA256 Credential=%%%/%/%/%/%,SignedHeaders=host;x-amz-date,Signature=00',
      'AWS4-HMAC-SHA256 Credential=A/B/C/D/E/F/G/H, Credential=x, SignedHeaders=;;;;, Signature=,,,,',
      `AWS4-HMAC-SHA256 Credential=${'a/'.repeat(3_000)}`,
      'Bearer abc.def.ghi',
      'Basic dXNlcjpwYXNz',
      '\u00e9\u00e8',
    ];
    for (const value of values) {
      const reply = await call({ target: 'ListKeys', body: '{}', headers: { authorization: value } });
      assert.ok(reply.status < 500, `Authorization ${JSON.stringify(value.slice(0, 60))}: ${reply.status} ${reply.text.slice(0, 200)}`);
      assert.ok(reply.json, 'JSON body');
      if (reply.status >= 400) assertError(reply, `Authorization ${value.slice(0, 60)}`);
    }
    // X-Amz-Date/X-Amz-Security-Token garbage rides along just as harmlessly.
    const odd = await call({ target: 'ListKeys', headers: { 'x-amz-date': 'yesterday', 'x-amz-security-token': '%%not-a-token%%', 'x-amz-content-sha256': 'nope' } });
    assert.ok(odd.status < 500, odd.text);
  });

  test('a credential-scope region that is not a region does not yield keys with unusable ARNs', async () => {
    // --dev trusts the credential scope without checking it: a region such as 'evil:123456789012'
    // ends up inside the key ARN ("arn:aws:kms:evil:123456789012:000000000000:key/..."), which
    // then cannot be parsed back. Without --dev the same happens for any correctly signed request.
    const authorization = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/evil:123456789012/kms/aws4_request, SignedHeaders=host, Signature=00';
    const created = await call({ target: 'CreateKey', body: '{}', headers: { authorization } });
    if (created.status >= 400) {
      assertError(created, 'CreateKey in a bogus region');
      return;
    }
    const arn = (created.json!.KeyMetadata as { Arn: string }).Arn;
    const described = await call({ target: 'DescribeKey', body: JSON.stringify({ KeyId: arn }), headers: { authorization } });
    assert.equal(described.status, 200, `DescribeKey by the ARN CreateKey returned (${arn}): ${described.text}`);
  });
});

describe('slow and broken clients', () => {
  test('clients that stall in the headers or the body do not hold up other requests', async () => {
    const stalledHeaders = await Promise.all(
      Array.from({ length: 20 }, () => stalledSocket('POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: TrentService.ListKeys\r\n')),
    );
    const fullBody = '{"NumberOfBytes":8}';
    const bodyHead = `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${JSON11}\r\nX-Amz-Target: TrentService.GenerateRandom\r\nContent-Length: ${fullBody.length}\r\n\r\n${fullBody.slice(0, 12)}`;
    const stalledBody = await stalledSocket(bodyHead);
    let stalledAnswer = '';
    stalledBody.on('data', (d) => (stalledAnswer += d.toString('latin1')));
    await sleep(100);

    const started = Date.now();
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
    const random = await call({ target: 'GenerateRandom', body: '{"NumberOfBytes":16}' });
    assert.equal(random.status, 200, random.text);
    // Well below the server's 10 s headers timeout: the stalled clients are not what let them through.
    assert.ok(Date.now() - started < 8_000, `other requests were served in ${Date.now() - started} ms`);
    assert.equal(stalledAnswer, '', 'no answer before the body is complete');

    // The stalled request is still alive: finishing its body gets a normal answer.
    stalledBody.write(fullBody.slice(12));
    for (let i = 0; i < 50 && !stalledAnswer.includes('}'); i++) await sleep(20);
    assert.match(stalledAnswer, /^HTTP\/1\.1 200 /);
    assert.match(stalledAnswer, /x-amzn-requestid: [0-9a-f-]{36}/i);
    for (const socket of [...stalledHeaders, stalledBody]) socket.destroy();
  });

  test('a client that disconnects in the middle of its body is not logged as an internal error', async () => {
    const mark = server.output().length;
    const socket = await stalledSocket(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${JSON11}\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Length: 100\r\n\r\n{"Li`);
    await sleep(100);
    socket.destroy();
    await sleep(300);
    const fresh = server.output().slice(mark);
    assert.deepEqual(errorLines(fresh), [], 'a client going away is not a server fault (level 50 "internal error")');
    assert.equal(server.process.exitCode, null);
  });

  test('malformed HTTP gets a 400 and the connection closed', async () => {
    for (const raw of [
      'GARBAGE\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}',
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      'POST / HTTP/1.1\r\nBad Header Without Colon\r\n\r\n',
      '\x00\x01\x02\x03\r\n\r\n',
    ]) {
      const answer = await rawExchange(raw);
      assert.match(answer, /^HTTP\/1\.1 400 /, `${JSON.stringify(raw)} -> ${JSON.stringify(answer.slice(0, 80))}`);
    }
  });

  test('many concurrent requests, good and bad, all get their own correct answer', async () => {
    const started = Date.now();
    const jobs = Array.from({ length: 180 }, async (_, i) => {
      switch (i % 6) {
        case 0: {
          const plaintext = Buffer.from(`concurrent ${i}`).toString('base64');
          const enc = await call({ target: 'Encrypt', body: JSON.stringify({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { i: String(i) } }) });
          assert.equal(enc.status, 200, enc.text);
          const dec = await call({ target: 'Decrypt', body: JSON.stringify({ CiphertextBlob: enc.json!.CiphertextBlob, EncryptionContext: { i: String(i) } }) });
          assert.equal(dec.status, 200, dec.text);
          assert.equal(dec.json!.Plaintext, plaintext);
          break;
        }
        case 1:
          assertError(await call({ target: 'DescribeKey', body: '{"KeyId":' }), `#${i}`, 'SerializationException');
          break;
        case 2:
          assertError(await call({ target: 'Nope', body: '{}' }), `#${i}`, 'UnknownOperationException');
          break;
        case 3:
          assertError(await call({ target: 'GenerateRandom', body: '{"NumberOfBytes":0}' }), `#${i}`, 'ValidationException');
          break;
        case 4: {
          const random = await call({ target: 'GenerateRandom', body: '{"NumberOfBytes":32}' });
          assert.equal(random.status, 200, random.text);
          break;
        }
        default:
          assertError(await call({ target: 'DescribeKey', body: JSON.stringify({ KeyId: `alias/missing-${i}` }) }), `#${i}`, 'NotFoundException');
      }
    });
    await Promise.all(jobs);
    assert.ok(Date.now() - started < 30_000, `180 concurrent requests took ${Date.now() - started} ms`);
  });
});

describe('--dev control endpoints with bad input', () => {
  let devServer: TestServer;
  before(async () => {
    devServer = await startServer();
  });
  after(async () => {
    await devServer?.stop();
  });

  test('/_kms/clock refuses bad input with a 400 and keeps the clock usable', async () => {
    const post = (body: string) => fetch(`${devServer.url}/_kms/clock`, { method: 'POST', body });
    for (const body of ['not json', '{"advanceSeconds":-1}', '{"advanceDays":-0.5}']) {
      const res = await post(body);
      assert.equal(res.status, 400, `${body}: ${await res.text()}`);
    }
    // Huge but finite amounts overflow the Date range (8.64e15 ms).
    for (const body of ['{"advanceDays":1e300}', '{"advanceSeconds":1e308}']) {
      const res = await post(body);
      const text = await res.text();
      assert.ok(res.status >= 400 && res.status < 500, `${body}: ${res.status} ${text}`);
    }
    const created = await call({ url: devServer.url, target: 'CreateKey', body: '{}' });
    assert.equal(created.status, 200, `CreateKey after the clock requests: ${created.text}`);
  });
});

describe('without --dev, garbage Authorization headers are authentication errors', () => {
  let strict: TestServer;
  before(async () => {
    strict = await startServer({ dev: false });
  });
  after(async () => {
    await strict?.stop();
  });

  test('each is a 4xx with an AWS authentication error code', async () => {
    const authErrors = new Set(['MissingAuthenticationTokenException', 'IncompleteSignatureException', 'InvalidSignatureException', 'UnrecognizedClientException', 'AccessDeniedException']);
    const values: (string | undefined)[] = [
      undefined,
      'garbage',
      'AWS4-HMAC-SHA256',
      'AWS4-HMAC-SHA256 Credential=',
      'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=zz',
      'AWS4-HMAC-SHA256 Credential=%%%/%/%/%/%,SignedHeaders=host;x-amz-date,Signature=00',
      'AWS4-HMAC-SHA256 Credential=A/B/C/D/E/F/G/H, Credential=x, SignedHeaders=;;;;, Signature=,,,,',
      `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      `AWS4-HMAC-SHA256 Credential=${'a/'.repeat(3_000)}`,
      'Bearer abc.def.ghi',
      '\u00e9\u00e8',
    ];
    for (const value of values) {
      const reply = await call({ url: strict.url, target: 'ListKeys', body: '{}', headers: value === undefined ? { 'x-amz-date': 'garbage' } : { authorization: value, 'x-amz-date': '20240101T000000Z' } });
      assertError(reply, `Authorization ${JSON.stringify((value ?? '(none)').slice(0, 60))}`);
      assert.ok(authErrors.has(reply.json!.__type as string), `Authorization ${JSON.stringify((value ?? '(none)').slice(0, 60))}: ${reply.json!.__type}`);
    }
    assert.deepEqual(errorLines(strict.output()), []);
  });
});

describe('afterwards', () => {
  test('the server is alive, healthy, and Encrypt/Decrypt work', async () => {
    assert.equal(server.process.exitCode, null, 'process still running');
    assert.equal(server.process.signalCode, null);
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const plaintext = Buffer.from('still working').toString('base64');
    const enc = await call({ target: 'Encrypt', body: JSON.stringify({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { after: 'all' } }) });
    assert.equal(enc.status, 200, enc.text);
    const dec = await call({ target: 'Decrypt', body: JSON.stringify({ CiphertextBlob: enc.json!.CiphertextBlob, EncryptionContext: { after: 'all' } }) });
    assert.equal(dec.status, 200, dec.text);
    assert.equal(dec.json!.Plaintext, plaintext);
  });

  test('every KMS answer had its own request id', () => {
    assert.ok(requestIds.length > 300, `${requestIds.length} request ids seen`);
    assert.equal(new Set(requestIds).size, requestIds.length);
  });

  test('no internal error was logged (a level-50 line means a server bug)', () => {
    const lines = errorLines(server.output()).map((line) => {
      const entry = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string; stack?: string } };
      return `${entry.msg}: ${entry.err?.type}: ${entry.err?.message} @ ${entry.err?.stack?.split('\n')[1]?.trim()}`;
    });
    assert.deepEqual(lines, []);
  });
});
