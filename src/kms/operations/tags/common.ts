// Shared by TagResource and UntagResource: with the key the pipeline resolved (a customer managed
// key, not pending deletion), read its tags and commit the tag change together with a version bump
// of the key, so two concurrent tag calls cannot together exceed the tag limit and a deletion
// scheduled meanwhile is not raced: either makes the commit fail, and the pipeline runs the
// operation again on a fresh read.

import type { Change } from '../../../store/store.js';
import type { KmsServices } from '../../context.js';
import { commitKey } from '../../key-mutation.js';
import type { KeyRecord, Tag } from '../../model/key.js';

/** `plan` returns the tag changes to commit, or none when nothing changes (then nothing is written). */
export async function changeKeyTags(services: KmsServices, key: KeyRecord, plan: (existing: readonly Tag[]) => Change[]): Promise<void> {
  await commitKey(services, key, key, plan(await services.store.listTags(key.arn)));
}
