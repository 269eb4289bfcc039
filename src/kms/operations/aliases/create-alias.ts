// CreateAlias: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html

import { AlreadyExistsException } from '../../../errors/aws-errors.js';
import { StoreConflictError } from '../../../store/store.js';
import type { Operation } from '../../context.js';
import { ensureCustomerManaged } from '../../key-mutation.js';
import { resolveKeyInState } from '../../key-resolver.js';
import { aliasArn } from '../../model/arn.js';
import { NOT_PENDING_DELETION } from '../../model/key-state.js';
import { checkCustomerAliasName } from './common.js';

export const CreateAlias: Operation = {
  name: 'CreateAlias',
  async run(input, caller, services) {
    const aliasName = input.AliasName as string;
    checkCustomerAliasName(aliasName);
    const key = await resolveKeyInState(services, caller, input.TargetKeyId as string, NOT_PENDING_DELETION, { allowAlias: false, aliasIsNotFound: true });
    ensureCustomerManaged(key, caller, 'CreateAlias');
    const now = services.clock.now();
    try {
      await services.store.commit([
        {
          kind: 'insertAlias',
          alias: { accountId: caller.scope.accountId, region: caller.scope.region, aliasName, targetKeyId: key.keyId, createdAt: now, updatedAt: now },
        },
      ]);
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
