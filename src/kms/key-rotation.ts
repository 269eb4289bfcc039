// Rotating a key's material: a new material version under the same key id and ARN (earlier versions
// stay, so every ciphertext made under them still decrypts), the schedule of automatic rotation,
// and multi-Region propagation: a primary key's new material reaches every replica key, each copy
// wrapped under its own key ARN, in the same commit.

import { KMSInvalidStateException } from '../errors/aws-errors.js';
import type { Change } from '../store/store.js';
import type { KmsServices } from './context.js';
import { wrapMaterial } from './key-factory.js';
import { generateMaterial } from './key-material.js';
import type { KeyChange } from './key-mutation.js';
import { DAY_MS } from './model/clock.js';
import { newMaterialId } from './model/key-ids.js';
import { isSymmetricEncryption } from './model/key-spec.js';
import { isReplicaKey } from './model/multi-region.js';
import { existingReplicas } from './multi-region-deletion.js';
import type { KeyRecord, MaterialRecord, RotationType } from './model/key.js';
import { expiryOf, isAssociated, isImported, isPendingRotation } from './model/material.js';

// AWS: "If no value is specified, the default value is 365 days." (EnableKeyRotation RotationPeriodInDays)
const DEFAULT_ROTATION_PERIOD_DAYS = 365;

// AWS: "KMS always rotates the key material of Amazon Web Services managed keys every year."
const AWS_MANAGED_ROTATION_PERIOD_DAYS = 365;

// AWS: "You can perform on-demand key rotation a maximum of 25 times per KMS key." (RotateKeyOnDemand;
// the developer guide's resource quotas list it as 25, not adjustable.)
export const MAX_ON_DEMAND_ROTATIONS = 25;

type Schedule = Pick<KeyRecord, 'rotationEnabled' | 'rotationPeriodInDays' | 'nextRotationDate'>;

/** The rotation fields of a new AWS managed key. */
export function awsManagedKeyRotation(now: number): Schedule {
  // AWS: "New Amazon Web Services managed keys are automatically rotated one year after they are
  // created, and approximately every year thereafter."
  return {
    rotationEnabled: true,
    rotationPeriodInDays: AWS_MANAGED_ROTATION_PERIOD_DAYS,
    nextRotationDate: now + AWS_MANAGED_ROTATION_PERIOD_DAYS * DAY_MS,
  };
}

/**
 * EnableKeyRotation's change to the schedule; the same object when nothing changes.
 * Not enabled yet: the first rotation is one period after now. Already enabled with another
 * period: the next date is the last automatic rotation (or the enable date) plus the new period;
 * if that date has passed, the scheduler rotates at its next run.
 */
export function withRotationEnabled(key: KeyRecord, periodInDays: number | undefined, now: number): KeyRecord {
  const period = periodInDays ?? DEFAULT_ROTATION_PERIOD_DAYS;
  if (!key.rotationEnabled || key.nextRotationDate === undefined) {
    // AWS: "The rotation period defines the number of days after you enable automatic key rotation
    // that KMS will rotate your key material, and the number of days between each automatic
    // rotation thereafter."
    return { ...key, rotationEnabled: true, rotationPeriodInDays: period, nextRotationDate: now + period * DAY_MS };
  }
  const current = key.rotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_DAYS;
  if (period === current) return key;
  // AWS: "you can use RotationPeriodInDays to modify the rotation period of a key that you
  // previously enabled automatic key rotation on."
  const lastRotationOrEnable = key.nextRotationDate - current * DAY_MS;
  return { ...key, rotationPeriodInDays: period, nextRotationDate: lastRotationOrEnable + period * DAY_MS };
}

/** DisableKeyRotation's change; the same object when rotation is already off. */
export function withRotationDisabled(key: KeyRecord): KeyRecord {
  if (!key.rotationEnabled) return key;
  // AWS: "If you enable automatic key rotation again, AWS KMS rotates the key material based on
  // the new rotation-enable date." So nothing of the old schedule is kept.
  return { ...key, rotationEnabled: false, rotationPeriodInDays: undefined, nextRotationDate: undefined };
}

