// GetKeyPolicy: https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html

import { ANY_STATE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { DEFAULT_POLICY_NAME, ensureDefaultPolicyName } from './common.js';

export const GetKeyPolicy = defineOperation({
  name: 'GetKeyPolicy',
  readOnly: true,
  dryRun: false,
  keys: [{ member: 'KeyId', action: 'kms:GetKeyPolicy', forms: 'key', state: ANY_STATE }],
  validate({ input }) {
    ensureDefaultPolicyName(input.PolicyName);
  },
  async run({ key }) {
    return { Policy: key('KeyId').policy, PolicyName: DEFAULT_POLICY_NAME };
  },
});
