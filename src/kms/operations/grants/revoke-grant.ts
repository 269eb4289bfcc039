// RevokeGrant: https://docs.aws.amazon.com/kms/latest/APIReference/API_RevokeGrant.html

import { StoreConflictError } from '../../../store/store.js';
import type { Operation } from '../../context.js';
import { resolveKey } from '../../key-resolver.js';
import { ensureCustomerManaged } from '../../key-mutation.js';
import { throwIfDryRun } from '../crypto/common.js';
import { checkGrantId, grantNotFound } from './common.js';

export const RevokeGrant: Operation = {
  name: 'RevokeGrant',
  async run(input, caller, services) {
    // Every key state. AWS managed keys: their key policy does not allow kms:RevokeGrant.
    const key = await resolveKey(services, caller, input.KeyId as string, { allowAlias: false });
    ensureCustomerManaged(key, caller, 'RevokeGrant');
    const grantId = input.GrantId as string;
    checkGrantId(grantId);
    if (!(await services.store.getGrant(key.arn, grantId))) throw grantNotFound(grantId);
    throwIfDryRun(input);
    try {
      await services.store.commit([{ kind: 'deleteGrant', keyArn: key.arn, grantId }]);
    } catch (err) {
      // Retired or revoked by someone else in between.
      if (err instanceof StoreConflictError && err.reason === 'missing') throw grantNotFound(grantId);
      throw err;
    }
    return {};
  },
};
