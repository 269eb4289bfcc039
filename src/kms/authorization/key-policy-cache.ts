// Key policies compiled once, looked up by their text: PutKeyPolicy changes the text, so a changed
// policy is a new entry and can never be answered from the old one. Bounded, oldest out first.

import { loadPolicy, type CompiledPolicy } from '../../policy/index.js';

const MAX_ENTRIES = 10_000;

/** Which request facts a policy looks at, so that only those are read or checked per request. */
export interface PolicyNeeds {
  readonly resourceTags: boolean;
  readonly resourceAliases: boolean;
  /** Conditions on kms:EncryptionContext:* or aws:RequestTag/*, whose names fold case. */
  readonly foldedNames: boolean;
}

interface Entry {
  readonly compiled: CompiledPolicy;
  readonly needs: PolicyNeeds;
}

export class KeyPolicyCache {
  readonly #entries = new Map<string, Entry>();

  /** The compiled policy; throws MalformedPolicyDocumentException for a document that does not parse. */
  get(text: string): CompiledPolicy {
    return this.#entry(text).compiled;
  }

  /** What the policy looks at (from its parsed form, so JSON escapes cannot hide a key). */
  needs(text: string): PolicyNeeds {
    return this.#entry(text).needs;
  }

  #entry(text: string): Entry {
    const hit = this.#entries.get(text);
    if (hit) return hit;
    const compiled = loadPolicy(text, 'resource', 'key policy');
    // Re-serialized from the parse: every \u escape is written out, so a substring test is exact.
    const plain = JSON.stringify(JSON.parse(text)).toLowerCase();
    const entry = {
      compiled,
      needs: {
        resourceTags: plain.includes('aws:resourcetag/'),
        resourceAliases: plain.includes('kms:resourcealiases'),
        foldedNames: plain.includes('kms:encryptioncontext') || plain.includes('aws:requesttag/'),
      },
    };
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(text, entry);
    return entry;
  }
}

/**
 * Precondition: a key policy AWS would accept: the full policy grammar (src/policy/parse.ts), so a
 * stored policy is always one the authorization step can evaluate. MalformedPolicyDocumentException
 * says what is wrong and where. Compiled into the cache, where authorization finds it.
 */
export function checkKeyPolicy(text: string): void {
  keyPolicies.get(text);
}

/** One cache for the process: compiled policies hold no secrets and depend on nothing but the text. */
export const keyPolicies = new KeyPolicyCache();
