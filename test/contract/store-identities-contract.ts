// The identities part of the Store contract (migration 4): access keys with status, owner, session
// and last use; listAccessKeys; deleteAccessKey; recordAccessKeyUse; deleteExpiredSessions; the
// versioned IAM directories (insert, compare-and-set, conflicts); resetAll. Run it with
// runStoreIdentitiesContract(name, open); `open` returns an empty store not shared with another test.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { StoreConflictError, type AccessKeyRecord, type Store } from '../../src/store/store.js';
import { T0 } from '../helpers/records.js';

const A = '111122223333';
const B = '444455556666';

function key(id: string, overrides: Partial<AccessKeyRecord> = {}): AccessKeyRecord {
  return { accessKeyId: id, wrappedSecret: Buffer.from(`wrapped-${id}`), accountId: A, principalArn: `arn:aws:iam::${A}:root`, createdAt: T0, ...overrides };
}

async function rejectsWith(promise: Promise<unknown>, reason: StoreConflictError['reason']): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof StoreConflictError && err.reason === reason);
}

export function runStoreIdentitiesContract(name: string, open: () => Promise<Store>): void {
  describe(`Store identities contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    test('an access key with every field round-trips; absent fields stay absent', async () => {
      const full = key('AKIAFULL000000000001', {
        principalArn: `arn:aws:iam::${A}:user/team/bob`,
        status: 'Inactive',
        userName: 'bob',
        ownerId: 'AIDABOBEXAMPLE0000001',
        lastUsed: { at: T0 + 5, service: 'kms', region: 'eu-west-1' },
      });
      const session = key('ASIASESSION000000001', {
        principalArn: `arn:aws:sts::${A}:assumed-role/r/s`,
        session: { tokenHash: 'ab'.repeat(32), expiresAt: T0 + 3_600_000, principal: { kind: 'assumed-role', roleName: 'r', sessionTags: { team: 'red' } } },
      });
      const plain = key('AKIAPLAIN00000000001');
      await store.commit([{ kind: 'putAccessKey', accessKey: full }, { kind: 'putAccessKey', accessKey: session }, { kind: 'putAccessKey', accessKey: plain }]);
      assert.deepStrictEqual(await store.getAccessKey(full.accessKeyId), full);
      assert.deepStrictEqual(await store.getAccessKey(session.accessKeyId), session);
      assert.deepStrictEqual(await store.getAccessKey(plain.accessKeyId), plain);
      assert.equal(await store.getAccessKey('AKIANOPE000000000001'), undefined);
    });

    test('listAccessKeys: the root or one user’s long-term keys, oldest first, never sessions or another account’s', async () => {
      await store.commit([
        { kind: 'putAccessKey', accessKey: key('AKIAROOT2', { createdAt: T0 + 2 }) },
        { kind: 'putAccessKey', accessKey: key('AKIAROOT1', { createdAt: T0 + 1 }) },
        { kind: 'putAccessKey', accessKey: key('AKIABOB1', { userName: 'bob', createdAt: T0 + 3 }) },
        { kind: 'putAccessKey', accessKey: key('AKIAB0B2', { accountId: B, userName: 'bob', createdAt: T0 + 4 }) },
        { kind: 'putAccessKey', accessKey: key('ASIASESS', { session: { tokenHash: 'x', expiresAt: T0 + 9, principal: {} } }) },
      ]);
      assert.deepEqual((await store.listAccessKeys(A, undefined)).map((k) => k.accessKeyId), ['AKIAROOT1', 'AKIAROOT2']);
      assert.deepEqual((await store.listAccessKeys(A, 'bob')).map((k) => k.accessKeyId), ['AKIABOB1']);
      assert.deepEqual((await store.listAccessKeys(B, 'bob')).map((k) => k.accessKeyId), ['AKIAB0B2']);
      assert.deepEqual(await store.listAccessKeys(A, 'alice'), []);
    });

    test('deleteAccessKey removes the key; a missing one is a conflict and nothing of the batch applies', async () => {
      await store.commit([{ kind: 'putAccessKey', accessKey: key('AKIADEL1') }]);
      await rejectsWith(store.commit([{ kind: 'putAccessKey', accessKey: key('AKIADEL2') }, { kind: 'deleteAccessKey', accessKeyId: 'AKIANONE' }]), 'missing');
      assert.equal(await store.getAccessKey('AKIADEL2'), undefined);
      await store.commit([{ kind: 'deleteAccessKey', accessKeyId: 'AKIADEL1' }]);
      assert.equal(await store.getAccessKey('AKIADEL1'), undefined);
    });

    test('recordAccessKeyUse notes the last use; a key that is gone is ignored', async () => {
      await store.commit([{ kind: 'putAccessKey', accessKey: key('AKIAUSED') }]);
      await store.recordAccessKeyUse('AKIAUSED', T0 + 10, 'iam', 'us-east-1');
      await store.recordAccessKeyUse('AKIAGONE', T0 + 10, 'iam', 'us-east-1');
      assert.deepEqual((await store.getAccessKey('AKIAUSED'))!.lastUsed, { at: T0 + 10, service: 'iam', region: 'us-east-1' });
    });

    test('deleteExpiredSessions removes only sessions that ended before the date', async () => {
      const session = (id: string, expiresAt: number) => key(id, { session: { tokenHash: 'x', expiresAt, principal: {} } });
      await store.commit([
        { kind: 'putAccessKey', accessKey: session('ASIAOLD', T0) },
        { kind: 'putAccessKey', accessKey: session('ASIANEW', T0 + 100) },
        { kind: 'putAccessKey', accessKey: key('AKIALONG') },
      ]);
      assert.equal(await store.deleteExpiredSessions(T0 + 50), 1);
      assert.equal(await store.getAccessKey('ASIAOLD'), undefined);
      assert.ok(await store.getAccessKey('ASIANEW'));
      assert.ok(await store.getAccessKey('AKIALONG'));
    });

    test('IAM directories: inserted at version 1, replaced only over the version read', async () => {
      assert.equal(await store.getIamVersion(A), undefined);
      assert.equal(await store.getIamDirectory(A), undefined);
      await store.commit([{ kind: 'putIamDirectory', accountId: A, document: '{"v":1}' }]);
      assert.deepEqual(await store.getIamDirectory(A), { accountId: A, version: 1, document: '{"v":1}' });
      await rejectsWith(store.commit([{ kind: 'putIamDirectory', accountId: A, document: '{"v":"again"}' }]), 'duplicate');
      await store.commit([{ kind: 'putIamDirectory', accountId: A, document: '{"v":2}', expectedVersion: 1 }]);
      assert.equal(await store.getIamVersion(A), 2);
      // A writer that read version 1 loses, and its other changes with it.
      await rejectsWith(
        store.commit([{ kind: 'putAccessKey', accessKey: key('AKIALOST') }, { kind: 'putIamDirectory', accountId: A, document: '{"v":"stale"}', expectedVersion: 1 }]),
        'version',
      );
      assert.equal(await store.getAccessKey('AKIALOST'), undefined);
      assert.deepEqual(await store.getIamDirectory(A), { accountId: A, version: 2, document: '{"v":2}' });
      // Another account's directory is its own.
      await rejectsWith(store.commit([{ kind: 'putIamDirectory', accountId: B, document: '{}', expectedVersion: 1 }]), 'version');
      assert.equal(await store.getIamVersion(B), undefined);
    });

    test('resetAll removes access keys and IAM directories', async () => {
      await store.commit([{ kind: 'putAccessKey', accessKey: key('AKIARESET') }, { kind: 'putIamDirectory', accountId: A, document: '{}' }]);
      await store.resetAll();
      assert.equal(await store.getAccessKey('AKIARESET'), undefined);
      assert.equal(await store.getIamVersion(A), undefined);
    });
  });
}
