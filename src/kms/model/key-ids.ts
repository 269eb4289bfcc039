// Fresh identifiers: key ids (UUID, or mrk- + 32 hex for multi-Region keys) and key material ids.

import { randomBytes, randomUUID } from 'node:crypto';

export function newKeyId(multiRegion: boolean): string {
  return multiRegion ? 'mrk-' + randomBytes(16).toString('hex') : randomUUID();
}

/** 64 hex characters, the shape of AWS's keyMaterialId. */
export function newMaterialId(): string {
  return randomBytes(32).toString('hex');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MRK = /^mrk-[0-9a-f]{32}$/i;

export function isWellFormedKeyId(keyId: string): boolean {
  return UUID.test(keyId) || MRK.test(keyId);
}
