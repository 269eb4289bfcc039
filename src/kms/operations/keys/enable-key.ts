// EnableKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKey.html

import type { Operation } from '../../context.js';
import { ensureCustomerManaged, mutateKey } from '../../key-mutation.js';
import { ENABLE_DISABLE_RULE } from '../../model/key-state.js';

export const EnableKey: Operation = {
  name: 'EnableKey',
  async run(input, caller, services) {
    await mutateKey(services, caller, input.KeyId as string, ENABLE_DISABLE_RULE, { allowAlias: false }, (key) => {
      ensureCustomerManaged(key, caller, 'EnableKey');
      return key.state === 'Enabled' ? key : { ...key, state: 'Enabled' };
    });
    return {};
  },
};
