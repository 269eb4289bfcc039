// GetKeyLastUsage: https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyLastUsage.html

import { ANY_STATE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { later } from '../../usage-recorder.js';

export const GetKeyLastUsage = defineOperation({
  name: 'GetKeyLastUsage',
  readOnly: true,
  dryRun: false,
  // AWS: "To specify a KMS key, use its key ID or key ARN. Alias names are not supported."
  // Every key state is fine: the operation's errors include no KMSInvalidStateException.
  keys: [{ member: 'KeyId', action: 'kms:GetKeyLastUsage', forms: 'key', state: ANY_STATE }],
  async run({ services, key: keyOf }) {
    const key = keyOf('KeyId');
    const stored = await services.store.getKeyUsage(key.arn);
    let last = later(stored, services.usage?.pending(key.arn));
    // A record older than the key belongs to a deleted key that had the same ARN (fixed key ids).
    if (last && last.usedAt < key.createdAt) last = undefined;
    return {
      KeyId: key.keyId,
      // AWS: "If the key has not been used since tracking began, this response element is an empty object."
      KeyLastUsage: last
        ? {
            Operation: last.operation,
            // AWS reports whole seconds here ("Timestamp": 1773253497.0 in the developer guide's example).
            Timestamp: new Date(Math.floor(last.usedAt / 1000) * 1000),
            KmsRequestId: last.requestId,
            // No CloudTrail here: CloudTrailEventId is absent.
          }
        : {},
      // AWS: "The date from which AWS KMS began recording cryptographic activity for this key, or the
      // date the KMS key was created, whichever is later." This server tracks every key from creation.
      TrackingStartDate: new Date(key.createdAt),
      KeyCreationDate: new Date(key.createdAt),
    };
  },
});
