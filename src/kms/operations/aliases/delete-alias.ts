// DeleteAlias: https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteAlias.html

import { StoreConflictError } from '../../../store/store.js';
import { aliasNotFound } from '../../key-resolver.js';
import { ANY_STATE } from '../../model/key-state.js';
import { aliasArn } from '../../model/arn.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { versionGuard } from '../../key-mutation.js';
import { ALIAS_TARGET, locateAliasTarget } from './common.js';

export const DeleteAlias = defineOperation({
  name: 'DeleteAlias',
  readOnly: false,
  dryRun: false,
  // kms:DeleteAlias on the alias is an IAM-only permission; the key's policy decides the key's.
  identityPermissions: [{ action: 'kms:DeleteAlias', resource: ({ input, caller }) => aliasArn(caller.scope, input.AliasName as string) }],
  // AWS: DeleteAlias needs kms:DeleteAlias on the alias and on the KMS key it is associated with.
  // The alias name is checked (alias/ prefix, alias/aws/ reserved) where the key is located.
  keys: [{ member: ALIAS_TARGET, action: 'kms:DeleteAlias', forms: 'key', state: ANY_STATE, customerManagedOnly: true, locate: locateAliasTarget }],
  async run({ input, caller, services, key }) {
    const aliasName = input.AliasName as string;
    // The alias itself is read in the attempt. The delete is guarded by the key it was authorized on:
    // an unchanged update expecting that target fails the commit (a version conflict) if the alias
    // was re-pointed meanwhile, and the pipeline starts over from the alias as it is now.
    const alias = await services.store.getAlias(caller.scope, aliasName);
    if (!alias) throw aliasNotFound(caller.scope, aliasName);
    try {
      await services.store.commit([
        // ... and by the key's version: a concurrent change of the key (its policy) decides again.
        versionGuard(key(ALIAS_TARGET)),
        { kind: 'updateAlias', alias, expectedTargetKeyId: key(ALIAS_TARGET).keyId },
        { kind: 'deleteAlias', scope: caller.scope, aliasName },
      ]);
    } catch (err) {
      if (err instanceof StoreConflictError && err.reason === 'missing') throw aliasNotFound(caller.scope, aliasName);
      throw err;
    }
    return {};
  },
});
