// DeleteImportedKeyMaterial: https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteImportedKeyMaterial.html

import { NotFoundException } from '../../../errors/aws-errors.js';
import type { Operation } from '../../context.js';
import { deleteMaterial } from '../../key-material.js';
import { retryOnConflict } from '../../key-mutation.js';
import { DELETE_IMPORTED_KEY_MATERIAL_RULE } from '../../model/key-state.js';
import { isSymmetricEncryption } from '../../model/key-spec.js';
import { isImported } from '../../model/material.js';
import { resolveExternalKey } from './common.js';

export const DeleteImportedKeyMaterial: Operation = {
  name: 'DeleteImportedKeyMaterial',
  async run(input, caller, services) {
    const requestedId = input.KeyMaterialId as string | undefined;
    return retryOnConflict(async () => {
      const key = await resolveExternalKey(services, caller, input.KeyId as string, DELETE_IMPORTED_KEY_MATERIAL_RULE);
      const materials = await services.store.listMaterials(key.arn);
      // AWS: "If no KeyMaterialId is specified, KMS deletes the current key material."
      const target = requestedId !== undefined ? materials.find((m) => m.materialId === requestedId) : materials.find((m) => m.materialId === key.currentMaterialId);
      if (requestedId !== undefined && !target) {
        // Unconfirmed wording: no recorded AWS response found.
        throw new NotFoundException(`Key material ${requestedId} is not associated with ${key.arn}.`);
      }
      const response = { KeyId: key.arn, ...(target && isSymmetricEncryption(key.keySpec) ? { KeyMaterialId: target.materialId } : {}) };
      // The key-state table: on a PendingImport key the operation succeeds with no effect.
      if (!target || !isImported(target)) return response;
      await deleteMaterial(services, key, materials, target);
      return response;
    });
  },
};
