// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
// It only changes daily per secret/region/service, so an LRU spares four HMACs on nearly every request.

import { createHash, createHmac } from 'node:crypto';

/** The last element of a SigV4 credential scope. */
export const TERMINATOR = 'aws4_request';

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), TERMINATOR);
}

export class SigningKeyCache {
  // Map iteration order is insertion order, so re-inserting on a hit makes the first key the LRU.
  readonly #entries = new Map<string, Buffer>();

  constructor(readonly maxEntries = 4096) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  }

  get size(): number {
    return this.#entries.size;
  }

  get(secret: string, date: string, region: string, service: string): Buffer {
    // The cache is keyed by a digest, not the secret itself, so no extra copy of the secret lingers
    // here. '/' cannot occur inside scope parts (they come from splitting the credential on '/').
    const id = `${date}/${region}/${service}/${createHash('sha256').update(secret, 'utf8').digest('base64')}`;
    const hit = this.#entries.get(id);
    if (hit) {
      this.#entries.delete(id);
      this.#entries.set(id, hit);
      return hit;
    }
    const key = deriveSigningKey(secret, date, region, service);
    this.#entries.set(id, key);
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    return key;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** Shared by verifySigV4. */
export const signingKeyCache = new SigningKeyCache();
