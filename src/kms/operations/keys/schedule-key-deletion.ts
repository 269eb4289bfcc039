// ScheduleKeyDeletion: https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html

import { ValidationException } from '../../../errors/aws-errors.js';
import type { Operation } from '../../context.js';
import { ensureCustomerManaged, mutateKey } from '../../key-mutation.js';
import { DAY_MS } from '../../model/clock.js';
import { SCHEDULE_DELETION_RULE } from '../../model/key-state.js';
import { existingReplicas } from '../../multi-region-deletion.js';

export const ScheduleKeyDeletion: Operation = {
  name: 'ScheduleKeyDeletion',
  async run(input, caller, services) {
    const days = (input.PendingWindowInDays as number | undefined) ?? 30;
    // AWS: "Enter a value between 7 and 30 days. The default value is 30."
    if (days < 7 || days > 30) {
      // AWS, as a real response logs it (Skyscanner/kms-issuer issue #8): "PendingWindowInDays must be between 7 and 30".
      throw new ValidationException('PendingWindowInDays must be between 7 and 30');
    }
    const key = await mutateKey(services, caller, input.KeyId as string, SCHEDULE_DELETION_RULE, { allowAlias: false }, async (k) => {
      ensureCustomerManaged(k, caller, 'ScheduleKeyDeletion');
      // AWS: "If you schedule the deletion of a primary key with replicas, its key state changes to
      // PendingReplicaDeletion ... When the last of its replicas keys is deleted (not just scheduled),
      // the key state of the primary key changes to PendingDeletion and its waiting period begins."
      if ((await existingReplicas(services, k)).length > 0) {
        const { deletionDate: _d, ...rest } = k;
        return { ...rest, state: 'PendingReplicaDeletion', pendingWindowInDays: days };
      }
      return { ...k, state: 'PendingDeletion', deletionDate: services.clock.now() + days * DAY_MS, pendingWindowInDays: days };
    });
    return {
      KeyId: key.arn,
      // AWS: "If the KMS key is a multi-Region primary key with replica keys, this field does not appear."
      ...(key.deletionDate !== undefined ? { DeletionDate: new Date(key.deletionDate) } : {}),
      KeyState: key.state,
      PendingWindowInDays: days,
    };
  },
};
