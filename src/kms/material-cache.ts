// Unwrapped key material lives only here: a bounded LRU with a time limit, keyed by key ARN +
// material id; the store holds only wrapped bytes.

import type { SecretMaterial } from '../crypto/secret.js';
import type { RootKeyProvider } from '../crypto/root-key/root-key-provider.js';
import { keyMaterialAad } from '../crypto/material-aad.js';
import type { MaterialRecord } from './model/key.js';

interface Entry {
  readonly secret: SecretMaterial;
  readonly loadedAt: number;
}

export class MaterialCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly rootKey: RootKeyProvider,
    private readonly maxEntries = 10_000,
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  async unwrap(material: MaterialRecord): Promise<SecretMaterial> {
    const id = `${material.keyArn}\n${material.materialId}`;
    const hit = this.#entries.get(id);
    const now = Date.now();
    if (hit && now - hit.loadedAt < this.maxAgeMs) {
      // Re-insert to mark as most recently used.
      this.#entries.delete(id);
      this.#entries.set(id, hit);
      return hit.secret;
    }
    if (hit) this.#evict(id);
    const secret = await this.rootKey.unwrap(material.wrapped, keyMaterialAad(material.keyArn, material.materialId));
    this.#entries.set(id, { secret, loadedAt: now });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#evict(oldest);
    }
    return secret;
  }

  /** Drops every cached material of a key (deleted or re-imported). */
  forgetKey(keyArn: string): void {
    for (const id of [...this.#entries.keys()]) if (id.startsWith(keyArn + '\n')) this.#evict(id);
  }

  clear(): void {
    for (const id of [...this.#entries.keys()]) this.#evict(id);
  }

  #evict(id: string): void {
    // Not zeroed: a request that fetched this secret a moment ago may still be using it.
    this.#entries.delete(id);
  }
}
