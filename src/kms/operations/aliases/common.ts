// Alias rules shared by CreateAlias, UpdateAlias and DeleteAlias.

import { NotAuthorizedException, ValidationException } from '../../../errors/aws-errors.js';
import { isAwsManagedAliasName } from '../../model/aws-managed.js';

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
