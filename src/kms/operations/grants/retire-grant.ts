// RetireGrant: https://docs.aws.amazon.com/kms/latest/APIReference/API_RetireGrant.html
// AWS lets the retiring principal, the grantee (when the grant allows RetireGrant) and the account
// that owns the key retire a grant; with no authorization layer yet, any caller who can name the
// grant (by token, or by its key and id) retires it.

import { ValidationException } from '../../../errors/aws-errors.js';
import { StoreConflictError } from '../../../store/store.js';
import type { Caller, KmsServices, Operation } from '../../context.js';
import { resolveKey } from '../../key-resolver.js';
import type { GrantRecord } from '../../model/key.js';
import { throwIfDryRun } from '../crypto/common.js';
import { checkGrantId, grantNotFound, invalidGrantToken, isWellFormedGrantToken } from './common.js';

export const RetireGrant: Operation = {
  name: 'RetireGrant',
  async run(input, caller, services) {
    const grant = await grantToRetire(input, caller, services);
    throwIfDryRun(input);
    try {
      await services.store.commit([{ kind: 'deleteGrant', keyArn: grant.keyArn, grantId: grant.grantId }]);
    } catch (err) {
      // Retired or revoked by someone else in between.
      if (err instanceof StoreConflictError && err.reason === 'missing') throw grantNotFound(grant.grantId);
      throw err;
    }
    return {};
  },
};

async function grantToRetire(input: Readonly<Record<string, unknown>>, caller: Caller, services: KmsServices): Promise<GrantRecord> {
  const token = input.GrantToken as string | undefined;
  if (token !== undefined) {
    if (!isWellFormedGrantToken(token)) throw invalidGrantToken();
    const grant = await services.store.findGrantByToken(token);
    // A grant token works in the Region of its key (of any account: cross-account retirement is allowed).
    if (!grant || grant.region !== caller.scope.region) throw invalidGrantToken();
    return grant;
  }
  const keyId = input.KeyId as string | undefined;
  const grantId = input.GrantId as string | undefined;
  if (keyId === undefined || grantId === undefined) {
    // Unconfirmed wording: no recorded AWS response found.
    throw new ValidationException('Either GrantToken, or both KeyId and GrantId, must be specified.');
  }
  const key = await resolveKey(services, caller, keyId, { allowAlias: false });
  checkGrantId(grantId);
  const grant = await services.store.getGrant(key.arn, grantId);
  if (!grant) throw grantNotFound(grantId);
  return grant;
}
