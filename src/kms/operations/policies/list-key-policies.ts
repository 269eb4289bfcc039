// ListKeyPolicies: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyPolicies.html
// AWS: "the only valid policy name is default", so the list is always that one name.

import { ANY_STATE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { DEFAULT_POLICY_NAME } from './common.js';

export const ListKeyPolicies = defineOperation({
  name: 'ListKeyPolicies',
  readOnly: true,
  dryRun: false,
  keys: [{ member: 'KeyId', action: 'kms:ListKeyPolicies', forms: 'key', state: ANY_STATE }],
  async run() {
    return { PolicyNames: [DEFAULT_POLICY_NAME], Truncated: false };
  },
});
