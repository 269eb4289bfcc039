// RetireGrant: https://docs.aws.amazon.com/kms/latest/APIReference/API_RetireGrant.html
// AWS lets the retiring principal, the grantee (when the grant allows RetireGrant) and the account
// that owns the key retire a grant; with no authorization layer yet, any caller who can name the
// grant (by token, or by its key and id) retires it.

import { ValidationException } from '../../../errors/aws-errors.js';
import { AuthorizationDenied } from '../../authorization/access-denied.js';
import { StoreConflictError } from '../../../store/store.js';
import type { Caller, KmsServices } from '../../context.js';
import { getLiveKey } from '../../key-resolver.js';
import { parseKeyIdentifier } from '../../model/arn.js';
import { ANY_STATE } from '../../model/key-state.js';
import type { GrantRecord, KeyRecord } from '../../model/key.js';
import type { ResolvedRequest } from '../../pipeline/operation-spec.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { checkGrantId, grantNotFound, invalidGrantToken, isWellFormedGrantToken } from './common.js';

export const RetireGrant = defineOperation({
  name: 'RetireGrant',
  readOnly: false,
  dryRun: true,
  keys: [
    {
      // The grant is named by GrantToken, or by KeyId and GrantId: KeyId is optional, and without it
      // the key is the one of the grant the token names.
      member: 'KeyId',
      action: 'kms:RetireGrant',
      forms: 'key',
      state: ANY_STATE,
      optional: true,
      // Who may retire is the grant's to say (its retiring principal, its grantee, the key's account),
      // not the key policy's: ensureMayRetire, in check.
      authorizedBy: 'grant',
      // AWS: the grant is identified by its token, "or" by KeyId and GrantId: with a token, a KeyId
      // sent beside it is not looked at (this server never did).
      identifier: (input) => (input.GrantToken === undefined ? input.KeyId : undefined),
      async locate({ input, caller, services }) {
        const token = input.GrantToken as string | undefined;
        if (token === undefined) return undefined;
        return keyOfGrant(services, await grantOfToken(services, caller, token));
      },
    },
  ],
  // A grant must be named at all before any key is looked up.
  validate({ input }) {
    if (input.GrantToken === undefined && (input.KeyId === undefined || input.GrantId === undefined)) throw neitherNamed();
  },
  // The grant must exist (InvalidGrantTokenException, InvalidGrantIdException, NotFoundException)
  // before DryRun answers.
  async check(request) {
    ensureMayRetire(request.caller, await grantToRetire(request));
  },
  async run(request) {
    // Read again in the attempt that deletes it: the grant as it is now decides what is deleted.
    const grant = await grantToRetire(request);
    try {
      await request.services.store.commit([{ kind: 'deleteGrant', keyArn: grant.keyArn, grantId: grant.grantId }]);
    } catch (err) {
      // Retired or revoked by someone else in between.
      if (err instanceof StoreConflictError && err.reason === 'missing') throw grantNotFound(grant.grantId);
      throw err;
    }
    return {};
  },
});

/** The grant the request names: by GrantToken when given (then KeyId and GrantId are not used), else by the resolved KeyId and GrantId. */
async function grantToRetire({ input, caller, services, keys }: ResolvedRequest): Promise<GrantRecord> {
  const token = input.GrantToken as string | undefined;
  if (token !== undefined) return grantOfToken(services, caller, token);
  const key = keys.get('KeyId');
  const grantId = input.GrantId as string | undefined;
  if (key === undefined || grantId === undefined) throw neitherNamed();
  checkGrantId(grantId);
  const grant = await services.store.getGrant(key.arn, grantId);
  if (!grant) throw grantNotFound(grantId);
  return grant;
}

async function grantOfToken(services: KmsServices, caller: Caller, token: string): Promise<GrantRecord> {
  if (!isWellFormedGrantToken(token)) throw invalidGrantToken();
  const grant = await services.store.findGrantByToken(token);
  // A grant token works in the Region of its key (of any account: cross-account retirement is allowed).
  if (!grant || grant.region !== caller.scope.region) throw invalidGrantToken();
  return grant;
}

/** The grant's key, in the grant's account (a key deleted with its grants leaves the token naming nothing). */
async function keyOfGrant(services: KmsServices, grant: GrantRecord): Promise<KeyRecord> {
  const parsed = parseKeyIdentifier(grant.keyArn);
  if (parsed.kind !== 'keyArn') throw new Error(`grant ${grant.grantId} names no key ARN: ${grant.keyArn}`);
  return getLiveKey(services, parsed.scope, parsed.keyId, () => invalidGrantToken());
}

function neitherNamed(): ValidationException {
  // Unconfirmed wording: no recorded AWS response found.
  return new ValidationException('Either GrantToken, or both KeyId and GrantId, must be specified.');
}

/**
 * AWS: a grant can be retired by "the retiring principal, if one is specified", by "the grantee
 * principal, if RetireGrant is a grantee operation", and by "the AWS account in which the grant was
 * created" (KMS Developer Guide, "Retiring and revoking grants"). Anyone else: AccessDeniedException.
 * A principal named by account id or account root ARN covers that account's root.
 */
function ensureMayRetire(caller: Caller, grant: GrantRecord): void {
  const isRoot = caller.principalArn === `arn:aws:iam::${caller.scope.accountId}:root`;
  const names = (principal: string | undefined): boolean =>
    principal !== undefined && (principal === caller.principalArn || (isRoot && principal === caller.scope.accountId));
  if (caller.scope.accountId === grant.accountId) return;
  if (names(grant.retiringPrincipal)) return;
  if (grant.operations.includes('RetireGrant') && names(grant.granteePrincipal)) return;
  throw new AuthorizationDenied(caller.principalArn, 'kms:RetireGrant', grant.keyArn, 'no resource-based policy allows', 'not the grant\'s retiring principal, grantee or account');
}
