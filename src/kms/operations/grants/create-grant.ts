// CreateGrant: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html
// The grant is stored and listed, and gives access (authorization/grants.ts). A caller allowed
// kms:CreateGrant only by a grant of its own may create only a narrower grant (checked there).

import { accountRootArn } from '../../model/arn.js';
import { retryOnConflict, versionGuard } from '../../key-mutation.js';
import { CREATE_GRANT_RULE } from '../../model/key-state.js';
import type { GrantRecord } from '../../model/key.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import {
  checkConstraints,
  checkOperationsFitKey,
  grantConstraints,
  newGrantId,
  newGrantToken,
  sameGrantParameters,
} from './common.js';

/** Grants of one key with the same Name, read when looking for an identical one. */
const SAME_NAME_LIMIT = 1_000_000;

export const CreateGrant = defineOperation({
  name: 'CreateGrant',
  readOnly: false,
  dryRun: true,
  keys: [
    {
      // AWS: key ID or key ARN; an alias is InvalidArnException, as for the other key-management calls.
      member: 'KeyId',
      action: 'kms:CreateGrant',
      forms: 'key',
      state: CREATE_GRANT_RULE,
      // AWS managed keys: their key policy allows CreateGrant only for AWS services (kms:GrantIsForAWSResource).
      customerManagedOnly: true,
    },
  ],
  check({ input, key }) {
    const operations = input.Operations as readonly string[];
    checkOperationsFitKey(key('KeyId'), operations);
    checkConstraints(key('KeyId'), operations, grantConstraints(input.Constraints));
  },
  async run({ input, services, key: keyOf }) {
    const key = keyOf('KeyId');
    const token = newGrantToken();
    const operations = input.Operations as readonly string[];
    const constraints = grantConstraints(input.Constraints);
    const params = {
      granteePrincipal: input.GranteePrincipal as string,
      ...(input.RetiringPrincipal !== undefined && { retiringPrincipal: input.RetiringPrincipal as string }),
      operations,
      ...(constraints !== undefined && { constraints }),
    };
    const name = input.Name as string | undefined;
    // The key's state and its grants of the same Name decide what is committed: the commit carries a
    // version bump of the key (versionGuard), so a concurrent CreateGrant of that Name (or a
    // ScheduleKeyDeletion) fails it on the version and the pipeline starts over from a fresh read.
    // 'missing': the grant found by Name was retired or revoked meanwhile, which leaves the key as
    // read: look for a grant of that Name again, here.
    return retryOnConflict(async () => {
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
    }, ['missing']);
  },
});
