// The Store contract against SQLite (memory and file), plus what only a SQLite file can show:
// connection settings, migrations, durability across reopen and across kill -9.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { AliasRecord, KeyRecord, MaterialRecord, Scope } from '../../src/kms/model/key.js';
import { DATA_TABLES, LATEST_VERSION, MIGRATIONS, migrate, readUserVersion, type Migration } from '../../src/store/sqlite/migrations.js';
import { openSqliteDatabase, openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { AccessKeyRecord, Store } from '../../src/store/store.js';
import { runStoreContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-sqlite-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function freshPath(): string {
  fileCount += 1;
  return join(dir, `db-${fileCount}`, 'kms.sqlite');
}

runStoreContract('sqlite :memory:', () => openSqliteStore(':memory:'));
runStoreContract('sqlite file', () => openSqliteStore(freshPath()));

// ---------------------------------------------------------------------------------------------

const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };

function key(n: number): KeyRecord {
  const keyId = `0000000${n}-aaaa-bbbb-cccc-000000000000`;
  return {
    arn: `arn:aws:kms:${scope.region}:${scope.accountId}:key/${keyId}`,
    keyId,
    accountId: scope.accountId,
    region: scope.region,
    createdAt: 1_700_000_000_000 + n,
    description: `key ${n}`,
    keyUsage: 'ENCRYPT_DECRYPT',
    keySpec: 'SYMMETRIC_DEFAULT',
    origin: 'AWS_KMS',
    keyManager: 'CUSTOMER',
    state: 'PendingDeletion',
    deletionDate: 1_800_000_000_000,
    pendingWindowInDays: 30,
    multiRegion: false,
    policy: '{}',
    currentMaterialId: 'ab'.repeat(32),
    version: 3,
  };
}

function material(k: KeyRecord): MaterialRecord {
  return { keyArn: k.arn, materialId: 'ab'.repeat(32), wrapped: Buffer.from([1, 0, 2, 255]), createdAt: k.createdAt, state: 'CURRENT' };
}

function alias(k: KeyRecord): AliasRecord {
  return { accountId: k.accountId, region: k.region, aliasName: `alias/${k.description.replace(' ', '-')}`, targetKeyId: k.keyId, createdAt: 1, updatedAt: 2 };
}

const accessKey: AccessKeyRecord = {
  accessKeyId: 'AKIADURABLE0000001',
  wrappedSecret: Buffer.from([0, 1, 2, 3, 250]),
  accountId: scope.accountId,
  principalArn: `arn:aws:iam::${scope.accountId}:root`,
  createdAt: 5,
};

async function populate(store: Store, ...keys: KeyRecord[]): Promise<void> {
  await store.commit([
    { kind: 'putAccount', account: { accountId: scope.accountId, createdAt: 4 } },
    { kind: 'putAccessKey', accessKey },
    ...keys.flatMap((k) => [
      { kind: 'putKey', key: k } as const,
      { kind: 'putMaterial', material: material(k) } as const,
      { kind: 'insertAlias', alias: alias(k) } as const,
      { kind: 'putTags', keyArn: k.arn, tags: [{ TagKey: 'n', TagValue: k.description }] } as const,
    ]),
  ]);
}

async function assertPopulated(store: Store, ...keys: KeyRecord[]): Promise<void> {
  assert.deepStrictEqual(await store.getAccount(scope.accountId), { accountId: scope.accountId, createdAt: 4 });
  assert.deepStrictEqual(await store.getAccessKey(accessKey.accessKeyId), accessKey);
  assert.deepStrictEqual(await store.listKeys(scope, { limit: 100 }), { items: keys });
  for (const k of keys) {
    assert.deepStrictEqual(await store.getKey(scope, k.keyId), k);
    assert.deepStrictEqual(await store.listMaterials(k.arn), [material(k)]);
    assert.deepStrictEqual(await store.getAlias(scope, alias(k).aliasName), alias(k));
    assert.deepStrictEqual(await store.listTags(k.arn), [{ TagKey: 'n', TagValue: k.description }]);
  }
}

function tableNames(db: Database.Database): string[] {
  return db
    .prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') ORDER BY name`)
    .all()
    .map((r) => r.name);
}

describe('sqlite store: connection', () => {
  test('creates missing parent folders', async () => {
    const path = join(dir, 'nested', 'deeper', 'kms.sqlite');
    const store = await openSqliteStore(path);
    await store.close();
    assert.equal(existsSync(path), true);
  });

  test('sets WAL, synchronous=FULL, foreign keys and busy timeout', () => {
    const db = openSqliteDatabase(freshPath());
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('synchronous', { simple: true }), 2); // FULL
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
    } finally {
      db.close();
    }
  });

  test('a file that is not a database is refused (rejected, not thrown)', async () => {
    const path = freshPath();
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'this is not a sqlite database, just text that is long enough '.repeat(20));
    await assert.rejects(openSqliteStore(path));
  });

  test('two stores on one file see each other\'s commits and conflict on versions', async () => {
    const path = freshPath();
    const one = await openSqliteStore(path);
    const two = await openSqliteStore(path);
    try {
      await one.commit([{ kind: 'putKey', key: key(1) }]);
      assert.deepStrictEqual(await two.getKey(scope, key(1).keyId), key(1));
      await two.commit([{ kind: 'putKey', key: { ...key(1), version: 4 }, expectedVersion: 3 }]);
      await assert.rejects(one.commit([{ kind: 'putKey', key: { ...key(1), version: 4 }, expectedVersion: 3 }]), {
        name: 'StoreConflictError',
        reason: 'version',
      });
      await two.commit([{ kind: 'putKey', key: key(2) }]);
      assert.deepStrictEqual((await one.listKeys(scope, { limit: 10 })).items.map((k) => k.keyId), [key(1).keyId, key(2).keyId]);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('sqlite store: migrations', () => {
  test('the migration list is numbered 1..n', () => {
    assert.deepStrictEqual(
      MIGRATIONS.map((m) => m.version),
      Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1),
    );
    assert.equal(LATEST_VERSION, MIGRATIONS.length);
  });

  test('resetAll covers every data table of the schema', () => {
    const db = openSqliteDatabase(':memory:');
    try {
      const tables = db
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
        .all()
        .map((r) => r.name);
      // sequences is bookkeeping: keeping it makes seq values (and old markers) never repeat.
      assert.deepStrictEqual([...DATA_TABLES, 'sequences'].sort(), tables);
    } finally {
      db.close();
    }
  });

  test('open, close and reopen is idempotent and leaves user_version at the latest', async () => {
    const path = freshPath();
    await (await openSqliteStore(path)).close();
    const db1 = new Database(path);
    const schema1 = tableNames(db1);
    assert.equal(readUserVersion(db1), LATEST_VERSION);
    db1.close();

    const store = await openSqliteStore(path);
    await populate(store, key(1));
    await store.close();

    const db2 = new Database(path);
    assert.equal(readUserVersion(db2), LATEST_VERSION);
    assert.deepStrictEqual(tableNames(db2), schema1);
    assert.deepStrictEqual(db2.prepare('SELECT name, value FROM sequences ORDER BY name').all(), [
      { name: 'grants', value: 0 },
      { name: 'keys', value: 1 },
    ]);
    db2.close();
    for (const table of ['accounts', 'access_keys', 'keys', 'key_materials', 'aliases', 'tags', 'grants', 'grant_tokens', 'sequences']) {
      assert.ok(schema1.includes(table), table);
    }
  });

  for (let from = 0; from < LATEST_VERSION; from++) {
    test(`a database at version ${from} is migrated to ${LATEST_VERSION} on open`, async () => {
      const path = freshPath();
      mkdirSync(dirname(path), { recursive: true });
      const old = new Database(path);
      assert.equal(migrate(old, MIGRATIONS.slice(0, from)), from);
      assert.equal(readUserVersion(old), from);
      old.close();

      const store = await openSqliteStore(path);
      await populate(store, key(1));
      await assertPopulated(store, key(1));
      await store.close();
      const db = new Database(path);
      assert.equal(readUserVersion(db), LATEST_VERSION);
      db.close();
    });
  }

  test('a later migration applies on top of existing data', async () => {
    const path = freshPath();
    const store = await openSqliteStore(path);
    await populate(store, key(1));
    await store.close();

    const next: Migration = { version: LATEST_VERSION + 1, up: 'ALTER TABLE keys ADD COLUMN note TEXT; CREATE TABLE extra (x INTEGER) STRICT;' };
    const db = new Database(path);
    assert.equal(migrate(db, [...MIGRATIONS, next]), LATEST_VERSION + 1);
    assert.equal(readUserVersion(db), LATEST_VERSION + 1);
    assert.ok(tableNames(db).includes('extra'));
    assert.deepStrictEqual(db.prepare('SELECT key_id, note FROM keys').all(), [{ key_id: key(1).keyId, note: null }]);
    db.close();

    // This server does not know version LATEST+1: it must refuse rather than guess.
    await assert.rejects(openSqliteStore(path), /newer than this server/);
  });

  test('a failing migration rolls back entirely', () => {
    const path = freshPath();
    openSqliteDatabase(path).close();
    const broken: Migration = { version: LATEST_VERSION + 1, up: 'CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;' };
    const db = new Database(path);
    try {
      assert.throws(() => migrate(db, [...MIGRATIONS, broken]), /no such table/);
      assert.equal(readUserVersion(db), LATEST_VERSION);
      assert.equal(tableNames(db).includes('half'), false);
      assert.equal(db.inTransaction, false);
    } finally {
      db.close();
    }
  });

  test('a misnumbered migration list is refused before touching the database', () => {
    const db = new Database(':memory:');
    try {
      assert.throws(() => migrate(db, [{ version: 2, up: 'CREATE TABLE t (x)' }]), /expected 1/);
      assert.equal(readUserVersion(db), 0);
      assert.deepStrictEqual(tableNames(db), []);
    } finally {
      db.close();
    }
  });
});

describe('sqlite store: durability', () => {
  test('reopening a file keeps every committed record, and markers stay valid', async () => {
    const path = freshPath();
    const first = await openSqliteStore(path);
    await populate(first, key(1), key(2));
    const page1 = await first.listKeys(scope, { limit: 1 });
    await first.close();

    const second = await openSqliteStore(path);
    try {
      await assertPopulated(second, key(1), key(2));
      await populate(second, key(3));
      // A key created after reopening still sorts after the older ones.
      const rest = await second.listKeys(scope, { marker: page1.nextMarker!, limit: 10 });
      assert.deepStrictEqual(rest, { items: [key(2), key(3)] });
    } finally {
      await second.close();
    }
  });

  test('an acknowledged commit survives kill -9 of the process', async () => {
    const path = freshPath();
    // Create the schema first so the child only commits.
    await (await openSqliteStore(path)).close();
    const storeModule = new URL('../../src/store/sqlite/sqlite-store.js', import.meta.url).href;
    const child = `
      const { openSqliteStore } = await import(process.env.STORE_MODULE);
      const store = await openSqliteStore(process.env.DB_PATH);
      const key = JSON.parse(process.env.KEY_JSON);
      const material = { ...JSON.parse(process.env.MATERIAL_JSON), wrapped: Buffer.from(process.env.WRAPPED_HEX, 'hex') };
      await store.commit([{ kind: 'putKey', key }, { kind: 'putMaterial', material }]);
      process.stdout.write('committed\\n', () => process.kill(process.pid, 'SIGKILL'));
    `;
    const k = key(7);
    const m = material(k);
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', child], {
      env: {
        ...process.env,
        STORE_MODULE: storeModule,
        DB_PATH: path,
        KEY_JSON: JSON.stringify(k),
        MATERIAL_JSON: JSON.stringify({ ...m, wrapped: undefined }),
        WRAPPED_HEX: m.wrapped.toString('hex'),
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, 'committed\n');
    assert.equal(result.signal, 'SIGKILL');

    const store = await openSqliteStore(path);
    try {
      assert.deepStrictEqual(await store.getKey(scope, k.keyId), k);
      assert.deepStrictEqual(await store.listMaterials(k.arn), [m]);
    } finally {
      await store.close();
    }
  });
});
