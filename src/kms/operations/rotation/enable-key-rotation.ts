// EnableKeyRotation: https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html

import type { Operation } from '../../context.js';
import { ensureCustomerManaged, mutateKey } from '../../key-mutation.js';
import { rotationSettingsChange, withRotationEnabled } from '../../key-rotation.js';
import { ROTATION_CONFIG_RULE } from '../../model/key-state.js';
import { ensureNotReplica, ensureOrigin, ensureRotatableSpec } from './common.js';

export const EnableKeyRotation: Operation = {
  name: 'EnableKeyRotation',
  async run(input, caller, services) {
    // The rotation operations name a key by key id or key ARN only (AWS: "Specify the key ID or key ARN of the KMS key.").
    await mutateKey(services, caller, input.KeyId as string, ROTATION_CONFIG_RULE, { allowAlias: false }, async (key) => {
      // AWS: "You cannot enable or disable automatic rotation of Amazon Web Services managed KMS keys."
      // Their key policy allows no kms:EnableKeyRotation, so the caller is denied.
      ensureCustomerManaged(key, caller, 'EnableKeyRotation');
      // AWS: "You cannot enable automatic rotation of asymmetric KMS keys, HMAC KMS keys, KMS keys
      // with imported key material, or KMS keys in a custom key store."
      ensureRotatableSpec(key);
      ensureOrigin(key, ['AWS_KMS']);
      ensureNotReplica(key);
      // RotationPeriodInDays (90-2560) was validated against the service model already.
      const updated = withRotationEnabled(key, input.RotationPeriodInDays as number | undefined, services.clock.now());
      return updated === key ? key : rotationSettingsChange(services, key, updated);
    });
    return {};
  },
};
