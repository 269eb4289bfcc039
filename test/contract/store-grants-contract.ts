// The grants part of the Store contract (migration 3): getGrant, listGrants (with filters),
// listRetirableGrants, findGrantByToken, the insertGrant/insertGrantToken/deleteGrant changes,
// deleteKey removing a key's grants, and resetAll. Run it with runStoreGrantsContract(name, open);
// `open` must return a store that is empty (or one resetAll() empties) and not shared.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { GrantRecord, KeyRecord, Scope } from '../../src/kms/model/key.js';
import { InvalidMarkerError, StoreConflictError, type Change, type Store } from '../../src/store/store.js';
import { keyRecord, T0 } from '../helpers/records.js';

const A: Scope = { accountId: '111122223333', region: 'us-east-1' };
/** Same account, other region. */
const A2: Scope = { accountId: '111122223333', region: 'eu-west-1' };
/** Other account, same region. */
const B: Scope = { accountId: '444455556666', region: 'us-east-1' };

const ROLE = 'arn:aws:iam::111122223333:role/app';
const RETIRER = 'arn:aws:iam::111122223333:role/retirer';

function keyId(n: number): string {
  return `1234abcd-12ab-34cd-56ef-${n.toString().padStart(12, '0')}`;
}

function grantId(n: number): string {
  return n.toString(16).padStart(64, 'a');
}

function token(n: number): string {
  return `token-${n}-`.padEnd(384, 'x');
}

/** Grant n of `key` without optional fields; `overrides` replaces or adds fields. */
function grant(key: KeyRecord, n: number, overrides: Partial<GrantRecord> = {}): GrantRecord {
  return {
    grantId: grantId(n),
    keyArn: key.arn,
    accountId: key.accountId,
    region: key.region,
    granteePrincipal: ROLE,
    operations: ['Encrypt', 'Decrypt'],
    issuingAccount: `arn:aws:iam::${key.accountId}:root`,
    createdAt: T0 + n,
    token: token(n),
    ...overrides,
  };
}

const putKey = (key: KeyRecord): Change => ({ kind: 'putKey', key });
const insertGrant = (g: GrantRecord): Change => ({ kind: 'insertGrant', grant: g });

async function rejectsWith(promise: Promise<unknown>, reason: StoreConflictError['reason']): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof StoreConflictError && err.reason === reason);
}

const ids = (items: readonly GrantRecord[]): string[] => items.map((g) => g.grantId);

