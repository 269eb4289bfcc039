// ScheduleKeyDeletion: https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html

import { ValidationException } from '../../../errors/aws-errors.js';
import type { Operation } from '../../context.js';
import { ensureCustomerManaged, mutateKey } from '../../key-mutation.js';
import { SCHEDULE_DELETION_RULE } from '../../model/key-state.js';

const DAY_MS = 86_400_000;

export const ScheduleKeyDeletion: Operation = {
  name: 'ScheduleKeyDeletion',
  async run(input, caller, services) {
    const days = (input.PendingWindowInDays as number | undefined) ?? 30;
    // AWS: "Enter a value between 7 and 30 days. The default value is 30."
    if (days < 7 || days > 30) {
      throw new ValidationException(
        `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`,
      );
    }
    const key = await mutateKey(services, caller, input.KeyId as string, SCHEDULE_DELETION_RULE, { allowAlias: false }, (k) => {
      ensureCustomerManaged(k, caller, 'ScheduleKeyDeletion');
      return { ...k, state: 'PendingDeletion', deletionDate: services.clock.now() + days * DAY_MS, pendingWindowInDays: days };
    });
    return {
      KeyId: key.arn,
      DeletionDate: new Date(key.deletionDate!),
      KeyState: key.state,
      PendingWindowInDays: days,
    };
  },
};
