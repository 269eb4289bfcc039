// A wrapper for secret bytes (key material, data keys, secret access keys). It redacts itself in
// logs, JSON and util.inspect, and hands its bytes out only through exposeSecret(SECRET_ACCESS),
// a name reviewers can grep for.

import { inspect } from 'node:util';

/** Passed to exposeSecret(); grep for it to find every place secret bytes are read. */
export const SECRET_ACCESS: unique symbol = Symbol('SECRET_ACCESS');
export type SecretAccess = typeof SECRET_ACCESS;

export class SecretMaterial {
  readonly #bytes: Buffer;

  /** Copies `bytes` into an unpooled buffer of its own, so zeroing never touches shared memory. */
  constructor(bytes: Uint8Array) {
    this.#bytes = Buffer.alloc(bytes.length);
    this.#bytes.set(bytes);
  }

  /** Moves `bytes` into a SecretMaterial: copies them, then zeroes the source. */
  static take(bytes: Buffer): SecretMaterial {
    try {
      return new SecretMaterial(bytes);
    } finally {
      bytes.fill(0);
    }
  }

  get length(): number {
    return this.#bytes.length;
  }

  exposeSecret(access: SecretAccess): Buffer {
    if (access !== SECRET_ACCESS) throw new Error('secret access token required');
    return this.#bytes;
  }

  /** Zeroes the bytes; the object is unusable afterwards. */
  dispose(): void {
    this.#bytes.fill(0);
  }

  toJSON(): string {
    return `[SecretMaterial ${this.#bytes.length} bytes]`;
  }

  toString(): string {
    return this.toJSON();
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}
