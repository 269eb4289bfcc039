// GetKeyPolicy: https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html

import type { Operation } from '../../context.js';
import { resolveKeyInState } from '../../key-resolver.js';
import { ANY_STATE } from '../../model/key-state.js';
import { DEFAULT_POLICY_NAME, ensureDefaultPolicyName } from './common.js';

export const GetKeyPolicy: Operation = {
  name: 'GetKeyPolicy',
  async run(input, caller, services) {
    ensureDefaultPolicyName(input.PolicyName);
    const key = await resolveKeyInState(services, caller, input.KeyId as string, ANY_STATE, { allowAlias: false });
    return { Policy: key.policy, PolicyName: DEFAULT_POLICY_NAME };
  },
};
