// The embedded Store: one SQLite file (or :memory:) through better-sqlite3.
// better-sqlite3 is synchronous; every method is `async` anyway so the Store contract holds and any
// thrown SQLite error becomes a rejected promise instead of an exception in the caller's stack.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  AliasRecord,
  ExpirationModel,
  GrantConstraints,
  GrantRecord,
  ImportState,
  KeyRecord,
  KeyManager,
  KeyState,
  KeyUsage,
  KeyUsageRecord,
  MaterialRecord,
  MaterialState,
  Origin,
  RotationType,
  Scope,
  Tag,
} from '../../kms/model/key.js';
import {
  InvalidMarkerError,
  StoreConflictError,
  type AccessKeyRecord,
  type AccountRecord,
  type AuditChainHead,
  type AuditDigestRecord,
  type AuditEventInput,
  type AuditEventQuery,
  type StoredAuditEvent,
  type IamDirectoryRecord,
  type SessionRecord,
  type Change,
  type GrantFilter,
  type Page,
  type PageRequest,
  type Store,
} from '../store.js';
import { DATA_TABLES, migrate } from './migrations.js';
import { GENESIS_DIGEST, chainDigest } from '../../audit/chain.js';

export async function openSqliteStore(path: string): Promise<Store> {
  return new SqliteStore(openSqliteDatabase(path));
}

/** Opens (creating the parent folder if needed), configures and migrates the database. Exported so
 *  tests can inspect the connection settings. */
