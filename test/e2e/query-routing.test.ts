// Hostile routing on the shared endpoint (signed mode): a request signed for one service cannot
// act on another. A form body signed for STS that names an IAM action is an unknown STS action; a
// form body signed for KMS is checked as an IAM call and its scope refused; a KMS call signed for
// IAM is refused; a form body that also carries X-Amz-Target stays a KMS request.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { startServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;

before(async () => {
  server = await startServer({ dev: false });
});
after(async () => {
  await server?.stop();
});

async function send(service: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const url = new URL(server.url);
  const request = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers: { host: url.host, ...headers }, body });
  const signed = await new SignatureV4({ credentials: server.credentials(), region: 'us-east-1', service, sha256: Sha256 }).sign(request);
  const sent = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k.toLowerCase() !== 'host'));
  const response = await fetch(server.url, { method: 'POST', headers: sent, body });
  return { status: response.status, text: await response.text() };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

test('an IAM action signed for STS is an unknown STS action, and creates nothing', async () => {
  const r = await send('sts', 'Action=CreateUser&Version=2010-05-08&UserName=mallory', FORM);
  assert.equal(r.status, 400, r.text);
  assert.match(r.text, /<Code>InvalidAction<\/Code>/);
  const list = await send('iam', 'Action=ListUsers&Version=2010-05-08', FORM);
  assert.equal(list.status, 200, list.text);
  assert.doesNotMatch(list.text, /mallory/);
});

test('a form body signed for KMS is not an IAM call: the scope names the wrong service', async () => {
  const r = await send('kms', 'Action=CreateUser&Version=2010-05-08&UserName=mallory2', FORM);
  assert.equal(r.status, 403, r.text);
  assert.match(r.text, /<Code>SignatureDoesNotMatch<\/Code>/);
  assert.match(r.text, /<Message>Credential should be scoped to correct service: &apos;iam&apos;\.<\/Message>/);
});

test('a KMS call signed for IAM is refused; a form body with X-Amz-Target stays a KMS request', async () => {
  const kms = await send('iam', '{}', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' });
  assert.equal(kms.status, 400, kms.text);
  assert.equal((JSON.parse(kms.text) as { __type: string }).__type, 'InvalidSignatureException');
  const mixed = await send('kms', 'Action=ListUsers&Version=2010-05-08', { ...FORM, 'x-amz-target': 'TrentService.ListKeys' });
  assert.equal((JSON.parse(mixed.text) as { __type: string }).__type, 'UnsupportedMediaTypeException');
});
