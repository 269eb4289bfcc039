// ListGrants: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListGrants.html

import type { Operation } from '../../context.js';
import { resolveKey } from '../../key-resolver.js';
import { checkGrantId, pageLimit, toGrantListEntry, withMarker } from './common.js';

export const ListGrants: Operation = {
  name: 'ListGrants',
  async run(input, caller, services) {
    // Every key state; AWS managed keys too (their policy allows kms:List* to the account).
    const key = await resolveKey(services, caller, input.KeyId as string, { allowAlias: false });
    const grantId = input.GrantId as string | undefined;
    if (grantId !== undefined) checkGrantId(grantId);
    const granteePrincipal = input.GranteePrincipal as string | undefined;
    const page = await withMarker(() =>
      services.store.listGrants(
        key.arn,
        { limit: pageLimit(input), marker: input.Marker as string | undefined },
        { ...(grantId !== undefined && { grantId }), ...(granteePrincipal !== undefined && { granteePrincipal }) },
      ),
    );
    return {
      Grants: page.items.map(toGrantListEntry),
      ...(page.nextMarker !== undefined && { NextMarker: page.nextMarker }),
      Truncated: page.nextMarker !== undefined,
    };
  },
};
