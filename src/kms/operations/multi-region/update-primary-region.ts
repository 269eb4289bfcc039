// UpdatePrimaryRegion: https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdatePrimaryRegion.html

import { ValidationException } from '../../../errors/aws-errors.js';
import type { Operation } from '../../context.js';
import { retryOnConflict } from '../../key-mutation.js';
import { resolveKey } from '../../key-resolver.js';
import { enforceKeyState, UPDATE_PRIMARY_REGION_RULE } from '../../model/key-state.js';
import { ensurePrimaryKey, loadRelatedSet, primaryRegionChanges } from '../../multi-region.js';
import { StoreConflictError } from '../../../store/store.js';

export const UpdatePrimaryRegion: Operation = {
  name: 'UpdatePrimaryRegion',
  async run(input, caller, services) {
    const newPrimaryRegion = input.PrimaryRegion as string;
    await retryOnConflict(async () => {
      // AWS: "Identifies the current primary key. ... Specify the key ID or key ARN of a multi-Region primary key."
      const key = await resolveKey(services, caller, input.KeyId as string, { allowAlias: false });
      ensurePrimaryKey(key);
      enforceKeyState(UPDATE_PRIMARY_REGION_RULE, key.state, key.arn);
      // AWS: "The Amazon Web Services Region of the new primary key. ... There must be an existing
      // replica key in this Region." The current primary's own Region holds no replica.
      if (newPrimaryRegion === key.region) {
        // Unconfirmed wording: no recorded AWS response found.
        throw new ValidationException(`PrimaryRegion ${newPrimaryRegion} is already the Region of the primary key ${key.arn}.`);
      }
      const set = await loadRelatedSet(services, key);
      const primary = set.find((k) => k.region === key.region);
      // Changed since it was resolved (or deleted): start over from a fresh read.
      if (primary?.version !== key.version) throw new StoreConflictError('version', key.arn);
      // AWS: "Cross-account use: No." The set is the caller's account only (listRelatedKeys).
      await services.store.commit(primaryRegionChanges(primary, set, newPrimaryRegion, UPDATE_PRIMARY_REGION_RULE));
    });
    // AWS: "This operation does not return any output."
    return {};
  },
};
