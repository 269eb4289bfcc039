import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';

import { Sha256 } from '@aws-crypto/sha256-js';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

import { canonicalQuery, canonicalUri } from '../../../src/auth/canonical-request.js';
import { deriveSigningKey, SigningKeyCache } from '../../../src/auth/signing-key-cache.js';
import {
  readCredentialScope,
  verifySigV4,
  type IncomingSignedRequest,
  type SecretLookup,
} from '../../../src/auth/sigv4.js';
import { KmsError } from '../../../src/errors/aws-errors.js';

// ---------------------------------------------------------------------------------------------
// Fixtures

const AKID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SUITE_AKID = 'AKIDEXAMPLE'; // AWS SigV4 test suite credentials
const SUITE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SIGNED_AT = new Date('2026-11-29T12:00:00Z');

const SECRETS = new Map([
  [AKID, SECRET],
  [SUITE_AKID, SUITE_SECRET],
]);
const lookup: SecretLookup = async (id) => SECRETS.get(id);

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function signer(secretAccessKey = SECRET, sessionToken?: string): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: AKID, secretAccessKey, ...(sessionToken !== undefined && { sessionToken }) },
    region: 'us-east-1',
    service: 'kms',
    sha256: Sha256,
  });
}

/** The request @aws-sdk/client-kms sends for ListKeys (user-agent is never signed). */
function kmsRequest(body = '{}', target = 'TrentService.ListKeys'): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4599,
    path: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      host: '127.0.0.1:4599',
      'content-length': String(Buffer.byteLength(body)),
      'amz-sdk-invocation-id': '5b3c7a52-8a4b-4f0e-9c1e-2d8c5d7e9f00',
      'amz-sdk-request': 'attempt=1; max=3',
      'user-agent': 'aws-sdk-js/3.0.0',
    },
    body,
  });
}

/** What node's http server would hand us: lower-case header names, raw query, Buffer body. */
function incoming(req: HttpRequest, body: Buffer = Buffer.from((req.body as string | undefined) ?? '')): IncomingSignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  return { method: req.method, path: req.path, query: rawQuery(req.query ?? {}), headers, body };
}

// RFC 3986 encoding, as an SDK would put the query on the wire.
const enc = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function rawQuery(query: Record<string, string | string[] | null>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === null) parts.push(enc(name));
    else for (const v of Array.isArray(value) ? value : [value]) parts.push(`${enc(name)}=${enc(v)}`);
  }
  return parts.join('&');
}

async function signed(opts: { body?: string; secret?: string; sessionToken?: string; at?: Date } = {}) {
  const req = await signer(opts.secret, opts.sessionToken).sign(kmsRequest(opts.body), {
    signingDate: opts.at ?? SIGNED_AT,
  });
  return incoming(req as HttpRequest);
}

async function presigned(opts: { expiresIn?: number; at?: Date } = {}) {
  const req = await signer().presign(kmsRequest(), {
    signingDate: opts.at ?? SIGNED_AT,
    expiresIn: opts.expiresIn ?? 300,
  });
  return incoming(req as HttpRequest);
}

