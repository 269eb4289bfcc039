// Multi-Region keys below the API: MultiRegionConfiguration as data, the related set, replicas
// sharing every material version under the same material ids (wrapped under their own ARN), the
// version guards that keep a set consistent, the deletion rules, and the key-state rows.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { keyMaterialAad } from '../../../src/crypto/material-aad.js';
import { RootKeyUnwrapError } from '../../../src/crypto/root-key/root-key-provider.js';
import { SECRET_ACCESS, SecretMaterial } from '../../../src/crypto/secret.js';
import type { KmsServices } from '../../../src/kms/context.js';
import { deleteDueKeys, deleteKeyNow } from '../../../src/kms/key-deletion.js';
import { buildNewKey } from '../../../src/kms/key-factory.js';
import { toKeyMetadata } from '../../../src/kms/key-metadata.js';
import { defaultKeyPolicy } from '../../../src/kms/model/key-policy.js';
import { REPLICATE_KEY_RULE, UPDATE_PRIMARY_REGION_RULE, type StateRule } from '../../../src/kms/model/key-state.js';
import type { KeyRecord, Scope } from '../../../src/kms/model/key.js';
import { isPrimaryKey, isReplicaKey, multiRegionConfiguration, primaryRegionOf, relatedSet } from '../../../src/kms/model/multi-region.js';
import { buildReplica, loadRelatedSet, primaryRegionChanges } from '../../../src/kms/multi-region.js';
import { StoreConflictError } from '../../../src/store/store.js';
import { KEY_STATES, outcome } from '../../helpers/key-state.js';
import { keyRecord } from '../../helpers/records.js';
import { servicesFactory } from '../../helpers/services.js';

const DAY = 86_400_000;
const ACCOUNT = '111122223333';
const WEST: Scope = { accountId: ACCOUNT, region: 'us-west-2' };
const CENTRAL = 'eu-central-1';
const SYDNEY = 'ap-southeast-2';

const { makeServices, cleanup } = servicesFactory('kms-mrk-');
after(cleanup);

const material = (byte: number) => new SecretMaterial(Buffer.alloc(32, byte));

/** A multi-Region primary in us-west-2 with the given material versions (oldest first). */
async function createPrimary(services: KmsServices, params: { materials?: SecretMaterial[]; origin?: 'AWS_KMS' | 'EXTERNAL' } = {}): Promise<KeyRecord> {
  const { key, changes } = await buildNewKey(services, {
    scope: WEST,
    description: 'primary',
    keyUsage: 'ENCRYPT_DECRYPT',
    keySpec: 'SYMMETRIC_DEFAULT',
    origin: params.origin ?? 'AWS_KMS',
    keyManager: 'CUSTOMER',
    multiRegion: true,
    policy: defaultKeyPolicy(WEST),
    tags: [],
    ...(params.materials ? { materials: params.materials } : {}),
  });
  await services.store.commit(changes);
  return key;
}

async function replicate(services: KmsServices, primary: KeyRecord, region: string): Promise<KeyRecord> {
  const fresh = (await services.store.getKey(WEST, primary.keyId)) ?? primary;
  const { replica, changes } = await buildReplica(services, fresh, { replicaRegion: region, description: '', policy: '{}', tags: [] });
  await services.store.commit(changes);
  return replica;
}

async function reread(services: KmsServices, key: KeyRecord): Promise<KeyRecord | undefined> {
  return services.store.getKey(key, key.keyId);
}

function fakeKey(region: string, primaryRegion: string | undefined, extra: Partial<KeyRecord> = {}): KeyRecord {
  return keyRecord({ accountId: ACCOUNT, region }, 'mrk-0123456789abcdef0123456789abcdef', {
    multiRegion: true,
    policy: '{}',
    ...(primaryRegion ? { primaryRegion } : {}),
    ...extra,
  });
}

