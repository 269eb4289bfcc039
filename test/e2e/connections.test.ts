// Slow, idle and excess clients get what the configuration says, when it says: node checks its
// header and request timeouts only every 30 s by default, which stretched 10 s to 40 s. The
// bounds below are generous (several seconds) so a loaded machine does not fail them; what they
// rule out is node's default interval.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startServer, type TestServer } from '../helpers/start-server.js';

const JSON11 = 'application/x-amz-json-1.1';
let server: TestServer;

before(async () => {
  server = await startServer({
    args: ['--headers-timeout', '1', '--request-timeout', '2', '--keep-alive-timeout', '1', '--max-connections', '4'],
  });
});
after(async () => {
  await server?.stop();
});

interface Outcome {
  received: string;
  /** Milliseconds from the write to the close. */
  closedAfterMs: number;
}

/** Writes `data` on a new connection and waits (at most `limitMs`) for the server to close it. */
function untilClosed(data: string, limitMs = 8_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    let started = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${limitMs} ms; received ${JSON.stringify(received)}`));
    }, limitMs);
    socket.on('connect', () => {
      started = Date.now();
      socket.write(data);
    });
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received, closedAfterMs: Date.now() - started });
    });
  });
}

function openSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('timeouts as configured', () => {
  test('headers not complete within --headers-timeout (1 s): 408 and the connection closed, after about 1 s', async () => {
    const outcome = await untilClosed('POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: TrentService.ListKeys\r\n');
    assert.match(outcome.received, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(outcome.received, /\r\nConnection: close\r\n/i);
    assert.ok(outcome.closedAfterMs >= 900, `closed after ${outcome.closedAfterMs} ms, before the timeout`);
    assert.ok(outcome.closedAfterMs < 5_000, `closed after ${outcome.closedAfterMs} ms`);
  });

  test('a body not complete within --request-timeout (2 s): 408 and the connection closed, after about 2 s', async () => {
    const outcome = await untilClosed(
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${JSON11}\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Length: 20\r\n\r\n{"Li`,
    );
    assert.match(outcome.received, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.ok(outcome.closedAfterMs >= 1_900, `closed after ${outcome.closedAfterMs} ms, before the timeout`);
    assert.ok(outcome.closedAfterMs < 6_000, `closed after ${outcome.closedAfterMs} ms`);
    // Its log line says what the client got (not 499, a client that went away).
    await sleep(100);
    assert.match(server.output(), /"status":408,[^\n]*"msg":"request"/);
    assert.doesNotMatch(server.output(), /"status":499/);
  });

  test('an idle kept-alive connection is closed after --keep-alive-timeout (1 s), its answer delivered first', async () => {
    const body = '{"NumberOfBytes":4}';
    const outcome = await untilClosed(
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${JSON11}\r\nX-Amz-Target: TrentService.GenerateRandom\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    assert.match(outcome.received, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(outcome.received, /\r\nKeep-Alive: timeout=1\r\n/i);
    assert.ok(outcome.closedAfterMs >= 900, `closed after ${outcome.closedAfterMs} ms`);
    assert.ok(outcome.closedAfterMs < 5_000, `closed after ${outcome.closedAfterMs} ms`);
  });
});

describe('--max-connections', () => {
  test('connections beyond the limit (4) are closed at once, unanswered; once some close, new ones are served', async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => openSocket()));
    await sleep(100);
    const excess = await untilClosed('GET /health HTTP/1.1\r\nHost: x\r\n\r\n', 3_000);
    assert.equal(excess.received, '', 'an excess connection gets no answer');
    assert.ok(excess.closedAfterMs < 900, `closed after ${excess.closedAfterMs} ms: not by a timeout`);
    for (const socket of held) socket.destroy();
    await sleep(200);
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
    assert.match(server.output(), /"msg":"connection limit reached: new connections are being closed"/);
  });
});

describe('the configuration is checked', () => {
  test('a headers timeout above the request timeout, or a limit of 0 connections, stops the start with a clear message', async () => {
    await assert.rejects(startServer({ args: ['--headers-timeout', '40', '--request-timeout', '30'] }), /--headers-timeout \(40\) must not exceed --request-timeout \(30\)/);
    await assert.rejects(startServer({ args: ['--max-connections', '0'] }), /--max-connections must be a whole number of at least 1, got 0/);
  });
});

describe('the log', () => {
  test('timeouts and dropped connections are not logged as server faults', () => {
    assert.doesNotMatch(server.output(), /"level":50/);
  });
});
