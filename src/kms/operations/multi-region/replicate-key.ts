// ReplicateKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html

import { AlreadyExistsException, NotFoundException } from '../../../errors/aws-errors.js';
import { StoreConflictError } from '../../../store/store.js';
import type { Caller, OperationInput } from '../../context.js';
import { getLiveKey } from '../../key-resolver.js';
import { toKeyMetadata } from '../../key-metadata.js';
import { checkKeyPolicy } from '../../authorization/key-policy-cache.js';
import { defaultKeyPolicy } from '../../model/key-policy.js';
import { ANY_STATE, enforceKeyState, REPLICATE_KEY_RULE } from '../../model/key-state.js';
import type { Scope, Tag } from '../../model/key.js';
import { checkRequestTags } from '../../model/tags.js';
import { buildReplica, ensurePrimaryKey, ensureReplicaRegion, loadRelatedSet } from '../../multi-region.js';
import { ensureNoLockout } from '../../authorization/lockout-check.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { checkPrincipalsExist } from '../../authorization/principal-check.js';

export const ReplicateKey = defineOperation({
  name: 'ReplicateKey',
  readOnly: false,
  dryRun: false,
  // AWS: "Specify the key ID or key ARN of a multi-Region primary key." The key state is ANY_STATE
  // here because a key that is not a multi-Region primary is refused (UnsupportedOperationException)
  // before the key-state row (REPLICATE_KEY_RULE) applies: `check` applies both, in that order.
  keys: [{ member: 'KeyId', action: 'kms:ReplicateKey', forms: 'key', state: ANY_STATE }],
  // The request's own rules (policy syntax, tags) before the key is looked up.
  validate({ input, caller }) {
    checkKeyPolicy(replicaPolicy(input, caller));
    checkRequestTags(replicaTags(input));
  },
  async check({ input, caller, services, key }) {
    const primary = key('KeyId');
    ensurePrimaryKey(primary);
    enforceKeyState(REPLICATE_KEY_RULE, primary.state, primary.arn);
    ensureReplicaRegion(primary, input.ReplicaRegion as string);
    await checkPrincipalsExist(replicaPolicy(input, caller), services.directories);
  },
  async run({ input, caller, services, key }) {
    const primary = key('KeyId');
    const replicaRegion = input.ReplicaRegion as string;
    const policy = replicaPolicy(input, caller);
    const tags = replicaTags(input);
    // AWS: "If the Region already includes a replica of the key you're trying to replicate,
    // ReplicateKey returns an AlreadyExistsException error. If the key state of the existing
    // replica is PendingDeletion, you can cancel the scheduled key deletion (CancelKeyDeletion) or
    // wait for the key to be deleted." Read inside the retried attempt.
    const existing = await getLiveKey(services, replicaScope(input, caller), primary.keyId).catch((err: unknown) => {
      if (err instanceof NotFoundException) return undefined;
      throw err;
    });
    if (existing) throw alreadyExists(existing.arn);
    // The changes include a versioned put of the primary as resolved: a concurrent change of it
    // (a rotation, a deletion) makes the pipeline run the replication again from a fresh read.
    const built = await buildReplica(services, primary, {
      replicaRegion,
      description: (input.Description as string | undefined) ?? '',
      policy,
      tags,
    });
    if (input.Policy !== undefined) ensureNoLockout(caller, built.replica, policy, input, services.clock.now());
    try {
      await services.store.commit(built.changes);
    } catch (err) {
      if (err instanceof StoreConflictError && err.reason === 'duplicate') throw alreadyExists(built.replica.arn);
      throw err;
    }
    const replica = built.replica;
    const related = await loadRelatedSet(services, replica);
    // AWS answers while the replica is still being created: its KeyMetadata has no
    // CurrentKeyMaterialId yet (DescribeKey shows it). AWS (test_replicate_key, "replicate-key"):
    // a request without Tags gets no ReplicaTags member, not an empty list.
    const { CurrentKeyMaterialId: _current, ...metadata } = toKeyMetadata(replica, related);
    return { ReplicaKeyMetadata: metadata, ReplicaPolicy: policy, ...(tags.length > 0 ? { ReplicaTags: tags } : {}) };
  },
});

/**
 * AWS: "Cross-account use: No. You cannot use this operation to create a replica key in a
 * different Amazon Web Services account." The replica is in the caller's account.
 */
function replicaScope(input: OperationInput, caller: Caller): Scope {
  return { accountId: caller.scope.accountId, region: input.ReplicaRegion as string };
}

/**
 * AWS: "If you do not provide a key policy, KMS attaches the default key policy to the KMS key."
 * The policy, description and tags are not shared properties: nothing is copied from the primary.
 */
function replicaPolicy(input: OperationInput, caller: Caller): string {
  return (input.Policy as string | undefined) ?? defaultKeyPolicy(replicaScope(input, caller));
}

function replicaTags(input: OperationInput): Tag[] {
  return (input.Tags as Tag[] | undefined) ?? [];
}

function alreadyExists(replicaArn: string): AlreadyExistsException {
  // Unconfirmed wording: no recorded AWS response found.
  return new AlreadyExistsException(`Key '${replicaArn}' already exists`);
}
