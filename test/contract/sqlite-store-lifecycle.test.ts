// The key-lifecycle Store contract against SQLite (memory and file), plus what only a file shows:
// lifecycle fields and usage records survive closing and reopening the database.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { KeyRecord, MaterialRecord } from '../../src/kms/model/key.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runStoreLifecycleContract } from './store-lifecycle-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-sqlite-lifecycle-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function freshPath(): string {
  fileCount += 1;
  return join(dir, `db-${fileCount}`, 'kms.sqlite');
}

runStoreLifecycleContract('sqlite :memory:', () => openSqliteStore(':memory:'));
runStoreLifecycleContract('sqlite file', () => openSqliteStore(freshPath()));

describe('sqlite store: lifecycle durability', () => {
  test('lifecycle fields and usage records survive a reopen', async () => {
    const path = freshPath();
    const key: KeyRecord = {
      arn: 'arn:aws:kms:us-east-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef',
      keyId: 'mrk-0123456789abcdef0123456789abcdef',
      accountId: '111122223333',
      region: 'us-east-1',
      createdAt: 1_700_000_000_000,
      description: '',
      keyUsage: 'ENCRYPT_DECRYPT',
      keySpec: 'SYMMETRIC_DEFAULT',
      origin: 'EXTERNAL',
      keyManager: 'CUSTOMER',
      state: 'Enabled',
      multiRegion: true,
      policy: '{}',
      currentMaterialId: 'ab'.repeat(32),
      rotationEnabled: true,
      rotationPeriodInDays: 180,
      nextRotationDate: 1_710_000_000_000,
      expirationModel: 'KEY_MATERIAL_EXPIRES',
      validTo: 1_720_000_000_000,
      primaryRegion: 'us-east-1',
      version: 4,
    };
    const material: MaterialRecord = {
      keyArn: key.arn,
      materialId: 'ab'.repeat(32),
      wrapped: Buffer.from([9, 0, 9]),
      createdAt: key.createdAt,
      state: 'CURRENT',
      importState: 'IMPORTED',
      expirationModel: 'KEY_MATERIAL_EXPIRES',
      validTo: 1_720_000_000_000,
      fingerprint: Buffer.from([0, 1, 0xff]),
    };
    const record = { keyArn: key.arn, operation: 'Decrypt', usedAt: 1_700_000_123_456, requestId: '5f0c2a34-9d1e-4b7a-8c3f-2e6d1a0b9c87' };

    const first = await openSqliteStore(path);
    await first.commit([{ kind: 'putKey', key }, { kind: 'putMaterial', material }]);
    await first.recordKeyUsage([record]);
    await first.close();

    const second = await openSqliteStore(path);
    try {
      assert.deepStrictEqual(await second.getKey({ accountId: key.accountId, region: key.region }, key.keyId), key);
      assert.deepStrictEqual(await second.getMaterial(key.arn, material.materialId), material);
      assert.deepStrictEqual(await second.getKeyUsage(key.arn), record);
    } finally {
      await second.close();
    }
  });
});