async function assertAwsError(promise: Promise<unknown>, code: string, message: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof KmsError, `expected a KmsError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.message, message);
    return true;
  });
}

const at = (iso: string) => ({ now: new Date(iso) });

/** Rebuilds an Authorization header with one parameter replaced. */
function withAuth(req: IncomingSignedRequest, authorization: string): IncomingSignedRequest {
  return { ...req, headers: { ...req.headers, authorization } };
}

// ---------------------------------------------------------------------------------------------

describe('verifySigV4: requests signed like @aws-sdk/client-kms', () => {
  it('accepts a header-signed ListKeys and reports who signed it', async () => {
    const caller = await verifySigV4(await signed(), lookup, at('2026-11-29T12:00:30Z'));
    assert.deepEqual(caller, {
      accessKeyId: AKID,
      region: 'us-east-1',
      service: 'kms',
      signedAt: SIGNED_AT,
    });
  });

  it('accepts a session token sent as x-amz-security-token and returns it', async () => {
    const req = await signed({ sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN//+==' });
    assert.match(String(req.headers.authorization), /SignedHeaders=[^,]*x-amz-security-token/);
    const caller = await verifySigV4(req, lookup, at('2026-11-29T12:00:00Z'));
    assert.equal(caller.sessionToken, 'FwoGZXIvYXdzEXAMPLETOKEN//+==');
  });

  it('hands the session token to the secret lookup, which may refuse it', async () => {
    const req = await signed({ sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN//+==' });
    const seen: Array<[string, string | undefined]> = [];
    const refuseTokens: SecretLookup = async (id, token) => {
      seen.push([id, token]);
      return token === undefined ? SECRETS.get(id) : undefined;
    };
    await assertAwsError(
      verifySigV4(req, refuseTokens, at('2026-11-29T12:00:00Z')),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
    assert.deepEqual(seen, [[AKID, 'FwoGZXIvYXdzEXAMPLETOKEN//+==']]);
    await verifySigV4(await signed(), refuseTokens, at('2026-11-29T12:00:00Z'));
    assert.deepEqual(seen[1], [AKID, undefined]);
  });

  it('finds a session token in the query string too, in any case, header-signed or presigned', async () => {
    const seen: Array<string | undefined> = [];
    const refuseTokens: SecretLookup = async (id, token) => {
      seen.push(token);
      return token === undefined ? SECRETS.get(id) : undefined;
    };
    const headerSigned = kmsRequest();
    headerSigned.query = { 'X-Amz-Security-Token': 'forged-1' };
    const presign = kmsRequest();
    presign.query = { 'x-amz-security-token': 'forged-2' };
    const requests = [
      incoming((await signer().sign(headerSigned, { signingDate: SIGNED_AT })) as HttpRequest),
      incoming((await signer().presign(presign, { signingDate: SIGNED_AT, expiresIn: 300 })) as HttpRequest),
    ];
    for (const req of requests) {
      await assertAwsError(verifySigV4(req, refuseTokens, at('2026-11-29T12:00:00Z')), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    assert.deepEqual(seen, ['forged-1', 'forged-2']);
    // Two different tokens are not one valid token, whatever the lookup would say.
    const both = kmsRequest();
    both.query = { 'X-Amz-Security-Token': 'a' };
    both.headers['x-amz-security-token'] = 'b';
    await assertAwsError(
      verifySigV4(incoming((await signer().sign(both, { signingDate: SIGNED_AT })) as HttpRequest), lookup, at('2026-11-29T12:00:00Z')),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });

  it('refuses an x-amz-* header that is not signed, naming it, before looking at the clock or the key', async () => {
    const req = await signer().sign(kmsRequest(), { signingDate: SIGNED_AT, unsignableHeaders: new Set(['x-amz-target']) });
    const unsignedTarget = incoming(req as HttpRequest);
    assert.doesNotMatch(String(unsignedTarget.headers.authorization), /x-amz-target/);
    const none: SecretLookup = async () => undefined;
    // Years later and with an unknown key: the unsigned header is still the fault reported.
    await assertAwsError(
      verifySigV4(unsignedTarget, none, at('2030-01-01T00:00:00Z')),
      'InvalidSignatureException',
      "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
    );
    const signedOk = await signed();
    await assertAwsError(
      verifySigV4({ ...signedOk, headers: { ...signedOk.headers, 'x-amz-security-token': 'added' } }, lookup, at('2026-11-29T12:00:00Z')),
      'InvalidSignatureException',
      "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.",
    );
    // Headers outside x-amz-* may go unsigned (user-agent, amz-sdk-*: the SDK never signs some of them).
    await verifySigV4({ ...signedOk, headers: { ...signedOk.headers, 'user-agent': 'other', 'x-amzn-trace-id': 'Root=1' } }, lookup, at('2026-11-29T12:00:00Z'));
  });

  it('accepts a body with multi-byte characters', async () => {
    const body = JSON.stringify({ KeyId: 'alias/ключ', Plaintext: 'w6k=' });
    await verifySigV4(await signed({ body }), lookup, at('2026-11-29T12:00:00Z'));
  });

  it('enforces expectedRegion and expectedService when given', async () => {
    const req = await signed();
    await verifySigV4(req, lookup, { now: SIGNED_AT, expectedRegion: 'us-east-1', expectedService: 'kms' });
    await assertAwsError(
      verifySigV4(req, lookup, { now: SIGNED_AT, expectedRegion: 'eu-west-1', expectedService: 'sqs' }),
      'InvalidSignatureException',
      "Credential should be scoped to a valid region, not 'us-east-1'. Credential should be scoped to correct service: 'sqs'.",
    );
  });

  it('rejects a flipped body byte', async () => {
    const req = await signed({ body: '{"Limit":10}' });
    const body = Buffer.from(req.body);
    body[9] = body[9]! ^ 0x01;
    await assertAwsError(verifySigV4({ ...req, body }, lookup, at('2026-11-29T12:00:00Z')), 'InvalidSignatureException', MISMATCH);
  });

  it('rejects a flipped body byte when x-amz-content-sha256 is not sent (signature covers the hash)', async () => {
    const unchecked = new SignatureV4({
      credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
      region: 'us-east-1',
      service: 'kms',
      sha256: Sha256,
      applyChecksum: false,
    });
    const req = incoming((await unchecked.sign(kmsRequest('{"Limit":10}'), { signingDate: SIGNED_AT })) as HttpRequest);
    assert.equal(req.headers['x-amz-content-sha256'], undefined);
    await verifySigV4(req, lookup, at('2026-11-29T12:00:00Z'));
    await assertAwsError(
      verifySigV4({ ...req, body: Buffer.from('{"Limit":11}') }, lookup, at('2026-11-29T12:00:00Z')),
      'InvalidSignatureException',
      MISMATCH,
    );
  });

  it('does not honour UNSIGNED-PAYLOAD for KMS', async () => {
    const http = kmsRequest('{}');
    http.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const req = incoming((await signer().sign(http, { signingDate: SIGNED_AT })) as HttpRequest);
    await assertAwsError(verifySigV4(req, lookup, at('2026-11-29T12:00:00Z')), 'InvalidSignatureException', MISMATCH);
  });

  it('rejects a signature made with the wrong secret', async () => {
    const req = await signed({ secret: 'not-the-secret' });
    await assertAwsError(verifySigV4(req, lookup, at('2026-11-29T12:00:00Z')), 'InvalidSignatureException', MISMATCH);
  });

  it('rejects an unknown access key id', async () => {
    const req = await signed();
    const none: SecretLookup = async () => undefined;
    await assertAwsError(
      verifySigV4(req, none, at('2026-11-29T12:00:00Z')),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });

  it('rejects a tampered signed header (x-amz-target)', async () => {
    const req = await signed();
    const tampered = { ...req, headers: { ...req.headers, 'x-amz-target': 'TrentService.ScheduleKeyDeletion' } };
    await assertAwsError(verifySigV4(tampered, lookup, at('2026-11-29T12:00:00Z')), 'InvalidSignatureException', MISMATCH);
  });

  it('ignores changes to headers that were not signed (user-agent)', async () => {
    const req = await signed();
    await verifySigV4({ ...req, headers: { ...req.headers, 'user-agent': 'curl/8' } }, lookup, at('2026-11-29T12:00:00Z'));
  });

  it('rejects a tampered method or path', async () => {
    const req = await signed();
    await assertAwsError(verifySigV4({ ...req, method: 'PUT' }, lookup, at('2026-11-29T12:00:00Z')), 'InvalidSignatureException', MISMATCH);
    await assertAwsError(verifySigV4({ ...req, path: '/x' }, lookup, at('2026-11-29T12:00:00Z')), 'InvalidSignatureException', MISMATCH);
  });

  it('rejects a signature in upper-case hex or truncated', async () => {
    const req = await signed();
    const auth = String(req.headers.authorization);
    const sig = /Signature=([0-9a-f]+)/.exec(auth)![1]!;
    await assertAwsError(verifySigV4(withAuth(req, auth.replace(sig, sig.toUpperCase())), lookup, at('2026-11-29T12:00:00Z')), 'InvalidSignatureException', MISMATCH);
    await assertAwsError(verifySigV4(withAuth(req, auth.replace(sig, sig.slice(0, 63))), lookup, at('2026-11-29T12:00:00Z')), 'InvalidSignatureException', MISMATCH);
  });
});

describe('verifySigV4: clock window', () => {
  it('accepts exactly 15 minutes either way', async () => {
    const req = await signed();
    await verifySigV4(req, lookup, at('2026-11-29T12:15:00Z'));
    await verifySigV4(req, lookup, at('2026-11-29T11:45:00Z'));
  });

  it('rejects a request signed more than 15 minutes ago, with AWS wording', async () => {
    await assertAwsError(
      verifySigV4(await signed(), lookup, at('2026-11-29T12:45:00Z')),
      'InvalidSignatureException',
      'Signature expired: 20261129T120000Z is now earlier than 20261129T123000Z (20261129T124500Z - 15 min.)',
    );
  });

  it('rejects a request signed more than 15 minutes in the future, with AWS wording', async () => {
    await assertAwsError(
      verifySigV4(await signed({ at: new Date('2026-11-29T13:00:01Z') }), lookup, at('2026-11-29T12:45:00.900Z')),
      'InvalidSignatureException',
      'Signature not yet current: 20261129T130001Z is still later than 20261129T130000Z (20261129T124500Z + 15 min.)',
    );
  });

  it('honours maxSkewMs', async () => {
    await assertAwsError(
      verifySigV4(await signed(), lookup, { now: new Date('2026-11-29T12:05:01Z'), maxSkewMs: 5 * 60_000 }),
      'InvalidSignatureException',
      'Signature expired: 20261129T120000Z is now earlier than 20261129T120001Z (20261129T120501Z - 5 min.)',
    );
  });

  it('checks the clock before looking up the key, as AWS orders its errors', async () => {
    const none: SecretLookup = async () => undefined;
    await assertAwsError(
      verifySigV4(await signed(), none, at('2026-11-29T13:00:00Z')),
      'InvalidSignatureException',
      'Signature expired: 20261129T120000Z is now earlier than 20261129T124500Z (20261129T130000Z - 15 min.)',
    );
  });
});

describe('verifySigV4: presigned query-string requests', () => {
  it('accepts a smithy-presigned request within its expiry', async () => {
    const req = await presigned({ expiresIn: 3600 });
    assert.match(req.query, /X-Amz-Signature=/);
    assert.equal(req.headers.authorization, undefined);
    const caller = await verifySigV4(req, lookup, at('2026-11-29T12:59:00Z')); // 59 min later: past the skew, within expiry
    assert.equal(caller.accessKeyId, AKID);
    assert.deepEqual(caller.signedAt, SIGNED_AT);
  });

  it('accepts the query parameters in any order', async () => {
    const req = await presigned();
    const shuffled = req.query.split('&').reverse().join('&');
    await verifySigV4({ ...req, query: shuffled }, lookup, at('2026-11-29T12:01:00Z'));
  });

  it('rejects an expired presigned request', async () => {
    await assertAwsError(
      verifySigV4(await presigned({ expiresIn: 300 }), lookup, at('2026-11-29T12:05:01Z')),
      'InvalidSignatureException',
      'Signature expired: 20261129T120000Z is now earlier than 20261129T120001Z (20261129T120501Z - 5 min.)',
    );
  });

  it('rejects a presigned request dated in the future', async () => {
    await assertAwsError(
      verifySigV4(await presigned({ at: new Date('2026-11-29T12:20:00Z') }), lookup, at('2026-11-29T12:00:00Z')),
      'InvalidSignatureException',
      'Signature not yet current: 20261129T122000Z is still later than 20261129T121500Z (20261129T120000Z + 15 min.)',
    );
  });

  it('rejects a tampered query parameter', async () => {
    const req = await presigned();
    const query = req.query.replace('TrentService.ListKeys', 'TrentService.Decrypt');
    assert.notEqual(query, req.query);
    await assertAwsError(verifySigV4({ ...req, query }, lookup, at('2026-11-29T12:00:00Z')), 'InvalidSignatureException', MISMATCH);
  });

  it('rejects X-Amz-Expires beyond a week or not a number', async () => {
    const req = await presigned();
    await assertAwsError(
      verifySigV4({ ...req, query: req.query.replace('X-Amz-Expires=300', 'X-Amz-Expires=604801') }, lookup, at('2026-11-29T12:00:00Z')),
      'IncompleteSignatureException',
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    );
    await assertAwsError(
      verifySigV4({ ...req, query: req.query.replace('X-Amz-Expires=300', 'X-Amz-Expires=soon') }, lookup, at('2026-11-29T12:00:00Z')),
      'IncompleteSignatureException',
      'X-Amz-Expires should be a number',
    );
  });

  it('lists every missing query parameter', async () => {
    await assertAwsError(
      verifySigV4(
        { method: 'GET', path: '/', query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261129T120000Z', headers: { host: 'h' }, body: Buffer.alloc(0) },
        lookup,
        at('2026-11-29T12:00:00Z'),
      ),
      'IncompleteSignatureException',
      "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. " +
        "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
    );
  });

  it('refuses a request carrying both an Authorization header and a presigned query', async () => {
    const header = await signed();
    const query = await presigned();
    await assertAwsError(
      verifySigV4({ ...header, query: query.query }, lookup, at('2026-11-29T12:00:00Z')),
      'InvalidSignatureException',
      MISMATCH,
    );
  });
});

describe('verifySigV4: missing or malformed authentication', () => {
  const bare: IncomingSignedRequest = {
    method: 'POST',
    path: '/',
    query: '',
    headers: { host: '127.0.0.1:4599', 'x-amz-date': '20261129T120000Z', 'x-amz-target': 'TrentService.ListKeys' },
    body: Buffer.from('{}'),
  };
  const now = at('2026-11-29T12:00:00Z');
  const cred = `Credential=${AKID}/20261129/us-east-1/kms/aws4_request`;
  const sh = 'SignedHeaders=host;x-amz-date;x-amz-target';
  const sig = `Signature=${'0'.repeat(64)}`;

  it('no Authorization header and no presigned query → MissingAuthenticationTokenException', async () => {
    await assertAwsError(verifySigV4(bare, lookup, now), 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  });

  it('an unknown X-Amz-Algorithm is not SigV4 at all → MissingAuthenticationTokenException', async () => {
    await assertAwsError(
      verifySigV4({ ...bare, query: 'X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256' }, lookup, now),
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
    );
  });

  it('missing Signature and SignedHeaders', async () => {
    const header = `AWS4-HMAC-SHA256 ${cred}`;
    await assertAwsError(
      verifySigV4(withAuth(bare, header), lookup, now),
      'IncompleteSignatureException',
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        `Authorization=${header}`,
    );
  });

  it('missing Credential', async () => {
    const header = `AWS4-HMAC-SHA256 ${sh}, ${sig}`;
    await assertAwsError(
      verifySigV4(withAuth(bare, header), lookup, now),
      'IncompleteSignatureException',
      `Authorization header requires 'Credential' parameter. Authorization=${header}`,
    );
  });

  it('no date header at all', async () => {
    const header = `AWS4-HMAC-SHA256 ${cred}, ${sh}, ${sig}`;
    const { ['x-amz-date']: _omit, ...headers } = bare.headers;
    await assertAwsError(
      verifySigV4({ ...bare, headers: { ...headers, authorization: header } }, lookup, now),
      'IncompleteSignatureException',
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${header}`,
    );
  });

  it('a non-SigV4 Authorization header (a bearer token) reads as every part missing', async () => {
    await assertAwsError(
      verifySigV4(withAuth(bare, 'eyJhbGciOiJIUzI1NiJ9.e30.x'), lookup, now),
      'IncompleteSignatureException',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization=eyJhbGciOiJIUzI1NiJ9.e30.x",
    );
  });

  it('a token without an equal sign (stray space in the access key)', async () => {
    const header = `AWS4-HMAC-SHA256 Credential=${AKID} /20261129/us-east-1/kms/aws4_request, ${sh}, ${sig}`;
    await assertAwsError(
      verifySigV4(withAuth(bare, header), lookup, now),
      'IncompleteSignatureException',
      `'/20261129/us-east-1/kms/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
    );
  });

  it('an unsupported algorithm', async () => {
    await assertAwsError(
      verifySigV4(withAuth(bare, `AWS4-HMAC-SHA512 ${cred}, ${sh}, ${sig}`), lookup, now),
      'IncompleteSignatureException',
      "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'.",
    );
  });

  it('host not among the signed headers, even with :authority (which HTTP/1.1 never carries) in its place', async () => {
    for (const signedHeaders of ['x-amz-date;x-amz-target', ':authority;x-amz-date;x-amz-target']) {
      await assertAwsError(
        verifySigV4(withAuth(bare, `AWS4-HMAC-SHA256 ${cred}, SignedHeaders=${signedHeaders}, ${sig}`), lookup, now),
        'InvalidSignatureException',
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      );
    }
  });

  it('a date not in ISO 8601 basic format', async () => {
    await assertAwsError(
      verifySigV4(
        { ...bare, headers: { ...bare.headers, 'x-amz-date': '2026-11-29T12:00:00Z', authorization: `AWS4-HMAC-SHA256 ${cred}, ${sh}, ${sig}` } },
        lookup,
        now,
      ),
      'IncompleteSignatureException',
      "Date must be in ISO-8601 'basic format'. Got '2026-11-29T12:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
  });

  it('a credential without five parts', async () => {
    await assertAwsError(
      verifySigV4(withAuth(bare, `AWS4-HMAC-SHA256 Credential=${AKID}/20261129/us-east-1/kms, ${sh}, ${sig}`), lookup, now),
      'IncompleteSignatureException',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${AKID}/20261129/us-east-1/kms'`,
    );
  });

  it('a credential scope with the wrong date and terminator', async () => {
    await assertAwsError(
      verifySigV4(withAuth(bare, `AWS4-HMAC-SHA256 Credential=${AKID}/20261128/us-east-1/kms/aws5_request, ${sh}, ${sig}`), lookup, now),
      'InvalidSignatureException',
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261128' != '20261129', from '20261129T120000Z'.",
    );
  });

  it('a well-formed header with a bad signature', async () => {
    await assertAwsError(verifySigV4(withAuth(bare, `AWS4-HMAC-SHA256 ${cred}, ${sh}, ${sig}`), lookup, now), 'InvalidSignatureException', MISMATCH);
  });
});

