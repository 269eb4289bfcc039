// ListGrants: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListGrants.html

import { ANY_STATE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { checkGrantId, pageLimit, toGrantListEntry, withMarker } from './common.js';

export const ListGrants = defineOperation({
  name: 'ListGrants',
  readOnly: true,
  dryRun: false,
  // Every key state; AWS managed keys too (their policy allows kms:List* to the account).
  keys: [{ member: 'KeyId', action: 'kms:ListGrants', forms: 'key', state: ANY_STATE }],
  check({ input }) {
    const grantId = input.GrantId as string | undefined;
    if (grantId !== undefined) checkGrantId(grantId);
  },
  async run({ input, services, key }) {
    const grantId = input.GrantId as string | undefined;
    const granteePrincipal = input.GranteePrincipal as string | undefined;
    const page = await withMarker(() =>
      services.store.listGrants(
        key('KeyId').arn,
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
});
