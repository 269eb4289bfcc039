// Extracts the SigV4 parameters from either the Authorization header or a presigned query string,
// raising AWS's errors for absent or malformed parts. No cryptography here.

import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  UnrecognizedClientException,
} from '../errors/aws-errors.js';
import * as msg from './auth-messages.js';
import { ALGORITHM, type HeaderMap } from './canonical-request.js';
import { percentDecode } from './uri-encode.js';

export const MAX_PRESIGN_EXPIRES_SECONDS = 604_800; // one week, SigV4's hard limit

export interface AuthParameters {
  presigned: boolean;
  /** AKID/date/region/service/aws4_request, unparsed. */
  credential: string;
  /** Lower case, sorted, without empty entries. */
  signedHeaders: string[];
  signature: string;
  /** The timestamp as sent (x-amz-date / date header, or X-Amz-Date query parameter). */
  date: string;
  /** Presigned only, and only when X-Amz-Expires was sent. */
  expiresSeconds?: number;
  sessionToken?: string;
}

/** Decoded query parameters, name → values in order. Names are case-sensitive, as AWS treats them. */
export function parseQueryParams(rawQuery: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = percentDecode(eq < 0 ? part : part.slice(0, eq), true).toString('utf8');
    const value = eq < 0 ? '' : percentDecode(part.slice(eq + 1), true).toString('utf8');
    const values = out.get(name);
    if (values) values.push(value);
    else out.set(name, [value]);
  }
  return out;
}

/** Splits "AWS4-HMAC-SHA256 k=v, k=v" into algorithm and parameters; never throws. */
export function splitAuthorizationHeader(header: string): { algorithm: string; tokens: string[] } {
  const trimmed = header.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  const rest = space < 0 ? '' : trimmed.slice(space + 1);
  // AWS splits on whitespace as well as commas: "Credential= AKID/..." is reported as the bare
  // token 'AKID/...' lacking an equal sign.
  return { algorithm, tokens: rest.split(/[\s,]+/).filter((t) => t !== '') };
}

function signedHeaderList(value: string): string[] {
  return value
    .split(';')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '')
    .sort();
}

export function readAuthParameters(headers: HeaderMap, query: ReadonlyMap<string, readonly string[]>): AuthParameters {
  const authorization = headers.get('authorization')?.[0];
  const queryAlgorithm = query.get('X-Amz-Algorithm')?.[0];
  if (authorization !== undefined && queryAlgorithm !== undefined) {
    // Two competing signatures: AWS refuses rather than pick one.
    throw new InvalidSignatureException(msg.SIGNATURE_MISMATCH);
  }
  if (authorization !== undefined) return fromHeader(authorization, headers, query);
  if (queryAlgorithm !== undefined) return fromQuery(queryAlgorithm, headers, query);
  throw new MissingAuthenticationTokenException(msg.MISSING_AUTHENTICATION_TOKEN);
}

function fromHeader(header: string, headers: HeaderMap, query: ReadonlyMap<string, readonly string[]>): AuthParameters {
  const raw = header.trim();
  const { algorithm, tokens } = splitAuthorizationHeader(raw);
  const params = new Map<string, string>();
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq < 0) throw new IncompleteSignatureException(msg.missingEqualSign(token, raw));
    params.set(token.slice(0, eq), token.slice(eq + 1)); // a repeated key: the last one wins
  }

  const credential = params.get('Credential');
  const signature = params.get('Signature');
  const signedHeaders = params.get('SignedHeaders');
  const date = headers.get('x-amz-date')?.[0] ?? headers.get('date')?.[0];
  const missing: string[] = [];
  if (credential === undefined) missing.push(msg.AUTH_HEADER_REQUIRES_CREDENTIAL);
  if (signature === undefined) missing.push(msg.AUTH_HEADER_REQUIRES_SIGNATURE);
  if (signedHeaders === undefined) missing.push(msg.AUTH_HEADER_REQUIRES_SIGNED_HEADERS);
  if (date === undefined) missing.push(msg.AUTH_HEADER_REQUIRES_DATE);
  if (credential === undefined || signature === undefined || signedHeaders === undefined || date === undefined) {
    throw new IncompleteSignatureException(`${missing.join(' ')} Authorization=${raw}`);
  }
  if (algorithm !== ALGORITHM) throw new IncompleteSignatureException(msg.unsupportedAlgorithm(algorithm));

  const sessionToken = readSessionToken(headers, query);
  return {
    presigned: false,
    credential,
    signedHeaders: signedHeaderList(signedHeaders),
    signature,
    date,
    ...(sessionToken !== undefined && { sessionToken }),
  };
}

function fromQuery(algorithm: string, headers: HeaderMap, query: ReadonlyMap<string, readonly string[]>): AuthParameters {
  // An unknown algorithm means this is not a SigV4 presigned URL at all.
  if (algorithm !== ALGORITHM) throw new MissingAuthenticationTokenException(msg.MISSING_AUTHENTICATION_TOKEN);
  const first = (name: string): string | undefined => query.get(name)?.[0];

  const credential = first('X-Amz-Credential');
  const signature = first('X-Amz-Signature');
  const signedHeaders = first('X-Amz-SignedHeaders');
  const date = first('X-Amz-Date');
  const missing: string[] = [];
  if (credential === undefined) missing.push(msg.queryMustInclude('X-Amz-Credential'));
  if (signature === undefined) missing.push(msg.queryMustInclude('X-Amz-Signature'));
  if (signedHeaders === undefined) missing.push(msg.queryMustInclude('X-Amz-SignedHeaders'));
  if (date === undefined) missing.push(msg.queryMustInclude('X-Amz-Date'));
  if (credential === undefined || signature === undefined || signedHeaders === undefined || date === undefined) {
    throw new IncompleteSignatureException(`${missing.join(' ')} ${msg.REEXAMINE_QUERY}`);
  }

  const expires = first('X-Amz-Expires');
  const sessionToken = readSessionToken(headers, query);
  return {
    presigned: true,
    credential,
    signedHeaders: signedHeaderList(signedHeaders),
    signature,
    date,
    ...(expires !== undefined && { expiresSeconds: parseExpires(expires) }),
    ...(sessionToken !== undefined && { sessionToken }),
  };
}

/**
 * The session token, wherever and however spelt it was sent: header or query string, any case. A
 * token in a place the verifier did not look would otherwise be ignored rather than checked.
 * Several different values cannot all be one valid token: refused as an invalid token.
 */
export function readSessionToken(headers: HeaderMap, query: ReadonlyMap<string, readonly string[]>): string | undefined {
  const tokens = new Set(headers.get('x-amz-security-token') ?? []);
  for (const [name, values] of query) if (name.toLowerCase() === 'x-amz-security-token') for (const v of values) tokens.add(v);
  if (tokens.size > 1) throw new UnrecognizedClientException(msg.INVALID_SECURITY_TOKEN);
  return tokens.values().next().value;
}

function parseExpires(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new IncompleteSignatureException(msg.EXPIRES_NOT_A_NUMBER);
  const seconds = Number(value);
  if (seconds < 0) throw new IncompleteSignatureException(msg.EXPIRES_NEGATIVE);
  if (seconds > MAX_PRESIGN_EXPIRES_SECONDS) throw new IncompleteSignatureException(msg.EXPIRES_TOO_LARGE);
  return seconds;
}
