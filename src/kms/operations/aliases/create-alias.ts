// CreateAlias: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html

import { AlreadyExistsException } from '../../../errors/aws-errors.js';
import { StoreConflictError } from '../../../store/store.js';
import type { Operation } from '../../context.js';
import { ensureCustomerManaged, mutateKey } from '../../key-mutation.js';
import { aliasArn } from '../../model/arn.js';
import { NOT_PENDING_DELETION } from '../../model/key-state.js';
import { checkCustomerAliasName } from './common.js';

export const CreateAlias: Operation = {
  name: 'CreateAlias',
  async run(input, caller, services) {
    const aliasName = input.AliasName as string;
    checkCustomerAliasName(aliasName);
    const options = { allowAlias: false, aliasIsNotFound: true };
    try {
      // The key's state decides the alias: mutateKey commits it with a version bump of the key, so a
      // ScheduleKeyDeletion committed after the key was read makes it read the key again.
      await mutateKey(services, caller, input.TargetKeyId as string, NOT_PENDING_DELETION, options, (key) => {
        ensureCustomerManaged(key, caller, 'CreateAlias');
        const now = services.clock.now();
        const alias = { accountId: caller.scope.accountId, region: caller.scope.region, aliasName, targetKeyId: key.keyId, createdAt: now, updatedAt: now };
        return { key, changes: [{ kind: 'insertAlias', alias }] };
      });
    } catch (err) {
      if (err instanceof StoreConflictError && err.reason === 'duplicate') {
        // AWS, as users quote it: "An alias with the name arn:aws:kms:us-west-2:<account>:alias/<name> already exists".
        throw new AlreadyExistsException(`An alias with the name ${aliasArn(caller.scope, aliasName)} already exists`);
      }
      throw err;
    }
    return {};
  },
};