const ROTATION_LATENESS_GRACE_MS = 60 * 60_000;

/** The date after an automatic rotation made at `now` of a key scheduled for `key.nextRotationDate`. */
export function nextRotationAfter(key: KeyRecord, now: number): number {
  const period = (key.rotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_DAYS) * DAY_MS;
  const due = key.nextRotationDate ?? now;
  // A key that missed its date (disabled, or the server was down) rotates once, then every period
  // from now. AWS (GetKeyRotationStatus, Disabled): "If the key material in the re-enabled KMS key
  // hasn't been rotated in one year, KMS rotates it immediately, and every year thereafter."
  // Within the grace (scheduler lag) the phase is kept, so on-time rotations do not drift.
  return now - due <= ROTATION_LATENESS_GRACE_MS ? due + period : now + period;
}

/** How many on-demand rotations a key has had (they count against MAX_ON_DEMAND_ROTATIONS). */
export function onDemandRotationCount(materials: readonly MaterialRecord[]): number {
  return materials.filter((m) => m.rotationType === 'ON_DEMAND').length;
}

/** Whether the scheduler rotates this key now. */
export function isDueForAutomaticRotation(key: KeyRecord, now: number): boolean {
  return (
    key.rotationEnabled === true &&
    key.nextRotationDate !== undefined &&
    key.nextRotationDate <= now &&
    // AWS (GetKeyRotationStatus): "while the KMS key is disabled, KMS does not rotate the key
    // material" and "While a KMS key is pending deletion, its key rotation status is false and KMS
    // does not rotate the key material." Other states cannot rotate either.
    key.state === 'Enabled' &&
    isSymmetricEncryption(key.keySpec) &&
    key.origin === 'AWS_KMS' &&
    // Replica keys rotate with their primary.
    !isReplicaKey(key)
  );
}

/**
 * A change of a primary key's rotation settings (for mutateKey), copying the status and period onto
 * its replicas (AWS: the primary key "is the source for properties that are always shared by primary
 * and replica keys, including ... automatic key rotation"). The schedule (nextRotationDate) stays
 * with the primary, which rotates the whole set. Each replica's put is guarded by the version read.
 */
export async function rotationSettingsChange(services: KmsServices, key: KeyRecord, updated: KeyRecord): Promise<KeyChange> {
  const settings: Schedule = { rotationEnabled: updated.rotationEnabled, rotationPeriodInDays: updated.rotationPeriodInDays };
  const changes: Change[] = [];
  for (const replica of await existingReplicas(services, key)) {
    changes.push({ kind: 'putKey', key: { ...replica, ...settings, version: replica.version + 1 }, expectedVersion: replica.version });
  }
  return { key: updated, changes };
}

export interface RotationResult {
  /** The rotated key as committed. */
  readonly key: KeyRecord;
  readonly materialId: string;
}

/**
 * Rotates `key` (as read: its version guards the commit): a new CURRENT material version, the
 * previous one NON_CURRENT, `currentMaterialId` moved, the rotation type and date recorded. A key
 * with imported material (Origin EXTERNAL) gets no generated material: its imported material in
 * state PENDING_ROTATION becomes current. A multi-Region primary's replicas get the same material
 * in the same commit. `schedule` (automatic rotation) is applied to the key. `materials`: the key's
 * material versions, when the caller has read them already (with `key`).
 * Throws StoreConflictError when any of these keys changed meanwhile: re-read and try again.
 */
