// ScheduleKeyDeletion: https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html

import { ValidationException } from '../../../errors/aws-errors.js';
import type { OperationInput } from '../../context.js';
import { commitKey } from '../../key-mutation.js';
import { DAY_MS } from '../../model/clock.js';
import { SCHEDULE_DELETION_RULE } from '../../model/key-state.js';
import type { KeyRecord } from '../../model/key.js';
import { existingReplicas } from '../../multi-region-deletion.js';
import { defineOperation } from '../../pipeline/pipeline.js';

export const ScheduleKeyDeletion = defineOperation({
  name: 'ScheduleKeyDeletion',
  readOnly: false,
  dryRun: false,
  keys: [{ member: 'KeyId', action: 'kms:ScheduleKeyDeletion', forms: 'key', state: SCHEDULE_DELETION_RULE, customerManagedOnly: true }],
  // The window is checked before the key is looked up: a window out of range is refused whatever
  // the key (no AWS record says which error AWS gives first; this keeps the order it always had here).
  validate({ input }) {
    const days = pendingWindow(input);
    // AWS: "Enter a value between 7 and 30 days. The default value is 30."
    if (days < 7 || days > 30) {
      // AWS, as a real response logs it (Skyscanner/kms-issuer issue #8): "PendingWindowInDays must be between 7 and 30".
      throw new ValidationException('PendingWindowInDays must be between 7 and 30');
    }
  },
  async run({ input, services, key }) {
    const read = key('KeyId');
    const days = pendingWindow(input);
    let updated: KeyRecord;
    // AWS: "If you schedule the deletion of a primary key with replicas, its key state changes to
    // PendingReplicaDeletion ... When the last of its replicas keys is deleted (not just scheduled),
    // the key state of the primary key changes to PendingDeletion and its waiting period begins."
    // The replicas are read in `run`, which the pipeline runs again on a fresh read when the commit meets a concurrent change.
    if ((await existingReplicas(services, read)).length > 0) {
      const { deletionDate: _d, ...rest } = read;
      updated = { ...rest, state: 'PendingReplicaDeletion', pendingWindowInDays: days };
    } else {
      updated = { ...read, state: 'PendingDeletion', deletionDate: services.clock.now() + days * DAY_MS, pendingWindowInDays: days };
    }
    const stored = await commitKey(services, read, updated);
    return {
      KeyId: stored.arn,
      // AWS: "If the KMS key is a multi-Region primary key with replica keys, this field does not appear."
      ...(stored.deletionDate !== undefined ? { DeletionDate: new Date(stored.deletionDate) } : {}),
      KeyState: stored.state,
      PendingWindowInDays: days,
    };
  },
});

function pendingWindow(input: OperationInput): number {
  return (input.PendingWindowInDays as number | undefined) ?? 30;
}
