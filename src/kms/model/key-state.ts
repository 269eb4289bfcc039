// AWS's key-state table as data: for each operation, the key states it refuses and the error each
// gives. Source: the "Key states of AWS KMS keys" page of the KMS developer guide.

import {
  DisabledException,
  KMSInvalidStateException,
  type KmsError,
} from '../../errors/aws-errors.js';
import type { KeyState } from './key.js';

type Refusal = (arn: string) => KmsError;

// AWS's wording: "<key ARN> is disabled." (DisabledException, as users quote it), "<key ARN> is pending
// deletion." (terraform-provider-aws issue #17889), "<key ARN> is pending import." (LocalStack snapshot
// test_import_key_symmetric). The other states follow the same pattern; their texts are unconfirmed.

const disabled: Refusal = (arn) => new DisabledException(`${arn} is disabled.`);
const pendingDeletion: Refusal = (arn) => new KMSInvalidStateException(`${arn} is pending deletion.`);
const pendingReplicaDeletion: Refusal = (arn) => new KMSInvalidStateException(`${arn} is pending replica deletion.`);
const notPendingDeletion: Refusal = (arn) => new KMSInvalidStateException(`${arn} is not pending deletion.`);
const pendingImport: Refusal = (arn) => new KMSInvalidStateException(`${arn} is pending import.`);
const unavailable: Refusal = (arn) => new KMSInvalidStateException(`${arn} is unavailable.`);
const creating: Refusal = (arn) => new KMSInvalidStateException(`${arn} is creating.`);
const updating: Refusal = (arn) => new KMSInvalidStateException(`${arn} is updating.`);

export type StateRule = Partial<Record<KeyState, Refusal>>;

const deletion = { PendingDeletion: pendingDeletion, PendingReplicaDeletion: pendingReplicaDeletion };

/** Cryptographic operations: Encrypt, Decrypt, ReEncrypt, GenerateDataKey*, Sign, Verify, *Mac ... */
export const CRYPTO_RULE: StateRule = {
  Disabled: disabled,
  ...deletion,
  PendingImport: pendingImport,
  Unavailable: unavailable,
  Creating: creating,
};

/** DescribeKey, ListAliases, ListResourceTags, GetKeyPolicy ...: every state is fine. */
export const ANY_STATE: StateRule = {};

/** CreateAlias, TagResource, UntagResource, UpdateKeyDescription, UpdateAlias (destination). */
export const NOT_PENDING_DELETION: StateRule = { ...deletion };

export const ENABLE_DISABLE_RULE: StateRule = {
  ...deletion,
  PendingImport: pendingImport,
  Creating: creating,
  Updating: updating,
};

export const SCHEDULE_DELETION_RULE: StateRule = { ...deletion, Updating: updating };

export const CANCEL_DELETION_RULE: StateRule = {
  Enabled: notPendingDeletion,
  Disabled: notPendingDeletion,
  PendingImport: notPendingDeletion,
  Unavailable: notPendingDeletion,
  Creating: notPendingDeletion,
  Updating: notPendingDeletion,
};

/** Throws the table's error when `state` is refused by `rule`. */
export function enforceKeyState(rule: StateRule, state: KeyState, arn: string): void {
  const refusal = rule[state];
  if (refusal) throw refusal(arn);
}

// --- Multi-Region keys (rows "ReplicateKey" and "UpdatePrimaryRegion" of the key-state table) ---

/** ReplicateKey, on the primary key: Disabled [1], PendingDeletion/PendingReplicaDeletion [3],
 *  PendingImport [5], Creating [14], Updating [15]; Unavailable is N/A (no custom key stores). */
export const REPLICATE_KEY_RULE: StateRule = {
  Disabled: disabled,
  ...deletion,
  PendingImport: pendingImport,
  Creating: creating,
  Updating: updating,
};

/** UpdatePrimaryRegion, on the current primary and on the replica that becomes primary: as
 *  ReplicateKey, except that Updating is allowed. */
export const UPDATE_PRIMARY_REGION_RULE: StateRule = {
  Disabled: disabled,
  ...deletion,
  PendingImport: pendingImport,
  Creating: creating,
};

// --- Key rotation (rows "EnableKeyRotation, DisableKeyRotation", "GetKeyRotationStatus" of the table) ---

/** EnableKeyRotation, DisableKeyRotation: Disabled [1], PendingDeletion/PendingReplicaDeletion [3],
 *  Creating [14]; Updating is allowed. PendingImport [6] and Unavailable [7] are refused by the
 *  origin check (imported material, custom key store) with UnsupportedOperationException. */
export const ROTATION_CONFIG_RULE: StateRule = {
  Disabled: disabled,
  ...deletion,
  Creating: creating,
};

/** RotateKeyOnDemand: as EnableKeyRotation, and a key whose imported material is missing
 *  (PendingImport) cannot rotate. */
export const ROTATE_ON_DEMAND_RULE: StateRule = {
  Disabled: disabled,
  ...deletion,
  PendingImport: pendingImport,
  Unavailable: unavailable,
  Creating: creating,
};

// --- Imported key material (rows "GetParametersForImport", "ImportKeyMaterial", "DeleteImportedKeyMaterial") ---
// Keys that are not EXTERNAL are refused before these rules by the origin check [9]
// (UnsupportedOperationException); these are the rows for keys that hold imported material.

/** GetParametersForImport: PendingDeletion/PendingReplicaDeletion [8], Unavailable, Creating [14], Updating [15]. */
export const GET_PARAMETERS_FOR_IMPORT_RULE: StateRule = {
  ...deletion,
  Unavailable: unavailable,
  Creating: creating,
  Updating: updating,
};

/** ImportKeyMaterial: as GetParametersForImport, except that Updating is allowed. */
export const IMPORT_KEY_MATERIAL_RULE: StateRule = {
  ...deletion,
  Unavailable: unavailable,
  Creating: creating,
};

/** DeleteImportedKeyMaterial: allowed while PendingDeletion (the state does not change) and
 *  PendingImport (no effect); Creating [14] and Updating [15] are refused. */
export const DELETE_IMPORTED_KEY_MATERIAL_RULE: StateRule = {
  Creating: creating,
  Updating: updating,
};

// --- Grants (rows "CreateGrant" and "ListGrants, RetireGrant, RevokeGrant" of the key-state table) ---

/** CreateGrant: Disabled [1], PendingDeletion/PendingReplicaDeletion [2/3] (KMSInvalidStateException,
 *  as for the cryptographic operations), PendingImport [5], Creating [14]; Unavailable and Updating
 *  are allowed. ListGrants, RetireGrant and RevokeGrant work in every state (ANY_STATE). */
export const CREATE_GRANT_RULE: StateRule = {
  Disabled: disabled,
  ...deletion,
  PendingImport: pendingImport,
  Creating: creating,
};