// ---------------------------------------------------------------------------------------------
// Published vectors. The aws-sig-v4-test-suite cases (as vendored in awslabs/aws-c-auth,
// tests/aws-signing-test-suite/v4/*) all sign for AKIDEXAMPLE at 20150830T123600Z in us-east-1
// for service "service"; the IAM ListUsers case is the worked example from AWS's SigV4 docs.

describe('verifySigV4: AWS published test vectors', () => {
  const now = at('2015-08-30T12:36:00Z');
  const scope = `Credential=${SUITE_AKID}/20150830/us-east-1/service/aws4_request`;
  const vector = (
    method: string,
    pathAndQuery: string,
    headers: Record<string, string | string[]>,
    signedHeaders: string,
    signature: string,
    body = '',
  ): IncomingSignedRequest => {
    const [path = '', query = ''] = pathAndQuery.split('?');
    return {
      method,
      path,
      query,
      headers: {
        host: 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        ...headers,
        authorization: `AWS4-HMAC-SHA256 ${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
      },
      body: Buffer.from(body),
    };
  };

  const cases: Array<[string, IncomingSignedRequest]> = [
    ['get-vanilla', vector('GET', '/', {}, 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')],
    ['post-vanilla', vector('POST', '/', {}, 'host;x-amz-date', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b')],
    [
      'get-vanilla-query-order-key-case',
      vector('GET', '/?Param2=value2&Param1=value1', {}, 'host;x-amz-date', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'),
    ],
    [
      'get-vanilla-query-unreserved',
      vector(
        'GET',
        '/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
        {},
        'host;x-amz-date',
        '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
      ),
    ],
    // "/./" normalizes to "/", so the signature is get-vanilla's.
    ['get-slash-dot-slash-normalized', vector('GET', '/./', {}, 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')],
    [
      'get-header-value-trim',
      vector('GET', '/', { 'my-header1': 'value1', 'my-header2': '"a   b   c"' }, 'host;my-header1;my-header2;x-amz-date', 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736'),
    ],
    [
      'get-header-key-duplicate (values joined with "," in arrival order)',
      vector('GET', '/', { 'my-header1': ['value2', 'value2', 'value1'] }, 'host;my-header1;x-amz-date', 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea'),
    ],
    [
      'get-vanilla-with-session-token',
      vector(
        'GET',
        '/',
        { 'x-amz-security-token': '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267' },
        'host;x-amz-date;x-amz-security-token',
        '07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8',
      ),
    ],
    [
      'post-x-www-form-urlencoded (signed body hash)',
      vector(
        'POST',
        '/',
        {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': '13',
          'x-amz-content-sha256': '9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
        },
        'content-length;content-type;host;x-amz-content-sha256;x-amz-date',
        'd3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b',
        'Param1=value1',
      ),
    ],
  ];

  for (const [name, req] of cases) {
    it(name, async () => {
      const caller = await verifySigV4(req, lookup, now);
      assert.equal(caller.accessKeyId, SUITE_AKID);
      assert.equal(caller.service, 'service');
    });
  }

  it('get-vanilla-with-session-token returns the token', async () => {
    const req = cases.find(([n]) => n === 'get-vanilla-with-session-token')![1];
    const caller = await verifySigV4(req, lookup, now);
    assert.equal(caller.sessionToken, '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267');
  });

  it('get-vanilla with one signature digit changed fails', async () => {
    const req = vector('GET', '/', {}, 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf30');
    await assertAwsError(verifySigV4(req, lookup, now), 'InvalidSignatureException', MISMATCH);
  });

  it('post-vanilla, presigned (query-signed-request)', async () => {
    const req: IncomingSignedRequest = {
      method: 'POST',
      path: '/',
      query:
        'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request' +
        '&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600' +
        '&X-Amz-Signature=2ce6e6d2e0cf2f9d1b55fafec88cd20574c31dc2e7631979f71ba2310083e95b',
      // The date travels in the query; an x-amz-date header beside it would be unsigned (see below).
      headers: { host: 'example.amazonaws.com' },
      body: Buffer.alloc(0),
    };
    await verifySigV4(req, lookup, now);
    await assertAwsError(
      verifySigV4({ ...req, headers: { ...req.headers, 'x-amz-date': '20150830T123600Z' } }, lookup, now),
      'InvalidSignatureException',
      "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  it('AWS docs worked example: IAM ListUsers', async () => {
    const req: IncomingSignedRequest = {
      method: 'GET',
      path: '/',
      query: 'Action=ListUsers&Version=2010-05-08',
      headers: {
        host: 'iam.amazonaws.com',
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'x-amz-date': '20150830T123600Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
          'SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
      },
      body: Buffer.alloc(0),
    };
    const caller = await verifySigV4(req, lookup, now);
    assert.equal(caller.service, 'iam');
  });

  it('AWS docs worked example: derived signing key for 20150830/us-east-1/iam', () => {
    assert.equal(
      deriveSigningKey(SUITE_SECRET, '20150830', 'us-east-1', 'iam').toString('hex'),
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('canonicalization matches the SDK signers', () => {
  it('double-encodes and normalizes paths like smithy and botocore', () => {
    assert.equal(canonicalUri('/'), '/');
    assert.equal(canonicalUri(''), '/');
    assert.equal(canonicalUri('//a/./b/../c//'), '/a/c/');
    assert.equal(canonicalUri('/foo%20bar/a%2Fb'), '/foo%2520bar/a%252Fb');
    assert.equal(canonicalUri('/a:b*c'), '/a%3Ab%2Ac');
    assert.equal(canonicalUri('/..'), '/');
  });

  it('verifies smithy signatures over non-root, percent-encoded paths', async () => {
    for (const path of ['/2015-03-31/functions/arn%3Aaws%3Alambda/invocations', '/a/./b//c/', '/x%20y/..']) {
      const http = kmsRequest();
      http.path = path;
      const req = incoming((await signer().sign(http, { signingDate: SIGNED_AT })) as HttpRequest);
      await verifySigV4(req, lookup, at('2026-11-29T12:00:00Z'));
    }
  });

  it('verifies smithy signatures over repeated and reserved query parameters', async () => {
    const http = kmsRequest();
    http.query = { b: ['2', '1', '10'], a: 'x y+z/é', 'c~d': '' };
    const req = incoming((await signer().sign(http, { signingDate: SIGNED_AT })) as HttpRequest);
    assert.match(req.query, /a=x%20y%2Bz%2F%C3%A9/);
    await verifySigV4(req, lookup, at('2026-11-29T12:00:00Z'));
  });

  it('sorts and re-encodes query parameters', () => {
    assert.equal(canonicalQuery('b=2&a=%7e&a=1&c', false), 'a=1&a=~&b=2&c=');
    assert.equal(canonicalQuery('q=a+b&r=%zz', false), 'q=a%20b&r=%25zz');
    assert.equal(canonicalQuery('X-Amz-Signature=abc&x=1', true), 'x=1');
    assert.equal(canonicalQuery('X-Amz-Signature=abc&x=1', false), 'X-Amz-Signature=abc&x=1');
  });
});

describe('SigningKeyCache', () => {
  it('derives the same key as the uncached path and reuses it', () => {
    const cache = new SigningKeyCache(2);
    const k1 = cache.get(SECRET, '20261129', 'us-east-1', 'kms');
    assert.deepEqual(k1, deriveSigningKey(SECRET, '20261129', 'us-east-1', 'kms'));
    assert.equal(cache.get(SECRET, '20261129', 'us-east-1', 'kms'), k1); // same Buffer: a hit
    assert.equal(cache.size, 1);
  });

  it('keys on the secret, so a rotated secret is not served a stale key', () => {
    const cache = new SigningKeyCache(8);
    const a = cache.get('secret-a', '20261129', 'us-east-1', 'kms');
    const b = cache.get('secret-b', '20261129', 'us-east-1', 'kms');
    assert.notDeepEqual(a, b);
  });

  it('evicts the least recently used entry when full', () => {
    const cache = new SigningKeyCache(2);
    const first = cache.get(SECRET, '20261127', 'us-east-1', 'kms');
    cache.get(SECRET, '20261128', 'us-east-1', 'kms');
    cache.get(SECRET, '20261127', 'us-east-1', 'kms'); // touch: 20261128 is now the oldest
    cache.get(SECRET, '20261129', 'us-east-1', 'kms');
    assert.equal(cache.size, 2);
    assert.equal(cache.get(SECRET, '20261127', 'us-east-1', 'kms'), first);
  });
});

describe('readCredentialScope (dev mode, unverified)', () => {
  it('reads the Authorization header', async () => {
    assert.deepEqual(readCredentialScope(await signed()), { accessKeyId: AKID, region: 'us-east-1', service: 'kms' });
  });

  it('reads a presigned query', async () => {
    assert.deepEqual(readCredentialScope(await presigned()), { accessKeyId: AKID, region: 'us-east-1', service: 'kms' });
  });

  it('is undefined without any credential, and never throws on junk', () => {
    const base = { method: 'POST', path: '/', query: '', body: Buffer.alloc(0) };
    assert.equal(readCredentialScope({ ...base, headers: {} }), undefined);
    assert.equal(readCredentialScope({ ...base, headers: { authorization: 'Bearer abc' } }), undefined);
    assert.deepEqual(readCredentialScope({ ...base, headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID' } }), {
      accessKeyId: 'AKID',
      region: '',
      service: '',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// End to end: the real KMS client against a node http server that verifies with req.headers.

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

describe('end to end with @aws-sdk/client-kms', () => {
  it('a real client passes; a wrong secret gets InvalidSignatureException', async () => {
    const server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        try {
          await verifySigV4(
            { method: req.method ?? '', path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1), headers: req.headers, body },
            lookup,
            { now: new Date(), expectedService: 'kms' },
          );
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ Keys: [], Truncated: false }));
        } catch (err) {
          const e = err as KmsError;
          res.writeHead(e.httpStatus ?? 500, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: e.code, message: e.message }));
        }
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = (secretAccessKey: string) =>
      new KMSClient({
        region: 'eu-west-2',
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: AKID, secretAccessKey },
        maxAttempts: 1,
      });
    try {
      const out = await client(SECRET).send(new ListKeysCommand({ Limit: 5 }));
      assert.deepEqual(out.Keys, []);
      await assert.rejects(client('wrong').send(new ListKeysCommand({})), (err: Error) => {
        assert.equal(err.name, 'InvalidSignatureException');
        assert.equal(err.message, MISMATCH);
        return true;
      });
    } finally {
      server.close();
    }
  });
});
