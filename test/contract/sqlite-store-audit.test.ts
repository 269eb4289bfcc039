// The audit Store contract against SQLite, in memory and in a file.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runStoreAuditContract } from './store-audit-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-sqlite-audit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
runStoreAuditContract('sqlite :memory:', () => openSqliteStore(':memory:'));
runStoreAuditContract('sqlite file', () => openSqliteStore(join(dir, `db-${++fileCount}`, 'kms.sqlite')));
