// ListKeyPolicies: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyPolicies.html
// AWS: "the only valid policy name is default", so the list is always that one name.

import type { Operation } from '../../context.js';
import { resolveKeyInState } from '../../key-resolver.js';
import { ANY_STATE } from '../../model/key-state.js';
import { DEFAULT_POLICY_NAME } from './common.js';

export const ListKeyPolicies: Operation = {
  name: 'ListKeyPolicies',
  async run(input, caller, services) {
    await resolveKeyInState(services, caller, input.KeyId as string, ANY_STATE, { allowAlias: false });
    return { PolicyNames: [DEFAULT_POLICY_NAME], Truncated: false };
  },
};
