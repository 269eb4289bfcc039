// CancelKeyDeletion: https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html

import { commitKey } from '../../key-mutation.js';
import { CANCEL_DELETION_RULE } from '../../model/key-state.js';
import type { KeyRecord } from '../../model/key.js';
import { keyWithMaterials } from '../../model/material.js';
import { defineOperation } from '../../pipeline/pipeline.js';

export const CancelKeyDeletion = defineOperation({
  name: 'CancelKeyDeletion',
  readOnly: false,
  dryRun: false,
  keys: [{ member: 'KeyId', action: 'kms:CancelKeyDeletion', forms: 'key', state: CANCEL_DELETION_RULE }],
  async run({ services, key }) {
    const read = key('KeyId');
    // AWS: "the key state of the KMS key is Disabled" after cancellation.
    const { deletionDate: _d, pendingWindowInDays: _p, ...rest } = read;
    const disabled = { ...rest, state: 'Disabled' } satisfies KeyRecord;
    // Imported material may have been deleted while the key waited: then it returns to PendingImport.
    // Read in `run`, which the pipeline runs again on a fresh read of the key when the commit meets a
    // concurrent change: the retry decides on the materials as they are now.
    const updated = read.origin === 'EXTERNAL' ? keyWithMaterials(disabled, await services.store.listMaterials(read.arn)) : disabled;
    const stored = await commitKey(services, read, updated);
    return { KeyId: stored.arn };
  },
});
