// ListRetirableGrants: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListRetirableGrants.html
// AWS: "Returns information about all grants in the Amazon Web Services account and Region that have
// the specified retiring principal ... This can include grants on KMS keys owned by other Amazon Web
// Services accounts", and "You must specify a principal in your Amazon Web Services account."

import { AccessDeniedException } from '../../../errors/aws-errors.js';
import type { Operation } from '../../context.js';
import { pageLimit, toGrantListEntry, withMarker } from './common.js';

/** The account of an IAM principal ARN (arn:aws:iam::111122223333:role/x), or of a bare account id. */
function accountOfPrincipal(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

export const ListRetirableGrants: Operation = {
  name: 'ListRetirableGrants',
  async run(input, caller, services) {
    const retiringPrincipal = input.RetiringPrincipal as string;
    // A principal of another account: its grants are not the caller's to list (our convention for a
    // permission the caller cannot have).
    const account = accountOfPrincipal(retiringPrincipal);
    if (account !== undefined && account !== caller.scope.accountId) {
      // IAM's denial format; the case itself is our convention (unconfirmed).
      throw new AccessDeniedException(
        `User: ${caller.principalArn} is not authorized to perform: kms:ListRetirableGrants on resource: ${retiringPrincipal}`,
      );
    }
    const page = await withMarker(() =>
      services.store.listRetirableGrants(
        retiringPrincipal,
        { limit: pageLimit(input), marker: input.Marker as string | undefined },
        caller.scope.region,
      ),
    );
    return {
      Grants: page.items.map(toGrantListEntry),
      ...(page.nextMarker !== undefined && { NextMarker: page.nextMarker }),
      Truncated: page.nextMarker !== undefined,
    };
  },
};