export function openSqliteDatabase(path: string): Database.Database {
  if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // busy_timeout first: the other pragmas and the migration may have to wait for another process.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    // FULL fsyncs the WAL on every commit: an acknowledged commit survives kill -9 and power loss.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Rows and their mapping to records. SQL NULL becomes an absent property (never `undefined`).

interface KeyRow {
  arn: string;
  seq: number;
  key_id: string;
  account_id: string;
  region: string;
  created_at: number;
  description: string;
  key_usage: string;
  key_spec: string;
  origin: string;
  key_manager: string;
  state: string;
  deletion_date: number | null;
  pending_window_in_days: number | null;
  multi_region: number;
  policy: string;
  current_material_id: string | null;
  version: number;
  rotation_enabled: number | null;
  rotation_period_in_days: number | null;
  next_rotation_date: number | null;
  on_demand_rotation_start_date: number | null;
  expiration_model: string | null;
  valid_to: number | null;
  primary_region: string | null;
}

interface MaterialRow {
  key_arn: string;
  material_id: string;
  wrapped: Buffer;
  created_at: number;
  state: string;
  rotation_type: string | null;
  import_state: string | null;
  expiration_model: string | null;
  valid_to: number | null;
  description: string | null;
  fingerprint: Buffer | null;
}

interface UsageRow {
  key_arn: string;
  operation: string;
  used_at: number;
  request_id: string;
}

interface AliasRow {
  account_id: string;
  region: string;
  alias_name: string;
  target_key_id: string;
  created_at: number;
  updated_at: number;
}

interface GrantRow {
  grant_id: string;
  seq: number;
  key_arn: string;
  account_id: string;
  region: string;
  name: string | null;
  grantee_principal: string;
  retiring_principal: string | null;
  operations: string;
  constraints: string | null;
  issuing_account: string;
  created_at: number;
  token: string;
}

/** A table's column list, written once: the SELECT list, the named INSERT values and the SET clauses
 *  are all derived from it (parameter names equal column names). */
interface Columns {
  /** `@a, @b, ...` */
  readonly values: string;
  /** `a = @a, ...` for the given columns only. */
  set(names: readonly string[]): string;
  /** `a = excluded.a, ...` for every column except `keys` (upserts). */
  excludedExcept(keys: readonly string[]): string;
  readonly names: readonly string[];
  toString(): string;
}

function columns(spec: string): Columns {
  const names = spec.split(',').map((n) => n.trim());
  const list = names.join(', ');
  return {
    names,
    values: names.map((n) => `@${n}`).join(', '),
    set: (only) => only.map((n) => `${n} = @${n}`).join(', '),
    excludedExcept: (keys) => names.filter((n) => !keys.includes(n)).map((n) => `${n} = excluded.${n}`).join(', '),
    toString: () => list,
  };
}

const GRANT_COLUMNS = columns(
  'grant_id, seq, key_arn, account_id, region, name, grantee_principal, retiring_principal, operations, constraints, ' +
    'issuing_account, created_at, token',
);

function grantParams(g: GrantRecord, seq: number): GrantRow {
  return {
    grant_id: g.grantId,
    seq,
    key_arn: g.keyArn,
    account_id: g.accountId,
    region: g.region,
    name: g.name ?? null,
    grantee_principal: g.granteePrincipal,
    retiring_principal: g.retiringPrincipal ?? null,
    operations: JSON.stringify(g.operations),
    constraints: g.constraints === undefined ? null : JSON.stringify(g.constraints),
    issuing_account: g.issuingAccount,
    created_at: g.createdAt,
    token: g.token,
  };
}

function grantFromRow(row: GrantRow): GrantRecord {
  return {
    grantId: row.grant_id,
    keyArn: row.key_arn,
    accountId: row.account_id,
    region: row.region,
    ...(row.name !== null && { name: row.name }),
    granteePrincipal: row.grantee_principal,
    ...(row.retiring_principal !== null && { retiringPrincipal: row.retiring_principal }),
    operations: JSON.parse(row.operations) as string[],
    ...(row.constraints !== null && { constraints: JSON.parse(row.constraints) as GrantConstraints }),
    issuingAccount: row.issuing_account,
    createdAt: row.created_at,
    token: row.token,
  };
}

interface TagRow {
  tag_key: string;
  tag_value: string;
}

interface AccountRow {
  account_id: string;
  created_at: number;
}

interface AccessKeyRow {
  access_key_id: string;
  wrapped_secret: Buffer;
  account_id: string;
  principal_arn: string;
  created_at: number;
  status: string;
  user_name: string | null;
  owner_id: string | null;
  session: string | null;
  expires_at: number | null;
  last_used: string | null;
}

interface IamDirectoryRow {
  account_id: string;
  version: number;
  document: string;
}

const ACCESS_KEY_COLUMNS = columns('access_key_id, wrapped_secret, account_id, principal_arn, created_at, status, user_name, owner_id, session, expires_at, last_used');

const KEY_COLUMNS = columns(
  'arn, seq, key_id, account_id, region, created_at, description, key_usage, key_spec, origin, key_manager, ' +
    'state, deletion_date, pending_window_in_days, multi_region, policy, current_material_id, version, ' +
    'rotation_enabled, rotation_period_in_days, next_rotation_date, on_demand_rotation_start_date, expiration_model, ' +
    'valid_to, primary_region',
);

const MATERIAL_COLUMNS = columns(
  'key_arn, material_id, wrapped, created_at, state, rotation_type, import_state, expiration_model, valid_to, description, fingerprint',
);

const ALIAS_COLUMNS = columns('account_id, region, alias_name, target_key_id, created_at, updated_at');

function keyParams(key: KeyRecord): Omit<KeyRow, 'seq'> {
  return {
    arn: key.arn,
    key_id: key.keyId,
    account_id: key.accountId,
    region: key.region,
    created_at: key.createdAt,
    description: key.description,
    key_usage: key.keyUsage,
    key_spec: key.keySpec,
    origin: key.origin,
    key_manager: key.keyManager,
    state: key.state,
    deletion_date: key.deletionDate ?? null,
    pending_window_in_days: key.pendingWindowInDays ?? null,
    multi_region: key.multiRegion ? 1 : 0,
    policy: key.policy,
    current_material_id: key.currentMaterialId ?? null,
    version: key.version,
    rotation_enabled: key.rotationEnabled === undefined ? null : key.rotationEnabled ? 1 : 0,
    rotation_period_in_days: key.rotationPeriodInDays ?? null,
    next_rotation_date: key.nextRotationDate ?? null,
    on_demand_rotation_start_date: key.onDemandRotationStartDate ?? null,
    expiration_model: key.expirationModel ?? null,
    valid_to: key.validTo ?? null,
    primary_region: key.primaryRegion ?? null,
  };
}

function materialParams(m: MaterialRecord): MaterialRow {
  return {
    key_arn: m.keyArn,
    material_id: m.materialId,
    wrapped: m.wrapped,
    created_at: m.createdAt,
    state: m.state,
    rotation_type: m.rotationType ?? null,
    import_state: m.importState ?? null,
    expiration_model: m.expirationModel ?? null,
    valid_to: m.validTo ?? null,
    description: m.description ?? null,
    fingerprint: m.fingerprint ?? null,
  };
}

function keyFromRow(row: KeyRow): KeyRecord {
  return {
    arn: row.arn,
    keyId: row.key_id,
    accountId: row.account_id,
    region: row.region,
    createdAt: row.created_at,
    description: row.description,
    keyUsage: row.key_usage as KeyUsage,
    keySpec: row.key_spec,
    origin: row.origin as Origin,
    keyManager: row.key_manager as KeyManager,
    state: row.state as KeyState,
    ...(row.deletion_date !== null && { deletionDate: row.deletion_date }),
    ...(row.pending_window_in_days !== null && { pendingWindowInDays: row.pending_window_in_days }),
    multiRegion: row.multi_region === 1,
    policy: row.policy,
    ...(row.current_material_id !== null && { currentMaterialId: row.current_material_id }),
    ...(row.rotation_enabled !== null && { rotationEnabled: row.rotation_enabled === 1 }),
    ...(row.rotation_period_in_days !== null && { rotationPeriodInDays: row.rotation_period_in_days }),
    ...(row.next_rotation_date !== null && { nextRotationDate: row.next_rotation_date }),
    ...(row.on_demand_rotation_start_date !== null && { onDemandRotationStartDate: row.on_demand_rotation_start_date }),
    ...(row.expiration_model !== null && { expirationModel: row.expiration_model as ExpirationModel }),
    ...(row.valid_to !== null && { validTo: row.valid_to }),
    ...(row.primary_region !== null && { primaryRegion: row.primary_region }),
    version: row.version,
  };
}

function materialFromRow(row: MaterialRow): MaterialRecord {
  return {
    keyArn: row.key_arn,
    materialId: row.material_id,
    wrapped: row.wrapped,
    createdAt: row.created_at,
    state: row.state as MaterialState,
    ...(row.rotation_type !== null && { rotationType: row.rotation_type as RotationType }),
    ...(row.import_state !== null && { importState: row.import_state as ImportState }),
    ...(row.expiration_model !== null && { expirationModel: row.expiration_model as ExpirationModel }),
    ...(row.valid_to !== null && { validTo: row.valid_to }),
    ...(row.description !== null && { description: row.description }),
    ...(row.fingerprint !== null && { fingerprint: row.fingerprint }),
  };
}

function aliasFromRow(row: AliasRow): AliasRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    aliasName: row.alias_name,
    targetKeyId: row.target_key_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function accessKeyFromRow(row: AccessKeyRow): AccessKeyRecord {
  return {
    accessKeyId: row.access_key_id,
    wrappedSecret: row.wrapped_secret,
    accountId: row.account_id,
    principalArn: row.principal_arn,
    createdAt: row.created_at,
    ...(row.status === 'Inactive' && { status: 'Inactive' as const }),
    ...(row.user_name !== null && { userName: row.user_name }),
    ...(row.owner_id !== null && { ownerId: row.owner_id }),
    ...(row.session !== null && { session: JSON.parse(row.session) as SessionRecord }),
    ...(row.last_used !== null && { lastUsed: JSON.parse(row.last_used) as NonNullable<AccessKeyRecord['lastUsed']> }),
  };
}

function accessKeyParams(a: AccessKeyRecord): AccessKeyRow {
  return {
    access_key_id: a.accessKeyId,
    wrapped_secret: a.wrappedSecret,
    account_id: a.accountId,
    principal_arn: a.principalArn,
    created_at: a.createdAt,
    status: a.status ?? 'Active',
    user_name: a.userName ?? null,
    owner_id: a.ownerId ?? null,
    session: a.session ? JSON.stringify(a.session) : null,
    expires_at: a.session ? a.session.expiresAt : null,
    last_used: a.lastUsed ? JSON.stringify(a.lastUsed) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Pagination markers: base64url JSON tagged with the list it belongs to, so a marker from another
// list, a truncated one, or one typed by hand is rejected instead of silently restarting.

type SeqList = 'keys' | 'grants' | 'retirableGrants' | 'auditEvents';
type Marker = { readonly list: SeqList; readonly afterSeq: number } | { readonly list: 'aliases'; readonly afterName: string };

function encodeMarker(marker: Marker): string {
  return Buffer.from(JSON.stringify(marker), 'utf8').toString('base64url');
}

function decodeMarker(marker: string): unknown {
  // Node's base64url decoder skips invalid characters; insist on the exact alphabet.
  if (!/^[A-Za-z0-9_-]+$/.test(marker)) throw new InvalidMarkerError();
  try {
    return JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidMarkerError();
  }
}

function decodeSeqMarker(marker: string, list: SeqList): number {
  const value = decodeMarker(marker) as Partial<Record<string, unknown>> | null;
  if (typeof value !== 'object' || value === null || value['list'] !== list) throw new InvalidMarkerError();
  const afterSeq = value['afterSeq'];
  if (typeof afterSeq !== 'number' || !Number.isSafeInteger(afterSeq) || afterSeq < 0) throw new InvalidMarkerError();
  return afterSeq;
}

function decodeAliasesMarker(marker: string): string {
  const value = decodeMarker(marker) as Partial<Record<string, unknown>> | null;
  if (typeof value !== 'object' || value === null || value['list'] !== 'aliases') throw new InvalidMarkerError();
  const afterName = value['afterName'];
  if (typeof afterName !== 'string') throw new InvalidMarkerError();
  return afterName;
}

function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  return limit;
}

/** `rows` were fetched with limit + 1: the extra row only tells that another page exists. */
function toPage<R, T>(rows: R[], limit: number, toItem: (row: R) => T, markerAfter: (row: R) => Marker): Page<T> {
  const pageRows = rows.slice(0, limit);
  const items = pageRows.map(toItem);
  const last = pageRows[pageRows.length - 1];
  if (rows.length <= limit || last === undefined) return { items };
  return { items, nextMarker: encodeMarker(markerAfter(last)) };
}

// ---------------------------------------------------------------------------------------------
// Errors: a constraint violation inside commit() is a conflict, whichever statement raised it.

function translateError(err: unknown): unknown {
  if (!(err instanceof Database.SqliteError)) return err;
  switch (err.code) {
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
    case 'SQLITE_CONSTRAINT_UNIQUE':
      return new StoreConflictError('duplicate', err.message);
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      // A material, tag or alias that names a key which does not exist (checked at commit).
      return new StoreConflictError('missing', 'a change refers to a key that does not exist');
    default:
      return err;
  }
}

// ---------------------------------------------------------------------------------------------

function prepareStatements(db: Database.Database) {
  return {
    getKey: db.prepare<[string, string, string], KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM keys WHERE account_id = ? AND region = ? AND key_id = ?`,
    ),
    listKeys: db.prepare<[string, string, number, number], KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM keys WHERE account_id = ? AND region = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    listDue: db.prepare<[number, number], KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM keys WHERE state = 'PendingDeletion' AND deletion_date <= ?
       ORDER BY deletion_date, seq LIMIT ?`,
    ),
    listDueForRotation: db.prepare<[number, number], KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM keys WHERE rotation_enabled = 1 AND next_rotation_date <= ?
       ORDER BY next_rotation_date, seq LIMIT ?`,
    ),
    listRelated: db.prepare<[string, string], KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM keys WHERE account_id = ? AND key_id = ? ORDER BY seq`,
    ),
    keyScope: db.prepare<[string], { account_id: string; region: string; key_id: string }>(
      'SELECT account_id, region, key_id FROM keys WHERE arn = ?',
    ),
    nextKeySeq: db.prepare<[], { value: number }>(
      `UPDATE sequences SET value = value + 1 WHERE name = 'keys' RETURNING value`,
    ),
    // DO NOTHING (not INSERT OR IGNORE) so only uniqueness conflicts are swallowed; changes = 0 then.
    insertKey: db.prepare<[KeyRow]>(
      `INSERT INTO keys (${KEY_COLUMNS}) VALUES (${KEY_COLUMNS.values}) ON CONFLICT DO NOTHING`,
    ),
    // seq is kept: it is the creation order.
    updateKey: db.prepare<[Omit<KeyRow, 'seq'> & { expected_version: number }]>(
      `UPDATE keys SET ${KEY_COLUMNS.set(KEY_COLUMNS.names.filter((n) => n !== 'arn' && n !== 'seq'))}
       WHERE arn = @arn AND version = @expected_version`,
    ),
    deleteKey: db.prepare<[string]>('DELETE FROM keys WHERE arn = ?'),

    getMaterial: db.prepare<[string, string], MaterialRow>(
      `SELECT ${MATERIAL_COLUMNS} FROM key_materials WHERE key_arn = ? AND material_id = ?`,
    ),
    // rowid breaks createdAt ties in insertion order; the upsert below keeps a row's rowid.
    listMaterials: db.prepare<[string], MaterialRow>(
      `SELECT ${MATERIAL_COLUMNS} FROM key_materials WHERE key_arn = ? ORDER BY created_at, rowid`,
    ),
    listMaterialsDueForExpiry: db.prepare<[number, number], MaterialRow>(
      `SELECT ${MATERIAL_COLUMNS} FROM key_materials
       WHERE import_state = 'IMPORTED' AND expiration_model = 'KEY_MATERIAL_EXPIRES' AND valid_to <= ?
       ORDER BY valid_to, rowid LIMIT ?`,
    ),
    putMaterial: db.prepare<[MaterialRow]>(
      `INSERT INTO key_materials (${MATERIAL_COLUMNS}) VALUES (${MATERIAL_COLUMNS.values})
       ON CONFLICT (key_arn, material_id) DO UPDATE SET ${MATERIAL_COLUMNS.excludedExcept(['key_arn', 'material_id'])}`,
    ),
    getUsage: db.prepare<[string], UsageRow>('SELECT key_arn, operation, used_at, request_id FROM key_last_usage WHERE key_arn = ?'),
    // Only for keys that still exist; a later use wins.
    putUsage: db.prepare<[UsageRow]>(
      `INSERT INTO key_last_usage (key_arn, operation, used_at, request_id)
       SELECT @key_arn, @operation, @used_at, @request_id WHERE EXISTS (SELECT 1 FROM keys WHERE arn = @key_arn)
       ON CONFLICT (key_arn) DO UPDATE SET operation = excluded.operation, used_at = excluded.used_at,
         request_id = excluded.request_id WHERE excluded.used_at >= key_last_usage.used_at`,
    ),
    deleteUsage: db.prepare<[string]>('DELETE FROM key_last_usage WHERE key_arn = ?'),
    deleteMaterials: db.prepare<[string]>('DELETE FROM key_materials WHERE key_arn = ?'),

    getAlias: db.prepare<[string, string, string], AliasRow>(
      `SELECT ${ALIAS_COLUMNS} FROM aliases
       WHERE account_id = ? AND region = ? AND alias_name = ?`,
    ),
    listAliases: db.prepare<[string, string, string, number], AliasRow>(
      `SELECT ${ALIAS_COLUMNS} FROM aliases
       WHERE account_id = ? AND region = ? AND alias_name > ? ORDER BY alias_name LIMIT ?`,
    ),
    listAliasesByTarget: db.prepare<[string, string, string, string, number], AliasRow>(
      `SELECT ${ALIAS_COLUMNS} FROM aliases
       WHERE account_id = ? AND region = ? AND target_key_id = ? AND alias_name > ? ORDER BY alias_name LIMIT ?`,
    ),
    insertAlias: db.prepare<[AliasRow]>(
      `INSERT INTO aliases (${ALIAS_COLUMNS}) VALUES (${ALIAS_COLUMNS.values})
       ON CONFLICT DO NOTHING`,
    ),
    updateAlias: db.prepare<[AliasRow]>(
      `UPDATE aliases SET target_key_id = @target_key_id, created_at = @created_at, updated_at = @updated_at
       WHERE account_id = @account_id AND region = @region AND alias_name = @alias_name`,
    ),
    deleteAlias: db.prepare<[string, string, string]>(
      'DELETE FROM aliases WHERE account_id = ? AND region = ? AND alias_name = ?',
    ),
    deleteAliasesOfKey: db.prepare<[string, string, string]>(
      'DELETE FROM aliases WHERE account_id = ? AND region = ? AND target_key_id = ?',
    ),

    listTags: db.prepare<[string], TagRow>('SELECT tag_key, tag_value FROM tags WHERE key_arn = ? ORDER BY tag_key'),
    putTag: db.prepare<[string, string, string]>(
      `INSERT INTO tags (key_arn, tag_key, tag_value) VALUES (?, ?, ?)
       ON CONFLICT (key_arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
    ),
    deleteTag: db.prepare<[string, string]>('DELETE FROM tags WHERE key_arn = ? AND tag_key = ?'),
    deleteTagsOfKey: db.prepare<[string]>('DELETE FROM tags WHERE key_arn = ?'),

    getAccount: db.prepare<[string], AccountRow>('SELECT account_id, created_at FROM accounts WHERE account_id = ?'),
    putAccount: db.prepare<[AccountRow]>(
      `INSERT INTO accounts (account_id, created_at) VALUES (@account_id, @created_at)
       ON CONFLICT (account_id) DO UPDATE SET created_at = excluded.created_at`,
    ),
    getAccessKey: db.prepare<[string], AccessKeyRow>(`SELECT ${ACCESS_KEY_COLUMNS} FROM access_keys WHERE access_key_id = ?`),
    listRootAccessKeys: db.prepare<[string], AccessKeyRow>(
      `SELECT ${ACCESS_KEY_COLUMNS} FROM access_keys WHERE account_id = ? AND user_name IS NULL AND session IS NULL ORDER BY created_at, rowid`,
    ),
    listUserAccessKeys: db.prepare<[string, string], AccessKeyRow>(
      `SELECT ${ACCESS_KEY_COLUMNS} FROM access_keys WHERE account_id = ? AND user_name = ? AND session IS NULL ORDER BY created_at, rowid`,
    ),
    putAccessKey: db.prepare<[AccessKeyRow]>(
      `INSERT INTO access_keys (${ACCESS_KEY_COLUMNS}) VALUES (${ACCESS_KEY_COLUMNS.values})
       ON CONFLICT (access_key_id) DO UPDATE SET ${ACCESS_KEY_COLUMNS.excludedExcept(['access_key_id'])}`,
    ),
    deleteAccessKey: db.prepare<[string]>('DELETE FROM access_keys WHERE access_key_id = ?'),
    recordAccessKeyUse: db.prepare<[string, string]>('UPDATE access_keys SET last_used = ? WHERE access_key_id = ?'),
    deleteExpiredSessions: db.prepare<[number]>('DELETE FROM access_keys WHERE expires_at IS NOT NULL AND expires_at < ?'),
    getIamDirectory: db.prepare<[string], IamDirectoryRow>('SELECT account_id, version, document FROM iam_directories WHERE account_id = ?'),
    getIamVersion: db.prepare<[string], { version: number }>('SELECT version FROM iam_directories WHERE account_id = ?'),
    insertIamDirectory: db.prepare<[IamDirectoryRow]>(
      'INSERT INTO iam_directories (account_id, version, document) VALUES (@account_id, @version, @document) ON CONFLICT DO NOTHING',
    ),
    updateIamDirectory: db.prepare<[IamDirectoryRow & { expected_version: number }]>(
      'UPDATE iam_directories SET version = @version, document = @document WHERE account_id = @account_id AND version = @expected_version',
    ),

    getGrant: db.prepare<[string, string], GrantRow>(`SELECT ${GRANT_COLUMNS} FROM grants WHERE key_arn = ? AND grant_id = ?`),
    listGrants: db.prepare<[{ key_arn: string; after_seq: number; limit: number; grant_id: string | null; grantee_principal: string | null; name: string | null }], GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM grants WHERE key_arn = @key_arn AND seq > @after_seq
         AND (@grant_id IS NULL OR grant_id = @grant_id)
         AND (@grantee_principal IS NULL OR grantee_principal = @grantee_principal)
         AND (@name IS NULL OR name = @name)
       ORDER BY seq LIMIT @limit`,
    ),
    listRetirableGrants: db.prepare<[{ retiring_principal: string; after_seq: number; limit: number; region: string | null }], GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM grants WHERE retiring_principal = @retiring_principal AND seq > @after_seq
         AND (@region IS NULL OR region = @region)
       ORDER BY seq LIMIT @limit`,
    ),
    findGrantByToken: db.prepare<[string], GrantRow>(
      `SELECT ${GRANT_COLUMNS.names.map((c) => `g.${c}`).join(', ')} FROM grant_tokens t JOIN grants g ON g.grant_id = t.grant_id
       WHERE t.token = ?`,
    ),
    nextGrantSeq: db.prepare<[], { value: number }>(`UPDATE sequences SET value = value + 1 WHERE name = 'grants' RETURNING value`),
    insertGrant: db.prepare<[GrantRow]>(
      `INSERT INTO grants (${GRANT_COLUMNS}) VALUES (${GRANT_COLUMNS.values}) ON CONFLICT DO NOTHING`,
    ),
    // Only for a grant of that key; a token already issued is a PRIMARY KEY conflict.
    insertGrantToken: db.prepare<[string, string, string]>(
      'INSERT INTO grant_tokens (token, grant_id) SELECT ?, grant_id FROM grants WHERE key_arn = ? AND grant_id = ?',
    ),
    deleteGrant: db.prepare<[string, string]>('DELETE FROM grants WHERE key_arn = ? AND grant_id = ?'),
    deleteGrantTokens: db.prepare<[string]>('DELETE FROM grant_tokens WHERE grant_id = ?'),
    deleteGrantTokensOfKey: db.prepare<[string]>('DELETE FROM grant_tokens WHERE grant_id IN (SELECT grant_id FROM grants WHERE key_arn = ?)'),
    deleteGrantsOfKey: db.prepare<[string]>('DELETE FROM grants WHERE key_arn = ?'),

    resetAll: DATA_TABLES.map((table) => db.prepare<[]>(`DELETE FROM ${table}`)),
  };
}

// ---------------------------------------------------------------------------------------------
// Audit trail (migration 5). The chain digest is computed inside the append transaction, from the
// head read in that same transaction, so two writers (processes) can never fork the chain.

interface AuditEventRow {
  seq: number;
  account_id: string;
  region: string;
  event_time: number;
  event_name: string;
  event_source: string;
  read_only: number;
  username: string | null;
  access_key_id: string | null;
  resource_names: string;
  event_id: string;
  record: string;
  prev_digest: string;
  digest: string;
}

interface AuditDigestRow {
  seq: number;
  start_seq: number;
  end_seq: number;
  created_at: number;
  body: string;
  signature: string;
}

const AUDIT_EVENT_COLUMNS = columns(
  'seq, account_id, region, event_time, event_name, event_source, read_only, username, access_key_id, resource_names, event_id, record, prev_digest, digest',
);

function auditEventFromRow(row: AuditEventRow): StoredAuditEvent {
  return {
    seq: row.seq,
    accountId: row.account_id,
    region: row.region,
    eventTime: row.event_time,
    eventName: row.event_name,
    eventSource: row.event_source,
    readOnly: row.read_only === 1,
    ...(row.username !== null && { username: row.username }),
    ...(row.access_key_id !== null && { accessKeyId: row.access_key_id }),
    resourceNames: JSON.parse(row.resource_names) as string[],
    eventId: row.event_id,
    record: JSON.parse(row.record) as Record<string, unknown>,
    prevDigest: row.prev_digest,
    digest: row.digest,
  };
}

function auditDigestFromRow(row: AuditDigestRow): AuditDigestRecord {
  return { seq: row.seq, startSeq: row.start_seq, endSeq: row.end_seq, createdAt: row.created_at, body: row.body, signature: row.signature };
}

/** Column of each LookupEvents attribute; ResourceName searches the JSON array instead. */
const AUDIT_LOOKUP_COLUMNS = {
  EventId: 'event_id',
  EventName: 'event_name',
  Username: 'username',
  EventSource: 'event_source',
  AccessKeyId: 'access_key_id',
} as const;

function prepareAuditStatements(db: Database.Database) {
  return {
    insertEvent: db.prepare<[AuditEventRow]>(`INSERT INTO audit_events (${AUDIT_EVENT_COLUMNS}) VALUES (${AUDIT_EVENT_COLUMNS.values})`),
    lastEvent: db.prepare<[], { seq: number; digest: string }>('SELECT seq, digest FROM audit_events ORDER BY seq DESC LIMIT 1'),
    anchor: db.prepare<[], { seq: number; digest: string }>('SELECT seq, digest FROM audit_anchor WHERE id = 1'),
    putAnchor: db.prepare<[number, string]>(
      'INSERT INTO audit_anchor (id, seq, digest) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, digest = excluded.digest',
    ),
    readChain: db.prepare<[number, number], AuditEventRow>(`SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?`),
    // The last event of the prefix to prune: just before the first event not older than the cutoff.
    lastPrunable: db.prepare<[number], { seq: number; digest: string }>(
      `SELECT seq, digest FROM audit_events
        WHERE seq < COALESCE((SELECT MIN(seq) FROM audit_events WHERE event_time >= ?), 9223372036854775807)
        ORDER BY seq DESC LIMIT 1`,
    ),
    deleteEventsUpTo: db.prepare<[number]>('DELETE FROM audit_events WHERE seq <= ?'),
    deleteDigestsUpTo: db.prepare<[number]>('DELETE FROM audit_digests WHERE end_seq <= ?'),
    insertDigest: db.prepare<[AuditDigestRow]>(
      `INSERT INTO audit_digests (seq, start_seq, end_seq, created_at, body, signature)
       SELECT @seq, @start_seq, @end_seq, @created_at, @body, @signature
        WHERE @seq = COALESCE((SELECT MAX(seq) FROM audit_digests), 0) + 1`,
    ),
    latestDigest: db.prepare<[], AuditDigestRow>('SELECT * FROM audit_digests ORDER BY seq DESC LIMIT 1'),
    listDigests: db.prepare<[number, number], AuditDigestRow>('SELECT * FROM audit_digests WHERE seq >= ? ORDER BY seq LIMIT ?'),
  };
}

type AuditStatements = ReturnType<typeof prepareAuditStatements>;

function auditHead(s: AuditStatements): AuditChainHead {
  return s.lastEvent.get() ?? s.anchor.get() ?? { seq: 0, digest: GENESIS_DIGEST };
}

function appendAuditBatch(s: AuditStatements, events: readonly AuditEventInput[]): StoredAuditEvent[] {
  let head = auditHead(s);
  const stored: StoredAuditEvent[] = [];
  for (const e of events) {
    const seq = head.seq + 1;
    const digest = chainDigest(head.digest, seq, e);
    const row: AuditEventRow = {
      seq,
      account_id: e.accountId,
      region: e.region,
      event_time: e.eventTime,
      event_name: e.eventName,
      event_source: e.eventSource,
      read_only: e.readOnly ? 1 : 0,
      username: e.username ?? null,
      access_key_id: e.accessKeyId ?? null,
      resource_names: JSON.stringify(e.resourceNames),
      event_id: e.eventId,
      record: JSON.stringify(e.record),
      prev_digest: head.digest,
      digest,
    };
    s.insertEvent.run(row);
    // Read back the way the row would be, so absent optional fields are absent (not undefined).
    stored.push(auditEventFromRow(row));
    head = { seq, digest };
  }
  return stored;
}

function pruneAuditPrefix(s: AuditStatements, beforeTime: number): number {
  const last = s.lastPrunable.get(beforeTime);
  if (last === undefined) return 0;
  const removed = s.deleteEventsUpTo.run(last.seq).changes;
  s.deleteDigestsUpTo.run(last.seq - 1);
  s.putAnchor.run(last.seq, last.digest);
  return removed;
}

/** The WHERE clause and parameters of listAuditEvents (account, time range, attribute, page). */
function auditQuerySql(accountId: string, query: AuditEventQuery, beforeSeq: number): { where: string; params: unknown[] } {
  const clauses = ['account_id = ?', 'seq < ?'];
  const params: unknown[] = [accountId, beforeSeq];
  if (query.startTime !== undefined) {
    clauses.push('event_time >= ?');
    params.push(query.startTime);
  }
  if (query.endTime !== undefined) {
    clauses.push('event_time <= ?');
    params.push(query.endTime);
  }
  const attribute = query.attribute;
  if (attribute !== undefined) {
    if (attribute.key === 'ResourceName') {
      clauses.push('EXISTS (SELECT 1 FROM json_each(audit_events.resource_names) WHERE json_each.value = ?)');
      params.push(attribute.value);
    } else if (attribute.key === 'ReadOnly') {
      clauses.push('read_only = ?');
      params.push(attribute.value === 'true' ? 1 : 0);
    } else {
      clauses.push(`${AUDIT_LOOKUP_COLUMNS[attribute.key]} = ?`);
      params.push(attribute.value);
    }
  }
  return { where: clauses.join(' AND '), params };
}

type Statements = ReturnType<typeof prepareStatements>;

class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #s: Statements;
  readonly #commit: Database.Transaction<(changes: readonly Change[]) => void>;
  readonly #resetAll: Database.Transaction<() => void>;
  readonly #recordUsage: Database.Transaction<(records: readonly KeyUsageRecord[]) => void>;
  readonly #audit: AuditStatements;
  readonly #appendAudit: Database.Transaction<(events: readonly AuditEventInput[]) => StoredAuditEvent[]>;
  readonly #pruneAudit: Database.Transaction<(beforeTime: number) => number>;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#s = prepareStatements(db);
    this.#commit = db.transaction((changes: readonly Change[]) => {
      for (const change of changes) this.#apply(change);
    });
    this.#resetAll = db.transaction(() => {
      for (const statement of this.#s.resetAll) statement.run();
    });
    this.#audit = prepareAuditStatements(db);
    this.#appendAudit = db.transaction((events: readonly AuditEventInput[]) => appendAuditBatch(this.#audit, events));
    this.#pruneAudit = db.transaction((beforeTime: number) => pruneAuditPrefix(this.#audit, beforeTime));
    this.#recordUsage = db.transaction((records: readonly KeyUsageRecord[]) => {
      for (const r of records) this.#s.putUsage.run({ key_arn: r.keyArn, operation: r.operation, used_at: r.usedAt, request_id: r.requestId });
    });
  }

  async listKeysDueForRotation(now: number, limit: number): Promise<KeyRecord[]> {
    return this.#s.listDueForRotation.all(now, checkLimit(limit)).map(keyFromRow);
  }

  async listRelatedKeys(accountId: string, keyId: string): Promise<KeyRecord[]> {
    return this.#s.listRelated.all(accountId, keyId).map(keyFromRow);
  }

  async listMaterialsDueForExpiry(now: number, limit: number): Promise<MaterialRecord[]> {
    return this.#s.listMaterialsDueForExpiry.all(now, checkLimit(limit)).map(materialFromRow);
  }

  async getKeyUsage(keyArn: string): Promise<KeyUsageRecord | undefined> {
    const row = this.#s.getUsage.get(keyArn);
    return row && { keyArn: row.key_arn, operation: row.operation, usedAt: row.used_at, requestId: row.request_id };
  }

  async recordKeyUsage(records: readonly KeyUsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.#recordUsage.immediate(records);
  }

  async getKey(scope: Scope, keyId: string): Promise<KeyRecord | undefined> {
    const row = this.#s.getKey.get(scope.accountId, scope.region, keyId);
    return row && keyFromRow(row);
  }

  async listKeys(scope: Scope, page: PageRequest): Promise<Page<KeyRecord>> {
    const limit = checkLimit(page.limit);
    const afterSeq = page.marker === undefined ? 0 : decodeSeqMarker(page.marker, 'keys');
    const rows = this.#s.listKeys.all(scope.accountId, scope.region, afterSeq, limit + 1);
    return toPage(rows, limit, keyFromRow, (row) => ({ list: 'keys', afterSeq: row.seq }));
  }

  async listKeysDueForDeletion(now: number, limit: number): Promise<KeyRecord[]> {
    return this.#s.listDue.all(now, checkLimit(limit)).map(keyFromRow);
  }

  async getMaterial(keyArn: string, materialId: string): Promise<MaterialRecord | undefined> {
    const row = this.#s.getMaterial.get(keyArn, materialId);
    return row && materialFromRow(row);
  }

  async listMaterials(keyArn: string): Promise<MaterialRecord[]> {
    return this.#s.listMaterials.all(keyArn).map(materialFromRow);
  }

  async getAlias(scope: Scope, aliasName: string): Promise<AliasRecord | undefined> {
    const row = this.#s.getAlias.get(scope.accountId, scope.region, aliasName);
    return row && aliasFromRow(row);
  }

  async listAliases(scope: Scope, page: PageRequest, targetKeyId?: string): Promise<Page<AliasRecord>> {
    const limit = checkLimit(page.limit);
    // '' sorts before every name, and alias names are never empty.
    const afterName = page.marker === undefined ? '' : decodeAliasesMarker(page.marker);
    const rows =
      targetKeyId === undefined
        ? this.#s.listAliases.all(scope.accountId, scope.region, afterName, limit + 1)
        : this.#s.listAliasesByTarget.all(scope.accountId, scope.region, targetKeyId, afterName, limit + 1);
    return toPage(rows, limit, aliasFromRow, (row) => ({ list: 'aliases', afterName: row.alias_name }));
  }

  async listTags(keyArn: string): Promise<Tag[]> {
    return this.#s.listTags.all(keyArn).map((row) => ({ TagKey: row.tag_key, TagValue: row.tag_value }));
  }

  async getGrant(keyArn: string, grantId: string): Promise<GrantRecord | undefined> {
    const row = this.#s.getGrant.get(keyArn, grantId);
    return row && grantFromRow(row);
  }

  async listGrants(keyArn: string, page: PageRequest, filter: GrantFilter = {}): Promise<Page<GrantRecord>> {
    const limit = checkLimit(page.limit);
    const afterSeq = page.marker === undefined ? 0 : decodeSeqMarker(page.marker, 'grants');
    const rows = this.#s.listGrants.all({
      key_arn: keyArn,
      after_seq: afterSeq,
      limit: limit + 1,
      grant_id: filter.grantId ?? null,
      grantee_principal: filter.granteePrincipal ?? null,
      name: filter.name ?? null,
    });
    return toPage(rows, limit, grantFromRow, (row) => ({ list: 'grants', afterSeq: row.seq }));
  }

  async listRetirableGrants(retiringPrincipal: string, page: PageRequest, region?: string): Promise<Page<GrantRecord>> {
    const limit = checkLimit(page.limit);
    const afterSeq = page.marker === undefined ? 0 : decodeSeqMarker(page.marker, 'retirableGrants');
    const rows = this.#s.listRetirableGrants.all({ retiring_principal: retiringPrincipal, after_seq: afterSeq, limit: limit + 1, region: region ?? null });
    return toPage(rows, limit, grantFromRow, (row) => ({ list: 'retirableGrants', afterSeq: row.seq }));
  }

  async findGrantByToken(token: string): Promise<GrantRecord | undefined> {
    const row = this.#s.findGrantByToken.get(token);
    return row && grantFromRow(row);
  }

  async getAccount(accountId: string): Promise<AccountRecord | undefined> {
    const row = this.#s.getAccount.get(accountId);
    return row && { accountId: row.account_id, createdAt: row.created_at };
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const row = this.#s.getAccessKey.get(accessKeyId);
    return row && accessKeyFromRow(row);
  }

  async listAccessKeys(accountId: string, userName: string | undefined): Promise<AccessKeyRecord[]> {
    const rows = userName === undefined ? this.#s.listRootAccessKeys.all(accountId) : this.#s.listUserAccessKeys.all(accountId, userName);
    return rows.map(accessKeyFromRow);
  }

  async recordAccessKeyUse(accessKeyId: string, at: number, service: string, region: string): Promise<void> {
    this.#s.recordAccessKeyUse.run(JSON.stringify({ at, service, region }), accessKeyId);
  }

  async deleteExpiredSessions(before: number): Promise<number> {
    return this.#s.deleteExpiredSessions.run(before).changes;
  }

  async getIamDirectory(accountId: string): Promise<IamDirectoryRecord | undefined> {
    const row = this.#s.getIamDirectory.get(accountId);
    return row && { accountId: row.account_id, version: row.version, document: row.document };
  }

  async getIamVersion(accountId: string): Promise<number | undefined> {
    return this.#s.getIamVersion.get(accountId)?.version;
  }

  async appendAuditEvents(events: readonly AuditEventInput[]): Promise<StoredAuditEvent[]> {
    if (events.length === 0) return [];
    try {
      // IMMEDIATE: the head is read and extended under the write lock (see commit()).
      return this.#appendAudit.immediate(events);
    } catch (err) {
      throw translateError(err);
    }
  }

  async listAuditEvents(accountId: string, query: AuditEventQuery, page: PageRequest): Promise<Page<StoredAuditEvent>> {
    const limit = checkLimit(page.limit);
    // Newest first: the marker is the seq of the last event returned; the next page is below it.
    const beforeSeq = page.marker === undefined ? Number.MAX_SAFE_INTEGER : decodeSeqMarker(page.marker, 'auditEvents');
    const { where, params } = auditQuerySql(accountId, query, beforeSeq);
    const rows = this.#db.prepare<unknown[], AuditEventRow>(`SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events WHERE ${where} ORDER BY seq DESC LIMIT ?`).all(...params, limit + 1);
    return toPage(rows, limit, auditEventFromRow, (row) => ({ list: 'auditEvents', afterSeq: row.seq }));
  }

  async readAuditChain(fromSeq: number, limit: number): Promise<StoredAuditEvent[]> {
    return this.#audit.readChain.all(fromSeq, checkLimit(limit)).map(auditEventFromRow);
  }

  async getAuditHead(): Promise<AuditChainHead> {
    return auditHead(this.#audit);
  }

  async getAuditAnchor(): Promise<AuditChainHead | undefined> {
    return this.#audit.anchor.get();
  }

  async pruneAuditEvents(beforeTime: number): Promise<number> {
    return this.#pruneAudit.immediate(beforeTime);
  }

  async putAuditDigest(d: AuditDigestRecord): Promise<void> {
    const row = { seq: d.seq, start_seq: d.startSeq, end_seq: d.endSeq, created_at: d.createdAt, body: d.body, signature: d.signature };
    if (this.#audit.insertDigest.run(row).changes === 0) throw new StoreConflictError('duplicate', `audit digest ${d.seq} is not the next one`);
  }

  async getLatestAuditDigest(): Promise<AuditDigestRecord | undefined> {
    const row = this.#audit.latestDigest.get();
    return row && auditDigestFromRow(row);
  }

  async listAuditDigests(fromSeq: number, limit: number): Promise<AuditDigestRecord[]> {
    return this.#audit.listDigests.all(fromSeq, checkLimit(limit)).map(auditDigestFromRow);
  }

  async commit(changes: readonly Change[]): Promise<void> {
    try {
      // IMMEDIATE takes the write lock up front: a deferred transaction that reads then writes can
      // fail with SQLITE_BUSY (no retry) when another process writes in between.
      this.#commit.immediate(changes);
    } catch (err) {
      throw translateError(err);
    }
  }

  async resetAll(): Promise<void> {
    this.#resetAll.immediate();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  /** Runs inside the commit transaction: throwing rolls back the whole batch. */
  #apply(change: Change): void {
    const s = this.#s;
    switch (change.kind) {
      case 'putKey': {
        const params = keyParams(change.key);
        if (change.expectedVersion === undefined) {
          const seq = s.nextKeySeq.get()?.value;
          if (seq === undefined) throw new Error('sequences row for keys is missing');
          if (s.insertKey.run({ ...params, seq }).changes === 0) {
            throw new StoreConflictError('duplicate', `key ${change.key.arn} (or its key id in that scope) already exists`);
          }
        } else if (s.updateKey.run({ ...params, expected_version: change.expectedVersion }).changes === 0) {
          throw new StoreConflictError('version', `key ${change.key.arn} is not at version ${change.expectedVersion}`);
        }
        return;
      }
      case 'deleteKey': {
        // Deleting a key that is already gone is a no-op, so a repeated deletion is harmless.
        const key = s.keyScope.get(change.keyArn);
        if (key === undefined) return;
        s.deleteAliasesOfKey.run(key.account_id, key.region, key.key_id);
        s.deleteTagsOfKey.run(change.keyArn);
        s.deleteGrantTokensOfKey.run(change.keyArn);
        s.deleteGrantsOfKey.run(change.keyArn);
        s.deleteMaterials.run(change.keyArn);
        s.deleteUsage.run(change.keyArn);
        s.deleteKey.run(change.keyArn);
        return;
      }
      case 'putMaterial': {
        s.putMaterial.run(materialParams(change.material));
        return;
      }
      case 'insertAlias':
        if (s.insertAlias.run(aliasParams(change.alias)).changes === 0) {
          throw new StoreConflictError('duplicate', `alias ${change.alias.aliasName} already exists`);
        }
        return;
      case 'updateAlias':
        if (change.expectedTargetKeyId !== undefined) {
          const row = s.getAlias.get(change.alias.accountId, change.alias.region, change.alias.aliasName);
          if (row && row.target_key_id !== change.expectedTargetKeyId) {
            throw new StoreConflictError('version', `alias ${change.alias.aliasName} no longer targets ${change.expectedTargetKeyId}`);
          }
        }
        if (s.updateAlias.run(aliasParams(change.alias)).changes === 0) {
          throw new StoreConflictError('missing', `alias ${change.alias.aliasName} does not exist`);
        }
        return;
      case 'deleteAlias':
        if (s.deleteAlias.run(change.scope.accountId, change.scope.region, change.aliasName).changes === 0) {
          throw new StoreConflictError('missing', `alias ${change.aliasName} does not exist`);
        }
        return;
      case 'putTags':
        for (const tag of change.tags) s.putTag.run(change.keyArn, tag.TagKey, tag.TagValue);
        return;
      case 'deleteTags':
        for (const tagKey of change.tagKeys) s.deleteTag.run(change.keyArn, tagKey);
        return;
      case 'insertGrant': {
        const seq = s.nextGrantSeq.get()?.value;
        if (seq === undefined) throw new Error('sequences row for grants is missing');
        const { grant } = change;
        if (s.insertGrant.run(grantParams(grant, seq)).changes === 0) {
          throw new StoreConflictError('duplicate', `grant ${grant.grantId} already exists`);
        }
        // A token already issued for another grant is a PRIMARY KEY conflict (duplicate).
        s.insertGrantToken.run(grant.token, grant.keyArn, grant.grantId);
        return;
      }
      case 'insertGrantToken':
        if (s.insertGrantToken.run(change.token, change.keyArn, change.grantId).changes === 0) {
          throw new StoreConflictError('missing', `grant ${change.grantId} of ${change.keyArn} does not exist`);
        }
        return;
      case 'deleteGrant':
        if (s.deleteGrant.run(change.keyArn, change.grantId).changes === 0) {
          throw new StoreConflictError('missing', `grant ${change.grantId} of ${change.keyArn} does not exist`);
        }
        s.deleteGrantTokens.run(change.grantId);
        return;
      case 'putAccount':
        s.putAccount.run({ account_id: change.account.accountId, created_at: change.account.createdAt });
        return;
      case 'putAccessKey':
        s.putAccessKey.run(accessKeyParams(change.accessKey));
        return;
      case 'deleteAccessKey':
        if (s.deleteAccessKey.run(change.accessKeyId).changes === 0) {
          throw new StoreConflictError('missing', `access key ${change.accessKeyId} does not exist`);
        }
        return;
      case 'putIamDirectory': {
        const row = { account_id: change.accountId, version: (change.expectedVersion ?? 0) + 1, document: change.document };
        if (change.expectedVersion === undefined) {
          if (s.insertIamDirectory.run(row).changes === 0) throw new StoreConflictError('duplicate', `IAM directory of ${change.accountId} already exists`);
        } else if (s.updateIamDirectory.run({ ...row, expected_version: change.expectedVersion }).changes === 0) {
          throw new StoreConflictError('version', `IAM directory of ${change.accountId} is not at version ${change.expectedVersion}`);
        }
        return;
      }
      default: {
        const unknown: never = change;
        throw new Error(`unknown change ${JSON.stringify(unknown)}`);
      }
    }
  }
}

function aliasParams(alias: AliasRecord): AliasRow {
  return {
    account_id: alias.accountId,
    region: alias.region,
    alias_name: alias.aliasName,
    target_key_id: alias.targetKeyId,
    created_at: alias.createdAt,
    updated_at: alias.updatedAt,
  };
}
