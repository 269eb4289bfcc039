// Server-side AWS Signature Version 4 verification (header and presigned query-string forms).
// Checks run in the order AWS runs them, so a request with several faults gets AWS's error:
// presence → header/query syntax → host signed → every x-amz-* header signed → date syntax →
// clock window → credential shape → credential scope → access key (and session token) known →
// signature (and payload hash).

import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  UnrecognizedClientException,
} from '../errors/aws-errors.js';
import { formatAmzDate, parseAmzDate, truncateToSecond } from './amz-date.js';
import * as msg from './auth-messages.js';
import { parseQueryParams, readAuthParameters, readSessionToken, splitAuthorizationHeader, type AuthParameters } from './auth-params.js';
import { buildCanonicalRequest, buildStringToSign, normalizeHeaders, sha256Hex } from './canonical-request.js';
import { parseCredential, type CredentialScope } from './credential-scope.js';
import { signingKeyCache, TERMINATOR } from './signing-key-cache.js';

export interface IncomingSignedRequest {
  method: string;
  /** Raw path without the query string, as received, e.g. '/'. */
  path: string;
  /** Raw query string without '?', '' if none. */
  query: string;
  /** node's IncomingMessage.headers (lower-case names). Pass `headersDistinct` to keep repeated headers apart. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface VerifiedCaller {
  accessKeyId: string;
  region: string;
  service: string;
  signedAt: Date;
  sessionToken?: string;
}

/**
 * The plain secret access key, or undefined if the access key id is unknown or the session token
 * (sent as X-Amz-Security-Token, undefined when none was) does not belong to it.
 */
export type SecretLookup = (accessKeyId: string, sessionToken: string | undefined) => Promise<string | undefined>;

export interface VerifyOptions {
  now: Date;
  /** Allowed clock difference either way; default 15 min. */
  maxSkewMs?: number;
  /** If set, the credential scope must name this region. */
  expectedRegion?: string;
  /** If set, the credential scope's region must satisfy it (any well-formed region name, say). */
  isValidRegion?: (region: string) => boolean;
  /** If set, the credential scope must name this service (e.g. 'kms'). */
  expectedService?: string;
}

export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;


export async function verifySigV4(
  req: IncomingSignedRequest,
  lookupSecret: SecretLookup,
  opts: VerifyOptions,
): Promise<VerifiedCaller> {
  const headers = normalizeHeaders(req.headers);
  const auth = readAuthParameters(headers, parseQueryParams(req.query));

  // AWS also takes ':authority' (HTTP/2's Host), but this server speaks HTTP/1.1 only: such a
  // header can never arrive, so a signature over it would bind no host at all. AWS's text stays.
  if (!auth.signedHeaders.includes('host')) {
    throw new InvalidSignatureException(msg.HOST_MUST_BE_SIGNED);
  }
  // An unsigned x-amz-* header could change what runs (X-Amz-Target names the operation) after
  // signing; AWS requires them all signed ("You must include the host header and any x-amz-*
  // headers in the signature", IAM user guide), and every SDK signs them.
  const unsigned = unsignedAmzHeader(headers, auth.signedHeaders);
  if (unsigned !== undefined) throw new InvalidSignatureException(msg.headerMustBeSigned(unsigned));

  const signedAt = parseAmzDate(auth.date);
  if (signedAt === undefined) throw new IncompleteSignatureException(msg.badDateFormat(auth.date));
  checkClock(signedAt, auth, opts);

  const credential = parseCredential(auth.credential);
  if (credential === undefined) throw new IncompleteSignatureException(msg.badCredentialShape(auth.credential));
  const amzDate = formatAmzDate(signedAt);
  checkScope(credential, amzDate, opts);

  const secret = await lookupSecret(credential.accessKeyId, auth.sessionToken);
  if (secret === undefined) throw new UnrecognizedClientException(msg.INVALID_SECURITY_TOKEN);

  // The body is always hashed: KMS is not S3, so neither UNSIGNED-PAYLOAD nor a client-declared
  // x-amz-content-sha256 is taken on trust. A declared hash must equal the real one.
  const payloadHash = sha256Hex(req.body);
  const declaredHash = headers.get('x-amz-content-sha256')?.[0];
  const canonicalRequest = buildCanonicalRequest({
    method: req.method,
    path: req.path,
    query: req.query,
    presigned: auth.presigned,
    headers,
    signedHeaders: auth.signedHeaders,
    payloadHash,
  });
  const stringToSign = buildStringToSign(amzDate, credential.scope, canonicalRequest);
  const signingKey = signingKeyCache.get(secret, credential.date, credential.region, credential.service);
  const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');

  const signatureOk = constantTimeEqual(expected, auth.signature);
  const payloadOk = declaredHash === undefined || declaredHash.toLowerCase() === payloadHash;
  if (!signatureOk || !payloadOk) throw new InvalidSignatureException(msg.SIGNATURE_MISMATCH);

  return {
    accessKeyId: credential.accessKeyId,
    region: credential.region,
    service: credential.service,
    signedAt,
    ...(auth.sessionToken !== undefined && { sessionToken: auth.sessionToken }),
  };
}

/**
 * A header-signed request must be within ±maxSkew of now. A presigned one may not be from the
 * future beyond the skew either, but its age is bounded by X-Amz-Expires instead (when sent).
 */
function checkClock(signedAt: Date, auth: AuthParameters, opts: VerifyOptions): void {
  const skewMs = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const now = truncateToSecond(opts.now);
  const nowText = formatAmzDate(now);

  const latest = new Date(now.getTime() + skewMs);
  if (signedAt > latest) {
    throw new InvalidSignatureException(
      msg.signatureNotYetCurrent(formatAmzDate(signedAt), formatAmzDate(latest), nowText, skewMs),
    );
  }

  const validMs = auth.presigned && auth.expiresSeconds !== undefined ? auth.expiresSeconds * 1000 : skewMs;
  const earliest = new Date(now.getTime() - validMs);
  if (signedAt < earliest) {
    throw new InvalidSignatureException(
      msg.signatureExpired(formatAmzDate(signedAt), formatAmzDate(earliest), nowText, validMs),
    );
  }
}

/** AWS reports every scope fault at once, in this order, space-separated. */
function checkScope(credential: CredentialScope, amzDate: string, opts: VerifyOptions): void {
  const faults: string[] = [];
  if (
    (opts.expectedRegion !== undefined && credential.region !== opts.expectedRegion) ||
    (opts.isValidRegion !== undefined && !opts.isValidRegion(credential.region))
  ) {
    faults.push(msg.wrongScopeRegion(credential.region));
  }
  if (opts.expectedService !== undefined && credential.service !== opts.expectedService) {
    faults.push(msg.wrongScopeService(opts.expectedService));
  }
  if (credential.terminator !== TERMINATOR) faults.push(msg.wrongScopeTerminator(credential.terminator));
  const day = amzDate.slice(0, 8);
  if (credential.date !== day) faults.push(msg.wrongScopeDate(credential.date, day, amzDate));
  if (faults.length > 0) throw new InvalidSignatureException(faults.join(' '));
}

/** The first x-amz-* header (by name) sent but not among the signed headers, if any. */
function unsignedAmzHeader(headers: ReadonlyMap<string, readonly string[]>, signedHeaders: readonly string[]): string | undefined {
  for (const name of [...headers.keys()].sort()) {
    if (name.startsWith('x-amz-') && !signedHeaders.includes(name)) return name;
  }
  return undefined;
}

function constantTimeEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  // Only the length (64 for any real signature) can leak; the comparison itself is constant time.
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/**
 * For --dev mode: the access key id, region and service a request claims, WITHOUT verifying
 * anything. Undefined if the request carries no SigV4 credential at all; never throws.
 */
/** The session token the request carries (header or query, any case), without verifying anything: for --dev. */
export function readRequestSessionToken(req: IncomingSignedRequest): string | undefined {
  return readSessionToken(normalizeHeaders(req.headers), parseQueryParams(req.query));
}

export function readCredentialScope(
  req: IncomingSignedRequest,
): { accessKeyId: string; region: string; service: string } | undefined {
  const headers = normalizeHeaders(req.headers);
  let credential: string | undefined;
  const authorization = headers.get('authorization')?.[0];
  if (authorization !== undefined) {
    for (const token of splitAuthorizationHeader(authorization).tokens) {
      if (token.startsWith('Credential=')) credential = token.slice('Credential='.length);
    }
  }
  credential ??= parseQueryParams(req.query).get('X-Amz-Credential')?.[0];
  if (credential === undefined || credential === '') return undefined;
  const [accessKeyId = '', , region = '', service = ''] = credential.split('/');
  return { accessKeyId, region, service };
}
