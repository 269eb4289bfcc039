// IAM and STS identifiers in AWS's forms (IAM User Guide, "IAM identifiers", "Unique identifiers"):
// a four-letter prefix for the kind, then upper-case letters and digits. Random, never derived.

import { randomBytes } from 'node:crypto';

export type IdPrefix =
  /** IAM user */
  | 'AIDA'
  /** Role */
  | 'AROA'
  /** Group */
  | 'AGPA'
  /** Managed policy */
  | 'ANPA'
  /** Long-term access key */
  | 'AKIA'
  /** Temporary (STS) access key */
  | 'ASIA';

// Base32 (RFC 4648 alphabet): 32 symbols, so a byte modulo 32 is uniform.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomSymbols(count: number): string {
  return Array.from(randomBytes(count), (b) => ALPHABET[b % 32]).join('');
}

/** A unique id: 21 characters for entities (AIDA + 17), 20 for access key ids (AKIA/ASIA + 16). */
export function newIamId(prefix: IdPrefix): string {
  return prefix + randomSymbols(prefix === 'AKIA' || prefix === 'ASIA' ? 16 : 17);
}

/** A secret access key: 40 characters, as AWS's. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** A session token: opaque; only its SHA-256 is stored. */
export function newSessionToken(): string {
  return 'IQoJ' + randomBytes(192).toString('base64');
}
