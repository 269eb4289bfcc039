// UpdatePrimaryRegion: https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdatePrimaryRegion.html

import { ValidationException } from '../../../errors/aws-errors.js';
import { ANY_STATE, enforceKeyState, UPDATE_PRIMARY_REGION_RULE } from '../../model/key-state.js';
import { ensurePrimaryKey, loadRelatedSet, primaryRegionChanges } from '../../multi-region.js';
import { authorizeKey } from '../../authorization/authorize.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { StoreConflictError } from '../../../store/store.js';

export const UpdatePrimaryRegion = defineOperation({
  name: 'UpdatePrimaryRegion',
  readOnly: false,
  dryRun: false,
  // AWS: "Identifies the current primary key. ... Specify the key ID or key ARN of a multi-Region primary key."
  // The key state is ANY_STATE here because a key that is not a multi-Region primary is refused
  // (UnsupportedOperationException) before the key-state row (UPDATE_PRIMARY_REGION_RULE) applies:
  // `check` applies both, in that order. The replica that becomes primary is not an input member:
  // it is found in the related set, read in `run`, which applies the same row to it.
  keys: [{ member: 'KeyId', action: 'kms:UpdatePrimaryRegion', forms: 'key', state: ANY_STATE }],
  check({ input, key: keyOf }) {
    const key = keyOf('KeyId');
    ensurePrimaryKey(key);
    enforceKeyState(UPDATE_PRIMARY_REGION_RULE, key.state, key.arn);
    // AWS: "The Amazon Web Services Region of the new primary key. ... There must be an existing
    // replica key in this Region." The current primary's own Region holds no replica.
    if (input.PrimaryRegion === key.region) {
      // Unconfirmed wording: no recorded AWS response found.
      throw new ValidationException(`PrimaryRegion ${key.region} is already the Region of the primary key ${key.arn}.`);
    }
  },
  async run({ input, caller, services, key: keyOf }) {
    const key = keyOf('KeyId');
    // Read inside the retried attempt: the set decides the commit.
    const set = await loadRelatedSet(services, key);
    const primary = set.find((k) => k.region === key.region);
    // Changed since it was resolved (or deleted): the pipeline starts over from a fresh read.
    if (primary?.version !== key.version) throw new StoreConflictError('version', key.arn);
    // AWS: "Required permissions: kms:UpdatePrimaryRegion on the current primary key (in the primary
    // key's Region)" and "on the replica key (in the replica key's Region)": the replica's own key
    // policy must allow it too. The replica is found here, in the set read above.
    const replica = set.find((k) => k.region === (input.PrimaryRegion as string));
    if (replica) await authorizeKey({ caller, action: 'kms:UpdatePrimaryRegion', key: replica, input, now: services.clock.now() }, services);
    // AWS: "Cross-account use: No." The set is the caller's account only (listRelatedKeys).
    await services.store.commit(primaryRegionChanges(primary, set, input.PrimaryRegion as string, UPDATE_PRIMARY_REGION_RULE));
    // AWS: "This operation does not return any output."
    return {};
  },
});
