// DisableKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html

import type { Operation } from '../../context.js';
import { ensureCustomerManaged, mutateKey } from '../../key-mutation.js';
import { ENABLE_DISABLE_RULE } from '../../model/key-state.js';

export const DisableKey: Operation = {
  name: 'DisableKey',
  async run(input, caller, services) {
    await mutateKey(services, caller, input.KeyId as string, ENABLE_DISABLE_RULE, { allowAlias: false }, (key) => {
      ensureCustomerManaged(key, caller, 'DisableKey');
      return key.state === 'Disabled' ? key : { ...key, state: 'Disabled' };
    });
    return {};
  },
};
