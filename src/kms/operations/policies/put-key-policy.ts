// PutKeyPolicy: https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
// The policy is checked (grammar, principals that exist, the lockout safety check), then stored.

import { commitKey } from '../../key-mutation.js';
import { checkKeyPolicy } from '../../authorization/key-policy-cache.js';
import { ANY_STATE } from '../../model/key-state.js';
import { ensureNoLockout } from '../../authorization/lockout-check.js';
import { checkPrincipalsExist } from '../../authorization/principal-check.js';
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
  async check({ input, caller, services, key }) {
    await checkPrincipalsExist(input.Policy as string, services.directories);
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
