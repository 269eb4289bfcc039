// PutKeyPolicy: https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
// The policy is stored and syntax-checked; evaluating it (and AWS's lockout safety check, which
// needs evaluation) arrives with policy enforcement.

import type { Operation } from '../../context.js';
import { ensureCustomerManaged, mutateKey } from '../../key-mutation.js';
import { checkPolicySyntax } from '../../model/key-policy.js';
import { ANY_STATE } from '../../model/key-state.js';
import { ensureDefaultPolicyName } from './common.js';

export const PutKeyPolicy: Operation = {
  name: 'PutKeyPolicy',
  async run(input, caller, services) {
    ensureDefaultPolicyName(input.PolicyName);
    const policy = input.Policy as string;
    checkPolicySyntax(policy);
    await mutateKey(services, caller, input.KeyId as string, ANY_STATE, { allowAlias: false }, (key) => {
      ensureCustomerManaged(key, caller, 'PutKeyPolicy');
      return key.policy === policy ? key : { ...key, policy };
    });
    return {};
  },
};
