// CreateAlias: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html

import { AlreadyExistsException } from '../../../errors/aws-errors.js';
import { StoreConflictError } from '../../../store/store.js';
import { commitKey } from '../../key-mutation.js';
import { aliasArn } from '../../model/arn.js';
import { NOT_PENDING_DELETION } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { checkCustomerAliasName } from './common.js';

export const CreateAlias = defineOperation({
  name: 'CreateAlias',
  readOnly: false,
  dryRun: false,
  // kms:CreateAlias on the alias is an IAM-only permission; the key's policy decides the key's.
  identityPermissions: [{ action: 'kms:CreateAlias', resource: ({ input, caller }) => aliasArn(caller.scope, input.AliasName as string) }],
  keys: [{ member: 'TargetKeyId', action: 'kms:CreateAlias', forms: 'key-or-not-found', state: NOT_PENDING_DELETION, customerManagedOnly: true }],
  // The alias name before any key, as UpdateAlias and DeleteAlias check it (where they locate the
  // alias's key): alias/aws/s3 is NotAuthorized whatever TargetKeyId names.
  validate({ input }) {
    checkCustomerAliasName(input.AliasName as string);
  },
  async run({ input, caller, services, key }) {
    const aliasName = input.AliasName as string;
    const target = key('TargetKeyId');
    const now = services.clock.now();
    const alias = { accountId: caller.scope.accountId, region: caller.scope.region, aliasName, targetKeyId: target.keyId, createdAt: now, updatedAt: now };
    try {
      // The key's state decides the alias: it is committed with a version bump of the key, so a
      // ScheduleKeyDeletion committed after the key was read makes the pipeline read the key again.
      await commitKey(services, target, target, [{ kind: 'insertAlias', alias }]);
    } catch (err) {
      if (err instanceof StoreConflictError && err.reason === 'duplicate') {
        // AWS, as users quote it: "An alias with the name arn:aws:kms:us-west-2:<account>:alias/<name> already exists".
        throw new AlreadyExistsException(`An alias with the name ${aliasArn(caller.scope, aliasName)} already exists`);
      }
      throw err;
    }
    return {};
  },
});
