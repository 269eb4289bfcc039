// DisableKeyRotation: https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKeyRotation.html

import type { Operation } from '../../context.js';
import { ensureCustomerManaged, mutateKey } from '../../key-mutation.js';
import { rotationSettingsChange, withRotationDisabled } from '../../key-rotation.js';
import { ROTATION_CONFIG_RULE } from '../../model/key-state.js';
import { ensureNotReplica, ensureOrigin, ensureRotatableSpec } from './common.js';

export const DisableKeyRotation: Operation = {
  name: 'DisableKeyRotation',
  async run(input, caller, services) {
    // The rotation operations name a key by key id or key ARN only (AWS: "Specify the key ID or key ARN of the KMS key.").
    await mutateKey(services, caller, input.KeyId as string, ROTATION_CONFIG_RULE, { allowAlias: false }, async (key) => {
      // AWS: "Key material rotation of Amazon Web Services managed KMS keys is not configurable."
      // Their key policy allows no kms:DisableKeyRotation, so the caller is denied.
      ensureCustomerManaged(key, caller, 'DisableKeyRotation');
      ensureRotatableSpec(key);
      ensureOrigin(key, ['AWS_KMS']);
      ensureNotReplica(key);
      // AWS (developer guide): "Disabling automatic rotation does not impact your ability to perform
      // on-demand rotations."
      const updated = withRotationDisabled(key);
      return updated === key ? key : rotationSettingsChange(services, key, updated);
    });
    return {};
  },
};
