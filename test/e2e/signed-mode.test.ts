// Signed mode (no --dev): every request must carry a valid SigV4 signature by a known access key.
// @aws-sdk/client-kms with the bootstrap credentials, raw fetch with @smithy/signature-v4 for
// what the SDK will not send (old dates, presigned URLs, no signature), and the log must never
// show a secret or a plaintext.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const JSON11 = 'application/x-amz-json-1.1';
const AMZ_DATE = /^\d{8}T\d{6}Z$/;

/** Distinctive values that must never reach the log. */
const PLAINTEXT = 'plaintext-canary-Zq7xW3vR9k-never-log-me';
const WRONG_SECRET = 'wrong-secret-canary-Hn4pL8sT2yJ6bV0cX5mQ';

let server: TestServer;
let kms: KMSClient;
let creds: { accessKeyId: string; secretAccessKey: string };
let account: string;
/** Secrets produced during the run (data keys, random bytes), checked against the log at the end. */
const producedSecrets: Buffer[] = [];

before(async () => {
  // trace: the most verbose log the server has, which must still hold no secret.
  server = await startServer({ dev: false, args: ['--log-level', 'trace'] });
  creds = server.credentials();
  kms = server.client(creds);
  const ready = /"accountId":"(\d{12})"/.exec(server.output());
  assert.ok(ready, server.output());
  account = ready[1]!;
});
after(async () => {
  kms?.destroy();
  await server?.stop();
});

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

interface SignOptions {
  operation?: string;
  input?: unknown;
  signingDate?: Date;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  service?: string;
  /** Presign (query-string auth) instead of an Authorization header. */
  presign?: { expiresIn?: number; hoistTarget?: boolean };
  /** The name the target header is given before signing; the SDKs' serializers use 'x-amz-target'. */
  targetHeaderName?: string;
  /** Sent instead of the signed body. */
  tamperedBody?: string;
  /** Headers left out of the signature (smithy's unsignableHeaders), as a careless client would. */
  unsignedHeaders?: string[];
  /** Headers set after signing: what someone holding the signed request can change. */
  headersAfterSigning?: Record<string, string>;
  sessionToken?: string;
}

/** Signs a KMS call with @smithy/signature-v4 and sends it with fetch. */
async function signedFetch(o: SignOptions = {}): Promise<RawResponse> {
  const url = new URL(server.url);
  const body = JSON.stringify(o.input ?? {});
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': JSON11, [o.targetHeaderName ?? 'x-amz-target']: `TrentService.${o.operation ?? 'ListKeys'}` },
    body,
  });
  const signer = new SignatureV4({
    credentials: { ...(o.credentials ?? creds), ...(o.sessionToken !== undefined && { sessionToken: o.sessionToken }) },
    region: 'us-east-1',
    service: o.service ?? 'kms',
    sha256: Sha256,
  });
  const signingDate = o.signingDate ?? new Date();
  const signed = o.presign
    ? await signer.presign(request, {
        signingDate,
        expiresIn: o.presign.expiresIn ?? 300,
        ...(o.presign.hoistTarget ? {} : { unhoistableHeaders: new Set(['x-amz-target']) }),
      })
    : await signer.sign(request, { signingDate, ...(o.unsignedHeaders && { unsignableHeaders: new Set(o.unsignedHeaders) }) });
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k.toLowerCase() !== 'host'));
  for (const [name, value] of Object.entries(o.headersAfterSigning ?? {})) {
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = value;
  }
  return send(`${server.url}/${query ? `?${query}` : ''}`, { method: 'POST', headers, body: o.tamperedBody ?? body });
}

async function send(url: string, init: RequestInit): Promise<RawResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // asserted by the callers
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** An AWS JSON 1.1 error: status, {"__type", "message"} body, JSON 1.1 content type, a request id. */
function assertAwsError(res: RawResponse, status: number, type: string, message?: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers.get('content-type'), JSON11);
  assert.ok(res.headers.get('x-amzn-requestid'), 'x-amzn-requestid header');
  assert.deepEqual(Object.keys(res.json).sort(), ['__type', 'message']);
  assert.equal(res.json.__type, type);
  assert.equal(typeof res.json.message, 'string');
  if (message !== undefined) assert.equal(res.json.message, message);
}

function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]|\.\d{3}/g, '');
}

