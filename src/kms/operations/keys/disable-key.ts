// DisableKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html

import { commitKey } from '../../key-mutation.js';
import { ENABLE_DISABLE_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';

export const DisableKey = defineOperation({
  name: 'DisableKey',
  readOnly: false,
  dryRun: false,
  keys: [{ member: 'KeyId', action: 'kms:DisableKey', forms: 'key', state: ENABLE_DISABLE_RULE, customerManagedOnly: true }],
  async run({ services, key }) {
    const read = key('KeyId');
    if (read.state !== 'Disabled') await commitKey(services, read, { ...read, state: 'Disabled' });
    return {};
  },
});
