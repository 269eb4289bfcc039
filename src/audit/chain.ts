// The hash chain over audit events. Each stored event's digest is
//   SHA-256( previous digest (32 bytes) || canonical JSON of { seq, every indexed field, record } )
// so changing any column (not only the JSON record: an edited event_time would hide an event from
// LookupEvents), its position (seq) or the link to its predecessor changes the digest and breaks
// every later link. The first event links to GENESIS_DIGEST, or after pruning to the anchor.

import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { AuditEventInput } from '../store/store.js';

/** The "previous digest" of the very first event: 32 zero bytes, hex. */
export const GENESIS_DIGEST = '0'.repeat(64);

/** Digest (hex) of `event` stored at `seq` after an event whose digest is `prevDigest` (hex). */
export function chainDigest(prevDigest: string, seq: number, event: AuditEventInput): string {
  if (!/^[0-9a-f]{64}$/.test(prevDigest)) throw new Error('previous digest must be 64 hex digits');
  return createHash('sha256').update(Buffer.from(prevDigest, 'hex')).update(canonicalJson(chainedFields(seq, event)), 'utf8').digest('hex');
}

/** What the digest covers: the position and every stored field, nothing else (not the digests). */
function chainedFields(seq: number, e: AuditEventInput): Record<string, unknown> {
  return {
    seq,
    accountId: e.accountId,
    region: e.region,
    eventTime: e.eventTime,
    eventName: e.eventName,
    eventSource: e.eventSource,
    readOnly: e.readOnly,
    username: e.username,
    accessKeyId: e.accessKeyId,
    resourceNames: e.resourceNames,
    eventId: e.eventId,
    record: e.record,
  };
}
