// The async repository interface. Handlers only see this; SQLite (and later PostgreSQL) implement it.
// Every mutation goes through commit(): a list of changes applied all-or-nothing.

import type { AliasRecord, GrantRecord, KeyRecord, KeyUsageRecord, MaterialRecord, Scope, Tag } from '../kms/model/key.js';

export interface AccountRecord {
  readonly accountId: string;
  readonly createdAt: number;
}

export interface AccessKeyRecord {
  readonly accessKeyId: string;
  /** Secret access key wrapped under the root key; unwrap it only to verify a signature. */
  readonly wrappedSecret: Buffer;
  readonly accountId: string;
  /** e.g. arn:aws:iam::111122223333:root or arn:aws:iam::111122223333:user/admin */
  readonly principalArn: string;
  readonly createdAt: number;
  /** Absent: Active. An Inactive key authenticates nothing. */
  readonly status?: 'Active' | 'Inactive';
  /** The IAM user the key belongs to (CreateAccessKey); absent for the account root's keys and sessions. */
  readonly userName?: string;
  /** The user's unique id (AIDA...) when the key was made: a later user of the same name is another user. */
  readonly ownerId?: string;
  /** Present for temporary credentials (STS): the key is valid only with its session token, until expiry. */
  readonly session?: SessionRecord;
  /** GetAccessKeyLastUsed: recorded at most once a minute per key (best effort, never in commit()). */
  readonly lastUsed?: { readonly at: number; readonly service: string; readonly region: string };
}

/** Temporary credentials: what the session token must hash to, when they end, and who they are. */
export interface SessionRecord {
  /** SHA-256 (hex) of the session token: the token itself is never stored. */
  readonly tokenHash: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** The session's principal as the IAM layer describes it (src/iam/principal.ts), JSON-safe. */
  readonly principal: Readonly<Record<string, unknown>>;
}

/** An account's IAM entities (users, groups, roles, managed policies) as one versioned document. */
export interface IamDirectoryRecord {
  readonly accountId: string;
  readonly version: number;
  /** JSON (src/iam/model/directory.ts). */
  readonly document: string;
}

export interface PageRequest {
  /** Opaque marker from a previous page; undefined for the first page. */
  readonly marker?: string;
  readonly limit: number;
}

export interface Page<T> {
  readonly items: T[];
  /** Present only when more items follow. */
  readonly nextMarker?: string;
}

export interface GrantFilter {
  readonly grantId?: string;
  readonly granteePrincipal?: string;
  readonly name?: string;
}

/** An audit event to append: the CloudTrail record (opaque JSON) plus the fields it is looked up by. */
export interface AuditEventInput {
  readonly accountId: string;
  readonly region: string;
  /** Epoch milliseconds. */
  readonly eventTime: number;
  readonly eventName: string;
  readonly eventSource: string;
  readonly readOnly: boolean;
  readonly username?: string;
  readonly accessKeyId?: string;
  /** Resource names (key ARNs, alias names) the event concerns, for LookupEvents' ResourceName. */
  readonly resourceNames: readonly string[];
  /** Unique (CloudTrail eventID). */
  readonly eventId: string;
  readonly record: Readonly<Record<string, unknown>>;
}

/** An appended audit event: its position and its link in the hash chain (src/audit/chain.ts). */
export interface StoredAuditEvent extends AuditEventInput {
  readonly seq: number;
  readonly prevDigest: string;
  readonly digest: string;
}

/** The last chained position: the newest event, else the last pruned one, else seq 0 / genesis. */
export interface AuditChainHead {
  readonly seq: number;
  readonly digest: string;
}

/** A signed digest (src/audit/digest.ts): `body` is the canonical JSON that `signature` signs. */
export interface AuditDigestRecord {
  /** 1, 2, 3... in signing order. */
  readonly seq: number;
  readonly startSeq: number;
  readonly endSeq: number;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly body: string;
  /** Hex. */
  readonly signature: string;
}

/** LookupEvents' attribute keys (CloudTrail LookupAttribute.AttributeKey). */
export type AuditLookupKey = 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceName' | 'EventSource' | 'AccessKeyId';

export interface AuditEventQuery {
  /** Inclusive, epoch ms. */
  readonly startTime?: number;
  /** Inclusive, epoch ms. */
  readonly endTime?: number;
  readonly attribute?: { readonly key: AuditLookupKey; readonly value: string };
}

