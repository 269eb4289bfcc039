// The key-state table: which states each rule refuses and with which error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANY_STATE,
  CANCEL_DELETION_RULE,
  CRYPTO_RULE,
  ENABLE_DISABLE_RULE,
  enforceKeyState,
  NOT_PENDING_DELETION,
  SCHEDULE_DELETION_RULE,
  type StateRule,
} from '../../../../src/kms/model/key-state.js';
import type { KeyState } from '../../../../src/kms/model/key.js';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/k';
const STATES: KeyState[] = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'PendingReplicaDeletion', 'Unavailable', 'Creating', 'Updating'];

function outcome(rule: StateRule, state: KeyState): string {
  try {
    enforceKeyState(rule, state, ARN);
    return 'ok';
  } catch (err) {
    const e = err as { code: string; message: string };
    return `${e.code}: ${e.message.replace(ARN + ' ', '')}`;
  }
}

test('cryptographic operations: only Enabled (and Updating) keys work, each refusal with its error', () => {
  assert.deepEqual(
    STATES.map((s) => outcome(CRYPTO_RULE, s)),
    [
      'ok',
      'DisabledException: is disabled.',
      'KMSInvalidStateException: is pending deletion.',
      'KMSInvalidStateException: is pending import.',
      'KMSInvalidStateException: is pending replica deletion.',
      'KMSInvalidStateException: is unavailable.',
      'KMSInvalidStateException: is creating.',
      'ok',
    ],
  );
});

test('CancelKeyDeletion works only while pending deletion', () => {
  assert.deepEqual(
    STATES.map((s) => outcome(CANCEL_DELETION_RULE, s)).map((o) => o.startsWith('KMSInvalidStateException: is not pending deletion.') ? 'refused' : o),
    ['refused', 'refused', 'ok', 'refused', 'ok', 'refused', 'refused', 'refused'],
  );
});

test('management rules', () => {
  assert.ok(STATES.every((s) => outcome(ANY_STATE, s) === 'ok'));
  assert.equal(outcome(NOT_PENDING_DELETION, 'Disabled'), 'ok');
  assert.equal(outcome(NOT_PENDING_DELETION, 'PendingDeletion'), 'KMSInvalidStateException: is pending deletion.');
  assert.equal(outcome(ENABLE_DISABLE_RULE, 'PendingImport'), 'KMSInvalidStateException: is pending import.');
  assert.equal(outcome(SCHEDULE_DELETION_RULE, 'PendingImport'), 'ok');
  assert.equal(outcome(SCHEDULE_DELETION_RULE, 'PendingDeletion'), 'KMSInvalidStateException: is pending deletion.');
});
