// EnableKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKey.html

import { commitKey } from '../../key-mutation.js';
import { ENABLE_DISABLE_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';

export const EnableKey = defineOperation({
  name: 'EnableKey',
  readOnly: false,
  dryRun: false,
  keys: [{ member: 'KeyId', action: 'kms:EnableKey', forms: 'key', state: ENABLE_DISABLE_RULE, customerManagedOnly: true }],
  async run({ services, key }) {
    const read = key('KeyId');
    if (read.state !== 'Enabled') await commitKey(services, read, { ...read, state: 'Enabled' });
    return {};
  },
});
