// Creates an account's AWS managed key the first time its alias/aws/<service> name is used.

import { StoreConflictError } from '../store/store.js';
import type { KmsServices } from './context.js';
import { buildNewKey } from './key-factory.js';
import { awsManagedKeyRotation } from './key-rotation.js';
import { awsManagedKeyDescription } from './model/aws-managed.js';
import { awsManagedKeyPolicy } from './model/key-policy.js';
import type { KeyRecord, Scope } from './model/key.js';

export async function createAwsManagedKey(services: KmsServices, scope: Scope, aliasName: string): Promise<KeyRecord> {
  const built = await buildNewKey(services, {
    scope,
    description: awsManagedKeyDescription(aliasName),
    keyUsage: 'ENCRYPT_DECRYPT',
    keySpec: 'SYMMETRIC_DEFAULT',
    origin: 'AWS_KMS',
    keyManager: 'AWS',
    multiRegion: false,
    policy: awsManagedKeyPolicy(scope, aliasName),
    tags: [],
  });
  const now = services.clock.now();
  // AWS: "KMS always rotates the key material of AWS managed keys every year."
  const key: KeyRecord = { ...built.key, ...awsManagedKeyRotation(built.key.createdAt) };
  const changes = built.changes.map((c) => (c.kind === 'putKey' ? { ...c, key } : c));
  changes.push({
    kind: 'insertAlias',
    alias: { accountId: scope.accountId, region: scope.region, aliasName, targetKeyId: key.keyId, createdAt: now, updatedAt: now },
  });
  try {
    await services.store.commit(changes);
    return key;
  } catch (err) {
    // Two first uses raced: the other one's key won; use it.
    if (!(err instanceof StoreConflictError)) throw err;
    const alias = await services.store.getAlias(scope, aliasName);
    const existing = alias && (await services.store.getKey(scope, alias.targetKeyId));
    if (!existing) throw err;
    return existing;
  }
}