export type Change =
  /** Insert when expectedVersion is undefined; else update only if the stored version matches. */
  | { readonly kind: 'putKey'; readonly key: KeyRecord; readonly expectedVersion?: number }
  /** Removes the key, its materials, tags, grants, usage record and every alias pointing at it. */
  | { readonly kind: 'deleteKey'; readonly keyArn: string }
  /** Insert or replace by (keyArn, materialId). */
  | { readonly kind: 'putMaterial'; readonly material: MaterialRecord }
  | { readonly kind: 'insertAlias'; readonly alias: AliasRecord }
  /** With expectedTargetKeyId: only while the alias still targets that key (else a `version` conflict). */
  | { readonly kind: 'updateAlias'; readonly alias: AliasRecord; readonly expectedTargetKeyId?: string }
  | { readonly kind: 'deleteAlias'; readonly scope: Scope; readonly aliasName: string }
  /** Upsert the given tags (by TagKey) on a key. */
  | { readonly kind: 'putTags'; readonly keyArn: string; readonly tags: readonly Tag[] }
  | { readonly kind: 'deleteTags'; readonly keyArn: string; readonly tagKeys: readonly string[] }
  /** Insert a grant of an existing key (and its first token). */
  | { readonly kind: 'insertGrant'; readonly grant: GrantRecord }
  /** Another token for an existing grant (CreateGrant repeated with the same Name and parameters). */
  | { readonly kind: 'insertGrantToken'; readonly keyArn: string; readonly grantId: string; readonly token: string }
  /** Removes a grant and all its tokens. */
  | { readonly kind: 'deleteGrant'; readonly keyArn: string; readonly grantId: string }
  | { readonly kind: 'putAccount'; readonly account: AccountRecord }
  | { readonly kind: 'putAccessKey'; readonly accessKey: AccessKeyRecord }
  /** Removes an access key (long-term or temporary); `missing` when there is none. */
  | { readonly kind: 'deleteAccessKey'; readonly accessKeyId: string }
  /**
   * Writes an account's IAM directory: inserted when expectedVersion is undefined (a `duplicate`
   * conflict if one exists), else replaced only while the stored version is expectedVersion (a
   * `version` conflict otherwise). The stored version becomes (expectedVersion ?? 0) + 1.
   */
  | { readonly kind: 'putIamDirectory'; readonly accountId: string; readonly document: string; readonly expectedVersion?: number };

/** Thrown by commit(): `version` when a putKey's expectedVersion no longer matches (or the key is
 *  gone, or an updateAlias's expectedTargetKeyId no longer matches), `duplicate` when an insert
 *  collides with an existing row, `missing` when an
 *  updateAlias/deleteAlias/deleteGrant names no row or a change names a key or grant that does not
 *  exist (putMaterial, putTags, insertGrant, insertGrantToken, an alias target). Nothing of the batch is applied. */
export class StoreConflictError extends Error {
  constructor(readonly reason: 'version' | 'duplicate' | 'missing', detail: string) {
    super(`store conflict (${reason}): ${detail}`);
    this.name = 'StoreConflictError';
  }
}

/** Thrown by list methods when a marker was not made by this store. */
export class InvalidMarkerError extends Error {
  constructor() {
    super('invalid marker');
    this.name = 'InvalidMarkerError';
  }
}

export interface Store {
  getKey(scope: Scope, keyId: string): Promise<KeyRecord | undefined>;
  /** Keys of one scope in creation order; stable under concurrent inserts. */
  listKeys(scope: Scope, page: PageRequest): Promise<Page<KeyRecord>>;
  /** Keys of any scope in PendingDeletion whose deletionDate <= now (epoch ms). */
  listKeysDueForDeletion(now: number, limit: number): Promise<KeyRecord[]>;
  /** Keys of any scope and state with rotation enabled whose nextRotationDate <= now. */
  listKeysDueForRotation(now: number, limit: number): Promise<KeyRecord[]>;
  /** The keys of one account sharing a key id across regions (a multi-Region key and its replicas). */
  listRelatedKeys(accountId: string, keyId: string): Promise<KeyRecord[]>;

