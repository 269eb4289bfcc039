// ReplicateKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html

import { AlreadyExistsException, NotFoundException } from '../../../errors/aws-errors.js';
import { StoreConflictError } from '../../../store/store.js';
import type { Operation } from '../../context.js';
import { retryOnConflict } from '../../key-mutation.js';
import { getLiveKey, resolveKey } from '../../key-resolver.js';
import { toKeyMetadata } from '../../key-metadata.js';
import { checkPolicySyntax, defaultKeyPolicy } from '../../model/key-policy.js';
import { enforceKeyState, REPLICATE_KEY_RULE } from '../../model/key-state.js';
import type { Tag } from '../../model/key.js';
import { checkRequestTags } from '../../model/tags.js';
import { buildReplica, ensurePrimaryKey, ensureReplicaRegion, loadRelatedSet } from '../../multi-region.js';

export const ReplicateKey: Operation = {
  name: 'ReplicateKey',
  async run(input, caller, services) {
    const replicaRegion = input.ReplicaRegion as string;
    // AWS: "Cross-account use: No. You cannot use this operation to create a replica key in a
    // different Amazon Web Services account." The replica is in the caller's account.
    const replicaScope = { accountId: caller.scope.accountId, region: replicaRegion };
    // AWS: "If you do not provide a key policy, KMS attaches the default key policy to the KMS key."
    // The policy, description and tags are not shared properties: nothing is copied from the primary.
    const policy = (input.Policy as string | undefined) ?? defaultKeyPolicy(replicaScope);
    checkPolicySyntax(policy);
    const tags = (input.Tags as Tag[] | undefined) ?? [];
    checkRequestTags(tags);

    const replica = await retryOnConflict(async () => {
      // AWS: "Specify the key ID or key ARN of a multi-Region primary key."
      const primary = await resolveKey(services, caller, input.KeyId as string, { allowAlias: false });
      ensurePrimaryKey(primary);
      enforceKeyState(REPLICATE_KEY_RULE, primary.state, primary.arn);
      ensureReplicaRegion(primary, replicaRegion);
      // AWS: "If the Region already includes a replica of the key you're trying to replicate,
      // ReplicateKey returns an AlreadyExistsException error. If the key state of the existing
      // replica is PendingDeletion, you can cancel the scheduled key deletion (CancelKeyDeletion) or
      // wait for the key to be deleted."
      const existing = await getLiveKey(services, replicaScope, primary.keyId).catch((err: unknown) => {
        if (err instanceof NotFoundException) return undefined;
        throw err;
      });
      if (existing) throw alreadyExists(existing.arn);
      const built = await buildReplica(services, primary, {
        replicaRegion,
        description: (input.Description as string | undefined) ?? '',
        policy,
        tags,
      });
      try {
        await services.store.commit(built.changes);
      } catch (err) {
        if (err instanceof StoreConflictError && err.reason === 'duplicate') throw alreadyExists(built.replica.arn);
        throw err;
      }
      return built.replica;
    });
    const related = await loadRelatedSet(services, replica);
    // AWS answers while the replica is still being created: its KeyMetadata has no
    // CurrentKeyMaterialId yet (DescribeKey shows it). AWS (test_replicate_key, "replicate-key"):
    // a request without Tags gets no ReplicaTags member, not an empty list.
    const { CurrentKeyMaterialId: _current, ...metadata } = toKeyMetadata(replica, related);
    return { ReplicaKeyMetadata: metadata, ReplicaPolicy: policy, ...(tags.length > 0 ? { ReplicaTags: tags } : {}) };
  },
};

function alreadyExists(replicaArn: string): AlreadyExistsException {
  // Unconfirmed wording: no recorded AWS response found.
  return new AlreadyExistsException(`Key '${replicaArn}' already exists`);
}
