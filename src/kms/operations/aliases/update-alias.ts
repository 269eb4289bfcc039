// UpdateAlias: https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html

import { ValidationException } from '../../../errors/aws-errors.js';
import { StoreConflictError } from '../../../store/store.js';
import { versionGuard } from '../../key-mutation.js';
import { aliasNotFound } from '../../key-resolver.js';
import { ANY_STATE, NOT_PENDING_DELETION } from '../../model/key-state.js';
import { familyOf, isSymmetricEncryption } from '../../model/key-spec.js';
import { aliasArn } from '../../model/arn.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { ALIAS_TARGET, locateAliasTarget } from './common.js';

function keyType(keySpec: string): 'symmetric' | 'HMAC' | 'asymmetric' {
  if (isSymmetricEncryption(keySpec)) return 'symmetric';
  return familyOf(keySpec) === 'HMAC' ? 'HMAC' : 'asymmetric';
}

export const UpdateAlias = defineOperation({
  name: 'UpdateAlias',
  readOnly: false,
  dryRun: false,
  // kms:UpdateAlias on the alias is an IAM-only permission; the key's policy decides the key's.
  identityPermissions: [{ action: 'kms:UpdateAlias', resource: ({ input, caller }) => aliasArn(caller.scope, input.AliasName as string) }],
  // AWS: UpdateAlias needs kms:UpdateAlias on the alias, on the current KMS key and on the new one.
  // The alias's key is declared first: its locate checks the alias name and finds the alias before
  // TargetKeyId is looked at (UpdateAlias of alias/aws/s3 is NotAuthorizedException, a missing
  // alias NotFound, whatever TargetKeyId names).
  keys: [
    // AWS: "If the destination KMS key is pending deletion, the command fails"; the source may be.
    { member: ALIAS_TARGET, action: 'kms:UpdateAlias', forms: 'key', state: ANY_STATE, customerManagedOnly: true, locate: locateAliasTarget },
    { member: 'TargetKeyId', action: 'kms:UpdateAlias', forms: 'key-or-not-found', state: NOT_PENDING_DELETION, customerManagedOnly: true },
  ],
  check({ key }) {
    const current = key(ALIAS_TARGET);
    const target = key('TargetKeyId');
    // AWS: "The current and new KMS key must be the same type (both symmetric or both asymmetric or
    // both HMAC), and they must have the same key usage."
    if (keyType(current.keySpec) !== keyType(target.keySpec) || current.keyUsage !== target.keyUsage) {
      // Unconfirmed wording: no recorded AWS response found.
      throw new ValidationException(
        `${target.arn} is not compatible with the alias's current key: both must be ${keyType(current.keySpec)} keys with key usage ${current.keyUsage}.`,
      );
    }
  },
  async run({ input, caller, services, key }) {
    const aliasName = input.AliasName as string;
    const target = key('TargetKeyId');
    // The alias itself is read in the attempt.
    const alias = await services.store.getAlias(caller.scope, aliasName);
    if (!alias) throw aliasNotFound(caller.scope, aliasName);
    try {
      // Decided on the target's state and both keys' policies: the commit is guarded by the versions
      // of both keys and by the key the alias still names, so a concurrent ScheduleKeyDeletion,
      // PutKeyPolicy or repointing of the alias fails it and the pipeline starts over from fresh reads.
      const current = key(ALIAS_TARGET);
      await services.store.commit([
        versionGuard(target),
        ...(current.arn === target.arn ? [] : [versionGuard(current)]),
        { kind: 'updateAlias', alias: { ...alias, targetKeyId: target.keyId, updatedAt: services.clock.now() }, expectedTargetKeyId: key(ALIAS_TARGET).keyId },
      ]);
    } catch (err) {
      if (err instanceof StoreConflictError && err.reason === 'missing') throw aliasNotFound(caller.scope, aliasName);
      throw err;
    }
    return {};
  },
});
