// RotateKeyOnDemand: https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html

import { ConflictException, LimitExceededException } from '../../../errors/aws-errors.js';
import { StoreConflictError } from '../../../store/store.js';
import { MAX_ON_DEMAND_ROTATIONS, onDemandRotationCount, rotateKeyMaterial } from '../../key-rotation.js';
import { ROTATE_ON_DEMAND_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { ensureNotReplica, ensureOrigin, ensureRotatableSpec } from './common.js';

const AUTOMATIC_ROTATION_GUARD_MS = 20 * 60_000;

export const RotateKeyOnDemand = defineOperation({
  name: 'RotateKeyOnDemand',
  readOnly: false,
  dryRun: false,
  // The rotation operations name a key by key id or key ARN only (AWS: "Specify the key ID or key ARN of the KMS key.").
  // AWS: "You cannot initiate on-demand rotation of Amazon Web Services managed KMS keys." (customerManagedOnly)
  keys: [{ member: 'KeyId', action: 'kms:RotateKeyOnDemand', forms: 'key', state: ROTATE_ON_DEMAND_RULE, customerManagedOnly: true }],
  check({ services, key: keyOf }) {
    const key = keyOf('KeyId');
    // AWS: "You cannot perform on-demand rotation of asymmetric KMS keys, HMAC KMS keys, or KMS
    // keys in a custom key store." Keys with imported material (EXTERNAL) can rotate.
    ensureRotatableSpec(key);
    ensureOrigin(key, ['AWS_KMS', 'EXTERNAL']);
    // AWS: "To perform on-demand rotation of a set of related multi-Region keys, invoke the
    // on-demand rotation on the primary key."
    ensureNotReplica(key);
    // AWS: ConflictException when "an automatic rotation of this key is currently in progress or
    // scheduled to begin within the next 20 minutes".
    if (key.rotationEnabled && key.nextRotationDate !== undefined && key.nextRotationDate - services.clock.now() <= AUTOMATIC_ROTATION_GUARD_MS) {
      // Unconfirmed wording: no recorded AWS response found.
      throw new ConflictException(`An automatic rotation of ${key.arn} is scheduled to begin within the next 20 minutes. Try again later.`);
    }
  },
  async run({ services, key: keyOf }) {
    const key = keyOf('KeyId');
    // Read inside the retried attempt: the count decides whether this rotation may commit.
    const materials = await services.store.listMaterials(key.arn);
    if (onDemandRotationCount(materials) >= MAX_ON_DEMAND_ROTATIONS) {
      // LocalStack's KMS models.py gives this text (its rotation tests are validated against AWS).
      throw new LimitExceededException(
        `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.arn}`,
      );
    }
    try {
      // AWS: "On-demand rotations do not change existing automatic rotation schedules." The
      // rotation is done when this returns, so OnDemandRotationStartDate is never left behind.
      const rotated = await rotateKeyMaterial(services, key, 'ON_DEMAND', {}, materials);
      // AWS answers with the key ARN (as CancelKeyDeletion and ScheduleKeyDeletion do), not the key id.
      return { KeyId: rotated.key.arn };
    } catch (err) {
      // 'missing': a replica was deleted between the read and the commit. The pipeline runs a
      // writing operation again on a version conflict only; this is one (a key read has changed),
      // so the retry rotates the set as it is now.
      if (err instanceof StoreConflictError && err.reason === 'missing') throw new StoreConflictError('version', err.message);
      throw err;
    }
  },
});
