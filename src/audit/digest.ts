// Signed digests of the audit chain, modelled on CloudTrail's digest files ("CloudTrail digest file
// structure", https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html):
// the same field names where the meaning carries over (digestStartTime, digestEndTime,
// digestPublicKeyFingerprint, digestSignatureAlgorithm, newestEventTime, oldestEventTime,
// previousDigestHashValue, previousDigestHashAlgorithm, previousDigestSignature). CloudTrail's
// logFiles[] (S3 objects and their hashes) become the covered seq range and the chain digest of
// its last record, which by the chain commits to every record before it.
// CloudTrail signs a "data signing string" built from the digest's S3 path and hash; there is no S3
// here, so the signature is Ed25519 over the canonical JSON body itself.

import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { AuditSigningKey } from './signing-key.js';
import type { AuditDigestRecord } from '../store/store.js';

export interface AuditDigestBody {
  readonly digestStartTime: string;
  readonly digestEndTime: string;
  readonly digestStartSeq: number;
  readonly digestEndSeq: number;
  /** Chain digest (hex) of the record at digestEndSeq. */
  readonly lastRecordDigest: string;
  readonly hashAlgorithm: 'SHA-256';
  readonly digestPublicKeyFingerprint: string;
  readonly digestSignatureAlgorithm: 'Ed25519';
  readonly newestEventTime?: string;
  readonly oldestEventTime?: string;
  /** SHA-256 (hex) of the previous digest's body; null for the first digest (as CloudTrail). */
  readonly previousDigestHashValue: string | null;
  readonly previousDigestHashAlgorithm: 'SHA-256' | null;
  readonly previousDigestSignature: string | null;
}

export interface DigestInput {
  readonly startSeq: number;
  readonly endSeq: number;
  readonly lastRecordDigest: string;
  /** Epoch ms: when the previous digest ended (or the first event) and now. */
  readonly startTime: number;
  readonly endTime: number;
  readonly oldestEventTime?: number;
  readonly newestEventTime?: number;
}

/** Builds and signs the digest following `previous` (undefined for the first one). */
export function signDigest(key: AuditSigningKey, input: DigestInput, previous: AuditDigestRecord | undefined): AuditDigestRecord {
  const body: AuditDigestBody = {
    digestStartTime: new Date(input.startTime).toISOString(),
    digestEndTime: new Date(input.endTime).toISOString(),
    digestStartSeq: input.startSeq,
    digestEndSeq: input.endSeq,
    lastRecordDigest: input.lastRecordDigest,
    hashAlgorithm: 'SHA-256',
    digestPublicKeyFingerprint: key.fingerprint,
    digestSignatureAlgorithm: 'Ed25519',
    ...(input.oldestEventTime !== undefined && { oldestEventTime: new Date(input.oldestEventTime).toISOString() }),
    ...(input.newestEventTime !== undefined && { newestEventTime: new Date(input.newestEventTime).toISOString() }),
    previousDigestHashValue: previous ? bodyHash(previous.body) : null,
    previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
    previousDigestSignature: previous ? previous.signature : null,
  };
  const text = canonicalJson(body);
  return {
    seq: (previous?.seq ?? 0) + 1,
    startSeq: input.startSeq,
    endSeq: input.endSeq,
    createdAt: input.endTime,
    body: text,
    signature: sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('hex'),
  };
}

function bodyHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** What is wrong with `digest` on its own and as the successor of `previous`; undefined if nothing. */
export function checkDigest(publicKey: KeyObject, digest: AuditDigestRecord, previous: AuditDigestRecord | undefined): string | undefined {
  let ok: boolean;
  try {
    ok = verify(null, Buffer.from(digest.body, 'utf8'), publicKey, Buffer.from(digest.signature, 'hex'));
  } catch {
    ok = false;
  }
  if (!ok) return 'its signature does not verify with the audit public key';
  const body = parseBody(digest.body);
  if (body === undefined) return 'its body is not a digest';
  if (body.digestStartSeq !== digest.startSeq || body.digestEndSeq !== digest.endSeq) return 'its seq range differs from the signed body';
  if (previous !== undefined) {
    if (body.previousDigestSignature !== previous.signature || body.previousDigestHashValue !== bodyHash(previous.body)) {
      return `it does not link to digest ${previous.seq} (previousDigestSignature/previousDigestHashValue differ)`;
    }
    if (body.digestStartSeq !== previous.endSeq + 1) return `its range does not start right after digest ${previous.seq}`;
  }
  return undefined;
}

export function parseBody(text: string): AuditDigestBody | undefined {
  try {
    const value = JSON.parse(text) as Partial<AuditDigestBody> | null;
    if (typeof value !== 'object' || value === null) return undefined;
    if (typeof value.digestStartSeq !== 'number' || typeof value.digestEndSeq !== 'number' || typeof value.lastRecordDigest !== 'string') return undefined;
    return value as AuditDigestBody;
  } catch {
    return undefined;
  }
}
