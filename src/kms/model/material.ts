// Material versions of a key as data: which states are associated with the key or wait for a
// rotation, whether imported bytes are present, and the key's state and expiry as its materials make it.

import type { ExpirationModel, KeyRecord, MaterialRecord, MaterialState } from './key.js';

/** Material states that are "permanently associated with the KMS key" (the others wait for a rotation). */
export function isAssociated(state: MaterialState): boolean {
  return state === 'CURRENT' || state === 'NON_CURRENT';
}

export function isPendingRotation(state: MaterialState): boolean {
  return state === 'PENDING_ROTATION' || state === 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION';
}

export function isImported(material: MaterialRecord): boolean {
  return material.importState !== 'PENDING_IMPORT' && material.wrapped.length > 0;
}

/** The record of a material whose bytes are gone (deleted or expired): reimport brings it back. */
export function withoutMaterial(material: MaterialRecord): MaterialRecord {
  return { ...material, wrapped: Buffer.alloc(0), importState: 'PENDING_IMPORT' };
}

/** States the material lifecycle leaves alone: deletion pending, or a multi-Region transition. */
const FROZEN_STATES: ReadonlySet<KeyRecord['state']> = new Set(['PendingDeletion', 'PendingReplicaDeletion', 'Creating', 'Updating', 'Unavailable']);

/**
 * The key as its material versions make it: PendingImport while the current material or any other
 * associated material is missing (AWS: "For symmetric encryption keys, you will need to import all of
 * the key materials associated with the KMS key to change its state to Enabled"), Enabled when the
 * last missing material arrives; and the KeyMetadata expiry of the associated imported materials.
 * `alsoRequired`: material ids the key must hold besides its own associated ones (a replica of a
 * multi-Region key needs every material associated with its primary).
 */
export function keyWithMaterials(key: KeyRecord, materials: readonly MaterialRecord[], alsoRequired: readonly string[] = []): KeyRecord {
  const associated = materials.filter((m) => isAssociated(m.state));
  const has = (id: string | undefined) => {
    const material = id === undefined ? undefined : materials.find((m) => m.materialId === id);
    return material !== undefined && isImported(material);
  };
  const complete = has(key.currentMaterialId) && associated.every(isImported) && alsoRequired.every(has);
  let state = key.state;
  if (!FROZEN_STATES.has(state)) {
    if (!complete) state = 'PendingImport';
    // AWS: "When this operation is successful, the state of the KMS key changes to Enabled".
    else if (state === 'PendingImport') state = 'Enabled';
  }
  const { expirationModel: _m, validTo: _v, ...rest } = key;
  return { ...rest, state, ...expiryOf(associated) };
}

/**
 * KeyMetadata's ExpirationModel and ValidTo. AWS: ValidTo is "the earliest time at which any
 * imported key material permanently associated with this KMS key expires". Only materials now
 * imported count: while none is (before the first import, or all deleted or expired) both are
 * absent. AWS (test_import_key_symmetric, "describe-key-after-deleted-import"): a key back in
 * PendingImport after DeleteImportedKeyMaterial shows no ExpirationModel, as before its first import.
 */
export function expiryOf(associated: readonly MaterialRecord[]): { expirationModel?: ExpirationModel; validTo?: number } {
  const counted = associated.filter((m) => m.expirationModel !== undefined && isImported(m));
  if (counted.length === 0) return {};
  const expiring = counted.filter((m) => m.expirationModel === 'KEY_MATERIAL_EXPIRES' && m.validTo !== undefined);
  if (expiring.length === 0) return { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' };
  return { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: Math.min(...expiring.map((m) => m.validTo!)) };
}
