// The key-state table seen from a test: what a state rule does with a key in each key state.

import { enforceKeyState, type StateRule } from '../../src/kms/model/key-state.js';
import type { KeyState } from '../../src/kms/model/key.js';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/k';

/** Every key state, in the order the tests' tables list them. */
export const KEY_STATES: readonly KeyState[] = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'PendingReplicaDeletion', 'Unavailable', 'Creating', 'Updating'];

/** 'ok' when `rule` lets a key in `state` through; else the refusal as "<error code>: <message without the key ARN>". */
export function outcome(rule: StateRule, state: KeyState): string {
  try {
    enforceKeyState(rule, state, ARN);
    return 'ok';
  } catch (err) {
    const e = err as { code: string; message: string };
    return `${e.code}: ${e.message.replace(ARN + ' ', '')}`;
  }
}
