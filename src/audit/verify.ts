// Verifies the audit trail: the signed digests (signature and links), then the hash chain record by
// record from the anchor, and that every digest's lastRecordDigest is the stored record's digest.
// Stops at the first problem and names it by seq and eventID, telling a modified record apart from
// one removed, inserted or moved (a moved record still hashes right at the seq it was chained at).

import type { KeyObject } from 'node:crypto';
import { GENESIS_DIGEST, chainDigest } from './chain.js';
import { checkDigest, parseBody } from './digest.js';
import type { AuditDigestRecord, Store, StoredAuditEvent } from '../store/store.js';

export type AuditVerification =
  | { readonly ok: true; readonly records: number; readonly digests: number }
  | { readonly ok: false; readonly seq: number; readonly eventId?: string; readonly problem: string; readonly records: number };

type AuditReader = Pick<Store, 'readAuditChain' | 'getAuditAnchor' | 'listAuditDigests'>;

const PAGE = 500;
/** How far from its seq a moved record is looked for (only after a mismatch, so it costs nothing otherwise). */
const MOVE_WINDOW = 64;

export async function verifyAuditTrail(store: AuditReader, publicKey: KeyObject): Promise<AuditVerification> {
  const digests = await readAllDigests(store);
  let previous: AuditDigestRecord | undefined;
  const lastRecordDigests = new Map<number, { digest: string; of: number }>();
  for (const d of digests) {
    const problem = checkDigest(publicKey, d, previous);
    if (problem !== undefined) return { ok: false, seq: d.startSeq, problem: `signed digest ${d.seq} (seq ${d.startSeq}..${d.endSeq}): ${problem}`, records: 0 };
    lastRecordDigests.set(d.endSeq, { digest: parseBody(d.body)?.lastRecordDigest ?? '', of: d.seq });
    previous = d;
  }

  const anchor = await store.getAuditAnchor();
  let head = anchor ?? { seq: 0, digest: GENESIS_DIGEST };
  const anchored = lastRecordDigests.get(head.seq);
  if (anchor && anchored && anchored.digest !== anchor.digest) {
    return { ok: false, seq: anchor.seq, problem: `the prune anchor's digest differs from signed digest ${anchored.of}`, records: 0 };
  }
  const recentEventIds = new Map<number, string>();
  let records = 0;
  for (;;) {
    const rows = await store.readAuditChain(head.seq + 1, PAGE);
    for (const row of rows) {
      const problem = checkRecord(row, head);
      if (problem !== undefined) {
        const blamed = problem.blame ?? row.seq;
        const eventId = blamed === row.seq ? row.eventId : recentEventIds.get(blamed);
        return { ok: false, seq: blamed, ...(eventId !== undefined && { eventId }), problem: problem.text, records };
      }
      const signed = lastRecordDigests.get(row.seq);
      if (signed && signed.digest !== row.digest) {
        return { ok: false, seq: row.seq, eventId: row.eventId, problem: `differs from signed digest ${signed.of}: the chain up to it was rewritten`, records };
      }
      recentEventIds.set(row.seq, row.eventId);
      recentEventIds.delete(row.seq - MOVE_WINDOW);
      head = row;
      records++;
    }
    if (rows.length < PAGE) break;
  }
  const last = digests.at(-1);
  if (last && last.endSeq > head.seq) {
    return { ok: false, seq: head.seq + 1, problem: `removed: signed digest ${last.seq} covers records up to seq ${last.endSeq}, the trail ends at seq ${head.seq}`, records };
  }
  return { ok: true, records, digests: digests.length };
}

/** What is wrong with `row` as the successor of `head`; `blame` when another record is the cause. */
function checkRecord(row: StoredAuditEvent, head: { seq: number; digest: string }): { text: string; blame?: number } | undefined {
  const expected = head.seq + 1;
  if (row.seq !== expected) {
    return { text: `removed: no record at seq ${expected}${row.seq > expected + 1 ? `..${row.seq - 1}` : ''}; the trail resumes at seq ${row.seq} (eventID ${row.eventId})`, blame: expected };
  }
  if (row.prevDigest === head.digest && chainDigest(head.digest, row.seq, row) === row.digest) return undefined;
  const chainedAt = findChainedSeq(row);
  if (chainedAt === undefined) return { text: 'modified: its contents do not match its digest (a field of the record or its digest was changed)' };
  if (chainedAt > row.seq) return { text: `was chained at seq ${chainedAt}: the record(s) before it were removed, or it was moved (reordered)` };
  if (chainedAt < row.seq) {
    return { text: `inserted: record seq ${row.seq} (eventID ${row.eventId}) was chained at seq ${chainedAt}, so what now precedes it was inserted or moved`, blame: chainedAt };
  }
  return { text: `does not follow record seq ${head.seq}: that record was inserted or replaced, or this one was moved (reordered)` };
}

/** The seq at which the row's own digest was computed, near where it is now. */
function findChainedSeq(row: StoredAuditEvent): number | undefined {
  if (!/^[0-9a-f]{64}$/.test(row.prevDigest)) return undefined;
  for (let delta = 0; delta <= MOVE_WINDOW; delta++) {
    for (const seq of delta === 0 ? [row.seq] : [row.seq + delta, row.seq - delta]) {
      if (seq >= 1 && chainDigest(row.prevDigest, seq, row) === row.digest) return seq;
    }
  }
  return undefined;
}

async function readAllDigests(store: AuditReader): Promise<AuditDigestRecord[]> {
  const all: AuditDigestRecord[] = [];
  for (;;) {
    const page = await store.listAuditDigests((all.at(-1)?.seq ?? 0) + 1, PAGE);
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}
