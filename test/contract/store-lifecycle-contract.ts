// The key-lifecycle part of the Store contract (migration 2): rotation, imported-material expiry and
// multi-Region fields on keys and materials, the lists the scheduler and multi-Region operations
// read, and last-usage records. Run it with runStoreLifecycleContract(name, open); `open` must
// return a store that is empty (or one resetAll() empties) and not shared with a concurrent test.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { KeyRecord, KeyUsageRecord, MaterialRecord, MaterialState, Scope } from '../../src/kms/model/key.js';
import type { Change, Store } from '../../src/store/store.js';
import { arnOf, keyRecord, materialId, materialRecord, T0 } from '../helpers/records.js';

// ---------------------------------------------------------------------------------------------
// Fixtures

const A: Scope = { accountId: '111122223333', region: 'us-east-1' };
/** Same account as A, other regions. */
const A2: Scope = { accountId: '111122223333', region: 'eu-west-1' };
const A3: Scope = { accountId: '111122223333', region: 'ap-southeast-1' };
/** Other account, same region as A. */
const B: Scope = { accountId: '444455556666', region: 'us-east-1' };

const DAY = 86_400_000;

function keyId(n: number): string {
  return `5678abcd-12ab-34cd-56ef-${n.toString().padStart(12, '0')}`;
}

function mrkId(n: number): string {
  return `mrk-${n.toString(16).padStart(32, '0')}`;
}

/** A key with every lifecycle field set. */
function makeLifecycleKey(scope: Scope, id: string, extra: Partial<KeyRecord> = {}): KeyRecord {
  return keyRecord(scope, id, {
    origin: 'EXTERNAL',
    multiRegion: true,
    currentMaterialId: materialId(1),
    rotationEnabled: true,
    rotationPeriodInDays: 90,
    nextRotationDate: T0 + 90 * DAY,
    onDemandRotationStartDate: T0 + 5,
    expirationModel: 'KEY_MATERIAL_EXPIRES',
    validTo: T0 + 365 * DAY,
    primaryRegion: 'eu-west-1',
    ...extra,
  });
}

/** Imported material expiring at `validTo`. */
function importedMaterial(key: KeyRecord, n: number, validTo: number, extra: Partial<MaterialRecord> = {}): MaterialRecord {
  return materialRecord(key, n, { importState: 'IMPORTED', expirationModel: 'KEY_MATERIAL_EXPIRES', validTo, ...extra });
}

function usage(keyArn: string, operation: string, usedAt: number, requestId = `req-${usedAt}`): KeyUsageRecord {
  return { keyArn, operation, usedAt, requestId };
}

const putKey = (key: KeyRecord, expectedVersion?: number): Change =>
  expectedVersion === undefined ? { kind: 'putKey', key } : { kind: 'putKey', key, expectedVersion };
const putMaterial = (material: MaterialRecord): Change => ({ kind: 'putMaterial', material });

/** Fails if any own property of `record` holds `undefined` (absent must mean absent). */
function assertNoUndefined(record: object | undefined): void {
  assert.ok(record !== undefined, 'expected a record');
  for (const [name, value] of Object.entries(record)) assert.notEqual(value, undefined, `${name} is present but undefined`);
}

const arns = (items: readonly { arn: string }[]): string[] => items.map((k) => k.arn);

// ---------------------------------------------------------------------------------------------

