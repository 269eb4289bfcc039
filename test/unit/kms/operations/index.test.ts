// Every operation of the KMS service model has a handler, and no handler answers a name the model lacks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPERATIONS } from '../../../../src/kms/operations/index.js';
import { operationNames } from '../../../../src/protocol/kms-model.js';

test('OPERATIONS holds exactly the service model operations, each under its own name', () => {
  assert.deepEqual([...OPERATIONS.keys()].sort(), [...operationNames()].sort());
  for (const [name, operation] of OPERATIONS) assert.equal(operation.name, name);
});
