// A root key wraps every secret at rest (key material, secret access keys). Providers: a key file
// (file-root-key.ts); a PKCS#11 token later. Callers pass AAD that names what is wrapped, so a
// wrapped blob moved to another row fails to unwrap.

import type { SecretMaterial } from '../secret.js';

export interface RootKeyProvider {
  /** A short non-secret identifier of the root key, recorded for diagnostics. */
  readonly id: string;
  wrap(secret: SecretMaterial, aad: Uint8Array): Promise<Buffer>;
  /** Throws RootKeyUnwrapError when the blob or AAD does not authenticate. */
  unwrap(wrapped: Uint8Array, aad: Uint8Array): Promise<SecretMaterial>;
  close(): Promise<void>;
}

export class RootKeyUnwrapError extends Error {
  constructor() {
    super('wrapped secret does not authenticate under the root key');
    this.name = 'RootKeyUnwrapError';
  }
}
