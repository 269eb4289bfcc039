// The persisted shape of a KMS key, its material versions, aliases and tags (domain types, no HTTP).

export type KeyState =
  | 'Creating'
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Updating';

export type KeyUsage = 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';
export type Origin = 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
export type KeyManager = 'AWS' | 'CUSTOMER';

/** Account + region: the isolation boundary every lookup is made in. */
export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

export interface KeyRecord {
  readonly arn: string;
  readonly keyId: string;
  readonly accountId: string;
  readonly region: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly description: string;
  readonly keyUsage: KeyUsage;
  readonly keySpec: string;
  readonly origin: Origin;
  readonly keyManager: KeyManager;
  readonly state: KeyState;
  /** Epoch milliseconds; set while PendingDeletion. */
  readonly deletionDate?: number;
  readonly pendingWindowInDays?: number;
  readonly multiRegion: boolean;
  readonly policy: string;
  /** The material version that encrypts; absent while PendingImport. */
  readonly currentMaterialId?: string;
  /** Automatic rotation (symmetric encryption keys). */
  readonly rotationEnabled?: boolean;
  readonly rotationPeriodInDays?: number;
  /** Epoch milliseconds of the next automatic rotation, while rotation is enabled. */
  readonly nextRotationDate?: number;
  /** Epoch milliseconds; set while an on-demand rotation is in progress. */
  readonly onDemandRotationStartDate?: number;
  /** Imported material (Origin EXTERNAL): how the current material expires. */
  readonly expirationModel?: ExpirationModel;
  readonly validTo?: number;
  /** Multi-Region keys: the region of the primary key (this key is the primary when it equals `region`). */
  readonly primaryRegion?: string;
  /** Optimistic-concurrency counter, incremented by every update. */
  readonly version: number;
}

export type ExpirationModel = 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
export type RotationType = 'AUTOMATIC' | 'ON_DEMAND';
export type ImportState = 'IMPORTED' | 'PENDING_IMPORT';

export type MaterialState = 'CURRENT' | 'NON_CURRENT' | 'PENDING_ROTATION' | 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION';

export interface MaterialRecord {
  readonly keyArn: string;
  /** 64 hex characters, as AWS's keyMaterialId. */
  readonly materialId: string;
  /** Material wrapped under the root key (see docs/ciphertext-format.md). Never plaintext.
   *  Empty while imported material is deleted or expired (importState PENDING_IMPORT). */
  readonly wrapped: Buffer;
  readonly createdAt: number;
  readonly state: MaterialState;
  /** How this version came to be, for ListKeyRotations (absent for a key's first material). */
  readonly rotationType?: RotationType;
  /** Imported material only. */
  readonly importState?: ImportState;
  readonly expirationModel?: ExpirationModel;
  readonly validTo?: number;
  readonly description?: string;
  /** SHA-256 of the material under a domain prefix: recognises the same material on re-import. */
  readonly fingerprint?: Buffer;
}

export interface KeyUsageRecord {
  readonly keyArn: string;
  readonly operation: string;
  /** Epoch milliseconds. */
  readonly usedAt: number;
  readonly requestId: string;
}

export interface AliasRecord {
  readonly accountId: string;
  readonly region: string;
  /** Full name, starting with alias/. */
  readonly aliasName: string;
  /** Key id (not ARN) of the target key in the same scope. */
  readonly targetKeyId: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface Tag {
  readonly TagKey: string;
  readonly TagValue: string;
}

/** The encryption-context constraints of a grant (AWS's GrantConstraints). */
export interface GrantConstraints {
  readonly EncryptionContextEquals?: Readonly<Record<string, string>>;
  readonly EncryptionContextSubset?: Readonly<Record<string, string>>;
}

/** A grant on a key: stored and managed as AWS does, enforced by the authorize step (authorization/grants.ts). */
export interface GrantRecord {
  /** 64 hex characters, unique across the store. */
  readonly grantId: string;
  readonly keyArn: string;
  /** Account and region of the key. */
  readonly accountId: string;
  readonly region: string;
  readonly name?: string;
  readonly granteePrincipal: string;
  readonly retiringPrincipal?: string;
  /** AWS GrantOperation names, as given. */
  readonly operations: readonly string[];
  readonly constraints?: GrantConstraints;
  /** arn:aws:iam::ACCOUNT:root of the account that created the grant. */
  readonly issuingAccount: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** The grant token returned when the grant was created (opaque, carries no secret). */
  readonly token: string;
}
