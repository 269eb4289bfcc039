// ListKeyRotations: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyRotations.html

import { InvalidMarkerException } from '../../../errors/aws-errors.js';
import type { OperationOutput } from '../../context.js';
import { ANY_STATE } from '../../model/key-state.js';
import type { KeyRecord, MaterialRecord } from '../../model/key.js';
import { isPendingRotation } from '../../model/material.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { ensureOrigin, ensureRotatableSpec } from './common.js';

const DEFAULT_LIMIT = 100;
const MARKER_PREFIX = 'rotations/v1/';

export const ListKeyRotations = defineOperation({
  name: 'ListKeyRotations',
  readOnly: true,
  dryRun: false,
  keys: [{ member: 'KeyId', action: 'kms:ListKeyRotations', forms: 'key', state: ANY_STATE }],
  check({ key }) {
    // AWS: "This parameter can only be used with KMS keys that support automatic or on-demand key
    // rotation": symmetric encryption keys with generated or imported material.
    ensureRotatableSpec(key('KeyId'));
    ensureOrigin(key('KeyId'), ['AWS_KMS', 'EXTERNAL']);
  },
  async run({ input, services, key: keyOf }) {
    const key = keyOf('KeyId');
    const materials = await services.store.listMaterials(key.arn);
    // AWS: "The default value of this parameter is ROTATIONS_ONLY. ... When you specify a value of
    // ALL_KEY_MATERIAL, KMS adds the first key material and any imported key material pending
    // rotation to the response."
    const all = input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
    const listed = materials.filter((m, i) => all || (i > 0 && !isPendingRotation(m.state)));
    const start = input.Marker === undefined ? 0 : positionAfter(listed, input.Marker as string);
    const limit = (input.Limit as number | undefined) ?? DEFAULT_LIMIT;
    const page = listed.slice(start, start + limit);
    const truncated = start + limit < listed.length;
    return {
      Rotations: page.map((m) => toEntry(key, m, m === materials[0])),
      ...(truncated ? { NextMarker: MARKER_PREFIX + page.at(-1)!.materialId } : {}),
      Truncated: truncated,
    };
  },
});

/** Where the page after `marker` starts; the marker names the last material of the previous page. */
function positionAfter(listed: readonly MaterialRecord[], marker: string): number {
  const materialId = marker.startsWith(MARKER_PREFIX) ? marker.slice(MARKER_PREFIX.length) : undefined;
  const index = materialId === undefined ? -1 : listed.findIndex((m) => m.materialId === materialId);
  // Unconfirmed wording: no recorded AWS response found.
  if (index < 0) throw new InvalidMarkerException('Invalid marker');
  return index + 1;
}

function toEntry(key: KeyRecord, m: MaterialRecord, first: boolean): OperationOutput {
  const entry: OperationOutput = { KeyId: key.keyId, KeyMaterialId: m.materialId };
  if (key.origin === 'EXTERNAL' && m.description !== undefined) entry.KeyMaterialDescription = m.description;
  // AWS: ImportState, ExpirationModel: "This field is only present for symmetric encryption KMS keys with EXTERNAL origin."
  if (key.origin === 'EXTERNAL') entry.ImportState = m.importState ?? (m.wrapped.length > 0 ? 'IMPORTED' : 'PENDING_IMPORT');
  entry.KeyMaterialState = m.state;
  if (key.origin === 'EXTERNAL') {
    if (m.expirationModel !== undefined) entry.ExpirationModel = m.expirationModel;
    // AWS: ValidTo is present "in rotation list entries with an ExpirationModel value of KEY_MATERIAL_EXPIRES."
    if (m.expirationModel === 'KEY_MATERIAL_EXPIRES' && m.validTo !== undefined) entry.ValidTo = new Date(m.validTo);
  }
  // AWS: RotationDate and RotationType are "not present for the first key material or an imported
  // key material in PENDING_ROTATION state."
  if (!first && !isPendingRotation(m.state)) {
    entry.RotationDate = new Date(m.createdAt);
    if (m.rotationType !== undefined) entry.RotationType = m.rotationType;
  }
  return entry;
}