describe('signed mode with @aws-sdk/client-kms', () => {
  test('the bootstrap credentials work for a representative set of operations', async () => {
    const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({ Description: 'signed', Tags: [{ TagKey: 't', TagValue: 'v' }] }));
    assert.ok(key);
    assert.equal(key.AWSAccountId, account);
    assert.equal(key.Arn, `arn:aws:kms:us-east-1:${account}:key/${key.KeyId}`);
    const keyId = key.KeyId!;

    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'signed, updated' }));
    const described = await kms.send(new DescribeKeyCommand({ KeyId: key.Arn }));
    assert.equal(described.KeyMetadata!.Description, 'signed, updated');
    const listed = await kms.send(new ListKeysCommand({}));
    assert.ok(listed.Keys!.some((k) => k.KeyId === keyId));
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
    assert.deepEqual(tags.Tags, [{ TagKey: 't', TagValue: 'v' }]);

    await kms.send(new CreateAliasCommand({ AliasName: 'alias/signed', TargetKeyId: keyId }));
    const aliases = await kms.send(new ListAliasesCommand({ KeyId: keyId }));
    assert.deepEqual(aliases.Aliases!.map((a) => [a.AliasName, a.AliasArn]), [['alias/signed', `arn:aws:kms:us-east-1:${account}:alias/signed`]]);

    const enc = await kms.send(new EncryptCommand({ KeyId: 'alias/signed', Plaintext: Buffer.from(PLAINTEXT), EncryptionContext: { who: 'signed-mode' } }));
    assert.equal(enc.KeyId, key.Arn);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { who: 'signed-mode' } }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), PLAINTEXT);

    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    producedSecrets.push(Buffer.from(dk.Plaintext!));
    const dkNoPlain = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, NumberOfBytes: 16 }));
    const dkDec = await kms.send(new DecryptCommand({ CiphertextBlob: dkNoPlain.CiphertextBlob }));
    producedSecrets.push(Buffer.from(dkDec.Plaintext!));
    assert.equal(dkDec.Plaintext!.length, 16);

    const { KeyMetadata: other } = await kms.send(new CreateKeyCommand({}));
    const re = await kms.send(new ReEncryptCommand({ CiphertextBlob: dk.CiphertextBlob, DestinationKeyId: other!.KeyId }));
    assert.equal(re.KeyId, other!.Arn);
    const reDec = await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob }));
    assert.deepEqual(Buffer.from(reDec.Plaintext!), Buffer.from(dk.Plaintext!));

    const random = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    assert.equal(random.Plaintext!.length, 32);
    producedSecrets.push(Buffer.from(random.Plaintext!));

    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/signed', TargetKeyId: other!.KeyId }));
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    const disabled = await awsError(() => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })));
    assert.deepEqual(disabled, { name: 'DisabledException', message: `${key.Arn} is disabled.`, status: 400 });
    await kms.send(new EnableKeyCommand({ KeyId: keyId }));

    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyState, 'PendingDeletion');
    await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/signed' }));
    assert.equal((await kms.send(new ListAliasesCommand({ KeyId: other!.KeyId }))).Aliases!.length, 0);
  });

  test('the region is the one in the credential scope', async () => {
    const tokyo = server.client({ ...creds, region: 'ap-northeast-1' });
    try {
      const { KeyMetadata: key } = await tokyo.send(new CreateKeyCommand({}));
      assert.equal(key!.Arn, `arn:aws:kms:ap-northeast-1:${account}:key/${key!.KeyId}`);
      const here = await kms.send(new ListKeysCommand({}));
      assert.ok(!here.Keys!.some((k) => k.KeyId === key!.KeyId), 'a key of ap-northeast-1 is listed in us-east-1');
      const missing = await awsError(() => kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId })));
      assert.equal(missing.name, 'NotFoundException');
    } finally {
      tokyo.destroy();
    }
  });

  test('a wrong secret key is InvalidSignatureException with AWS text', async () => {
    const client = server.client({ accessKeyId: creds.accessKeyId, secretAccessKey: WRONG_SECRET });
    try {
      const err = await awsError(() => client.send(new ListKeysCommand({})));
      assert.deepEqual(err, { name: 'InvalidSignatureException', message: SIGNATURE_MISMATCH, status: 400 });
      const err2 = await awsError(() => client.send(new EncryptCommand({ KeyId: 'alias/x', Plaintext: Buffer.from(PLAINTEXT) })));
      assert.deepEqual(err2, { name: 'InvalidSignatureException', message: SIGNATURE_MISMATCH, status: 400 });
    } finally {
      client.destroy();
    }
  });

  test('an unknown access key, and dummy test/test credentials, are UnrecognizedClientException', async () => {
    for (const c of [
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      { accessKeyId: 'test', secretAccessKey: 'test' },
      { accessKeyId: '123456789012', secretAccessKey: 'test' },
    ]) {
      const client = server.client(c);
      try {
        const err = await awsError(() => client.send(new ListKeysCommand({})));
        assert.deepEqual(err, { name: 'UnrecognizedClientException', message: INVALID_TOKEN, status: 400 }, c.accessKeyId);
      } finally {
        client.destroy();
      }
    }
    // The default client of the helper (test/test) too.
    const dummy = server.client();
    try {
      assert.equal((await awsError(() => dummy.send(new CreateKeyCommand({})))).name, 'UnrecognizedClientException');
    } finally {
      dummy.destroy();
    }
  });
});