describe('model: primary, replicas, MultiRegionConfiguration', () => {
  test('the key in the primary Region is the primary; a key stored without primaryRegion is a primary', () => {
    const legacy = fakeKey('us-west-2', undefined);
    assert.equal(primaryRegionOf(legacy), 'us-west-2');
    assert.ok(isPrimaryKey(legacy));
    const replica = fakeKey(CENTRAL, 'us-west-2');
    assert.ok(isReplicaKey(replica) && !isPrimaryKey(replica));
    const single = { ...fakeKey('us-west-2', undefined), multiRegion: false };
    assert.ok(!isPrimaryKey(single) && !isReplicaKey(single));
  });

  test('relatedSet keeps the keys naming the same primary Region (a same-id key made on its own is not related)', () => {
    const primary = fakeKey('us-west-2', 'us-west-2');
    const replica = fakeKey(CENTRAL, 'us-west-2', { createdAt: 2 });
    const stranger = fakeKey(SYDNEY, SYDNEY); // e.g. CreateKey with the same _custom_id_ in --dev
    const otherAccount = { ...fakeKey(CENTRAL, 'us-west-2'), accountId: '999999999999' };
    assert.deepEqual(relatedSet(replica, [primary, replica, stranger, otherAccount]), [primary, replica]);
  });

  test('configuration seen from the primary and from a replica; replicas oldest first', () => {
    const primary = fakeKey('us-west-2', 'us-west-2', { createdAt: 1 });
    const sydney = fakeKey(SYDNEY, 'us-west-2', { createdAt: 3 });
    const central = fakeKey(CENTRAL, 'us-west-2', { createdAt: 2 });
    const set = [primary, sydney, central];
    const replicas = [
      { Arn: central.arn, Region: CENTRAL },
      { Arn: sydney.arn, Region: SYDNEY },
    ];
    const primaryRef = { Arn: primary.arn, Region: 'us-west-2' };
    assert.deepEqual(multiRegionConfiguration(primary, set), { MultiRegionKeyType: 'PRIMARY', PrimaryKey: primaryRef, ReplicaKeys: replicas });
    assert.deepEqual(multiRegionConfiguration(central, set), { MultiRegionKeyType: 'REPLICA', PrimaryKey: primaryRef, ReplicaKeys: replicas });
    // Alone (CreateKey): the primary and no replicas.
    assert.deepEqual(multiRegionConfiguration(primary, []), { MultiRegionKeyType: 'PRIMARY', PrimaryKey: primaryRef, ReplicaKeys: [] });
  });

  test('KeyMetadata: MultiRegionConfiguration only for multi-Region keys; PendingDeletionWindowInDays only in PendingReplicaDeletion', () => {
    const primary = fakeKey('us-west-2', 'us-west-2', { state: 'PendingReplicaDeletion', pendingWindowInDays: 9 });
    const md = toKeyMetadata(primary, [primary]);
    assert.equal(md.PendingDeletionWindowInDays, 9);
    assert.equal(md.DeletionDate, undefined);
    assert.equal((md.MultiRegionConfiguration as { MultiRegionKeyType: string }).MultiRegionKeyType, 'PRIMARY');
    const pending = toKeyMetadata({ ...primary, state: 'PendingDeletion', deletionDate: 5 });
    assert.equal(pending.PendingDeletionWindowInDays, undefined);
    assert.deepEqual(pending.DeletionDate, new Date(5));
    assert.equal(toKeyMetadata({ ...primary, multiRegion: false }).MultiRegionConfiguration, undefined);
  });
});

describe('key-state rows: ReplicateKey and UpdatePrimaryRegion', () => {
  const outcomes = (rule: StateRule): Record<string, string> => Object.fromEntries(KEY_STATES.map((state) => [state, outcome(rule, state)]));
  const refused = {
    Enabled: 'ok',
    Disabled: 'DisabledException: is disabled.',
    PendingDeletion: 'KMSInvalidStateException: is pending deletion.',
    PendingReplicaDeletion: 'KMSInvalidStateException: is pending replica deletion.',
    PendingImport: 'KMSInvalidStateException: is pending import.',
    Unavailable: 'ok', // N/A: no custom key stores, so never reached
    Creating: 'KMSInvalidStateException: is creating.',
  };
  test('ReplicateKey refuses Updating as well', () => {
    assert.deepEqual(outcomes(REPLICATE_KEY_RULE), { ...refused, Updating: 'KMSInvalidStateException: is updating.' });
  });
  test('UpdatePrimaryRegion allows Updating', () => {
    assert.deepEqual(outcomes(UPDATE_PRIMARY_REGION_RULE), { ...refused, Updating: 'ok' });
  });
});

