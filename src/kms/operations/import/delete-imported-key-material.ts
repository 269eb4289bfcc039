// DeleteImportedKeyMaterial: https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteImportedKeyMaterial.html

import { NotFoundException } from '../../../errors/aws-errors.js';
import { deleteMaterial } from '../../key-material.js';
import { ANY_STATE, DELETE_IMPORTED_KEY_MATERIAL_RULE } from '../../model/key-state.js';
import { isSymmetricEncryption } from '../../model/key-spec.js';
import { isImported } from '../../model/material.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { ensureExternalKey } from './common.js';

export const DeleteImportedKeyMaterial = defineOperation({
  name: 'DeleteImportedKeyMaterial',
  readOnly: false,
  dryRun: false,
  // Key id or key ARN only. The key state is ANY_STATE here because AWS refuses a key that is not
  // EXTERNAL before applying the key-state row (DELETE_IMPORTED_KEY_MATERIAL_RULE): `check`
  // applies both, in that order.
  keys: [{ member: 'KeyId', action: 'kms:DeleteImportedKeyMaterial', forms: 'key', state: ANY_STATE }],
  check({ key }) {
    ensureExternalKey(key('KeyId'), DELETE_IMPORTED_KEY_MATERIAL_RULE);
  },
  async run({ input, services, key: keyOf }) {
    const key = keyOf('KeyId');
    const requestedId = input.KeyMaterialId as string | undefined;
    // Read inside the retried attempt: the materials decide what is deleted and the key's new state.
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
    // Committed with the version of the key as resolved: a concurrent change runs this again.
    await deleteMaterial(services, key, materials, target);
    return response;
  },
});