describe('signed mode with raw HTTP', () => {
  test('an unsigned POST is MissingAuthenticationTokenException (HTTP 403)', async () => {
    const res = await send(server.url + '/', {
      method: 'POST',
      headers: { 'content-type': JSON11, 'x-amz-target': 'TrentService.ListKeys' },
      body: '{}',
    });
    assertAwsError(res, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  });

  test('a request signed by hand with @smithy/signature-v4 now is accepted', async () => {
    const res = await signedFetch({ operation: 'GenerateRandom', input: { NumberOfBytes: 8 } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('content-type'), JSON11);
    assert.equal(Buffer.from(res.json.Plaintext as string, 'base64').length, 8);
  });

  test('an X-Amz-Date 20 minutes old is InvalidSignatureException "Signature expired: ..."', async () => {
    const signedAt = new Date(Date.now() - 20 * 60_000);
    const res = await signedFetch({ signingDate: signedAt });
    assertAwsError(res, 400, 'InvalidSignatureException');
    const message = res.json.message as string;
    assert.ok(message.startsWith('Signature expired:'), message);
    const m = /^Signature expired: (\S+) is now earlier than (\S+) \((\S+) - 15 min\.\)$/.exec(message);
    assert.ok(m, message);
    assert.equal(m[1], amzDate(new Date(Math.floor(signedAt.getTime() / 1000) * 1000)));
    assert.match(m[2]!, AMZ_DATE);
    assert.match(m[3]!, AMZ_DATE);
    // earliest = now - 15 min, and now is the server's clock (close to ours).
    const parse = (s: string) => Date.parse(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);
    assert.equal(parse(m[3]!) - parse(m[2]!), 15 * 60_000);
    assert.ok(Math.abs(parse(m[3]!) - Date.now()) < 60_000);
  });

  test('an X-Amz-Date 20 minutes ahead is InvalidSignatureException "Signature not yet current: ..."', async () => {
    const res = await signedFetch({ signingDate: new Date(Date.now() + 20 * 60_000) });
    assertAwsError(res, 400, 'InvalidSignatureException');
    assert.match(res.json.message as string, /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/);
  });

  test('a body changed after signing is InvalidSignatureException', async () => {
    const res = await signedFetch({ operation: 'GenerateRandom', input: { NumberOfBytes: 8 }, tamperedBody: '{"NumberOfBytes":9}' });
    assertAwsError(res, 400, 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  test('a signature scoped to another service is InvalidSignatureException', async () => {
    const res = await signedFetch({ service: 'dynamodb' });
    assertAwsError(res, 400, 'InvalidSignatureException', "Credential should be scoped to correct service: 'kms'.");
  });

  test('a presigned query-string request with x-amz-target signed as a header is accepted', async () => {
    const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({ Description: 'presign' }));
    const res = await signedFetch({ operation: 'DescribeKey', input: { KeyId: key!.KeyId }, presign: {} });
    assert.equal(res.status, 200, res.text);
    assert.equal((res.json.KeyMetadata as { Arn: string }).Arn, key!.Arn);
  });

  test('a presigned request with the target hoisted into the query string as X-Amz-Target is accepted', async () => {
    const res = await signedFetch({ operation: 'GenerateRandom', input: { NumberOfBytes: 4 }, presign: { hoistTarget: true }, targetHeaderName: 'X-Amz-Target' });
    assert.equal(res.status, 200, res.text);
    assert.equal(Buffer.from(res.json.Plaintext as string, 'base64').length, 4);
  });

  test('a presigned request with the target hoisted as the SDK hoists it (?x-amz-target=, lower case) is accepted', async () => {
    // @aws-sdk's JSON serializer names the header 'x-amz-target' and smithy's presign moves it to
    // the query under that same name, so this is the query string an SDK-made presigned URL has.
    const res = await signedFetch({ operation: 'GenerateRandom', input: { NumberOfBytes: 4 }, presign: { hoistTarget: true } });
    assert.equal(res.status, 200, res.text);
    assert.equal(Buffer.from(res.json.Plaintext as string, 'base64').length, 4);
  });

  test('a presigned request: wrong secret, changed body, and past X-Amz-Expires are refused', async () => {
    const wrong = await signedFetch({ presign: {}, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: WRONG_SECRET } });
    assertAwsError(wrong, 400, 'InvalidSignatureException', SIGNATURE_MISMATCH);
    const tampered = await signedFetch({ operation: 'GenerateRandom', input: { NumberOfBytes: 8 }, presign: {}, tamperedBody: '{"NumberOfBytes":9}' });
    assertAwsError(tampered, 400, 'InvalidSignatureException', SIGNATURE_MISMATCH);
    const expired = await signedFetch({ presign: { expiresIn: 60 }, signingDate: new Date(Date.now() - 5 * 60_000) });
    assertAwsError(expired, 400, 'InvalidSignatureException');
    assert.ok((expired.json.message as string).startsWith('Signature expired:'), expired.json.message as string);
    const unknown = await signedFetch({ presign: {}, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' } });
    assertAwsError(unknown, 400, 'UnrecognizedClientException', INVALID_TOKEN);
  });

  test('the --dev control paths do not exist: they answer like any unknown path and reset nothing', async () => {
    const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({ Description: 'survives' }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId, PendingWindowInDays: 7 }));
    const unknownPath = await send(server.url + '/no-such-path', { method: 'POST', body: '' });
    assert.notEqual(unknownPath.status, 200);
    for (const [path, body] of [
      ['/moto-api/reset', ''],
      ['/_kms/reset', ''],
      ['/_kms/clock', JSON.stringify({ advanceDays: 30 })],
      ['/_kms/clock', ''],
    ] as const) {
      const res = await send(server.url + path, { method: 'POST', body });
      assert.notEqual(res.status, 200, `${path}: ${res.text}`);
      assertAwsError(res, unknownPath.status, unknownPath.json.__type as string);
      assert.ok(!/"status"\s*:\s*"ok"|offsetSeconds/.test(res.text), `${path}: ${res.text}`);
    }
    const after = await kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId }));
    assert.equal(after.KeyMetadata!.KeyState, 'PendingDeletion');
    assert.equal(after.KeyMetadata!.Description, 'survives');
    const days = (after.KeyMetadata!.DeletionDate!.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days < 7.1, `the clock moved: ${after.KeyMetadata!.DeletionDate!.toISOString()}`);
    await kms.send(new CancelKeyDeletionCommand({ KeyId: key!.KeyId }));
  });
});

