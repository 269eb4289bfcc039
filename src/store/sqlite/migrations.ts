// Versioned schema for the embedded SQLite store. The applied version lives in PRAGMA user_version
// (part of the database header, so it commits or rolls back with the migration itself).
// Never edit a released migration: append a new one.

import type Database from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3... consecutive; user_version is set to it once `up` has run. */
  readonly version: number;
  /** SQL script; must not contain BEGIN/COMMIT (it runs inside the migration transaction). */
  readonly up: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    // STRICT tables reject a value of the wrong type (e.g. a fractional epoch) instead of storing it.
    // Foreign keys are DEFERRABLE INITIALLY DEFERRED so the order of changes inside one commit()
    // batch does not matter; they are checked when the batch commits. Enum-like columns (state,
    // key_usage...) carry no CHECK: AWS adds values, and changing a CHECK means rebuilding a table.
    up: `
      CREATE TABLE accounts (
        account_id  TEXT    NOT NULL PRIMARY KEY,
        created_at  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE access_keys (
        access_key_id  TEXT    NOT NULL PRIMARY KEY,
        wrapped_secret BLOB    NOT NULL,
        account_id     TEXT    NOT NULL,
        principal_arn  TEXT    NOT NULL,
        created_at     INTEGER NOT NULL
      ) STRICT;

      -- Monotonic counters that survive deletes (and resetAll), so a seq is never reused and a
      -- pagination marker never points into a recycled range.
      CREATE TABLE sequences (
        name  TEXT    NOT NULL PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT;
      INSERT INTO sequences (name, value) VALUES ('keys', 0);

      CREATE TABLE keys (
        arn                    TEXT    NOT NULL PRIMARY KEY,
        seq                    INTEGER NOT NULL UNIQUE,
        key_id                 TEXT    NOT NULL,
        account_id             TEXT    NOT NULL,
        region                 TEXT    NOT NULL,
        created_at             INTEGER NOT NULL,
        description            TEXT    NOT NULL,
        key_usage              TEXT    NOT NULL,
        key_spec               TEXT    NOT NULL,
        origin                 TEXT    NOT NULL,
        key_manager            TEXT    NOT NULL,
        state                  TEXT    NOT NULL,
        deletion_date          INTEGER,
        pending_window_in_days INTEGER,
        multi_region           INTEGER NOT NULL CHECK (multi_region IN (0, 1)),
        policy                 TEXT    NOT NULL,
        current_material_id    TEXT,
        version                INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX keys_by_scope_key_id ON keys (account_id, region, key_id);
      CREATE INDEX keys_by_scope_seq ON keys (account_id, region, seq);
      CREATE INDEX keys_by_state_deletion_date ON keys (state, deletion_date);

      CREATE TABLE key_materials (
        key_arn     TEXT    NOT NULL REFERENCES keys (arn) DEFERRABLE INITIALLY DEFERRED,
        material_id TEXT    NOT NULL,
        wrapped     BLOB    NOT NULL,
        created_at  INTEGER NOT NULL,
        state       TEXT    NOT NULL,
        PRIMARY KEY (key_arn, material_id)
      ) STRICT;

      CREATE TABLE aliases (
        account_id    TEXT    NOT NULL,
        region        TEXT    NOT NULL,
        alias_name    TEXT    NOT NULL,
        target_key_id TEXT    NOT NULL,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, alias_name),
        FOREIGN KEY (account_id, region, target_key_id)
          REFERENCES keys (account_id, region, key_id) DEFERRABLE INITIALLY DEFERRED
      ) STRICT;
      -- Also serves the foreign-key check when a key is deleted.
      CREATE INDEX aliases_by_target ON aliases (account_id, region, target_key_id, alias_name);

      CREATE TABLE tags (
        key_arn   TEXT NOT NULL REFERENCES keys (arn) DEFERRABLE INITIALLY DEFERRED,
        tag_key   TEXT NOT NULL,
        tag_value TEXT NOT NULL,
        PRIMARY KEY (key_arn, tag_key)
      ) STRICT;
    `,
  },
  {
    version: 2,
    // Key lifecycle: rotation, imported material with expiry, multi-Region keys, last usage.
    up: `
      ALTER TABLE keys ADD COLUMN rotation_enabled INTEGER CHECK (rotation_enabled IN (0, 1));
      ALTER TABLE keys ADD COLUMN rotation_period_in_days INTEGER;
      ALTER TABLE keys ADD COLUMN next_rotation_date INTEGER;
      ALTER TABLE keys ADD COLUMN on_demand_rotation_start_date INTEGER;
      ALTER TABLE keys ADD COLUMN expiration_model TEXT;
      ALTER TABLE keys ADD COLUMN valid_to INTEGER;
      ALTER TABLE keys ADD COLUMN primary_region TEXT;
      CREATE INDEX keys_by_next_rotation ON keys (next_rotation_date) WHERE rotation_enabled = 1;
      CREATE INDEX keys_by_account_key_id ON keys (account_id, key_id);

      ALTER TABLE key_materials ADD COLUMN rotation_type TEXT;
      ALTER TABLE key_materials ADD COLUMN import_state TEXT;
      ALTER TABLE key_materials ADD COLUMN expiration_model TEXT;
      ALTER TABLE key_materials ADD COLUMN valid_to INTEGER;
      ALTER TABLE key_materials ADD COLUMN description TEXT;
      ALTER TABLE key_materials ADD COLUMN fingerprint BLOB;
      CREATE INDEX key_materials_by_valid_to ON key_materials (valid_to)
        WHERE import_state = 'IMPORTED' AND expiration_model = 'KEY_MATERIAL_EXPIRES';

      -- No foreign key: usage is flushed in batches after the fact, and a key deleted meanwhile
      -- simply loses its record (deleteKey removes it too).
      CREATE TABLE key_last_usage (
        key_arn    TEXT    NOT NULL PRIMARY KEY,
        operation  TEXT    NOT NULL,
        used_at    INTEGER NOT NULL,
        request_id TEXT    NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    // Grants. A grant belongs to one key (deleted with it); every token issued for it (CreateGrant
    // repeated with the same Name and parameters issues another) maps back to it in grant_tokens.
    up: `
      INSERT INTO sequences (name, value) VALUES ('grants', 0);

      CREATE TABLE grants (
        grant_id           TEXT    NOT NULL PRIMARY KEY,
        seq                INTEGER NOT NULL UNIQUE,
        key_arn            TEXT    NOT NULL REFERENCES keys (arn) DEFERRABLE INITIALLY DEFERRED,
        account_id         TEXT    NOT NULL,
        region             TEXT    NOT NULL,
        name               TEXT,
        grantee_principal  TEXT    NOT NULL,
        retiring_principal TEXT,
        operations         TEXT    NOT NULL,
        constraints        TEXT,
        issuing_account    TEXT    NOT NULL,
        created_at         INTEGER NOT NULL,
        token              TEXT    NOT NULL
      ) STRICT;
      -- Also serves the foreign-key check when a key is deleted.
      CREATE INDEX grants_by_key ON grants (key_arn, seq);
      CREATE INDEX grants_by_retiring_principal ON grants (retiring_principal, seq) WHERE retiring_principal IS NOT NULL;

      CREATE TABLE grant_tokens (
        token    TEXT NOT NULL PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES grants (grant_id) DEFERRABLE INITIALLY DEFERRED
      ) STRICT;
      CREATE INDEX grant_tokens_by_grant ON grant_tokens (grant_id);
    `,
  },
  {
    version: 4,
    // Identities (IAM and STS). Access keys gain who they belong to, a status, and for temporary
    // credentials the hash of their session token, its expiry and the session's principal (JSON).
    // An account's IAM entities are one versioned JSON document: IAM calls are rare and touch
    // several entities at once (attachments, memberships, deletion conflicts), so one compare-and-set
    // row keeps each call atomic on any store, and its version lets every node validate a cached
    // copy with one cheap read per request.
    up: `
      ALTER TABLE access_keys ADD COLUMN status TEXT NOT NULL DEFAULT 'Active';
      ALTER TABLE access_keys ADD COLUMN user_name TEXT;
      ALTER TABLE access_keys ADD COLUMN owner_id TEXT;
      ALTER TABLE access_keys ADD COLUMN session TEXT;
      ALTER TABLE access_keys ADD COLUMN expires_at INTEGER;
      ALTER TABLE access_keys ADD COLUMN last_used TEXT;
      CREATE INDEX access_keys_by_owner ON access_keys (account_id, user_name, created_at) WHERE session IS NULL;
      CREATE INDEX access_keys_by_expiry ON access_keys (expires_at) WHERE expires_at IS NOT NULL;

      CREATE TABLE iam_directories (
        account_id TEXT    NOT NULL PRIMARY KEY,
        version    INTEGER NOT NULL,
        document   TEXT    NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 5,
    // The audit trail (src/audit/). seq is assigned by appendAuditEvents (head + 1), never reused:
    // after pruning, audit_anchor keeps the last removed seq and digest the kept chain links to.
    // record is the CloudTrail JSON; the other columns are what LookupEvents filters on.
    up: `
      CREATE TABLE audit_events (
        seq            INTEGER NOT NULL PRIMARY KEY,
        account_id     TEXT    NOT NULL,
        region         TEXT    NOT NULL,
        event_time     INTEGER NOT NULL,
        event_name     TEXT    NOT NULL,
        event_source   TEXT    NOT NULL,
        read_only      INTEGER NOT NULL CHECK (read_only IN (0, 1)),
        username       TEXT,
        access_key_id  TEXT,
        resource_names TEXT    NOT NULL,
        event_id       TEXT    NOT NULL UNIQUE,
        record         TEXT    NOT NULL,
        prev_digest    TEXT    NOT NULL,
        digest         TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX audit_events_by_account_seq ON audit_events (account_id, seq);
      CREATE INDEX audit_events_by_account_time ON audit_events (account_id, event_time);

      CREATE TABLE audit_digests (
        seq        INTEGER NOT NULL PRIMARY KEY,
        start_seq  INTEGER NOT NULL,
        end_seq    INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        body       TEXT    NOT NULL,
        signature  TEXT    NOT NULL
      ) STRICT;

      CREATE TABLE audit_anchor (
        id     INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        seq    INTEGER NOT NULL,
        digest TEXT    NOT NULL
      ) STRICT;
    `,
  },
];