export function runStoreLifecycleContract(name: string, open: () => Promise<Store>): void {
  describe(`Store lifecycle contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
      await store.resetAll();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('key lifecycle fields', () => {
      test('every lifecycle field round-trips exactly', async () => {
        const key = makeLifecycleKey(A, mrkId(1));
        await store.commit([putKey(key)]);
        const got = await store.getKey(A, key.keyId);
        assert.deepStrictEqual(got, key);
        assertNoUndefined(got);
        assert.deepStrictEqual((await store.listKeys(A, { limit: 10 })).items, [key]);
      });

      test('absent lifecycle fields come back absent, not undefined', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key)]);
        const got = await store.getKey(A, key.keyId);
        assert.deepStrictEqual(got, key);
        assert.deepStrictEqual(Object.keys(got ?? {}).sort(), Object.keys(key).sort());
        assertNoUndefined(got);
      });

      test('rotationEnabled false is kept apart from absent; the other expiration model round-trips', async () => {
        const key = keyRecord(A, keyId(1), { rotationEnabled: false, rotationPeriodInDays: 365, expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
        await store.commit([putKey(key)]);
        const got = await store.getKey(A, key.keyId);
        assert.deepStrictEqual(got, key);
        assert.equal(got?.rotationEnabled, false);
      });

      test('an update can set and then clear every lifecycle field', async () => {
        const plain = keyRecord(A, mrkId(1));
        await store.commit([putKey(plain)]);
        const full = makeLifecycleKey(A, mrkId(1), { version: 2 });
        await store.commit([putKey(full, 1)]);
        assert.deepStrictEqual(await store.getKey(A, plain.keyId), full);
        const cleared = keyRecord(A, mrkId(1), { version: 3 });
        await store.commit([putKey(cleared, 2)]);
        const got = await store.getKey(A, plain.keyId);
        assert.deepStrictEqual(got, cleared);
        assert.deepStrictEqual(Object.keys(got ?? {}).sort(), Object.keys(cleared).sort());
      });
    });

    describe('material lifecycle fields', () => {
      test('every lifecycle field round-trips exactly, the fingerprint binary-safe', async () => {
        const key = keyRecord(A, keyId(1), { origin: 'EXTERNAL' });
        const material = importedMaterial(key, 1, T0 + DAY, {
          state: 'PENDING_ROTATION',
          rotationType: 'ON_DEMAND',
          description: 'imported – “second” 🔑',
          fingerprint: Buffer.from([0, 0xff, 0x10, 0, 0x80]),
        });
        await store.commit([putKey(key), putMaterial(material)]);
        const got = await store.getMaterial(key.arn, material.materialId);
        assert.deepStrictEqual(got, material);
        assertNoUndefined(got);
        assert.ok(Buffer.isBuffer(got?.fingerprint));
        assert.deepStrictEqual(await store.listMaterials(key.arn), [material]);
      });

      test('absent lifecycle fields come back absent, not undefined', async () => {
        const key = keyRecord(A, keyId(1));
        const material = materialRecord(key, 1);
        await store.commit([putKey(key), putMaterial(material)]);
        const got = await store.getMaterial(key.arn, material.materialId);
        assert.deepStrictEqual(got, material);
        assert.deepStrictEqual(Object.keys(got ?? {}).sort(), Object.keys(material).sort());
        assertNoUndefined(got);
      });

      test('every material state and rotation type round-trips', async () => {
        const key = keyRecord(A, keyId(1));
        const states: MaterialState[] = ['CURRENT', 'NON_CURRENT', 'PENDING_ROTATION', 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION'];
        const materials = states.map((state, i) => materialRecord(key, i + 1, { state, rotationType: i % 2 === 0 ? 'AUTOMATIC' : 'ON_DEMAND' }));
        await store.commit([putKey(key), ...materials.map(putMaterial)]);
        assert.deepStrictEqual(await store.listMaterials(key.arn), materials);
      });

      test('deleted imported material: empty wrapped bytes and PENDING_IMPORT round-trip', async () => {
        const key = keyRecord(A, keyId(1), { origin: 'EXTERNAL' });
        const imported = importedMaterial(key, 1, T0 + DAY, { fingerprint: Buffer.from('fp') });
        await store.commit([putKey(key), putMaterial(imported)]);
        const deleted: MaterialRecord = { ...imported, wrapped: Buffer.alloc(0), importState: 'PENDING_IMPORT' };
        await store.commit([putMaterial(deleted)]);
        const got = await store.getMaterial(key.arn, imported.materialId);
        assert.deepStrictEqual(got, deleted);
        assert.equal(got?.wrapped.length, 0);
      });

      test('putMaterial replacing a version can clear its lifecycle fields', async () => {
        const key = keyRecord(A, keyId(1), { origin: 'EXTERNAL' });
        const imported = importedMaterial(key, 1, T0 + DAY, { rotationType: 'AUTOMATIC', description: 'd', fingerprint: Buffer.from('fp') });
        await store.commit([putKey(key), putMaterial(imported)]);
        const plain = materialRecord(key, 1);
        await store.commit([putMaterial(plain)]);
        const got = await store.getMaterial(key.arn, plain.materialId);
        assert.deepStrictEqual(got, plain);
        assert.deepStrictEqual(Object.keys(got ?? {}).sort(), Object.keys(plain).sort());
      });
    });

    describe('listKeysDueForRotation', () => {
      test('returns keys with rotation enabled due at or before now, across scopes and states', async () => {
        const rotating = (scope: Scope, n: number, at: number, extra: Partial<KeyRecord> = {}): KeyRecord =>
          keyRecord(scope, keyId(n), { rotationEnabled: true, rotationPeriodInDays: 365, nextRotationDate: at, ...extra });
        const dueA = rotating(A, 1, T0 + 1000);
        const dueB = rotating(B, 2, T0 + 2000); // exactly now
        const dueA2Disabled = rotating(A2, 3, T0 + 1500, { state: 'Disabled' });
        const future = rotating(A, 4, T0 + 2001);
        const turnedOff = keyRecord(A, keyId(5), { rotationEnabled: false, rotationPeriodInDays: 365, nextRotationDate: T0 });
        const neverEnabled = keyRecord(B, keyId(6), { nextRotationDate: T0 });
        const noDate = keyRecord(A2, keyId(7), { rotationEnabled: true, rotationPeriodInDays: 365 });
        await store.commit([dueB, future, turnedOff, dueA, neverEnabled, noDate, dueA2Disabled].map((k) => putKey(k)));

        const due = await store.listKeysDueForRotation(T0 + 2000, 10);
        // Full records, the one due first first.
        assert.deepStrictEqual(due, [dueA, dueA2Disabled, dueB]);
        assert.deepStrictEqual(await store.listKeysDueForRotation(T0 + 2000, 2), [dueA, dueA2Disabled]);
        assert.deepStrictEqual(await store.listKeysDueForRotation(T0 + 999, 10), []);
      });

      test('a key whose rotation was done (date moved on) or disabled is no longer due', async () => {
        const key = keyRecord(A, keyId(1), { rotationEnabled: true, rotationPeriodInDays: 90, nextRotationDate: T0 });
        const other = keyRecord(A, keyId(2), { rotationEnabled: true, rotationPeriodInDays: 90, nextRotationDate: T0 });
        await store.commit([putKey(key), putKey(other)]);
        assert.deepStrictEqual(arns(await store.listKeysDueForRotation(T0, 10)), [key.arn, other.arn]);
        await store.commit([putKey({ ...key, nextRotationDate: T0 + 90 * DAY, version: 2 }, 1)]);
        await store.commit([putKey({ ...other, rotationEnabled: false, version: 2 }, 1)]);
        assert.deepStrictEqual(await store.listKeysDueForRotation(T0 + DAY, 10), []);
      });

      test('a deleted key is not listed', async () => {
        const key = keyRecord(A, keyId(1), { rotationEnabled: true, rotationPeriodInDays: 90, nextRotationDate: T0 });
        await store.commit([putKey(key)]);
        await store.commit([{ kind: 'deleteKey', keyArn: key.arn }]);
        assert.deepStrictEqual(await store.listKeysDueForRotation(T0, 10), []);
      });

      test('a limit below 1 is rejected', async () => {
        await assert.rejects(store.listKeysDueForRotation(T0, 0));
      });
    });

    describe('listMaterialsDueForExpiry', () => {
      test('returns imported expiring materials at or before now, across keys and scopes', async () => {
        const kA = keyRecord(A, keyId(1), { origin: 'EXTERNAL' });
        const kB = keyRecord(B, keyId(2), { origin: 'EXTERNAL' });
        const kA2 = keyRecord(A2, keyId(3), { origin: 'EXTERNAL' });
        const dueA = importedMaterial(kA, 1, T0 + 1000);
        const dueB = importedMaterial(kB, 2, T0 + 2000); // exactly now
        const dueA2 = importedMaterial(kA2, 3, T0 + 1500, { state: 'NON_CURRENT' });
        const future = importedMaterial(kA, 4, T0 + 2001, { state: 'NON_CURRENT' });
        const neverExpires = materialRecord(kB, 5, { importState: 'IMPORTED', expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', validTo: T0, state: 'NON_CURRENT' });
        const alreadyGone = importedMaterial(kA2, 6, T0, { importState: 'PENDING_IMPORT', wrapped: Buffer.alloc(0), state: 'NON_CURRENT' });
        const generated = materialRecord(kA, 7, { validTo: T0, state: 'NON_CURRENT' });
        await store.commit([
          putKey(kA),
          putKey(kB),
          putKey(kA2),
          ...[future, dueB, neverExpires, dueA, alreadyGone, generated, dueA2].map(putMaterial),
        ]);

        // Full records, the one expiring first first.
        assert.deepStrictEqual(await store.listMaterialsDueForExpiry(T0 + 2000, 10), [dueA, dueA2, dueB]);
        assert.deepStrictEqual(await store.listMaterialsDueForExpiry(T0 + 2000, 1), [dueA]);
        assert.deepStrictEqual(await store.listMaterialsDueForExpiry(T0 + 999, 10), []);
      });

      test('material marked expired (PENDING_IMPORT) or re-imported without expiry is no longer due', async () => {
        const key = keyRecord(A, keyId(1), { origin: 'EXTERNAL' });
        const m1 = importedMaterial(key, 1, T0);
        const m2 = importedMaterial(key, 2, T0, { state: 'NON_CURRENT' });
        await store.commit([putKey(key), putMaterial(m1), putMaterial(m2)]);
        assert.equal((await store.listMaterialsDueForExpiry(T0, 10)).length, 2);
        await store.commit([
          putMaterial({ ...m1, wrapped: Buffer.alloc(0), importState: 'PENDING_IMPORT' }),
          putMaterial({ ...m2, expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
        ]);
        assert.deepStrictEqual(await store.listMaterialsDueForExpiry(T0 + DAY, 10), []);
      });

      test('materials of a deleted key are not listed', async () => {
        const key = keyRecord(A, keyId(1), { origin: 'EXTERNAL' });
        await store.commit([putKey(key), putMaterial(importedMaterial(key, 1, T0))]);
        await store.commit([{ kind: 'deleteKey', keyArn: key.arn }]);
        assert.deepStrictEqual(await store.listMaterialsDueForExpiry(T0, 10), []);
      });

      test('a limit below 1 is rejected', async () => {
        await assert.rejects(store.listMaterialsDueForExpiry(T0, 0));
      });
    });

    describe('listRelatedKeys', () => {
      test('the keys of one account sharing a key id, every region, in creation order', async () => {
        const id = mrkId(1);
        const primary = makeLifecycleKey(A, id, { primaryRegion: A.region });
        const replica1 = makeLifecycleKey(A2, id, { primaryRegion: A.region, state: 'Creating' });
        const replica2 = makeLifecycleKey(A3, id, { primaryRegion: A.region, state: 'PendingDeletion', deletionDate: T0 + 7 * DAY, pendingWindowInDays: 7 });
        const otherAccount = makeLifecycleKey(B, id, { primaryRegion: B.region });
        const otherKey = makeLifecycleKey(A, mrkId(2), { primaryRegion: A.region });
        // Creation order is not region order: us-east-1, then eu-west-1, then ap-southeast-1.
        await store.commit([putKey(primary), putKey(otherAccount), putKey(otherKey)]);
        await store.commit([putKey(replica1)]);
        await store.commit([putKey(replica2)]);

        assert.deepStrictEqual(await store.listRelatedKeys(A.accountId, id), [primary, replica1, replica2]);
        assert.deepStrictEqual(await store.listRelatedKeys(B.accountId, id), [otherAccount]);
        assert.deepStrictEqual(await store.listRelatedKeys(A.accountId, mrkId(2)), [otherKey]);
      });

      test('an unknown key id or account gives an empty list', async () => {
        await store.commit([putKey(keyRecord(A, mrkId(1), { multiRegion: true, primaryRegion: A.region }))]);
        assert.deepStrictEqual(await store.listRelatedKeys(A.accountId, mrkId(9)), []);
        assert.deepStrictEqual(await store.listRelatedKeys('999999999999', mrkId(1)), []);
      });

      test('updating a key keeps its place; deleting one removes it', async () => {
        const id = mrkId(1);
        const primary = keyRecord(A, id, { multiRegion: true, primaryRegion: A.region });
        const replica = keyRecord(A2, id, { multiRegion: true, primaryRegion: A.region });
        await store.commit([putKey(primary), putKey(replica)]);
        // UpdatePrimaryRegion: both change, order stays creation order.
        const newPrimary = { ...replica, primaryRegion: A2.region, version: 2 };
        const oldPrimary = { ...primary, primaryRegion: A2.region, version: 2 };
        await store.commit([putKey(newPrimary, 1), putKey(oldPrimary, 1)]);
        assert.deepStrictEqual(await store.listRelatedKeys(A.accountId, id), [oldPrimary, newPrimary]);
        await store.commit([{ kind: 'deleteKey', keyArn: oldPrimary.arn }]);
        assert.deepStrictEqual(await store.listRelatedKeys(A.accountId, id), [newPrimary]);
      });
    });

    describe('key usage', () => {
      test('no record for a key never used, or an unknown key', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key)]);
        assert.equal(await store.getKeyUsage(key.arn), undefined);
        assert.equal(await store.getKeyUsage(arnOf(A, keyId(9))), undefined);
      });

      test('a record round-trips; each key has its own', async () => {
        const k1 = keyRecord(A, keyId(1));
        const k2 = keyRecord(A, keyId(2));
        await store.commit([putKey(k1), putKey(k2)]);
        await store.recordKeyUsage([usage(k1.arn, 'Encrypt', T0 + 10, 'a1b2c3d4-0000-4000-8000-000000000001')]);
        assert.deepStrictEqual(await store.getKeyUsage(k1.arn), usage(k1.arn, 'Encrypt', T0 + 10, 'a1b2c3d4-0000-4000-8000-000000000001'));
        assert.equal(await store.getKeyUsage(k2.arn), undefined);
        await store.recordKeyUsage([usage(k2.arn, 'Sign', T0 + 5)]);
        assert.deepStrictEqual(await store.getKeyUsage(k1.arn), usage(k1.arn, 'Encrypt', T0 + 10, 'a1b2c3d4-0000-4000-8000-000000000001'));
        assert.deepStrictEqual(await store.getKeyUsage(k2.arn), usage(k2.arn, 'Sign', T0 + 5));
      });

      test('a later use replaces the record; an earlier one arriving late does not', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key)]);
        await store.recordKeyUsage([usage(key.arn, 'Encrypt', T0 + 10)]);
        await store.recordKeyUsage([usage(key.arn, 'Decrypt', T0 + 20)]);
        assert.deepStrictEqual(await store.getKeyUsage(key.arn), usage(key.arn, 'Decrypt', T0 + 20));
        await store.recordKeyUsage([usage(key.arn, 'Sign', T0 + 15)]);
        assert.deepStrictEqual(await store.getKeyUsage(key.arn), usage(key.arn, 'Decrypt', T0 + 20));
      });

      test('at equal times the last recorded use wins', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key)]);
        await store.recordKeyUsage([usage(key.arn, 'Encrypt', T0 + 10, 'first')]);
        await store.recordKeyUsage([usage(key.arn, 'Decrypt', T0 + 10, 'second')]);
        assert.deepStrictEqual(await store.getKeyUsage(key.arn), usage(key.arn, 'Decrypt', T0 + 10, 'second'));
      });

      test('within one batch the latest use of a key wins, whatever the order', async () => {
        const k1 = keyRecord(A, keyId(1));
        const k2 = keyRecord(A, keyId(2));
        await store.commit([putKey(k1), putKey(k2)]);
        await store.recordKeyUsage([
          usage(k1.arn, 'Encrypt', T0 + 10),
          usage(k2.arn, 'GenerateMac', T0 + 30),
          usage(k1.arn, 'Decrypt', T0 + 20),
          usage(k2.arn, 'VerifyMac', T0 + 25),
        ]);
        assert.deepStrictEqual(await store.getKeyUsage(k1.arn), usage(k1.arn, 'Decrypt', T0 + 20));
        assert.deepStrictEqual(await store.getKeyUsage(k2.arn), usage(k2.arn, 'GenerateMac', T0 + 30));
      });

      test('records of keys that do not exist are dropped, the rest of the batch is kept', async () => {
        const key = keyRecord(A, keyId(1));
        const ghost = arnOf(A, keyId(2));
        await store.commit([putKey(key)]);
        await store.recordKeyUsage([usage(ghost, 'Encrypt', T0 + 1), usage(key.arn, 'Encrypt', T0 + 2)]);
        assert.equal(await store.getKeyUsage(ghost), undefined);
        assert.deepStrictEqual(await store.getKeyUsage(key.arn), usage(key.arn, 'Encrypt', T0 + 2));
        // Creating the key afterwards does not bring the dropped record back.
        await store.commit([putKey(keyRecord(A, keyId(2)))]);
        assert.equal(await store.getKeyUsage(ghost), undefined);
      });

      test('an empty batch is accepted', async () => {
        await store.recordKeyUsage([]);
      });

      test('updating the key keeps its usage record', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key)]);
        await store.recordKeyUsage([usage(key.arn, 'Encrypt', T0 + 1)]);
        await store.commit([putKey({ ...key, state: 'Disabled', version: 2 }, 1)]);
        assert.deepStrictEqual(await store.getKeyUsage(key.arn), usage(key.arn, 'Encrypt', T0 + 1));
      });

      test('deleteKey removes the usage record; a key recreated under the same ARN starts without one', async () => {
        const key = keyRecord(A, keyId(1));
        const other = keyRecord(A, keyId(2));
        await store.commit([putKey(key), putKey(other)]);
        await store.recordKeyUsage([usage(key.arn, 'Encrypt', T0 + 1), usage(other.arn, 'Encrypt', T0 + 1)]);
        await store.commit([{ kind: 'deleteKey', keyArn: key.arn }]);
        assert.equal(await store.getKeyUsage(key.arn), undefined);
        assert.deepStrictEqual(await store.getKeyUsage(other.arn), usage(other.arn, 'Encrypt', T0 + 1));
        await store.commit([putKey(keyRecord(A, keyId(1), { createdAt: T0 + 100 }))]);
        assert.equal(await store.getKeyUsage(key.arn), undefined);
      });

      test('a failed commit that would have deleted the key keeps its usage record', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key)]);
        await store.recordKeyUsage([usage(key.arn, 'Encrypt', T0 + 1)]);
        await assert.rejects(store.commit([{ kind: 'deleteKey', keyArn: key.arn }, putKey({ ...key, version: 9 }, 8)]));
        assert.deepStrictEqual(await store.getKeyUsage(key.arn), usage(key.arn, 'Encrypt', T0 + 1));
      });

      test('resetAll clears usage records', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key)]);
        await store.recordKeyUsage([usage(key.arn, 'Encrypt', T0 + 1)]);
        await store.resetAll();
        assert.equal(await store.getKeyUsage(key.arn), undefined);
        // Even once a key with that ARN exists again.
        await store.commit([putKey(key)]);
        assert.equal(await store.getKeyUsage(key.arn), undefined);
      });
    });
  });
}
