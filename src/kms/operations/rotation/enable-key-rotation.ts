// EnableKeyRotation: https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html

import { commitKey } from '../../key-mutation.js';
import { rotationSettingsChange, withRotationEnabled } from '../../key-rotation.js';
import { ROTATION_CONFIG_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { ensureNotReplica, ensureOrigin, ensureRotatableSpec } from './common.js';

export const EnableKeyRotation = defineOperation({
  name: 'EnableKeyRotation',
  readOnly: false,
  dryRun: false,
  // The rotation operations name a key by key id or key ARN only (AWS: "Specify the key ID or key ARN of the KMS key.").
  // AWS: "You cannot enable or disable automatic rotation of Amazon Web Services managed KMS keys."
  // Their key policy allows no kms:EnableKeyRotation, so the caller is denied (customerManagedOnly).
  keys: [{ member: 'KeyId', action: 'kms:EnableKeyRotation', forms: 'key', state: ROTATION_CONFIG_RULE, customerManagedOnly: true }],
  check({ key }) {
    // AWS: "You cannot enable automatic rotation of asymmetric KMS keys, HMAC KMS keys, KMS keys
    // with imported key material, or KMS keys in a custom key store."
    ensureRotatableSpec(key('KeyId'));
    ensureOrigin(key('KeyId'), ['AWS_KMS']);
    ensureNotReplica(key('KeyId'));
  },
  async run({ input, services, key }) {
    const read = key('KeyId');
    // RotationPeriodInDays (90-2560) was validated against the service model already.
    const updated = withRotationEnabled(read, input.RotationPeriodInDays as number | undefined, services.clock.now());
    if (updated !== read) {
      // The replicas take the settings too; they are read here, inside the retried attempt.
      const change = await rotationSettingsChange(services, read, updated);
      await commitKey(services, read, change.key, change.changes);
    }
    return {};
  },
});
