// Every operation of the KMS service model has a handler, and no handler answers a name the model lacks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPERATIONS } from '../../../../src/kms/operations/index.js';
import { inputShapeOf, operationNames, shapeOf } from '../../../../src/protocol/kms-model.js';

test('OPERATIONS holds exactly the service model operations, each under its own name', () => {
  assert.deepEqual([...OPERATIONS.keys()].sort(), [...operationNames()].sort());
  for (const [name, operation] of OPERATIONS) assert.equal(operation.name, name);
});

test('every operation runs on the pipeline and declares each key member of its input, with a kms: action and a key-state row', () => {
  const KEY_MEMBERS = new Set(['KeyId', 'SourceKeyId', 'DestinationKeyId', 'TargetKeyId']);
  for (const [name, operation] of OPERATIONS) {
    const spec = operation.spec;
    assert.equal(spec.name, name);
    const shape = shapeOf(inputShapeOf(name)!) as { members?: Record<string, unknown> };
    const keyMembers = Object.keys(shape.members ?? {}).filter((m) => KEY_MEMBERS.has(m));
    const declared = spec.keys.map((k) => k.member);
    for (const member of keyMembers) assert.ok(declared.includes(member), `${name} does not declare its ${member}`);
    for (const declaration of spec.keys) {
      assert.match(declaration.action, /^kms:[A-Z][A-Za-z]+$/, `${name}.${declaration.member}`);
      assert.equal(typeof declaration.state, 'object', `${name}.${declaration.member} has a key-state row`);
    }
    // DryRun is the pipeline's exactly when the model has the member.
    assert.equal(spec.dryRun, 'DryRun' in (shape.members ?? {}), `${name}: dryRun`);
  }
});
