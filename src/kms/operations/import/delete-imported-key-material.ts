// DeleteImportedKeyMaterial: https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteImportedKeyMaterial.html

import { NotFoundException } from '../../../errors/aws-errors.js';
import { StoreConflictError, type Change } from '../../../store/store.js';
import type { KmsServices, Operation } from '../../context.js';
import { DELETE_IMPORTED_KEY_MATERIAL_RULE } from '../../model/key-state.js';
import { isSymmetricEncryption } from '../../model/key-spec.js';
import type { KeyRecord, MaterialRecord } from '../../model/key.js';
import { isPrimaryKey, relatedSet, replicasOf } from '../../model/multi-region.js';
import { isImported, isPendingRotation, keyWithMaterials, resolveExternalKey, withoutMaterial } from './common.js';

const MAX_ATTEMPTS = 5;

export const DeleteImportedKeyMaterial: Operation = {
  name: 'DeleteImportedKeyMaterial',
  async run(input, caller, services) {
    const requestedId = input.KeyMaterialId as string | undefined;
    for (let attempt = 1; ; attempt++) {
      const key = await resolveExternalKey(services, caller, input.KeyId as string, DELETE_IMPORTED_KEY_MATERIAL_RULE);
      const materials = await services.store.listMaterials(key.arn);
      // AWS: "If no KeyMaterialId is specified, KMS deletes the current key material."
      const target = requestedId !== undefined ? materials.find((m) => m.materialId === requestedId) : materials.find((m) => m.materialId === key.currentMaterialId);
      if (requestedId !== undefined && !target) {
        throw new NotFoundException(`Key material ${requestedId} is not associated with ${key.arn}.`);
      }
      const response = { KeyId: key.arn, ...(target && isSymmetricEncryption(key.keySpec) ? { KeyMaterialId: target.materialId } : {}) };
      // The key-state table: on a PendingImport key the operation succeeds with no effect.
      if (!target || !isImported(target)) return response;
      try {
        await deleteMaterial(services, key, materials, target);
        return response;
      } catch (err) {
        if (!(err instanceof StoreConflictError) || err.reason !== 'version' || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  },
};

/**
 * Deletes one imported material of `key` (its bytes; the record stays so the same material can be
 * reimported under the same id) and moves the key to PendingImport when the material was
 * associated with it. AWS: "When the specified KMS key is in the PendingDeletion state, this
 * operation does not change the KMS key's state. Otherwise, it changes the KMS key's state to
 * PendingImport." Shared with the expiry job.
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
    for (const replica of replicasOf(relatedSet(key, await services.store.listRelatedKeys(key.accountId, key.keyId)))) {
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
