// The key-state table: which states each rule refuses and with which error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANY_STATE,
  CANCEL_DELETION_RULE,
  CRYPTO_RULE,
  ENABLE_DISABLE_RULE,
  NOT_PENDING_DELETION,
  SCHEDULE_DELETION_RULE,
} from '../../../../src/kms/model/key-state.js';
import { KEY_STATES, outcome } from '../../../helpers/key-state.js';

test('cryptographic operations: only Enabled (and Updating) keys work, each refusal with its error', () => {
  assert.deepEqual(
    KEY_STATES.map((s) => outcome(CRYPTO_RULE, s)),
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
    KEY_STATES.map((s) => outcome(CANCEL_DELETION_RULE, s)).map((o) => o.startsWith('KMSInvalidStateException: is not pending deletion.') ? 'refused' : o),
    ['refused', 'refused', 'ok', 'refused', 'ok', 'refused', 'refused', 'refused'],
  );
});

test('management rules', () => {
  assert.ok(KEY_STATES.every((s) => outcome(ANY_STATE, s) === 'ok'));
  assert.equal(outcome(NOT_PENDING_DELETION, 'Disabled'), 'ok');
  assert.equal(outcome(NOT_PENDING_DELETION, 'PendingDeletion'), 'KMSInvalidStateException: is pending deletion.');
  assert.equal(outcome(ENABLE_DISABLE_RULE, 'PendingImport'), 'KMSInvalidStateException: is pending import.');
  assert.equal(outcome(SCHEDULE_DELETION_RULE, 'PendingImport'), 'ok');
  assert.equal(outcome(SCHEDULE_DELETION_RULE, 'PendingDeletion'), 'KMSInvalidStateException: is pending deletion.');
});
