// RevokeGrant: https://docs.aws.amazon.com/kms/latest/APIReference/API_RevokeGrant.html

import { StoreConflictError } from '../../../store/store.js';
import { ANY_STATE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { versionGuard } from '../../key-mutation.js';
import { checkGrantId, grantNotFound } from './common.js';

export const RevokeGrant = defineOperation({
  name: 'RevokeGrant',
  readOnly: false,
  dryRun: true,
  // Every key state. AWS managed keys: their key policy does not allow kms:RevokeGrant.
  keys: [{ member: 'KeyId', action: 'kms:RevokeGrant', forms: 'key', state: ANY_STATE, customerManagedOnly: true }],
  // A grant that does not exist is NotFoundException before DryRun answers.
  async check({ input, services, key }) {
    const grantId = input.GrantId as string;
    checkGrantId(grantId);
    if (!(await services.store.getGrant(key('KeyId').arn, grantId))) throw grantNotFound(grantId);
  },
  async run({ input, services, key }) {
    const grantId = input.GrantId as string;
    try {
      // The delete itself requires the grant; the key's version guard makes a concurrent change of the
      // key (its policy among them) send the call through authorization again.
      await services.store.commit([versionGuard(key('KeyId')), { kind: 'deleteGrant', keyArn: key('KeyId').arn, grantId }]);
    } catch (err) {
      // Retired or revoked by someone else in between.
      if (err instanceof StoreConflictError && err.reason === 'missing') throw grantNotFound(grantId);
      throw err;
    }
    return {};
  },
});
