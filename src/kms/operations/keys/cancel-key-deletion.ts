// CancelKeyDeletion: https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html

import type { Operation } from '../../context.js';
import { mutateKey } from '../../key-mutation.js';
import { CANCEL_DELETION_RULE } from '../../model/key-state.js';
import type { KeyRecord } from '../../model/key.js';

export const CancelKeyDeletion: Operation = {
  name: 'CancelKeyDeletion',
  async run(input, caller, services) {
    const key = await mutateKey(services, caller, input.KeyId as string, CANCEL_DELETION_RULE, { allowAlias: false }, (k) => {
      // AWS: "the key state of the KMS key is Disabled" after cancellation.
      const { deletionDate: _d, pendingWindowInDays: _p, ...rest } = k;
      return { ...rest, state: 'Disabled' } satisfies KeyRecord;
    });
    return { KeyId: key.arn };
  },
};
