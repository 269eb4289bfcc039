// Key policies compiled once, looked up by their text: PutKeyPolicy changes the text, so a changed
// policy is a new entry and can never be answered from the old one. Bounded, oldest out first.

import { loadPolicy, type CompiledPolicy } from '../../policy/index.js';

const MAX_ENTRIES = 10_000;

export class KeyPolicyCache {
  readonly #compiled = new Map<string, CompiledPolicy>();

  /** The compiled policy; throws MalformedPolicyDocumentException for a document that does not parse. */
  get(text: string): CompiledPolicy {
    const hit = this.#compiled.get(text);
    if (hit) return hit;
    const compiled = loadPolicy(text, 'resource', 'key policy');
    if (this.#compiled.size >= MAX_ENTRIES) this.#compiled.delete(this.#compiled.keys().next().value!);
    this.#compiled.set(text, compiled);
    return compiled;
  }
}

/** One cache for the process: compiled policies hold no secrets and depend on nothing but the text. */
export const keyPolicies = new KeyPolicyCache();
