// PutKeyPolicy: https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
// The policy is stored and syntax-checked; evaluating it (and AWS's lockout safety check, which
// needs evaluation) arrives with policy enforcement.

import { commitKey } from '../../key-mutation.js';
import { checkKeyPolicy } from '../../authorization/key-policy-cache.js';
import { ANY_STATE } from '../../model/key-state.js';
import { ensureNoLockout } from '../../authorization/lockout-check.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { ensureDefaultPolicyName } from './common.js';

export const PutKeyPolicy = defineOperation({
  name: 'PutKeyPolicy',
  readOnly: false,
  dryRun: false,
  // AWS managed keys' key policy cannot be changed by customers (AccessDenied).
  keys: [{ member: 'KeyId', action: 'kms:PutKeyPolicy', forms: 'key', state: ANY_STATE, customerManagedOnly: true }],
  validate({ input }) {
    ensureDefaultPolicyName(input.PolicyName);
    checkKeyPolicy(input.Policy as string);
  },
  check({ input, caller, services, key }) {
    ensureNoLockout(caller, key('KeyId'), input.Policy as string, input, services.clock.now());
  },
  async run({ input, services, key }) {
    const policy = input.Policy as string;
    const read = key('KeyId');
    // Committed with the version read: a concurrent change of the key makes the pipeline run again.
    if (read.policy !== policy) await commitKey(services, read, { ...read, policy });
    return {};
  },
});
