// DisableKeyRotation: https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKeyRotation.html

import { commitKey } from '../../key-mutation.js';
import { rotationSettingsChange, withRotationDisabled } from '../../key-rotation.js';
import { ROTATION_CONFIG_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { ensureNotReplica, ensureOrigin, ensureRotatableSpec } from './common.js';

export const DisableKeyRotation = defineOperation({
  name: 'DisableKeyRotation',
  readOnly: false,
  dryRun: false,
  // The rotation operations name a key by key id or key ARN only (AWS: "Specify the key ID or key ARN of the KMS key.").
  // AWS: "Key material rotation of Amazon Web Services managed KMS keys is not configurable."
  // Their key policy allows no kms:DisableKeyRotation, so the caller is denied (customerManagedOnly).
  keys: [{ member: 'KeyId', action: 'kms:DisableKeyRotation', forms: 'key', state: ROTATION_CONFIG_RULE, customerManagedOnly: true }],
  check({ key }) {
    ensureRotatableSpec(key('KeyId'));
    ensureOrigin(key('KeyId'), ['AWS_KMS']);
    ensureNotReplica(key('KeyId'));
  },
  async run({ services, key }) {
    const read = key('KeyId');
    // AWS (developer guide): "Disabling automatic rotation does not impact your ability to perform
    // on-demand rotations."
    const updated = withRotationDisabled(read);
    if (updated !== read) {
      // The replicas take the settings too; they are read here, inside the retried attempt.
      const change = await rotationSettingsChange(services, read, updated);
      await commitKey(services, read, change.key, change.changes);
    }
    return {};
  },
});
