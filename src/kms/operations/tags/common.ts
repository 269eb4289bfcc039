// Shared by TagResource and UntagResource: resolve a customer managed key that is not pending
// deletion, read its tags, and commit the tag change together with a version bump of the key, so
// two concurrent tag calls cannot together exceed the tag limit and a deletion scheduled meanwhile
// is not raced.

import type { Change } from '../../../store/store.js';
import type { Caller, KmsServices } from '../../context.js';
import { ensureCustomerManaged, mutateKey } from '../../key-mutation.js';
import { NOT_PENDING_DELETION } from '../../model/key-state.js';
import type { KeyRecord, Tag } from '../../model/key.js';

/** `plan` returns the tag changes to commit, or none when nothing changes. */
export async function changeKeyTags(
  services: KmsServices,
  caller: Caller,
  identifier: string,
  action: 'TagResource' | 'UntagResource',
  plan: (key: KeyRecord, existing: readonly Tag[]) => Change[],
): Promise<void> {
  // AWS: "To specify a KMS key, use its key ID or key ARN" (aliases are not accepted here).
  await mutateKey(services, caller, identifier, NOT_PENDING_DELETION, { allowAlias: false }, async (key) => {
    // AWS: "you cannot tag an AWS managed key"; its key policy allows no tag calls (AccessDenied).
    ensureCustomerManaged(key, caller, action);
    return { key, changes: plan(key, await services.store.listTags(key.arn)) };
  });
}
