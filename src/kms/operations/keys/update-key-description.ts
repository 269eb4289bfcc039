// UpdateKeyDescription: https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateKeyDescription.html

import type { Operation } from '../../context.js';
import { ensureCustomerManaged, mutateKey } from '../../key-mutation.js';
import { NOT_PENDING_DELETION } from '../../model/key-state.js';

export const UpdateKeyDescription: Operation = {
  name: 'UpdateKeyDescription',
  async run(input, caller, services) {
    const description = input.Description as string;
    await mutateKey(services, caller, input.KeyId as string, NOT_PENDING_DELETION, { allowAlias: false }, (key) => {
      ensureCustomerManaged(key, caller, 'UpdateKeyDescription');
      return key.description === description ? key : { ...key, description };
    });
    return {};
  },
};
