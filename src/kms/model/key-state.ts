// AWS's key-state table as data: for each operation, the key states it refuses and the error each
// gives. Source: the "Key states of AWS KMS keys" page of the KMS developer guide.

import {
  DisabledException,
  KMSInvalidStateException,
  type KmsError,
} from '../../errors/aws-errors.js';
import type { KeyState } from './key.js';

type Refusal = (arn: string) => KmsError;

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
