// RotateKeyOnDemand: https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html

import { ConflictException, LimitExceededException } from '../../../errors/aws-errors.js';
import type { Operation } from '../../context.js';
import { ensureCustomerManaged, retryOnConflict } from '../../key-mutation.js';
import { MAX_ON_DEMAND_ROTATIONS, onDemandRotationCount, rotateKeyMaterial } from '../../key-rotation.js';
import { ROTATE_ON_DEMAND_RULE } from '../../model/key-state.js';
import { ensureNotReplica, ensureOrigin, ensureRotatableSpec, resolveRotationKey } from './common.js';

const AUTOMATIC_ROTATION_GUARD_MS = 20 * 60_000;

export const RotateKeyOnDemand: Operation = {
  name: 'RotateKeyOnDemand',
  async run(input, caller, services) {
    const rotated = await retryOnConflict(async () => {
      const key = await resolveRotationKey(services, caller, input.KeyId as string, ROTATE_ON_DEMAND_RULE);
      // AWS: "You cannot initiate on-demand rotation of Amazon Web Services managed KMS keys."
      ensureCustomerManaged(key, caller, 'RotateKeyOnDemand');
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
      const materials = await services.store.listMaterials(key.arn);
      if (onDemandRotationCount(materials) >= MAX_ON_DEMAND_ROTATIONS) {
        // LocalStack's KMS models.py gives this text (its rotation tests are validated against AWS).
        throw new LimitExceededException(
          `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.arn}`,
        );
      }
      // AWS: "On-demand rotations do not change existing automatic rotation schedules." The
      // rotation is done when this returns, so OnDemandRotationStartDate is never left behind.
      return rotateKeyMaterial(services, key, 'ON_DEMAND', {}, materials);
      // 'missing': a replica was deleted between the read and the commit.
    }, ['version', 'missing']);
    // AWS answers with the key ARN (as CancelKeyDeletion and ScheduleKeyDeletion do), not the key id.
    return { KeyId: rotated.key.arn };
  },
};
