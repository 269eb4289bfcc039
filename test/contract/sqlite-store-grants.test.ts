// The grants Store contract against SQLite (memory and file), plus what only a file shows: grants
// and their tokens survive closing and reopening the database.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { GrantRecord } from '../../src/kms/model/key.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { keyRecord, T0 } from '../helpers/records.js';
import { runStoreGrantsContract } from './store-grants-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-sqlite-grants-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function freshPath(): string {
  fileCount += 1;
  return join(dir, `db-${fileCount}`, 'kms.sqlite');
}

runStoreGrantsContract('sqlite :memory:', () => openSqliteStore(':memory:'));
runStoreGrantsContract('sqlite file', () => openSqliteStore(freshPath()));

describe('sqlite store: grants durability', () => {
  test('grants and their tokens survive a reopen', async () => {
    const path = freshPath();
    const key = keyRecord({ accountId: '111122223333', region: 'us-east-1' }, '1234abcd-12ab-34cd-56ef-1234567890ab');
    const grant: GrantRecord = {
      grantId: 'ab'.repeat(32),
      keyArn: key.arn,
      accountId: key.accountId,
      region: key.region,
      name: 'durable',
      granteePrincipal: 'arn:aws:iam::111122223333:role/app',
      retiringPrincipal: 'arn:aws:iam::111122223333:root',
      operations: ['Decrypt'],
      constraints: { EncryptionContextEquals: { purpose: 'test' } },
      issuingAccount: 'arn:aws:iam::111122223333:root',
      createdAt: T0,
      token: 'a'.repeat(384),
    };
    const first = await openSqliteStore(path);
    await first.commit([{ kind: 'putKey', key }, { kind: 'insertGrant', grant }]);
    await first.commit([{ kind: 'insertGrantToken', keyArn: key.arn, grantId: grant.grantId, token: 'b'.repeat(384) }]);
    await first.close();

    const second = await openSqliteStore(path);
    try {
      assert.deepStrictEqual(await second.getGrant(key.arn, grant.grantId), grant);
      assert.deepStrictEqual(await second.findGrantByToken('b'.repeat(384)), grant);
    } finally {
      await second.close();
    }
  });
});
