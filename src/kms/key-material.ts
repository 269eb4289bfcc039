// Key material per key spec: generating it for a new key, and loading the material a key
// currently uses (unwrapped through the cache).

import { randomBytes } from 'node:crypto';
import { KMSInternalException, KMSInvalidStateException } from '../errors/aws-errors.js';
import { generatePrivateKey, generatePrivateKeyAsync, isAsymmetricKeySpec } from '../crypto/specs/asymmetric-key.js';
import { generateHmacKey, type HmacKeySpec } from '../crypto/specs/hmac.js';
import { SecretMaterial } from '../crypto/secret.js';
import type { Change } from '../store/store.js';
import type { KmsServices } from './context.js';
import { familyOf } from './model/key-spec.js';
import type { KeyRecord, MaterialRecord } from './model/key.js';
import { isImported, isPendingRotation, keyWithMaterials, withoutMaterial } from './model/material.js';
import { isPrimaryKey, replicasOf } from './model/multi-region.js';
import { readRelatedSet } from './multi-region-deletion.js';

export const SYMMETRIC_MATERIAL_BYTES = 32;

export function generateMaterial(keySpec: string): SecretMaterial {
  switch (familyOf(keySpec)) {
    case 'SYMMETRIC': {
      const bytes = randomBytes(SYMMETRIC_MATERIAL_BYTES);
      const secret = new SecretMaterial(bytes);
      bytes.fill(0);
      return secret;
    }
    case 'HMAC':
      return generateHmacKey(keySpec as HmacKeySpec);
    default:
      if (!isAsymmetricKeySpec(keySpec)) throw new RangeError(`no material generator for ${keySpec}`);
      return generatePrivateKey(keySpec);
  }
}

/** As generateMaterial, but asymmetric key generation (RSA-4096 takes seconds) runs off the event loop. */
export async function generateMaterialAsync(keySpec: string): Promise<SecretMaterial> {
  if (isAsymmetricKeySpec(keySpec)) return generatePrivateKeyAsync(keySpec);
  return generateMaterial(keySpec);
}

export interface LoadedMaterial {
  readonly materialId: string;
  readonly secret: SecretMaterial;
}

/** The material that a key encrypts, signs or MACs with now. */
export async function currentMaterial(services: KmsServices, key: KeyRecord): Promise<LoadedMaterial> {
  const materialId = key.currentMaterialId;
  const material = materialId === undefined ? undefined : await services.store.getMaterial(key.arn, materialId);
  // An internal fault; AWS's text for it is unknown (unconfirmed).
  if (!materialId || !material) throw new KMSInternalException('The key has no current key material.');
  // Imported material that was deleted or expired: the key is (or is about to be) PendingImport.
  // AWS (LocalStack snapshot test_kms.py::TestKMS::test_import_key_symmetric): "<key ARN> is pending import."
  if (material.wrapped.length === 0) throw new KMSInvalidStateException(`${key.arn} is pending import.`);
  return { materialId, secret: await services.materials.unwrap(material) };
}

/**
 * Deletes one imported material of `key` (its bytes; the record stays so the same material can be
 * reimported under the same id) and moves the key to PendingImport when the material was
 * associated with it. AWS: "When the specified KMS key is in the PendingDeletion state, this
 * operation does not change the KMS key's state. Otherwise, it changes the KMS key's state to
 * PendingImport."
 * Shared by DeleteImportedKeyMaterial and the expiry job. Throws StoreConflictError when a key changed meanwhile.
 */
export async function deleteMaterial(services: KmsServices, key: KeyRecord, materials: readonly MaterialRecord[], target: MaterialRecord): Promise<void> {
  const deleted = withoutMaterial(target);
  const updated = keyWithMaterials(key, materials.map((m) => (m.materialId === target.materialId ? deleted : m)));
  const changes: Change[] = [
    { kind: 'putKey', key: { ...updated, version: key.version + 1 }, expectedVersion: key.version },
    { kind: 'putMaterial', material: deleted },
  ];
  const touched = [key.arn];
  if (isPrimaryKey(key) && isPendingRotation(target.state)) {
    // AWS: "When you delete the key material of a primary Region key that is in PENDING_ROTATION or
    // PENDING_MULTI_REGION_IMPORT_AND_ROTATION state, you'll also be deleting the key materials for the replica Region keys."
    for (const replica of replicasOf(await readRelatedSet(services, key))) {
      const theirs = await services.store.getMaterial(replica.arn, target.materialId);
      if (theirs && isImported(theirs)) {
        changes.push({ kind: 'putMaterial', material: withoutMaterial(theirs) });
        touched.push(replica.arn);
      }
    }
  }
  try {
    await services.store.commit(changes);
  } finally {
    for (const arn of touched) services.materials.forgetKey(arn);
  }
}