  getMaterial(keyArn: string, materialId: string): Promise<MaterialRecord | undefined>;
  /** All material versions of a key, oldest first. */
  listMaterials(keyArn: string): Promise<MaterialRecord[]>;
  /** Imported materials (importState IMPORTED, KEY_MATERIAL_EXPIRES) whose validTo <= now, any scope. */
  listMaterialsDueForExpiry(now: number, limit: number): Promise<MaterialRecord[]>;

  getAlias(scope: Scope, aliasName: string): Promise<AliasRecord | undefined>;
  /** Aliases of one scope ordered by name; only those targeting targetKeyId when given. */
  listAliases(scope: Scope, page: PageRequest, targetKeyId?: string): Promise<Page<AliasRecord>>;

  /** Tags of a key ordered by TagKey. */
  listTags(keyArn: string): Promise<Tag[]>;

  getGrant(keyArn: string, grantId: string): Promise<GrantRecord | undefined>;
  /** Grants of a key in creation order, optionally only those matching every given field. */
  listGrants(keyArn: string, page: PageRequest, filter?: GrantFilter): Promise<Page<GrantRecord>>;
  /** Grants with this retiring principal on keys of any scope (only of `region` when given), in creation order. */
  listRetirableGrants(retiringPrincipal: string, page: PageRequest, region?: string): Promise<Page<GrantRecord>>;
  /** The grant a token was issued for (the first token or one issued later), any scope. */
  findGrantByToken(token: string): Promise<GrantRecord | undefined>;

  getKeyUsage(keyArn: string): Promise<KeyUsageRecord | undefined>;
  /** Upserts last-usage records; records of keys that no longer exist are dropped. */
  recordKeyUsage(records: readonly KeyUsageRecord[]): Promise<void>;

  getAccount(accountId: string): Promise<AccountRecord | undefined>;
  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  /** Long-term access keys (no session) of an account's root (userName undefined) or of one IAM user, oldest first. */
  listAccessKeys(accountId: string, userName: string | undefined): Promise<AccessKeyRecord[]>;
  /** Notes a use of an access key for GetAccessKeyLastUsed; a key that is gone is ignored. */
  recordAccessKeyUse(accessKeyId: string, at: number, service: string, region: string): Promise<void>;
  /** Removes temporary credentials that expired before `before` (epoch ms); returns how many. */
  deleteExpiredSessions(before: number): Promise<number>;

  getIamDirectory(accountId: string): Promise<IamDirectoryRecord | undefined>;
  /** Just the version of the account's IAM directory (a cheap read to validate a cached copy). */
  getIamVersion(accountId: string): Promise<number | undefined>;

  /** Appends a batch in one transaction, assigning consecutive seqs and chaining each event's
   *  digest to the previous head. All or nothing; a duplicate eventId is a `duplicate` conflict. */
  appendAuditEvents(events: readonly AuditEventInput[]): Promise<StoredAuditEvent[]>;
  /** An account's events, newest first (by seq), filtered by time range and one attribute. */
  listAuditEvents(accountId: string, query: AuditEventQuery, page: PageRequest): Promise<Page<StoredAuditEvent>>;
  /** Events of every account with seq >= fromSeq, in seq order (for verification). */
  readAuditChain(fromSeq: number, limit: number): Promise<StoredAuditEvent[]>;
  getAuditHead(): Promise<AuditChainHead>;
  /** The last pruned event (seq and digest) the kept chain links to; undefined if nothing was pruned. */
  getAuditAnchor(): Promise<AuditChainHead | undefined>;
  /** Removes the oldest events, in seq order, while their eventTime < beforeTime (stopping at the
   *  first newer one, so what is kept stays one unbroken chain), and the signed digests that end
   *  before the kept events; records the last removed event as the anchor. Returns how many events. */
  pruneAuditEvents(beforeTime: number): Promise<number>;
  /** Inserts a signed digest; its seq must be the next one (else a `duplicate` conflict). */
  putAuditDigest(digest: AuditDigestRecord): Promise<void>;
  getLatestAuditDigest(): Promise<AuditDigestRecord | undefined>;
  /** Signed digests with seq >= fromSeq, oldest first. */
  listAuditDigests(fromSeq: number, limit: number): Promise<AuditDigestRecord[]>;

  commit(changes: readonly Change[]): Promise<void>;
  /** Removes every key, material, alias, tag, grant, account, access key and IAM directory (dev reset). */
  resetAll(): Promise<void>;
  close(): Promise<void>;
}