describe('ReplicateKey below the API', () => {
  test('a replica gets every material version under the same material id, wrapped under its own ARN', async () => {
    const services = await makeServices();
    const primary = await createPrimary(services, { materials: [material(1), material(2), material(3)] });
    assert.equal(primary.primaryRegion, 'us-west-2', 'CreateKey records the primary Region');
    const replica = await replicate(services, primary, CENTRAL);
    assert.equal(replica.arn, `arn:aws:kms:${CENTRAL}:${ACCOUNT}:key/${primary.keyId}`);
    assert.equal(replica.primaryRegion, 'us-west-2');
    assert.equal(replica.currentMaterialId, primary.currentMaterialId);
    assert.equal(replica.state, 'Enabled');

    const mine = await services.store.listMaterials(primary.arn);
    const theirs = await services.store.listMaterials(replica.arn);
    assert.equal(theirs.length, 3);
    assert.deepEqual(theirs.map((m) => [m.materialId, m.state]), mine.map((m) => [m.materialId, m.state]));
    for (const [i, copy] of theirs.entries()) {
      assert.ok(!copy.wrapped.equals(mine[i]!.wrapped), 'wrapped again, not copied');
      const secret = await services.rootKey.unwrap(copy.wrapped, keyMaterialAad(replica.arn, copy.materialId));
      assert.deepEqual(secret.exposeSecret(SECRET_ACCESS), Buffer.alloc(32, i + 1));
      // Bound to the replica's ARN: it does not open as the primary's.
      await assert.rejects(services.rootKey.unwrap(copy.wrapped, keyMaterialAad(primary.arn, copy.materialId)), RootKeyUnwrapError);
    }
  });

  test('a replica of a primary with imported material starts PendingImport with no material', async () => {
    const services = await makeServices();
    const primary = await createPrimary(services, { origin: 'EXTERNAL', materials: [material(7)] });
    const replica = await replicate(services, primary, CENTRAL);
    assert.equal(replica.state, 'PendingImport');
    assert.equal(replica.currentMaterialId, undefined);
    assert.deepEqual(await services.store.listMaterials(replica.arn), []);
  });

  test('a change to the primary between reading it and committing (e.g. a rotation) makes the commit fail', async () => {
    const services = await makeServices();
    const primary = await createPrimary(services);
    const { changes } = await buildReplica(services, primary, { replicaRegion: CENTRAL, description: '', policy: '{}', tags: [] });
    await services.store.commit([{ kind: 'putKey', key: { ...primary, version: 2 }, expectedVersion: 1 }]);
    await assert.rejects(services.store.commit(changes), (err: unknown) => err instanceof StoreConflictError && err.reason === 'version');
    assert.equal(await services.store.getKey({ accountId: ACCOUNT, region: CENTRAL }, primary.keyId), undefined);
  });
});

describe('UpdatePrimaryRegion below the API', () => {
  test('every key of the set names the new primary Region; the rotation schedule moves with the role', async () => {
    const services = await makeServices();
    const created = await createPrimary(services);
    await services.store.commit([
      { kind: 'putKey', key: { ...created, rotationEnabled: true, rotationPeriodInDays: 90, nextRotationDate: 123, version: 2 }, expectedVersion: 1 },
    ]);
    await replicate(services, created, CENTRAL);
    await replicate(services, created, SYDNEY);
    const primary = (await reread(services, created))!;
    const set = await loadRelatedSet(services, primary);
    await services.store.commit(primaryRegionChanges(primary, set, CENTRAL, UPDATE_PRIMARY_REGION_RULE));
    const after = await loadRelatedSet(services, (await reread(services, primary))!);
    assert.deepEqual(after.map((k) => [k.region, k.primaryRegion, k.nextRotationDate, k.rotationEnabled]), [
      ['us-west-2', CENTRAL, undefined, true],
      [CENTRAL, CENTRAL, 123, true],
      [SYDNEY, CENTRAL, undefined, true],
    ]);
    assert.throws(() => primaryRegionChanges(primary, set, 'eu-west-1', UPDATE_PRIMARY_REGION_RULE), { name: 'NotFoundException' });
    // The set read before the change is stale now: committing it again fails on the versions.
    await assert.rejects(services.store.commit(primaryRegionChanges(primary, set, SYDNEY, UPDATE_PRIMARY_REGION_RULE)), StoreConflictError);
  });
});

