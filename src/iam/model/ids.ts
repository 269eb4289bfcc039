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

/** A unique id of an entity: its prefix and 17 symbols (21 characters, as AIDA..., AROA...). */
export function newIamId(prefix: Exclude<IdPrefix, 'AKIA' | 'ASIA'>): string {
  return prefix + randomSymbols(17);
}

/** RFC 4648 base32 without padding (a length in bytes that is a multiple of 5 needs none). */
function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

function unbase32(text: string): Buffer | undefined {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/**
 * An access key id (AKIA/ASIA + 16 symbols, 20 characters) that carries its account as AWS's
 * current ids do, so GetAccessKeyInfo can answer for any id without a lookup: the 80 bits after the
 * prefix begin with a 1 ("new generation") and the 40-bit account number, then random bits
 * (WithSecure Labs, "A bitwise analysis of AWS access key identifiers"; the account is
 * (first 48 bits & 0x7fffffffff80) >> 7, as Tal Be'ery's note decodes it).
 */
export function newAccessKeyId(prefix: 'AKIA' | 'ASIA', accountId: string): string {
  const bytes = randomBytes(10);
  const head = (1n << 47n) | (BigInt(accountId) << 7n) | BigInt(bytes[5]! & 0x7f);
  for (let i = 0; i < 6; i++) bytes[i] = Number((head >> BigInt(8 * (5 - i))) & 0xffn);
  return prefix + base32(bytes);
}

/** The account an access key id of AWS's current form names, or undefined for another form. */
export function accountOfAccessKeyId(accessKeyId: string): string | undefined {
  if (!/^A[A-Z0-9]{3}[A-Z2-7]{16}$/.test(accessKeyId)) return undefined;
  const bytes = unbase32(accessKeyId.slice(4));
  if (!bytes || bytes.length !== 10) return undefined;
  const head = bytes.subarray(0, 6).reduce((n, b) => (n << 8n) | BigInt(b), 0n);
  if ((head >> 47n) !== 1n) return undefined;
  return ((head & 0x7fffffffff80n) >> 7n).toString().padStart(12, '0');
}

/** A secret access key: 40 characters, as AWS's. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** A session token: opaque; only its SHA-256 is stored. */
export function newSessionToken(): string {
  return 'IQoJ' + randomBytes(192).toString('base64');
}
