// Expiry of imported key material. AWS: "If you set an expiration date, KMS deletes the key material
// from the KMS key on the specified date, making the KMS key unusable. To use the KMS key in
// cryptographic operations again, you must reimport the same key material." The material record
// stays (bytes emptied, importState PENDING_IMPORT) so a reimport revives it under the same id.

import type { KmsServices } from './context.js';
import { deleteMaterial } from './key-material.js';
import { ANY_CONFLICT, retryOnConflict } from './key-mutation.js';
import { parseKeyIdentifier } from './model/arn.js';
import type { MaterialRecord } from './model/key.js';
import { isImported } from './model/material.js';

/** Deletes every imported material whose ValidTo has passed. Returns how many were deleted. */
export async function expireImportedMaterial(services: KmsServices, batchSize = 100): Promise<number> {
  let expired = 0;
  for (;;) {
    const due = await services.store.listMaterialsDueForExpiry(services.clock.now(), batchSize);
    let progressed = 0;
    for (const material of due) if (await expireOne(services, material)) progressed++;
    expired += progressed;
    // A full batch in which nothing could be expired would come back unchanged: stop rather than spin.
    if (due.length < batchSize || progressed === 0) return expired;
  }
}

async function expireOne(services: KmsServices, due: MaterialRecord): Promise<boolean> {
  const parsed = parseKeyIdentifier(due.keyArn);
  if (parsed.kind !== 'keyArn') return false;
  return retryOnConflict(async () => {
    const key = await services.store.getKey(parsed.scope, parsed.keyId);
    if (!key) return false;
    const materials = await services.store.listMaterials(key.arn);
    const target = materials.find((m) => m.materialId === due.materialId);
    // Reimported meanwhile with another expiry, or already gone: nothing is due any more.
    if (
      !target ||
      !isImported(target) ||
      target.expirationModel !== 'KEY_MATERIAL_EXPIRES' ||
      target.validTo === undefined ||
      target.validTo > services.clock.now()
    ) {
      return false;
    }
    await deleteMaterial(services, key, materials, target);
    return true;
  }, ANY_CONFLICT);
}