describe('deletion rules below the API', () => {
  async function primaryPendingReplicaDeletion(services: KmsServices, replicaRegions: string[]) {
    const created = await createPrimary(services);
    const replicas = [];
    for (const region of replicaRegions) replicas.push(await replicate(services, created, region));
    const primary = (await reread(services, created))!;
    await services.store.commit([
      { kind: 'putKey', key: { ...primary, state: 'PendingReplicaDeletion', pendingWindowInDays: 10, version: primary.version + 1 }, expectedVersion: primary.version },
    ]);
    const now = services.clock.now();
    const scheduled = [];
    for (const [i, r] of replicas.entries()) {
      const next = { ...r, state: 'PendingDeletion' as const, deletionDate: now + (7 + i) * DAY, pendingWindowInDays: 7 + i, version: r.version + 1 };
      await services.store.commit([{ kind: 'putKey', key: next, expectedVersion: r.version }]);
      scheduled.push(next);
    }
    return { primary: (await reread(services, created))!, replicas: scheduled };
  }

  test('deleting a replica that is not the last leaves the primary waiting; the last starts its window at its own deletion date', async () => {
    const services = await makeServices();
    const { primary, replicas } = await primaryPendingReplicaDeletion(services, [CENTRAL, SYDNEY]);
    assert.ok(await deleteKeyNow(services, replicas[0]!));
    assert.equal((await reread(services, primary))!.state, 'PendingReplicaDeletion');
    assert.ok(await deleteKeyNow(services, replicas[1]!));
    const after = (await reread(services, primary))!;
    assert.equal(after.state, 'PendingDeletion');
    assert.equal(after.deletionDate, replicas[1]!.deletionDate! + 10 * DAY);
  });

  test('a scheduler run after the whole waiting time deletes the replicas and then the primary', async () => {
    const services = await makeServices();
    const { primary } = await primaryPendingReplicaDeletion(services, [CENTRAL, SYDNEY]);
    services.clock.advance(8 * DAY);
    assert.equal(await deleteDueKeys(services), 2);
    assert.equal((await reread(services, primary))!.state, 'PendingDeletion');
    services.clock.advance(10 * DAY);
    assert.equal(await deleteDueKeys(services), 1);
    assert.equal(await reread(services, primary), undefined);
  });

  test('a cancelled primary is not touched by the deletion of its last replica', async () => {
    const services = await makeServices();
    const { primary, replicas } = await primaryPendingReplicaDeletion(services, [CENTRAL]);
    const { pendingWindowInDays: _p, ...rest } = primary;
    await services.store.commit([{ kind: 'putKey', key: { ...rest, state: 'Disabled', version: primary.version + 1 }, expectedVersion: primary.version }]);
    // The replica was read before the cancel; its deletion reads the primary afresh and leaves it Disabled.
    assert.ok(await deleteKeyNow(services, replicas[0]!));
    assert.equal((await reread(services, primary))!.state, 'Disabled');
  });

  test('loadRelatedSet deletes a related key whose date has passed before showing the set', async () => {
    const services = await makeServices();
    const { primary } = await primaryPendingReplicaDeletion(services, [CENTRAL]);
    services.clock.advance(8 * DAY);
    const set = await loadRelatedSet(services, primary);
    assert.deepEqual(set.map((k) => [k.region, k.state]), [['us-west-2', 'PendingDeletion']]);
  });
});