describe('the signed request is the request that runs', () => {
  const keyState = async (keyId: string) => (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState;

  test('a presigned DescribeKey URL sent with an extra X-Amz-Target: DisableKey header is refused, and the key stays Enabled', async () => {
    const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({ Description: 'presign target' }));
    const retargeted = await signedFetch({
      operation: 'DescribeKey',
      input: { KeyId: key!.KeyId },
      presign: { hoistTarget: true },
      headersAfterSigning: { 'X-Amz-Target': 'TrentService.DisableKey' },
    });
    assertAwsError(
      retargeted,
      400,
      'UnknownOperationException',
      'The request names more than one operation in X-Amz-Target: TrentService.DisableKey, TrentService.DescribeKey',
    );
    assert.equal(await keyState(key!.KeyId!), 'Enabled');
    // The same unsigned header naming the signed operation is refused too: it is not signed.
    const repeated = await signedFetch({
      operation: 'DescribeKey',
      input: { KeyId: key!.KeyId },
      presign: { hoistTarget: true },
      headersAfterSigning: { 'X-Amz-Target': 'TrentService.DescribeKey' },
    });
    assertAwsError(repeated, 400, 'InvalidSignatureException', "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
    // The URL as signed still works.
    const asSigned = await signedFetch({ operation: 'DescribeKey', input: { KeyId: key!.KeyId }, presign: { hoistTarget: true } });
    assert.equal(asSigned.status, 200, asSigned.text);
  });

  test('a header-signed request whose X-Amz-Target is not signed is refused, replayed as DisableKey or not, and the key stays Enabled', async () => {
    const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({ Description: 'unsigned target' }));
    const replayed = await signedFetch({
      operation: 'DescribeKey',
      input: { KeyId: key!.KeyId },
      unsignedHeaders: ['x-amz-target'],
      headersAfterSigning: { 'x-amz-target': 'TrentService.DisableKey' },
    });
    assertAwsError(replayed, 400, 'InvalidSignatureException', "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
    assert.equal(await keyState(key!.KeyId!), 'Enabled');
    const asSent = await signedFetch({ operation: 'DescribeKey', input: { KeyId: key!.KeyId }, unsignedHeaders: ['x-amz-target'] });
    assertAwsError(asSent, 400, 'InvalidSignatureException', "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
  });

  test('any other unsigned x-amz-* header is refused by name; unsigned non-amz headers are not', async () => {
    const extra = await signedFetch({ operation: 'ListKeys', headersAfterSigning: { 'X-Amz-Meta-Note': 'added later' } });
    assertAwsError(extra, 400, 'InvalidSignatureException', "'X-Amz-Meta-Note' must be a 'SignedHeader' in the AWS Authorization.");
    // Only host, x-amz-date and the x-amz-* headers sent need signing: content-type left out is fine.
    const minimal = await signedFetch({ operation: 'ListKeys', unsignedHeaders: ['content-type'], headersAfterSigning: { 'User-Agent': 'changed' } });
    assert.equal(minimal.status, 200, minimal.text);
  });

  test('a session token the server never issued is UnrecognizedClientException, header-signed or presigned, and the key stays Enabled', async () => {
    const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({ Description: 'token' }));
    const token = 'FwoGZXIvYXdzEXAMPLE-never-issued-token';
    const signed = await signedFetch({ operation: 'DisableKey', input: { KeyId: key!.KeyId }, sessionToken: token });
    assertAwsError(signed, 400, 'UnrecognizedClientException', INVALID_TOKEN);
    const presigned = await signedFetch({ operation: 'DisableKey', input: { KeyId: key!.KeyId }, sessionToken: token, presign: { hoistTarget: true } });
    assertAwsError(presigned, 400, 'UnrecognizedClientException', INVALID_TOKEN);
    assert.equal(await keyState(key!.KeyId!), 'Enabled');
    const withToken = new KMSClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1, credentials: { ...creds, sessionToken: token } });
    const refused = await awsError(() => withToken.send(new DisableKeyCommand({ KeyId: key!.KeyId })));
    withToken.destroy();
    assert.deepEqual(refused, { name: 'UnrecognizedClientException', message: INVALID_TOKEN, status: 400 });
    assert.equal(await keyState(key!.KeyId!), 'Enabled');
  });
});

describe('the log', () => {
  test('never contains the secret access key, a wrong secret, or any plaintext sent or received', () => {
    const log = server.output();
    assert.match(log, /"operation":"Encrypt"/, 'the log should record calls');
    const forbidden: [string, string][] = [
      ['the secret access key', creds.secretAccessKey],
      ['the wrong secret', WRONG_SECRET],
      ['the plaintext', PLAINTEXT],
      ['the plaintext in base64', Buffer.from(PLAINTEXT).toString('base64')],
      ['the plaintext in hex', Buffer.from(PLAINTEXT).toString('hex')],
    ];
    for (const secret of producedSecrets) {
      forbidden.push(['a returned secret in base64', secret.toString('base64')], ['a returned secret in hex', secret.toString('hex')]);
    }
    assert.ok(producedSecrets.length >= 3);
    for (const [what, value] of forbidden) {
      assert.ok(!log.includes(value), `${what} (${value}) appears in the log`);
    }
  });
});
