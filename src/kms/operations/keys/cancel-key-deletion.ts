// CancelKeyDeletion: https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html

import type { Operation } from '../../context.js';
import { mutateKey } from '../../key-mutation.js';
import { CANCEL_DELETION_RULE } from '../../model/key-state.js';
import type { KeyRecord } from '../../model/key.js';
import { keyWithMaterials } from '../../model/material.js';

export const CancelKeyDeletion: Operation = {
  name: 'CancelKeyDeletion',
  async run(input, caller, services) {
    const key = await mutateKey(services, caller, input.KeyId as string, CANCEL_DELETION_RULE, { allowAlias: false }, async (k) => {
      // AWS: "the key state of the KMS key is Disabled" after cancellation.
      const { deletionDate: _d, pendingWindowInDays: _p, ...rest } = k;
      const disabled = { ...rest, state: 'Disabled' } satisfies KeyRecord;
      if (k.origin !== 'EXTERNAL') return disabled;
      // Imported material may have been deleted while the key waited: then it returns to PendingImport.
      // Read on every attempt: a retry after a concurrent change decides on the materials as they are now.
      return keyWithMaterials(disabled, await services.store.listMaterials(k.arn));
    });
    return { KeyId: key.arn };
  },
};
