// CancelKeyDeletion: https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html

import type { Operation } from '../../context.js';
import { mutateKey } from '../../key-mutation.js';
import { resolveKey } from '../../key-resolver.js';
import { CANCEL_DELETION_RULE } from '../../model/key-state.js';
import type { KeyRecord } from '../../model/key.js';
import { keyWithMaterials } from '../../model/material.js';

export const CancelKeyDeletion: Operation = {
  name: 'CancelKeyDeletion',
  async run(input, caller, services) {
    const keyId = input.KeyId as string;
    // Imported material may have been deleted while the key waited: then it returns to PendingImport.
    const found = await resolveKey(services, caller, keyId, { allowAlias: false });
    const materials = found.origin === 'EXTERNAL' ? await services.store.listMaterials(found.arn) : undefined;
    const key = await mutateKey(services, caller, keyId, CANCEL_DELETION_RULE, { allowAlias: false }, (k) => {
      // AWS: "the key state of the KMS key is Disabled" after cancellation.
      const { deletionDate: _d, pendingWindowInDays: _p, ...rest } = k;
      const disabled = { ...rest, state: 'Disabled' } satisfies KeyRecord;
      return materials ? keyWithMaterials(disabled, materials) : disabled;
    });
    return { KeyId: key.arn };
  },
};
