// CreateGrant: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html
// The grant is stored and listed; it is not yet enforced (there is no authorization layer).

import type { Operation } from '../../context.js';
import { accountRootArn } from '../../model/arn.js';
import { resolveKeyInState } from '../../key-resolver.js';
import { ensureCustomerManaged, retryOnConflict, versionGuard } from '../../key-mutation.js';
import { CREATE_GRANT_RULE } from '../../model/key-state.js';
import type { GrantRecord } from '../../model/key.js';
import { throwIfDryRun } from '../crypto/common.js';
import {
  checkConstraints,
  checkOperationsFitKey,
  newGrantId,
  newGrantToken,
  sameGrantParameters,
} from './common.js';

/** Grants of one key with the same Name, read when looking for an identical one. */
const SAME_NAME_LIMIT = 1_000_000;

export const CreateGrant: Operation = {
  name: 'CreateGrant',
  async run(input, caller, services) {
    const token = newGrantToken();
    // The key's state and its grants of the same Name decide what is committed: the commit carries a
    // version bump of the key, so a concurrent CreateGrant of that Name (or a ScheduleKeyDeletion)
    // makes this one start over; 'missing': the grant found by Name was retired or revoked meanwhile.
    return retryOnConflict(async () => {
      // AWS: key ID or key ARN; an alias is InvalidArnException, as for the other key-management calls.
      const key = await resolveKeyInState(services, caller, input.KeyId as string, CREATE_GRANT_RULE, { allowAlias: false });
      // AWS managed keys: their key policy allows CreateGrant only for AWS services (kms:GrantIsForAWSResource).
      ensureCustomerManaged(key, caller, 'CreateGrant');
      const operations = input.Operations as readonly string[];
      checkOperationsFitKey(key, operations);
      const constraints = checkConstraints(key, operations, input.Constraints);
      throwIfDryRun(input);

      const params = {
        granteePrincipal: input.GranteePrincipal as string,
        ...(input.RetiringPrincipal !== undefined && { retiringPrincipal: input.RetiringPrincipal as string }),
        operations,
        ...(constraints !== undefined && { constraints }),
      };
      const name = input.Name as string | undefined;
      if (name !== undefined) {
        // AWS: "if the grant already exists, the original GrantId is returned without creating a new
        // grant. Note that the returned grant token is unique with every CreateGrant request".
        const sameName = await services.store.listGrants(key.arn, { limit: SAME_NAME_LIMIT }, { name });
        const existing = sameName.items.find((g) => sameGrantParameters(g, params));
        if (existing) {
          await services.store.commit([versionGuard(key), { kind: 'insertGrantToken', keyArn: key.arn, grantId: existing.grantId, token }]);
          return { GrantToken: token, GrantId: existing.grantId };
        }
      }
      const grant: GrantRecord = {
        grantId: newGrantId(),
        keyArn: key.arn,
        accountId: key.accountId,
        region: key.region,
        ...(name !== undefined && { name }),
        ...params,
        operations: [...operations],
        issuingAccount: accountRootArn(key),
        createdAt: services.clock.now(),
        token,
      };
      await services.store.commit([versionGuard(key), { kind: 'insertGrant', grant }]);
      return { GrantToken: token, GrantId: grant.grantId };
    }, ['version', 'missing']);
  },
};
