// ListRetirableGrants: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListRetirableGrants.html
// AWS: "Returns information about all grants in the Amazon Web Services account and Region that have
// the specified retiring principal ... This can include grants on KMS keys owned by other Amazon Web
// Services accounts", and "You must specify a principal in your Amazon Web Services account."

import { AccessDeniedException } from '../../../errors/aws-errors.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { pageLimit, toGrantListEntry, withMarker } from './common.js';

/** The account of an IAM principal ARN (arn:aws:iam::111122223333:role/x), or of a bare account id. */
function accountOfPrincipal(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

export const ListRetirableGrants = defineOperation({
  name: 'ListRetirableGrants',
  readOnly: true,
  dryRun: false,
  // It names a principal, no key: the grants listed may be on keys of other accounts.
  keys: [],
  check({ input, caller }) {
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
  },
  async run({ input, caller, services }) {
    const page = await withMarker(() =>
      services.store.listRetirableGrants(
        input.RetiringPrincipal as string,
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
});
