// KeyRecord and MaterialRecord fixtures for the tests below the API (store contracts, domain logic):
// a plain record with every required field, and the fields a test cares about given as overrides.

import { defaultKeyPolicy } from '../../src/kms/model/key-policy.js';
import type { KeyRecord, MaterialRecord, Scope } from '../../src/kms/model/key.js';

/** The fixtures' default creation time (2023-11-14T22:13:20Z). */
export const T0 = 1_700_000_000_000;

export function arnOf(scope: Scope, keyId: string): string {
  return `arn:aws:kms:${scope.region}:${scope.accountId}:key/${keyId}`;
}

/**
 * A key without any optional field set: an Enabled single-Region SYMMETRIC_DEFAULT customer managed
 * key created at T0, version 1. `overrides` replaces or adds fields.
 */
export function keyRecord(scope: Scope, keyId: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    arn: arnOf(scope, keyId),
    keyId,
    accountId: scope.accountId,
    region: scope.region,
    createdAt: T0,
    description: '',
    keyUsage: 'ENCRYPT_DECRYPT',
    keySpec: 'SYMMETRIC_DEFAULT',
    origin: 'AWS_KMS',
    keyManager: 'CUSTOMER',
    state: 'Enabled',
    multiRegion: false,
    // The default key policy, as CreateKey gives a key (an empty one would allow nobody anything).
    policy: defaultKeyPolicy(scope),
    version: 1,
    ...overrides,
  };
}

/** The n-th material id (64 hex digits). */
export function materialId(n: number): string {
  return n.toString(16).padStart(64, '0');
}

/**
 * Material version n of `key`: CURRENT, created at T0 + n, without any optional field set.
 * `overrides` replaces or adds fields.
 */
export function materialRecord(key: KeyRecord, n: number, overrides: Partial<MaterialRecord> = {}): MaterialRecord {
  // NUL and 0xff bytes: the column must be binary-safe.
  return { keyArn: key.arn, materialId: materialId(n), wrapped: Buffer.from([0, 255, n, 0, 1, 2, 3]), createdAt: T0 + n, state: 'CURRENT', ...overrides };
}