export function runStoreGrantsContract(name: string, open: () => Promise<Store>): void {
  describe(`Store grants contract: ${name}`, () => {
    let store: Store;
    let key: KeyRecord;

    beforeEach(async () => {
      store = await open();
      await store.resetAll();
      key = keyRecord(A, keyId(1));
      await store.commit([putKey(key)]);
    });
    afterEach(async () => {
      await store.close();
    });

    test('a grant with every field round-trips; absent optional fields stay absent', async () => {
      const full = grant(key, 1, {
        name: 'my-grant',
        retiringPrincipal: RETIRER,
        operations: ['GenerateDataKey', 'Decrypt', 'RetireGrant'],
        constraints: { EncryptionContextSubset: { Department: 'Finance', b: '' }, EncryptionContextEquals: { x: 'y' } },
      });
      const bare = grant(key, 2);
      await store.commit([insertGrant(full), insertGrant(bare)]);
      assert.deepStrictEqual(await store.getGrant(key.arn, full.grantId), full);
      const got = await store.getGrant(key.arn, bare.grantId);
      assert.deepStrictEqual(got, bare);
      assert.deepEqual(Object.keys(got!).sort(), Object.keys(bare).sort());
      assert.equal(await store.getGrant(key.arn, grantId(3)), undefined);
      // A grant is found only under its own key.
      const other = keyRecord(A, keyId(2));
      await store.commit([putKey(other)]);
      assert.equal(await store.getGrant(other.arn, full.grantId), undefined);
    });

    test('insertGrant: duplicate grant id, duplicate token and a missing key are conflicts; nothing of the batch applies', async () => {
      await store.commit([insertGrant(grant(key, 1))]);
      await rejectsWith(store.commit([insertGrant(grant(key, 2)), insertGrant(grant(key, 1, { token: token(9) }))]), 'duplicate');
      assert.equal(await store.getGrant(key.arn, grantId(2)), undefined);
      await rejectsWith(store.commit([insertGrant(grant(key, 3, { token: token(1) }))]), 'duplicate');
      const ghost = keyRecord(A, keyId(7));
      await rejectsWith(store.commit([insertGrant(grant(ghost, 4))]), 'missing');
      // Key and grant in one batch.
      const fresh = keyRecord(A, keyId(8));
      await store.commit([insertGrant(grant(fresh, 5)), putKey(fresh)]);
      assert.equal((await store.getGrant(fresh.arn, grantId(5)))?.grantId, grantId(5));
    });

    test('findGrantByToken finds the first token and every token added later; insertGrantToken needs the grant', async () => {
      const g = grant(key, 1);
      await store.commit([insertGrant(g)]);
      assert.deepStrictEqual(await store.findGrantByToken(g.token), g);
      await store.commit([{ kind: 'insertGrantToken', keyArn: key.arn, grantId: g.grantId, token: token(2) }]);
      assert.deepStrictEqual(await store.findGrantByToken(token(2)), g);
      assert.equal(await store.findGrantByToken(token(3)), undefined);
      await rejectsWith(store.commit([{ kind: 'insertGrantToken', keyArn: key.arn, grantId: grantId(9), token: token(4) }]), 'missing');
      const other = keyRecord(A, keyId(2));
      await store.commit([putKey(other)]);
      await rejectsWith(store.commit([{ kind: 'insertGrantToken', keyArn: other.arn, grantId: g.grantId, token: token(5) }]), 'missing');
      await rejectsWith(store.commit([{ kind: 'insertGrantToken', keyArn: key.arn, grantId: g.grantId, token: token(2) }]), 'duplicate');
    });

    test('deleteGrant removes the grant and all its tokens; a missing grant is a conflict', async () => {
      const g = grant(key, 1);
      const kept = grant(key, 2);
      await store.commit([insertGrant(g), insertGrant(kept), { kind: 'insertGrantToken', keyArn: key.arn, grantId: g.grantId, token: token(3) }]);
      await store.commit([{ kind: 'deleteGrant', keyArn: key.arn, grantId: g.grantId }]);
      assert.equal(await store.getGrant(key.arn, g.grantId), undefined);
      assert.equal(await store.findGrantByToken(g.token), undefined);
      assert.equal(await store.findGrantByToken(token(3)), undefined);
      assert.deepStrictEqual(await store.findGrantByToken(kept.token), kept);
      await rejectsWith(store.commit([{ kind: 'deleteGrant', keyArn: key.arn, grantId: g.grantId }]), 'missing');
      // Only under its own key.
      const other = keyRecord(A, keyId(2));
      await store.commit([putKey(other)]);
      await rejectsWith(store.commit([{ kind: 'deleteGrant', keyArn: other.arn, grantId: kept.grantId }]), 'missing');
      assert.ok(await store.getGrant(key.arn, kept.grantId));
    });

    test('listGrants: creation order, pagination, filters, only the given key', async () => {
      const other = keyRecord(A, keyId(2));
      await store.commit([putKey(other)]);
      // Ids deliberately not in creation order.
      const order = [5, 1, 4, 2, 3];
      for (const n of order) {
        await store.commit([
          insertGrant(grant(key, n, { granteePrincipal: n % 2 === 0 ? RETIRER : ROLE, ...(n === 4 && { name: 'named' }) })),
        ]);
      }
      await store.commit([insertGrant(grant(other, 9))]);
      const all = await store.listGrants(key.arn, { limit: 100 });
      assert.deepEqual(ids(all.items), order.map(grantId));
      assert.equal(all.nextMarker, undefined);

      const seen: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = await store.listGrants(key.arn, { limit: 2, ...(marker !== undefined && { marker }) });
        seen.push(...ids(page.items));
        marker = page.nextMarker;
        pages += 1;
      } while (marker !== undefined);
      assert.deepEqual(seen, order.map(grantId));
      assert.equal(pages, 3);

      assert.deepEqual(ids((await store.listGrants(key.arn, { limit: 100 }, { grantId: grantId(4) })).items), [grantId(4)]);
      assert.deepEqual(ids((await store.listGrants(key.arn, { limit: 100 }, { granteePrincipal: RETIRER })).items), [grantId(4), grantId(2)]);
      assert.deepEqual(ids((await store.listGrants(key.arn, { limit: 100 }, { name: 'named' })).items), [grantId(4)]);
      assert.deepEqual(ids((await store.listGrants(key.arn, { limit: 100 }, { grantId: grantId(4), granteePrincipal: ROLE })).items), []);
      assert.deepEqual(ids((await store.listGrants(key.arn, { limit: 100 }, { grantId: grantId(9) })).items), []);
      assert.deepEqual(ids((await store.listGrants(other.arn, { limit: 100 })).items), [grantId(9)]);

      await assert.rejects(store.listGrants(key.arn, { limit: 2, marker: 'not-a-marker!' }), InvalidMarkerError);
      const keysMarker = (await (async () => {
        await store.commit([putKey(keyRecord(A, keyId(3)))]);
        return (await store.listKeys(A, { limit: 1 })).nextMarker;
      })())!;
      await assert.rejects(store.listGrants(key.arn, { limit: 2, marker: keysMarker }), InvalidMarkerError);
    });

    test('listRetirableGrants: across keys of any scope, creation order, pagination, optional region', async () => {
      const inA2 = keyRecord(A2, keyId(2));
      const inB = keyRecord(B, keyId(3));
      await store.commit([putKey(inA2), putKey(inB)]);
      await store.commit([insertGrant(grant(key, 1, { retiringPrincipal: RETIRER }))]);
      await store.commit([insertGrant(grant(inB, 2, { retiringPrincipal: RETIRER }))]);
      await store.commit([insertGrant(grant(key, 3, { retiringPrincipal: ROLE }))]);
      await store.commit([insertGrant(grant(inA2, 4, { retiringPrincipal: RETIRER }))]);
      await store.commit([insertGrant(grant(key, 5))]);

      assert.deepEqual(ids((await store.listRetirableGrants(RETIRER, { limit: 100 })).items), [grantId(1), grantId(2), grantId(4)]);
      assert.deepEqual(ids((await store.listRetirableGrants(RETIRER, { limit: 100 }, 'us-east-1')).items), [grantId(1), grantId(2)]);
      assert.deepEqual(ids((await store.listRetirableGrants(ROLE, { limit: 100 })).items), [grantId(3)]);
      assert.deepEqual(ids((await store.listRetirableGrants('arn:aws:iam::111122223333:role/nobody', { limit: 100 })).items), []);

      const first = await store.listRetirableGrants(RETIRER, { limit: 2 });
      assert.deepEqual(ids(first.items), [grantId(1), grantId(2)]);
      assert.ok(first.nextMarker);
      const second = await store.listRetirableGrants(RETIRER, { limit: 2, marker: first.nextMarker });
      assert.deepEqual(ids(second.items), [grantId(4)]);
      assert.equal(second.nextMarker, undefined);
      // A marker of listGrants is not one of listRetirableGrants.
      await store.commit([insertGrant(grant(key, 6))]);
      const grantsMarker = (await store.listGrants(key.arn, { limit: 1 })).nextMarker!;
      await assert.rejects(store.listRetirableGrants(RETIRER, { limit: 2, marker: grantsMarker }), InvalidMarkerError);
    });

    test('deleteKey removes the key grants and their tokens, and nothing of other keys', async () => {
      const other = keyRecord(A, keyId(2));
      await store.commit([putKey(other)]);
      const doomed = grant(key, 1, { retiringPrincipal: RETIRER });
      const kept = grant(other, 2, { retiringPrincipal: RETIRER });
      await store.commit([insertGrant(doomed), insertGrant(kept), { kind: 'insertGrantToken', keyArn: key.arn, grantId: doomed.grantId, token: token(7) }]);
      await store.commit([{ kind: 'deleteKey', keyArn: key.arn }]);
      assert.equal(await store.getGrant(key.arn, doomed.grantId), undefined);
      assert.equal(await store.findGrantByToken(doomed.token), undefined);
      assert.equal(await store.findGrantByToken(token(7)), undefined);
      assert.deepEqual(ids((await store.listRetirableGrants(RETIRER, { limit: 100 })).items), [kept.grantId]);
      assert.deepStrictEqual(await store.findGrantByToken(kept.token), kept);
      // The key can come back under the same ARN without its old grants.
      await store.commit([putKey(key)]);
      assert.deepEqual((await store.listGrants(key.arn, { limit: 100 })).items, []);
    });

    test('resetAll removes every grant and token', async () => {
      const g = grant(key, 1, { retiringPrincipal: RETIRER });
      await store.commit([insertGrant(g)]);
      await store.resetAll();
      assert.equal(await store.findGrantByToken(g.token), undefined);
      assert.deepEqual((await store.listRetirableGrants(RETIRER, { limit: 100 })).items, []);
      // Grants can be inserted again after a reset (same ids, same tokens).
      await store.commit([putKey(key), insertGrant(g)]);
      assert.deepStrictEqual(await store.getGrant(key.arn, g.grantId), g);
    });
  });
}
