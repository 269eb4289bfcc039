// GetKeyRotationStatus: https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html

import type { OperationOutput } from '../../context.js';
import { ANY_STATE } from '../../model/key-state.js';
import { isReplicaKey, primaryOf } from '../../model/multi-region.js';
import { readRelatedSet } from '../../multi-region-deletion.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { ensureOrigin, isRotatableSpec } from './common.js';

export const GetKeyRotationStatus = defineOperation({
  name: 'GetKeyRotationStatus',
  readOnly: true,
  dryRun: false,
  // Every key state may be asked. AWS managed keys answer too ("The key rotation status for Amazon
  // Web Services managed KMS keys is always true.").
  keys: [{ member: 'KeyId', action: 'kms:GetKeyRotationStatus', forms: 'key', state: ANY_STATE }],
  check({ key }) {
    // Imported material (PendingImport included) and custom key stores answer
    // "<arn> origin is EXTERNAL which is not valid for this operation."
    ensureOrigin(key('KeyId'), ['AWS_KMS']);
  },
  async run({ services, key: keyOf }) {
    const key = keyOf('KeyId');
    // Asymmetric and HMAC keys cannot rotate: the service answers false rather than an error.
    if (!isRotatableSpec(key)) return { KeyRotationEnabled: false, KeyId: key.keyId };
    const settings = isReplicaKey(key) ? (primaryOf(await readRelatedSet(services, key)) ?? key) : key;
    // AWS: "While a KMS key is pending deletion, its key rotation status is false ... If you cancel
    // the deletion, the original key rotation status returns to true." and "Disabled: The key
    // rotation status does not change when you disable a KMS key."
    const pendingDeletion = key.state === 'PendingDeletion' || key.state === 'PendingReplicaDeletion';
    const enabled = settings.rotationEnabled === true && !pendingDeletion;
    const output: OperationOutput = { KeyRotationEnabled: enabled, KeyId: key.keyId };
    if (enabled) {
      if (settings.rotationPeriodInDays !== undefined) output.RotationPeriodInDays = settings.rotationPeriodInDays;
      if (settings.nextRotationDate !== undefined) output.NextRotationDate = new Date(settings.nextRotationDate);
    }
    // AWS: "Once the on-demand rotation is complete, KMS removes this field from the response."
    // Our on-demand rotations complete before RotateKeyOnDemand answers, so it is rarely present.
    if (key.onDemandRotationStartDate !== undefined) output.OnDemandRotationStartDate = new Date(key.onDemandRotationStartDate);
    return output;
  },
});

