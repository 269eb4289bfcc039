// DeleteAlias: https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteAlias.html

import { StoreConflictError } from '../../../store/store.js';
import type { Operation } from '../../context.js';
import { aliasNotFound } from '../../key-resolver.js';
import { checkCustomerAliasName } from './common.js';

export const DeleteAlias: Operation = {
  name: 'DeleteAlias',
  async run(input, caller, services) {
    const aliasName = input.AliasName as string;
    checkCustomerAliasName(aliasName);
    try {
      await services.store.commit([{ kind: 'deleteAlias', scope: caller.scope, aliasName }]);
    } catch (err) {
      if (err instanceof StoreConflictError && err.reason === 'missing') throw aliasNotFound(caller.scope, aliasName);
      throw err;
    }
    return {};
  },
};