export const LATEST_VERSION: number = MIGRATIONS.length;

/** Tables holding data (not schema bookkeeping), children before parents so deletes satisfy FKs. */
export const DATA_TABLES: readonly string[] = ['audit_events', 'audit_digests', 'audit_anchor', 'key_last_usage', 'grant_tokens', 'grants', 'tags', 'aliases', 'key_materials', 'keys', 'access_keys', 'iam_directories', 'accounts'];

/** Brings the database up to the last of `migrations` in one IMMEDIATE transaction (so two processes
 *  opening the same file cannot both migrate). Returns the resulting version. Refuses a database
 *  written by a newer server rather than running on a schema it does not know. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  checkWellFormed(migrations);
  const latest = migrations.length;
  const run = db.transaction((): number => {
    const current = readUserVersion(db);
    if (current > latest) {
      throw new Error(`database schema version ${current} is newer than this server supports (${latest})`);
    }
    for (const migration of migrations.slice(current)) {
      db.exec(migration.up);
      // Integer checked by checkWellFormed, so interpolation is safe (PRAGMA takes no parameters).
      db.pragma(`user_version = ${migration.version}`);
    }
    return latest;
  });
  return run.immediate();
}

export function readUserVersion(db: Database.Database): number {
  const version = db.pragma('user_version', { simple: true });
  if (typeof version !== 'number') throw new Error(`unexpected user_version ${String(version)}`);
  return version;
}

function checkWellFormed(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration at position ${index} has version ${migration.version}, expected ${index + 1}`);
    }
  });
}
