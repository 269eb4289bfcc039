// The behaviour every Store implementation must show. Run it with runStoreContract(name, open);
// `open` must return a store that is empty (or one resetAll() empties) and not shared with another
// test that runs at the same time.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { AliasRecord, KeyRecord, MaterialRecord, MaterialState, Scope, Tag } from '../../src/kms/model/key.js';
import {
  InvalidMarkerError,
  StoreConflictError,
  type AccessKeyRecord,
  type AccountRecord,
  type Change,
  type Store,
} from '../../src/store/store.js';
import { arnOf, keyRecord, materialId, materialRecord, T0 } from '../helpers/records.js';

// ---------------------------------------------------------------------------------------------
// Fixtures

const A: Scope = { accountId: '111122223333', region: 'us-east-1' };
/** Same account as A, other region. */
const A2: Scope = { accountId: '111122223333', region: 'eu-west-1' };
/** Other account, same region as A. */
const B: Scope = { accountId: '444455556666', region: 'us-east-1' };

function keyId(n: number): string {
  return `1234abcd-12ab-34cd-56ef-${n.toString().padStart(12, '0')}`;
}

/** A key with every optional field set and non-default values everywhere. */
function makeFullKey(scope: Scope, id: string): KeyRecord {
  return keyRecord(scope, id, {
    createdAt: T0 + 123,
    description: 'payments – clé “primaire” 🔑',
    keyUsage: 'SIGN_VERIFY',
    keySpec: 'ECC_NIST_P256',
    origin: 'EXTERNAL',
    keyManager: 'AWS',
    state: 'PendingDeletion',
    deletionDate: T0 + 7 * 86_400_000,
    pendingWindowInDays: 7,
    multiRegion: true,
    currentMaterialId: materialId(1),
    version: 42,
  });
}

function makeMaterial(key: KeyRecord, n: number, createdAt: number, state: MaterialState = 'CURRENT'): MaterialRecord {
  return materialRecord(key, n, { createdAt, state });
}

function makeAlias(scope: Scope, aliasName: string, targetKeyId: string, at = T0): AliasRecord {
  return { accountId: scope.accountId, region: scope.region, aliasName, targetKeyId, createdAt: at, updatedAt: at };
}

function makeAccount(accountId: string, createdAt = T0): AccountRecord {
  return { accountId, createdAt };
}

function makeAccessKey(accessKeyId: string, accountId: string, secret = 'wrapped-secret'): AccessKeyRecord {
  return {
    accessKeyId,
    wrappedSecret: Buffer.concat([Buffer.from([0, 0xfe]), Buffer.from(secret)]),
    accountId,
    principalArn: `arn:aws:iam::${accountId}:root`,
    createdAt: T0,
  };
}

const putKey = (key: KeyRecord, expectedVersion?: number): Change =>
  expectedVersion === undefined ? { kind: 'putKey', key } : { kind: 'putKey', key, expectedVersion };
const putMaterial = (material: MaterialRecord): Change => ({ kind: 'putMaterial', material });
const insertAlias = (alias: AliasRecord): Change => ({ kind: 'insertAlias', alias });
const putTags = (keyArn: string, tags: Tag[]): Change => ({ kind: 'putTags', keyArn, tags });

function isConflict(reason: StoreConflictError['reason']): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof StoreConflictError, `expected StoreConflictError, got ${String(err)}`);
    assert.equal(err.reason, reason);
    return true;
  };
}

function isInvalidMarker(err: unknown): boolean {
  assert.ok(err instanceof InvalidMarkerError, `expected InvalidMarkerError, got ${String(err)}`);
  return true;
}

