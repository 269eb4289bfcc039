// UpdateKeyDescription: https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateKeyDescription.html

import { commitKey } from '../../key-mutation.js';
import { NOT_PENDING_DELETION } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';

export const UpdateKeyDescription = defineOperation({
  name: 'UpdateKeyDescription',
  readOnly: false,
  dryRun: false,
  keys: [{ member: 'KeyId', action: 'kms:UpdateKeyDescription', forms: 'key', state: NOT_PENDING_DELETION, customerManagedOnly: true }],
  async run({ input, services, key }) {
    const read = key('KeyId');
    const description = input.Description as string;
    if (read.description !== description) await commitKey(services, read, { ...read, description });
    return {};
  },
});
