// What each key spec can do: the capability table. Only SYMMETRIC_DEFAULT is served so far;
// asymmetric, HMAC and key-agreement specs arrive with their primitives.

import type { KeyUsage } from './key.js';

export const SUPPORTED_KEY_SPECS: readonly string[] = ['SYMMETRIC_DEFAULT'];

/** Key usages AWS allows for a spec, the first being the default. */
export function allowedKeyUsages(keySpec: string): readonly KeyUsage[] {
  switch (keySpec) {
    case 'SYMMETRIC_DEFAULT':
      return ['ENCRYPT_DECRYPT'];
    default:
      return [];
  }
}

export function encryptionAlgorithmsOf(keySpec: string, keyUsage: KeyUsage): string[] | undefined {
  if (keyUsage !== 'ENCRYPT_DECRYPT') return undefined;
  if (keySpec === 'SYMMETRIC_DEFAULT') return ['SYMMETRIC_DEFAULT'];
  return undefined;
}
