// UpdateAlias: https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html

import { ValidationException } from '../../../errors/aws-errors.js';
import { StoreConflictError } from '../../../store/store.js';
import type { Operation } from '../../context.js';
import { ensureCustomerManaged, retryOnConflict, versionGuard } from '../../key-mutation.js';
import { aliasNotFound, resolveKeyInState } from '../../key-resolver.js';
import { NOT_PENDING_DELETION } from '../../model/key-state.js';
import { familyOf, isSymmetricEncryption } from '../../model/key-spec.js';
import { checkCustomerAliasName } from './common.js';

function keyType(keySpec: string): 'symmetric' | 'HMAC' | 'asymmetric' {
  if (isSymmetricEncryption(keySpec)) return 'symmetric';
  return familyOf(keySpec) === 'HMAC' ? 'HMAC' : 'asymmetric';
}

export const UpdateAlias: Operation = {
  name: 'UpdateAlias',
  async run(input, caller, services) {
    const aliasName = input.AliasName as string;
    checkCustomerAliasName(aliasName);
    await retryOnConflict(async () => {
      const alias = await services.store.getAlias(caller.scope, aliasName);
      if (!alias) throw aliasNotFound(caller.scope, aliasName);
      // AWS: "If the destination KMS key is pending deletion, the command fails"; the source may be.
      const target = await resolveKeyInState(services, caller, input.TargetKeyId as string, NOT_PENDING_DELETION, { allowAlias: false, aliasIsNotFound: true });
      ensureCustomerManaged(target, caller, 'UpdateAlias');
      const current = await services.store.getKey(caller.scope, alias.targetKeyId);
      // AWS: "The current and new KMS key must be the same type (both symmetric or both asymmetric or
      // both HMAC), and they must have the same key usage."
      if (current && (keyType(current.keySpec) !== keyType(target.keySpec) || current.keyUsage !== target.keyUsage)) {
        // Unconfirmed wording: no recorded AWS response found.
        throw new ValidationException(
          `${target.arn} is not compatible with the alias's current key: both must be ${keyType(current.keySpec)} keys with key usage ${current.keyUsage}.`,
        );
      }
      try {
        // Decided on the target's state and the alias's current key: the commit is guarded by both, so
        // a concurrent ScheduleKeyDeletion or repointing of the alias makes it start over.
        await services.store.commit([
          versionGuard(target),
          { kind: 'updateAlias', alias: { ...alias, targetKeyId: target.keyId, updatedAt: services.clock.now() }, expectedTargetKeyId: alias.targetKeyId },
        ]);
      } catch (err) {
        if (err instanceof StoreConflictError && err.reason === 'missing') throw aliasNotFound(caller.scope, aliasName);
        throw err;
      }
    });
    return {};
  },
};
