// Builds the SigV4 canonical request and string to sign from a request as it arrived on the wire.
// Rules follow AWS's "Create a canonical request" and, where the spec is loose, what the SDKs
// actually do (@smithy/signature-v4 and botocore), since those produce the signatures we verify.

import { createHash } from 'node:crypto';
import { percentDecode, uriEncode, uriEncodeBytes } from './uri-encode.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Header name (lower case) → its values in arrival order. */
export type HeaderMap = ReadonlyMap<string, readonly string[]>;

export function normalizeHeaders(headers: Record<string, string | string[] | undefined>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const values = typeof value === 'string' ? [value] : value;
    const existing = out.get(key);
    if (existing) existing.push(...values);
    else out.set(key, [...values]);
  }
  return out;
}

/**
 * Canonical URI for every service except S3: remove empty and '.' segments, resolve '..', keep a
 * trailing slash, then URI-encode the (already percent-encoded) wire path once more, so '%' becomes
 * '%25'. This is exactly smithy's getCanonicalPath and botocore's
 * quote(normalize_url_path(path), safe='/~'); both sign the wire path, hence the double encoding.
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const lead = rawPath.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const normalized = lead + segments.join('/') + trail;
  return normalized === '' ? '/' : uriEncode(normalized, true);
}

/**
 * Canonical query string: decode each name and value, re-encode per RFC 3986, sort by name then
 * value (byte order; everything is ASCII after encoding). A bare `name` counts as `name=`.
 * Presigned requests leave X-Amz-Signature out, since it cannot sign itself.
 */
export function canonicalQuery(rawQuery: string, omitSignature: boolean): string {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = uriEncodeBytes(percentDecode(eq < 0 ? part : part.slice(0, eq), true));
    if (omitSignature && name === 'X-Amz-Signature') continue;
    const value = eq < 0 ? '' : uriEncodeBytes(percentDecode(part.slice(eq + 1), true));
    pairs.push([name, value]);
  }
  pairs.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Trimall: line breaks become spaces, runs of spaces/tabs collapse to one, ends are trimmed. */
export function canonicalHeaderValue(value: string): string {
  // Not String.prototype.trim: header strings are latin1, and trim() would also eat U+00A0.
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

export interface CanonicalRequestParts {
  method: string;
  path: string;
  query: string;
  presigned: boolean;
  headers: HeaderMap;
  /** Lower case, sorted. */
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function buildCanonicalRequest(p: CanonicalRequestParts): string {
  // A signed header the request lacks is canonicalized as empty: the client's signature then
  // cannot match, which is the right answer without a separate error path.
  const headerLines = p.signedHeaders.map(
    (name) => `${name}:${(p.headers.get(name) ?? []).map(canonicalHeaderValue).join(',')}\n`,
  );
  return [
    p.method.toUpperCase(),
    canonicalUri(p.path),
    canonicalQuery(p.query, p.presigned),
    headerLines.join(''),
    p.signedHeaders.join(';'),
    p.payloadHash,
  ].join('\n');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function buildStringToSign(amzDate: string, credentialScope: string, canonicalRequest: string): string {
  return [ALGORITHM, amzDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
}
