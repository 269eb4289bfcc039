// Alias rules shared by CreateAlias, UpdateAlias and DeleteAlias, and the key an alias names.

import { NotAuthorizedException, ValidationException } from '../../../errors/aws-errors.js';
import { aliasNotFound, getLiveKey } from '../../key-resolver.js';
import { isAwsManagedAliasName } from '../../model/aws-managed.js';
import type { KeyRecord } from '../../model/key.js';
import type { OperationRequest } from '../../pipeline/operation-spec.js';

/** Precondition: an alias name starts with alias/ and is not in the reserved alias/aws/ space. */
export function checkCustomerAliasName(aliasName: string): void {
  // AWS (LocalStack snapshot test_create_alias) for a name without the alias/ prefix.
  if (!aliasName.startsWith('alias/') || aliasName.length === 'alias/'.length) {
    throw new ValidationException(
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  }
  if (isAwsManagedAliasName(aliasName)) throw new NotAuthorizedException('');
}

/**
 * The declaration member of the key the alias named by AliasName points at (UpdateAlias's current
 * key, DeleteAlias's key). It is no member of the wire: the validator keeps only modelled members,
 * so the input never carries it and the pipeline always finds the key with `locateAliasTarget`.
 */
export const ALIAS_TARGET = 'AliasName.TargetKeyId';

/**
 * `locate` for ALIAS_TARGET: the key the alias AliasName points at, read in the pipeline's resolve
 * step (of every attempt). The name is checked first, before any key is looked at: AWS refuses
 * alias/aws/ names with NotAuthorizedException even when the key behind one is an AWS managed key
 * (which the authorization step would refuse with AccessDeniedException).
 */
export async function locateAliasTarget({ input, caller, services }: OperationRequest): Promise<KeyRecord> {
  const aliasName = input.AliasName as string;
  checkCustomerAliasName(aliasName);
  const alias = await services.store.getAlias(caller.scope, aliasName);
  if (!alias) throw aliasNotFound(caller.scope, aliasName);
  // A key deleted (for good) takes its aliases with it: then the alias is not found, as when a KeyId names it.
  return getLiveKey(services, caller.scope, alias.targetKeyId, () => aliasNotFound(caller.scope, aliasName));
}