export async function rotateKeyMaterial(
  services: KmsServices,
  key: KeyRecord,
  rotationType: RotationType,
  schedule: Partial<Schedule> = {},
  materials?: readonly MaterialRecord[],
): Promise<RotationResult> {
  const now = services.clock.now();
  const targets = [key, ...(await existingReplicas(services, key))];
  const changes: Change[] = [];
  let materialId: string;
  let rotatedKey: KeyRecord | undefined;

  const retire = async (target: KeyRecord) => {
    if (target.currentMaterialId === undefined) return;
    const previous = await services.store.getMaterial(target.arn, target.currentMaterialId);
    if (previous && previous.state === 'CURRENT') changes.push({ kind: 'putMaterial', material: { ...previous, state: 'NON_CURRENT' } });
  };
  const putKey = (target: KeyRecord, extra: Partial<KeyRecord>) => {
    // The schedule belongs to the primary; replicas only take the new material.
    const next: KeyRecord = { ...target, ...(target === key ? schedule : {}), ...extra, currentMaterialId: materialId, version: target.version + 1 };
    changes.push({ kind: 'putKey', key: next, expectedVersion: target.version });
    if (target === key) rotatedKey = next;
  };

  if (key.origin === 'EXTERNAL') {
    const keyMaterials = materials ?? (await services.store.listMaterials(key.arn));
    const pending = await pendingImportedMaterials(services, key, targets, keyMaterials);
    materialId = pending[0]!.materialId;
    for (const [i, target] of targets.entries()) {
      const material = pending[i]!;
      await retire(target);
      // The rotation completes now: that is the RotationDate ListKeyRotations reports.
      changes.push({ kind: 'putMaterial', material: { ...material, state: 'CURRENT', rotationType, createdAt: now } });
      // ValidTo is the earliest expiry of every associated material, as after an import.
      const own = target === key ? keyMaterials : await services.store.listMaterials(target.arn);
      const after = own.map((m) =>
        m.materialId === material.materialId ? { ...m, state: 'CURRENT' as const } : m.state === 'CURRENT' ? { ...m, state: 'NON_CURRENT' as const } : m,
      );
      const expiry = expiryOf(after.filter((m) => isAssociated(m.state)));
      putKey(target, { expirationModel: expiry.expirationModel, validTo: expiry.validTo });
    }
  } else {
    materialId = newMaterialId();
    const secret = generateMaterial(key.keySpec);
    try {
      for (const target of targets) {
        const material = await wrapMaterial(services, target.arn, secret, now, 'CURRENT', materialId);
        await retire(target);
        changes.push({ kind: 'putMaterial', material: { ...material, rotationType } });
        putKey(target, {});
      }
    } finally {
      secret.dispose();
    }
  }

  try {
    await services.store.commit(changes);
  } finally {
    for (const target of targets) services.materials.forgetKey(target.arn);
  }
  return { key: rotatedKey!, materialId };
}

/** The imported material waiting to become current, one record per target key (same material id). */
async function pendingImportedMaterials(
  services: KmsServices,
  key: KeyRecord,
  targets: readonly KeyRecord[],
  materials: readonly MaterialRecord[],
): Promise<MaterialRecord[]> {
  // AWS: "When you initiate on-demand key rotation on a symmetric encryption KMS key with imported
  // key material, you must have already imported new key material and that key material's state
  // should be PENDING_ROTATION."
  const pending = materials.find((m) => m.state === 'PENDING_ROTATION' && isImported(m));
  if (!pending) {
    if (materials.some((m) => m.state === 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION')) throw notImportedInAllReplicas(key);
    // AWS (recorded response quoted in the wire-messages issue): "No available key material pending
    // rotation for the key: <key ARN>."
    throw new KMSInvalidStateException(`No available key material pending rotation for the key: ${key.arn}.`);
  }
  const result = [pending];
  for (const replica of targets.slice(1)) {
    // AWS: "To perform on-demand rotation of a set of related multi-Region keys, import new key
    // material in the primary Region key, import the same key material in each replica Region key,
    // and invoke the on-demand rotation on the primary Region key."
    const copy = await services.store.getMaterial(replica.arn, pending.materialId);
    if (!copy || !isImported(copy) || !isPendingRotation(copy.state)) throw notImportedInAllReplicas(key);
    result.push(copy);
  }
  return result;
}

// Unconfirmed wording: no recorded AWS response found.
function notImportedInAllReplicas(key: KeyRecord): KMSInvalidStateException {
  return new KMSInvalidStateException(
    `${key.arn} has new key material that is not yet imported into every replica key (PENDING_MULTI_REGION_IMPORT_AND_ROTATION).`,
  );
}