/** A marker-shaped string this store never produced. */
function forgedMarker(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

// ---------------------------------------------------------------------------------------------

export function runStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
      await store.resetAll();
    });

    afterEach(async () => {
      await store.close();
    });

    /** Walks every page of listKeys, checking that only the last page lacks nextMarker. */
    async function allKeyPages(scope: Scope, limit: number): Promise<string[][]> {
      const pages: string[][] = [];
      let marker: string | undefined;
      do {
        const page = await store.listKeys(scope, marker === undefined ? { limit } : { marker, limit });
        assert.ok(page.items.length <= limit);
        assert.ok(page.items.length > 0 || pages.length === 0, 'only the first page may be empty');
        pages.push(page.items.map((k) => k.keyId));
        marker = page.nextMarker;
      } while (marker !== undefined);
      return pages;
    }

    async function allAliasPages(scope: Scope, limit: number, target?: string): Promise<string[][]> {
      const pages: string[][] = [];
      let marker: string | undefined;
      do {
        const page = await store.listAliases(scope, marker === undefined ? { limit } : { marker, limit }, target);
        assert.ok(page.items.length <= limit);
        assert.ok(page.items.length > 0 || pages.length === 0, 'only the first page may be empty');
        pages.push(page.items.map((a) => a.aliasName));
        marker = page.nextMarker;
      } while (marker !== undefined);
      return pages;
    }

    function chunk<T>(items: T[], size: number): T[][] {
      const out: T[][] = [];
      for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
      return out.length === 0 ? [[]] : out;
    }

    describe('keys', () => {
      test('a key with every field set round-trips exactly', async () => {
        const key = makeFullKey(A, keyId(1));
        await store.commit([putKey(key)]);
        assert.deepStrictEqual(await store.getKey(A, key.keyId), key);
      });

      test('absent optional fields come back absent, not undefined', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key)]);
        const got = await store.getKey(A, key.keyId);
        assert.deepStrictEqual(got, key);
        assert.deepStrictEqual(Object.keys(got ?? {}).sort(), Object.keys(key).sort());
      });

      test('an unknown key id is undefined', async () => {
        await store.commit([putKey(keyRecord(A, keyId(1)))]);
        assert.equal(await store.getKey(A, keyId(2)), undefined);
      });

      test('inserting an existing ARN is a duplicate conflict and keeps the original', async () => {
        const key = keyRecord(A, keyId(1), { description: 'original' });
        await store.commit([putKey(key)]);
        await assert.rejects(store.commit([putKey({ ...key, description: 'second' })]), isConflict('duplicate'));
        assert.deepStrictEqual(await store.getKey(A, key.keyId), key);
      });

      test('inserting an existing key id of the same scope under another ARN is a duplicate conflict', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key)]);
        const clash = { ...key, arn: `${key.arn}-other` };
        await assert.rejects(store.commit([putKey(clash)]), isConflict('duplicate'));
        assert.deepStrictEqual(await store.listKeys(A, { limit: 10 }), { items: [key] });
      });

      test('an update with the current version stores the record as given', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key)]);
        const updated = makeFullKey(A, keyId(1));
        await store.commit([putKey(updated, 1)]);
        assert.deepStrictEqual(await store.getKey(A, key.keyId), updated);
      });

      test('an update can clear optional fields', async () => {
        const full = makeFullKey(A, keyId(1));
        await store.commit([putKey(full)]);
        const cleared = keyRecord(A, keyId(1), { version: 43 });
        await store.commit([putKey(cleared, 42)]);
        const got = await store.getKey(A, keyId(1));
        assert.deepStrictEqual(got, cleared);
        assert.equal('deletionDate' in (got ?? {}), false);
        assert.equal('pendingWindowInDays' in (got ?? {}), false);
        assert.equal('currentMaterialId' in (got ?? {}), false);
      });

      test('an update with a stale version is a version conflict and changes nothing', async () => {
        const key = keyRecord(A, keyId(1), { version: 5 });
        await store.commit([putKey(key)]);
        await assert.rejects(
          store.commit([putKey({ ...key, description: 'lost update', version: 5 }, 4)]),
          isConflict('version'),
        );
        assert.deepStrictEqual(await store.getKey(A, key.keyId), key);
      });

      test('an update of a key that does not exist is a version conflict', async () => {
        await assert.rejects(store.commit([putKey(keyRecord(A, keyId(1)), 1)]), isConflict('version'));
        assert.equal(await store.getKey(A, keyId(1)), undefined);
      });

      test('two updates racing from the same version: the second loses', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key)]);
        await store.commit([putKey({ ...key, description: 'first', version: 2 }, 1)]);
        await assert.rejects(store.commit([putKey({ ...key, description: 'second', version: 2 }, 1)]), isConflict('version'));
        assert.equal((await store.getKey(A, key.keyId))?.description, 'first');
      });

      test('the same key id in two regions and two accounts are three distinct keys', async () => {
        const id = keyId(7);
        const inA = keyRecord(A, id, { description: 'A' });
        const inA2 = keyRecord(A2, id, { description: 'A2' });
        const inB = keyRecord(B, id, { description: 'B' });
        await store.commit([putKey(inA), putKey(inA2), putKey(inB)]);
        assert.deepStrictEqual(await store.getKey(A, id), inA);
        assert.deepStrictEqual(await store.getKey(A2, id), inA2);
        assert.deepStrictEqual(await store.getKey(B, id), inB);
        assert.deepStrictEqual(await store.listKeys(A, { limit: 10 }), { items: [inA] });
        assert.deepStrictEqual(await store.listKeys(A2, { limit: 10 }), { items: [inA2] });
        assert.deepStrictEqual(await store.listKeys(B, { limit: 10 }), { items: [inB] });
        assert.equal(await store.getKey({ accountId: A.accountId, region: 'ap-south-1' }, id), undefined);
      });

      test('updating one scope\'s key leaves the same key id elsewhere alone', async () => {
        const id = keyId(7);
        await store.commit([putKey(keyRecord(A, id)), putKey(keyRecord(B, id))]);
        await store.commit([putKey(keyRecord(A, id, { state: 'Disabled', version: 2 }), 1)]);
        assert.equal((await store.getKey(A, id))?.state, 'Disabled');
        assert.deepStrictEqual(await store.getKey(B, id), keyRecord(B, id));
      });
    });

    describe('listKeys pagination', () => {
      // Key ids descend while creation order ascends, so ordering by id would be caught.
      const created = [5, 4, 3, 2, 1].map((n) => keyId(n));

      async function createKeys(scope: Scope, ids: string[]): Promise<void> {
        for (const id of ids) await store.commit([putKey(keyRecord(scope, id))]);
      }

      test('an empty scope is one empty page without marker', async () => {
        await createKeys(A, created);
        assert.deepStrictEqual(await store.listKeys(B, { limit: 10 }), { items: [] });
      });

      test('every limit from 1 to n+1 walks all keys once, in creation order', async () => {
        await createKeys(A, created);
        await createKeys(B, [keyId(9)]);
        for (let limit = 1; limit <= created.length + 1; limit++) {
          assert.deepStrictEqual(await allKeyPages(A, limit), chunk(created, limit), `limit ${limit}`);
        }
      });

      test('a page that exactly fits has no nextMarker', async () => {
        await createKeys(A, created);
        const page = await store.listKeys(A, { limit: created.length });
        assert.equal(page.items.length, created.length);
        assert.equal('nextMarker' in page, false);
      });

      test('items are full records', async () => {
        const key = makeFullKey(A, keyId(1));
        await store.commit([putKey(key)]);
        assert.deepStrictEqual(await store.listKeys(A, { limit: 1 }), { items: [key] });
      });

      test('a marker can be used again and gives the same page', async () => {
        await createKeys(A, created);
        const first = await store.listKeys(A, { limit: 2 });
        assert.ok(first.nextMarker !== undefined);
        const again = await store.listKeys(A, { marker: first.nextMarker, limit: 2 });
        assert.deepStrictEqual(await store.listKeys(A, { marker: first.nextMarker, limit: 2 }), again);
        assert.deepStrictEqual(again.items.map((k) => k.keyId), created.slice(2, 4));
      });

      test('a marker works with a different limit on the next page', async () => {
        await createKeys(A, created);
        const first = await store.listKeys(A, { limit: 1 });
        assert.ok(first.nextMarker !== undefined);
        const rest = await store.listKeys(A, { marker: first.nextMarker, limit: 10 });
        assert.deepStrictEqual(rest.items.map((k) => k.keyId), created.slice(1));
        assert.equal(rest.nextMarker, undefined);
      });

      test('markers the store did not make are rejected with InvalidMarkerError', async () => {
        await createKeys(A, created);
        await store.commit([putKey(keyRecord(A2, keyId(8))), insertAlias(makeAlias(A2, 'alias/a', keyId(8))), insertAlias(makeAlias(A2, 'alias/b', keyId(8)))]);
        const aliasMarker = (await store.listAliases(A2, { limit: 1 })).nextMarker;
        assert.ok(aliasMarker !== undefined);
        const good = (await store.listKeys(A, { limit: 1 })).nextMarker;
        assert.ok(good !== undefined);
        const bad = [
          `${good.slice(0, 3)}!${good.slice(3)}`, // a real marker, tampered with
          `${good} `,
          '',
          'not a marker!',
          '%%%%',
          'AAAA====',
          forgedMarker('garbage'),
          forgedMarker('null'),
          forgedMarker('[1]'),
          forgedMarker('{}'),
          forgedMarker('{"x":1}'),
          aliasMarker,
        ];
        for (const marker of bad) {
          await assert.rejects(store.listKeys(A, { marker, limit: 2 }), isInvalidMarker, `marker ${JSON.stringify(marker)}`);
        }
      });

      test('a limit below 1 is rejected', async () => {
        await assert.rejects(store.listKeys(A, { limit: 0 }));
      });

      test('a key created between pages appears on a later page, once', async () => {
        await createKeys(A, created.slice(0, 4));
        const page1 = await store.listKeys(A, { limit: 2 });
        assert.deepStrictEqual(page1.items.map((k) => k.keyId), created.slice(0, 2));
        await createKeys(A, [created[4]!]);
        await createKeys(B, [keyId(9)]);
        const page2 = await store.listKeys(A, { marker: page1.nextMarker!, limit: 2 });
        assert.deepStrictEqual(page2.items.map((k) => k.keyId), created.slice(2, 4));
        const page3 = await store.listKeys(A, { marker: page2.nextMarker!, limit: 2 });
        assert.deepStrictEqual(page3, { items: [keyRecord(A, created[4]!)] });
      });

      test('deleting the last key seen does not make the next page skip or repeat', async () => {
        await createKeys(A, created.slice(0, 3));
        const page1 = await store.listKeys(A, { limit: 2 });
        assert.deepStrictEqual(page1.items.map((k) => k.keyId), created.slice(0, 2));
        // Remove the newest keys, then create one: a store that reused positions would hide it.
        await store.commit([
          { kind: 'deleteKey', keyArn: arnOf(A, created[1]!) },
          { kind: 'deleteKey', keyArn: arnOf(A, created[2]!) },
        ]);
        await createKeys(A, [created[3]!]);
        const page2 = await store.listKeys(A, { marker: page1.nextMarker!, limit: 2 });
        assert.deepStrictEqual(page2, { items: [keyRecord(A, created[3]!)] });
      });

      test('updating a key does not move it in the listing', async () => {
        await createKeys(A, created.slice(0, 3));
        await store.commit([putKey(keyRecord(A, created[0]!, { description: 'touched', version: 2 }), 1)]);
        assert.deepStrictEqual(await allKeyPages(A, 10), [created.slice(0, 3)]);
      });
    });

    describe('listKeysDueForDeletion', () => {
      test('returns PendingDeletion keys due at or before now, across scopes', async () => {
        const pending = (scope: Scope, n: number, at: number): KeyRecord =>
          keyRecord(scope, keyId(n), { state: 'PendingDeletion', deletionDate: at, pendingWindowInDays: 7 });
        const dueA = pending(A, 1, T0 + 1000);
        const dueB = pending(B, 2, T0 + 2000); // exactly now
        const dueA2 = pending(A2, 3, T0 + 1500);
        const future = pending(A2, 4, T0 + 2001);
        const enabled = keyRecord(A, keyId(5), { deletionDate: T0 }); // wrong state, must not be listed
        const disabled = keyRecord(B, keyId(6), { state: 'Disabled' });
        await store.commit([putKey(dueA), putKey(future), putKey(enabled), putKey(dueB), putKey(disabled), putKey(dueA2)]);

        const due = await store.listKeysDueForDeletion(T0 + 2000, 10);
        const byArn = (x: KeyRecord, y: KeyRecord): number => (x.arn < y.arn ? -1 : x.arn > y.arn ? 1 : 0);
        assert.deepStrictEqual([...due].sort(byArn), [dueA, dueB, dueA2].sort(byArn));

        const limited = await store.listKeysDueForDeletion(T0 + 2000, 2);
        assert.equal(limited.length, 2);
        for (const key of limited) assert.ok([dueA.arn, dueB.arn, dueA2.arn].includes(key.arn));

        assert.deepStrictEqual(await store.listKeysDueForDeletion(T0 + 999, 10), []);
      });

      test('a cancelled deletion is no longer due', async () => {
        const key = keyRecord(A, keyId(1), { state: 'PendingDeletion', deletionDate: T0, pendingWindowInDays: 7 });
        await store.commit([putKey(key)]);
        await store.commit([putKey(keyRecord(A, keyId(1), { state: 'Disabled', version: 2 }), 1)]);
        assert.deepStrictEqual(await store.listKeysDueForDeletion(T0 + 1, 10), []);
      });
    });

    describe('materials', () => {
      test('put and get round-trip binary material exactly', async () => {
        const key = keyRecord(A, keyId(1));
        const material = makeMaterial(key, 1, T0);
        await store.commit([putKey(key), putMaterial(material)]);
        const got = await store.getMaterial(key.arn, material.materialId);
        assert.deepStrictEqual(got, material);
        assert.ok(Buffer.isBuffer(got?.wrapped));
      });

      test('unknown material or key gives undefined / empty', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key), putMaterial(makeMaterial(key, 1, T0))]);
        assert.equal(await store.getMaterial(key.arn, materialId(2)), undefined);
        assert.equal(await store.getMaterial(arnOf(A, keyId(2)), materialId(1)), undefined);
        assert.deepStrictEqual(await store.listMaterials(arnOf(A, keyId(2))), []);
      });

      test('listMaterials is oldest first and per key', async () => {
        const key = keyRecord(A, keyId(1));
        const other = keyRecord(A, keyId(2));
        const newer = makeMaterial(key, 1, T0 + 2000);
        const older = makeMaterial(key, 9, T0 + 1000, 'NON_CURRENT');
        await store.commit([putKey(key), putKey(other), putMaterial(newer), putMaterial(makeMaterial(other, 3, T0))]);
        await store.commit([putMaterial(older)]);
        assert.deepStrictEqual(await store.listMaterials(key.arn), [older, newer]);
      });

      test('putMaterial replaces the same material id', async () => {
        const key = keyRecord(A, keyId(1));
        const v1 = makeMaterial(key, 1, T0, 'PENDING_ROTATION');
        const v2 = makeMaterial(key, 2, T0 + 1);
        await store.commit([putKey(key), putMaterial(v1), putMaterial(v2)]);
        const rotated: MaterialRecord = { ...v1, state: 'CURRENT', wrapped: Buffer.from('rewrapped') };
        await store.commit([putMaterial(rotated)]);
        assert.deepStrictEqual(await store.getMaterial(key.arn, v1.materialId), rotated);
        assert.deepStrictEqual(await store.listMaterials(key.arn), [rotated, v2]);
      });

      test('material of a key that does not exist is refused as missing', async () => {
        const ghost = keyRecord(A, keyId(1));
        await assert.rejects(store.commit([putMaterial(makeMaterial(ghost, 1, T0))]), isConflict('missing'));
        assert.deepStrictEqual(await store.listMaterials(ghost.arn), []);
      });
    });

    describe('aliases', () => {
      const k1 = keyId(1);
      const k2 = keyId(2);

      async function setup(): Promise<void> {
        await store.commit([putKey(keyRecord(A, k1)), putKey(keyRecord(A, k2)), putKey(keyRecord(A2, k1))]);
      }

      test('insert and get round-trip', async () => {
        await setup();
        const alias = makeAlias(A, 'alias/app', k1, T0 + 5);
        await store.commit([insertAlias(alias)]);
        assert.deepStrictEqual(await store.getAlias(A, 'alias/app'), alias);
        assert.equal(await store.getAlias(A, 'alias/other'), undefined);
      });

      test('inserting an existing name is a duplicate conflict and keeps the original', async () => {
        await setup();
        const alias = makeAlias(A, 'alias/app', k1);
        await store.commit([insertAlias(alias)]);
        await assert.rejects(store.commit([insertAlias(makeAlias(A, 'alias/app', k2))]), isConflict('duplicate'));
        assert.deepStrictEqual(await store.getAlias(A, 'alias/app'), alias);
      });

      test('the same name in another region or account is a different alias', async () => {
        await setup();
        await store.commit([putKey(keyRecord(B, k1))]);
        const inA = makeAlias(A, 'alias/app', k2);
        const inA2 = makeAlias(A2, 'alias/app', k1);
        const inB = makeAlias(B, 'alias/app', k1);
        await store.commit([insertAlias(inA), insertAlias(inA2), insertAlias(inB)]);
        assert.deepStrictEqual(await store.getAlias(A, 'alias/app'), inA);
        assert.deepStrictEqual(await store.getAlias(A2, 'alias/app'), inA2);
        assert.deepStrictEqual(await store.getAlias(B, 'alias/app'), inB);
        assert.deepStrictEqual(await store.listAliases(A2, { limit: 10 }), { items: [inA2] });
      });

      test('update retargets; updating a missing alias is a missing conflict', async () => {
        await setup();
        await store.commit([insertAlias(makeAlias(A, 'alias/app', k1, T0))]);
        const moved: AliasRecord = { ...makeAlias(A, 'alias/app', k2, T0), updatedAt: T0 + 60_000 };
        await store.commit([{ kind: 'updateAlias', alias: moved }]);
        assert.deepStrictEqual(await store.getAlias(A, 'alias/app'), moved);
        await assert.rejects(
          store.commit([{ kind: 'updateAlias', alias: makeAlias(A, 'alias/nope', k1) }]),
          isConflict('missing'),
        );
        assert.equal(await store.getAlias(A, 'alias/nope'), undefined);
        // A2 has no alias/app: the scope is part of the identity.
        await assert.rejects(store.commit([{ kind: 'updateAlias', alias: makeAlias(A2, 'alias/app', k1) }]), isConflict('missing'));
      });

      test('update with expectedTargetKeyId: only while the alias targets that key, else a version conflict', async () => {
        await setup();
        await store.commit([insertAlias(makeAlias(A, 'alias/app', k1, T0))]);
        const moved: AliasRecord = { ...makeAlias(A, 'alias/app', k2, T0), updatedAt: T0 + 1 };
        await assert.rejects(store.commit([{ kind: 'updateAlias', alias: moved, expectedTargetKeyId: k2 }]), isConflict('version'));
        assert.deepStrictEqual(await store.getAlias(A, 'alias/app'), makeAlias(A, 'alias/app', k1, T0));
        await store.commit([{ kind: 'updateAlias', alias: moved, expectedTargetKeyId: k1 }]);
        assert.deepStrictEqual(await store.getAlias(A, 'alias/app'), moved);
        // A missing alias is still a missing conflict.
        await assert.rejects(store.commit([{ kind: 'updateAlias', alias: makeAlias(A, 'alias/nope', k1), expectedTargetKeyId: k1 }]), isConflict('missing'));
      });

      test('delete removes; deleting a missing alias is a missing conflict', async () => {
        await setup();
        await store.commit([insertAlias(makeAlias(A, 'alias/app', k1)), insertAlias(makeAlias(A2, 'alias/app', k1))]);
        await store.commit([{ kind: 'deleteAlias', scope: A, aliasName: 'alias/app' }]);
        assert.equal(await store.getAlias(A, 'alias/app'), undefined);
        assert.deepStrictEqual(await store.getAlias(A2, 'alias/app'), makeAlias(A2, 'alias/app', k1));
        await assert.rejects(store.commit([{ kind: 'deleteAlias', scope: A, aliasName: 'alias/app' }]), isConflict('missing'));
      });

      test('an alias targeting a key that does not exist is refused as missing', async () => {
        await setup();
        await assert.rejects(store.commit([insertAlias(makeAlias(A, 'alias/ghost', keyId(99)))]), isConflict('missing'));
        // k2 exists only in A, not in A2: targets resolve within the alias's own scope.
        await assert.rejects(store.commit([insertAlias(makeAlias(A2, 'alias/ghost', k2))]), isConflict('missing'));
        assert.equal(await store.getAlias(A, 'alias/ghost'), undefined);
      });

      const names = ['alias/zeta', 'alias/alpha', 'alias/Mid', 'alias/beta-2', 'alias/beta'];
      const sorted = ['alias/Mid', 'alias/alpha', 'alias/beta', 'alias/beta-2', 'alias/zeta'];
      const targetOf = (name: string): string => (['alias/alpha', 'alias/beta-2', 'alias/zeta'].includes(name) ? k1 : k2);

      async function setupListing(): Promise<void> {
        await setup();
        for (const name of names) await store.commit([insertAlias(makeAlias(A, name, targetOf(name)))]);
        await store.commit([insertAlias(makeAlias(A2, 'alias/aaa', k1))]);
      }

      test('listAliases is ordered by name; every limit walks all once', async () => {
        await setupListing();
        for (let limit = 1; limit <= names.length + 1; limit++) {
          assert.deepStrictEqual(await allAliasPages(A, limit), chunk(sorted, limit), `limit ${limit}`);
        }
        const all = await store.listAliases(A, { limit: 100 });
        assert.deepStrictEqual(all, { items: sorted.map((n) => makeAlias(A, n, targetOf(n))) });
      });

      test('listAliases filtered by target key, with pagination', async () => {
        await setupListing();
        const toK1 = sorted.filter((n) => targetOf(n) === k1);
        const toK2 = sorted.filter((n) => targetOf(n) === k2);
        for (let limit = 1; limit <= 4; limit++) {
          assert.deepStrictEqual(await allAliasPages(A, limit, k1), chunk(toK1, limit), `k1 limit ${limit}`);
          assert.deepStrictEqual(await allAliasPages(A, limit, k2), chunk(toK2, limit), `k2 limit ${limit}`);
        }
        assert.deepStrictEqual(await store.listAliases(A, { limit: 10 }, keyId(99)), { items: [] });
        assert.deepStrictEqual(await store.listAliases(B, { limit: 10 }), { items: [] });
      });

      test('an alias created between pages after the marker appears once; existing ones are not skipped', async () => {
        await setupListing();
        const page1 = await store.listAliases(A, { limit: 2 });
        assert.deepStrictEqual(page1.items.map((a) => a.aliasName), sorted.slice(0, 2));
        await store.commit([insertAlias(makeAlias(A, 'alias/b-new', k1)), insertAlias(makeAlias(A, 'alias/Aaa', k1))]);
        const seen = [...page1.items.map((a) => a.aliasName)];
        let marker = page1.nextMarker;
        while (marker !== undefined) {
          const page = await store.listAliases(A, { marker, limit: 2 });
          seen.push(...page.items.map((a) => a.aliasName));
          marker = page.nextMarker;
        }
        // Name order: a name sorting before the marker was already passed; one after it shows up.
        assert.deepStrictEqual(seen, ['alias/Mid', 'alias/alpha', 'alias/b-new', 'alias/beta', 'alias/beta-2', 'alias/zeta']);
      });

      test('markers the store did not make are rejected with InvalidMarkerError', async () => {
        await setupListing();
        const keysMarker = (await store.listKeys(A, { limit: 1 })).nextMarker;
        assert.ok(keysMarker !== undefined);
        for (const marker of ['', '!!', forgedMarker('{"x":1}'), forgedMarker('alias/beta'), keysMarker]) {
          await assert.rejects(store.listAliases(A, { marker, limit: 2 }), isInvalidMarker, `marker ${JSON.stringify(marker)}`);
        }
      });
    });

    describe('tags', () => {
      test('putTags upserts and listTags orders by TagKey', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key), putTags(key.arn, [{ TagKey: 'b', TagValue: '1' }, { TagKey: 'a', TagValue: '2' }])]);
        assert.deepStrictEqual(await store.listTags(key.arn), [
          { TagKey: 'a', TagValue: '2' },
          { TagKey: 'b', TagValue: '1' },
        ]);
        await store.commit([putTags(key.arn, [{ TagKey: 'b', TagValue: 'x' }, { TagKey: 'c', TagValue: '' }])]);
        assert.deepStrictEqual(await store.listTags(key.arn), [
          { TagKey: 'a', TagValue: '2' },
          { TagKey: 'b', TagValue: 'x' },
          { TagKey: 'c', TagValue: '' },
        ]);
      });

      test('deleteTags removes the named keys and ignores unknown ones', async () => {
        const key = keyRecord(A, keyId(1));
        const other = keyRecord(A, keyId(2));
        const tags = [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: '2' }, { TagKey: 'c', TagValue: '3' }];
        await store.commit([putKey(key), putKey(other), putTags(key.arn, tags), putTags(other.arn, tags)]);
        await store.commit([{ kind: 'deleteTags', keyArn: key.arn, tagKeys: ['a', 'nope', 'c'] }]);
        assert.deepStrictEqual(await store.listTags(key.arn), [{ TagKey: 'b', TagValue: '2' }]);
        assert.deepStrictEqual(await store.listTags(other.arn), tags);
      });

      test('tags of an unknown key are empty; tagging it is refused as missing', async () => {
        const ghost = arnOf(A, keyId(1));
        assert.deepStrictEqual(await store.listTags(ghost), []);
        await assert.rejects(store.commit([putTags(ghost, [{ TagKey: 'a', TagValue: '1' }])]), isConflict('missing'));
        await store.commit([{ kind: 'deleteTags', keyArn: ghost, tagKeys: ['a'] }]);
      });
    });

    describe('accounts and access keys', () => {
      test('put, get and upsert an account', async () => {
        await store.commit([{ kind: 'putAccount', account: makeAccount('111122223333') }]);
        assert.deepStrictEqual(await store.getAccount('111122223333'), makeAccount('111122223333'));
        await store.commit([{ kind: 'putAccount', account: makeAccount('111122223333', T0 + 1) }]);
        assert.deepStrictEqual(await store.getAccount('111122223333'), makeAccount('111122223333', T0 + 1));
        assert.equal(await store.getAccount('999999999999'), undefined);
      });

      test('put, get and upsert an access key with a binary secret', async () => {
        const ak = makeAccessKey('AKIAEXAMPLE0000001', '111122223333');
        await store.commit([{ kind: 'putAccount', account: makeAccount('111122223333') }, { kind: 'putAccessKey', accessKey: ak }]);
        const got = await store.getAccessKey(ak.accessKeyId);
        assert.deepStrictEqual(got, ak);
        assert.ok(Buffer.isBuffer(got?.wrappedSecret));
        const rotated: AccessKeyRecord = { ...makeAccessKey(ak.accessKeyId, '111122223333', 'new'), principalArn: 'arn:aws:iam::111122223333:user/admin' };
        await store.commit([{ kind: 'putAccessKey', accessKey: rotated }]);
        assert.deepStrictEqual(await store.getAccessKey(ak.accessKeyId), rotated);
        assert.equal(await store.getAccessKey('AKIAUNKNOWN'), undefined);
      });
    });

    describe('commit', () => {
      test('an empty batch is accepted', async () => {
        await store.commit([]);
      });

      test('changes apply in order: an insert then an update of the same key in one batch', async () => {
        const key = keyRecord(A, keyId(1));
        const updated = keyRecord(A, keyId(1), { description: 'v2', version: 2 });
        await store.commit([putKey(key), putKey(updated, 1)]);
        assert.deepStrictEqual(await store.getKey(A, key.keyId), updated);
      });

      const failingLast: Array<[StoreConflictError['reason'], (existing: KeyRecord) => Change]> = [
        ['duplicate', (existing) => putKey(existing)],
        ['version', (existing) => putKey({ ...existing, version: 9 }, 8)],
        ['missing', () => ({ kind: 'deleteAlias', scope: A, aliasName: 'alias/none' })],
      ];
      for (const [reason, lastChange] of failingLast) {
        test(`all or nothing: a batch whose last change fails (${reason}) applies none of its changes`, async () => {
          const existing = keyRecord(A, keyId(1));
          const existingAlias = makeAlias(A, 'alias/existing', existing.keyId);
          await store.commit([putKey(existing), putMaterial(makeMaterial(existing, 1, T0)), insertAlias(existingAlias)]);

          const fresh = keyRecord(A, keyId(2));
          await assert.rejects(
            store.commit([
              putKey(fresh),
              putMaterial(makeMaterial(fresh, 2, T0)),
              insertAlias(makeAlias(A, 'alias/fresh', fresh.keyId)),
              { kind: 'updateAlias', alias: { ...existingAlias, targetKeyId: fresh.keyId, updatedAt: T0 + 1 } },
              putTags(existing.arn, [{ TagKey: 't', TagValue: 'v' }]),
              putMaterial(makeMaterial(existing, 1, T0 + 9, 'NON_CURRENT')),
              putKey({ ...existing, description: 'changed', version: 2 }, 1),
              { kind: 'putAccount', account: makeAccount('777777777777') },
              { kind: 'putAccessKey', accessKey: makeAccessKey('AKIANEW', '777777777777') },
              lastChange({ ...existing, version: 2 }),
            ]),
            isConflict(reason),
          );

          assert.equal(await store.getKey(A, fresh.keyId), undefined);
          assert.deepStrictEqual(await store.listMaterials(fresh.arn), []);
          assert.equal(await store.getAlias(A, 'alias/fresh'), undefined);
          assert.deepStrictEqual(await store.getAlias(A, 'alias/existing'), existingAlias);
          assert.deepStrictEqual(await store.listTags(existing.arn), []);
          assert.deepStrictEqual(await store.listMaterials(existing.arn), [makeMaterial(existing, 1, T0)]);
          assert.deepStrictEqual(await store.getKey(A, existing.keyId), existing);
          assert.equal(await store.getAccount('777777777777'), undefined);
          assert.equal(await store.getAccessKey('AKIANEW'), undefined);
          assert.deepStrictEqual(await store.listKeys(A, { limit: 10 }), { items: [existing] });

          // The store stays usable after a rolled-back batch.
          await store.commit([putKey(fresh)]);
          assert.deepStrictEqual(await store.getKey(A, fresh.keyId), fresh);
        });
      }

      test('a version-guarded deletion (putKey with expectedVersion, then deleteKey) fails if the key changed', async () => {
        const key = keyRecord(A, keyId(1), { state: 'PendingDeletion', deletionDate: T0, pendingWindowInDays: 7 });
        await store.commit([putKey(key)]);
        // Someone cancels the deletion after the scheduler read version 1.
        const cancelled = keyRecord(A, keyId(1), { state: 'Disabled', version: 2 });
        await store.commit([putKey(cancelled, 1)]);
        await assert.rejects(
          store.commit([putKey({ ...key, version: 2 }, 1), { kind: 'deleteKey', keyArn: key.arn }]),
          isConflict('version'),
        );
        assert.deepStrictEqual(await store.getKey(A, key.keyId), cancelled);
      });
    });

    describe('deleteKey', () => {
      test('removes the key with its materials, tags and aliases, and nothing else', async () => {
        const id = keyId(1);
        const doomed = keyRecord(A, id);
        const sibling = keyRecord(A, keyId(2));
        const twinA2 = keyRecord(A2, id); // same key id, other region
        const twinB = keyRecord(B, id); // same key id, other account
        const tags = [{ TagKey: 'team', TagValue: 'x' }];
        await store.commit([
          putKey(doomed),
          putKey(sibling),
          putKey(twinA2),
          putKey(twinB),
          putMaterial(makeMaterial(doomed, 1, T0)),
          putMaterial(makeMaterial(doomed, 2, T0 + 1)),
          putMaterial(makeMaterial(sibling, 3, T0)),
          putMaterial(makeMaterial(twinA2, 1, T0)),
          putTags(doomed.arn, tags),
          putTags(sibling.arn, tags),
          putTags(twinA2.arn, tags),
          insertAlias(makeAlias(A, 'alias/doomed-1', id)),
          insertAlias(makeAlias(A, 'alias/doomed-2', id)),
          insertAlias(makeAlias(A, 'alias/sibling', sibling.keyId)),
          insertAlias(makeAlias(A2, 'alias/doomed-1', id)),
          insertAlias(makeAlias(B, 'alias/doomed-1', id)),
        ]);

        await store.commit([{ kind: 'deleteKey', keyArn: doomed.arn }]);

        assert.equal(await store.getKey(A, id), undefined);
        assert.deepStrictEqual(await store.listMaterials(doomed.arn), []);
        assert.equal(await store.getMaterial(doomed.arn, materialId(1)), undefined);
        assert.deepStrictEqual(await store.listTags(doomed.arn), []);
        assert.equal(await store.getAlias(A, 'alias/doomed-1'), undefined);
        assert.equal(await store.getAlias(A, 'alias/doomed-2'), undefined);

        assert.deepStrictEqual(await store.listKeys(A, { limit: 10 }), { items: [sibling] });
        assert.deepStrictEqual(await store.listMaterials(sibling.arn), [makeMaterial(sibling, 3, T0)]);
        assert.deepStrictEqual(await store.listTags(sibling.arn), tags);
        assert.deepStrictEqual(await store.listAliases(A, { limit: 10 }), { items: [makeAlias(A, 'alias/sibling', sibling.keyId)] });

        assert.deepStrictEqual(await store.getKey(A2, id), twinA2);
        assert.deepStrictEqual(await store.listMaterials(twinA2.arn), [makeMaterial(twinA2, 1, T0)]);
        assert.deepStrictEqual(await store.listTags(twinA2.arn), tags);
        assert.deepStrictEqual(await store.getAlias(A2, 'alias/doomed-1'), makeAlias(A2, 'alias/doomed-1', id));
        assert.deepStrictEqual(await store.getKey(B, id), twinB);
        assert.deepStrictEqual(await store.getAlias(B, 'alias/doomed-1'), makeAlias(B, 'alias/doomed-1', id));
      });

      test('deleting a key that does not exist is a no-op', async () => {
        await store.commit([putKey(keyRecord(A, keyId(2)))]);
        await store.commit([{ kind: 'deleteKey', keyArn: arnOf(A, keyId(1)) }]);
        assert.deepStrictEqual(await store.listKeys(A, { limit: 10 }), { items: [keyRecord(A, keyId(2))] });
      });

      test('a deleted ARN can be created again, fresh', async () => {
        const key = keyRecord(A, keyId(1));
        await store.commit([putKey(key), putTags(key.arn, [{ TagKey: 'a', TagValue: 'b' }]), putMaterial(makeMaterial(key, 1, T0))]);
        await store.commit([{ kind: 'deleteKey', keyArn: key.arn }]);
        await store.commit([putKey(key)]);
        assert.deepStrictEqual(await store.getKey(A, key.keyId), key);
        assert.deepStrictEqual(await store.listTags(key.arn), []);
        assert.deepStrictEqual(await store.listMaterials(key.arn), []);
      });
    });

    describe('resetAll', () => {
      test('removes every record of every kind and scope; the store stays usable', async () => {
        const ka = keyRecord(A, keyId(1));
        const kb = keyRecord(B, keyId(2));
        await store.commit([
          { kind: 'putAccount', account: makeAccount(A.accountId) },
          { kind: 'putAccessKey', accessKey: makeAccessKey('AKIARESET', A.accountId) },
          putKey(ka),
          putKey(kb),
          putMaterial(makeMaterial(ka, 1, T0)),
          insertAlias(makeAlias(A, 'alias/a', ka.keyId)),
          insertAlias(makeAlias(B, 'alias/b', kb.keyId)),
          putTags(kb.arn, [{ TagKey: 'k', TagValue: 'v' }]),
        ]);
        await store.resetAll();
        assert.equal(await store.getAccount(A.accountId), undefined);
        assert.equal(await store.getAccessKey('AKIARESET'), undefined);
        assert.equal(await store.getKey(A, ka.keyId), undefined);
        assert.deepStrictEqual(await store.listKeys(A, { limit: 10 }), { items: [] });
        assert.deepStrictEqual(await store.listKeys(B, { limit: 10 }), { items: [] });
        assert.deepStrictEqual(await store.listMaterials(ka.arn), []);
        assert.deepStrictEqual(await store.listAliases(A, { limit: 10 }), { items: [] });
        assert.deepStrictEqual(await store.listAliases(B, { limit: 10 }), { items: [] });
        assert.deepStrictEqual(await store.listTags(kb.arn), []);

        await store.commit([putKey(ka), insertAlias(makeAlias(A, 'alias/a', ka.keyId))]);
        assert.deepStrictEqual(await store.getKey(A, ka.keyId), ka);
        assert.deepStrictEqual(await store.getAlias(A, 'alias/a'), makeAlias(A, 'alias/a', ka.keyId));
      });
    });

    describe('close', () => {
      test('is idempotent, and later calls reject instead of throwing synchronously', async () => {
        await store.commit([putKey(keyRecord(A, keyId(1)))]);
        await store.close();
        await store.close();
        const calls: Array<() => Promise<unknown>> = [
          () => store.getKey(A, keyId(1)),
          () => store.listKeys(A, { limit: 1 }),
          () => store.commit([putKey(keyRecord(A, keyId(2)))]),
          () => store.resetAll(),
        ];
        for (const call of calls) {
          let promise: Promise<unknown> | undefined;
          assert.doesNotThrow(() => {
            promise = call();
          });
          await assert.rejects(promise!);
        }
      });
    });
  });
}
