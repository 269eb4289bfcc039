// What the key rotation, imported key material and multi-Region operations declare to the
// pipeline: the key members, IAM actions, identifier forms and key-state rows, whether they write,
// and where AWS's order of errors made an operation apply its key-state row in its own checks.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import {
  ANY_STATE,
  ROTATE_ON_DEMAND_RULE,
  ROTATION_CONFIG_RULE,
  type StateRule,
} from '../../../../src/kms/model/key-state.js';
import { OPERATIONS } from '../../../../src/kms/operations/index.js';
import type { KeyRecord, Scope } from '../../../../src/kms/model/key.js';
import type { IdentifierForms, OperationSpec } from '../../../../src/kms/pipeline/operation-spec.js';
import { keyRecord } from '../../../helpers/records.js';
import { servicesFactory } from '../../../helpers/services.js';
import { b64, wireCaller, type WireBody, type WireCall } from '../../../helpers/wire.js';

const { makeServices, cleanup } = servicesFactory('kms-declarations-lifecycle-');
after(cleanup);

function specOf(name: string): OperationSpec {
  const spec = OPERATIONS.get(name)?.spec;
  assert.ok(spec, `${name} runs through the pipeline`);
  return spec;
}

interface Expected {
  readonly readOnly: boolean;
  readonly action: `kms:${string}`;
  readonly forms: IdentifierForms;
  readonly state: StateRule;
  readonly customerManagedOnly: boolean;
}

const EXPECTED: Readonly<Record<string, Expected>> = {
  // AWS managed keys: "You cannot enable or disable automatic rotation of Amazon Web Services managed KMS keys."
  EnableKeyRotation: { readOnly: false, action: 'kms:EnableKeyRotation', forms: 'key', state: ROTATION_CONFIG_RULE, customerManagedOnly: true },
  DisableKeyRotation: { readOnly: false, action: 'kms:DisableKeyRotation', forms: 'key', state: ROTATION_CONFIG_RULE, customerManagedOnly: true },
  // AWS: "The key rotation status for Amazon Web Services managed KMS keys is always true."
  GetKeyRotationStatus: { readOnly: true, action: 'kms:GetKeyRotationStatus', forms: 'key', state: ANY_STATE, customerManagedOnly: false },
  RotateKeyOnDemand: { readOnly: false, action: 'kms:RotateKeyOnDemand', forms: 'key', state: ROTATE_ON_DEMAND_RULE, customerManagedOnly: true },
  ListKeyRotations: { readOnly: true, action: 'kms:ListKeyRotations', forms: 'key', state: ANY_STATE, customerManagedOnly: false },
  // A key that is not EXTERNAL is UnsupportedOperationException before the key-state row.
  GetParametersForImport: { readOnly: true, action: 'kms:GetParametersForImport', forms: 'key', state: ANY_STATE, customerManagedOnly: false },
  ImportKeyMaterial: { readOnly: false, action: 'kms:ImportKeyMaterial', forms: 'key', state: ANY_STATE, customerManagedOnly: false },
  DeleteImportedKeyMaterial: { readOnly: false, action: 'kms:DeleteImportedKeyMaterial', forms: 'key', state: ANY_STATE, customerManagedOnly: false },
  // A key that is not a multi-Region primary is UnsupportedOperationException before the key-state row.
  ReplicateKey: { readOnly: false, action: 'kms:ReplicateKey', forms: 'key', state: ANY_STATE, customerManagedOnly: false },
  UpdatePrimaryRegion: { readOnly: false, action: 'kms:UpdatePrimaryRegion', forms: 'key', state: ANY_STATE, customerManagedOnly: false },
};

describe('the lifecycle operations declare one KeyId each', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    test(`${name}: KeyId, ${expected.action}, key id or key ARN only`, () => {
      const spec = specOf(name);
      assert.equal(spec.name, name);
      assert.equal(spec.readOnly, expected.readOnly, 'readOnly');
      assert.equal(spec.dryRun, false, 'none of these operations takes DryRun');
      assert.equal(spec.keys.length, 1);
      const [declaration] = spec.keys;
      assert.equal(declaration!.member, 'KeyId');
      assert.equal(declaration!.action, expected.action);
      assert.equal(declaration!.forms, expected.forms);
      // The very rule object of model/key-state.ts, so a neighbouring row cannot stand in for it.
      assert.equal(declaration!.state, expected.state, 'state rule');
      assert.equal(declaration!.customerManagedOnly === true, expected.customerManagedOnly, 'customerManagedOnly');
      assert.equal(declaration!.optional, undefined);
      assert.equal(declaration!.locate, undefined);
      assert.equal(typeof spec.check, 'function', 'each has checks of its own');
    });
  }
});

describe('rows applied in check, after the check AWS makes first', () => {
  const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };
  const KEY = '11111111-1111-1111-1111-111111111111';
  const MRK = 'mrk-1234abcd12ab34cd56ef1234567890ab';
  const arn = (keyId: string) => `arn:aws:kms:${scope.region}:${scope.accountId}:key/${keyId}`;
  const pendingDeletion = { deletionDate: Date.now() + 7 * 86_400_000, pendingWindowInDays: 7 };

  async function callWith(key: KeyRecord): Promise<WireCall> {
    const services = await makeServices();
    await services.store.commit([{ kind: 'putKey', key }]);
    return wireCaller(services, scope);
  }

  async function failure(call: WireCall, operation: string, body: WireBody): Promise<string> {
    try {
      await call(operation, body);
    } catch (err) {
      return `${(err as Error).name}: ${(err as Error).message}`;
    }
    throw new Error(`${operation} succeeded`);
  }

  const imports: Record<string, WireBody> = {
    GetParametersForImport: { WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' },
    ImportKeyMaterial: { ImportToken: b64(Buffer.alloc(64, 1)), EncryptedKeyMaterial: b64(Buffer.alloc(256, 1)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' },
    DeleteImportedKeyMaterial: {},
  };

  for (const [operation, body] of Object.entries(imports)) {
    test(`${operation}: a key that is not EXTERNAL is refused for its origin before its state; an EXTERNAL key gets the key-state row`, async () => {
      // DeleteImportedKeyMaterial allows PendingDeletion; Creating is refused by all three rows.
      const state = operation === 'DeleteImportedKeyMaterial' ? 'Creating' : 'PendingDeletion';
      const extra = state === 'PendingDeletion' ? pendingDeletion : {};
      const generated = await callWith(keyRecord(scope, KEY, { state, ...extra }));
      assert.equal(await failure(generated, operation, { KeyId: KEY, ...body }), `UnsupportedOperationException: ${arn(KEY)} origin is AWS_KMS which is not valid for this operation.`);
      const external = await callWith(keyRecord(scope, KEY, { origin: 'EXTERNAL', state, ...extra }));
      assert.equal(
        await failure(external, operation, { KeyId: KEY, ...body }),
        `KMSInvalidStateException: ${arn(KEY)} is ${state === 'Creating' ? 'creating' : 'pending deletion'}.`,
      );
    });
  }

  const multiRegion: Record<string, WireBody> = { ReplicateKey: { ReplicaRegion: 'eu-west-1' }, UpdatePrimaryRegion: { PrimaryRegion: 'eu-west-1' } };
  for (const [operation, body] of Object.entries(multiRegion)) {
    test(`${operation}: a key that is not a multi-Region primary is refused before its state; a primary gets the key-state row`, async () => {
      const single = await callWith(keyRecord(scope, KEY, { state: 'Disabled' }));
      assert.equal(await failure(single, operation, { KeyId: KEY, ...body }), `UnsupportedOperationException: ${arn(KEY)} is not a multi-region primary key.`);
      const primary = await callWith(keyRecord(scope, MRK, { multiRegion: true, state: 'Disabled' }));
      assert.equal(await failure(primary, operation, { KeyId: MRK, ...body }), `DisabledException: ${arn(MRK)} is disabled.`);
    });
  }

  test('EnableKeyRotation declares its row: an EXTERNAL key pending import passes it and is refused for its origin; a disabled one is DisabledException', async () => {
    const pendingImport = await callWith(keyRecord(scope, KEY, { origin: 'EXTERNAL', state: 'PendingImport' }));
    assert.equal(await failure(pendingImport, 'EnableKeyRotation', { KeyId: KEY }), `UnsupportedOperationException: ${arn(KEY)} origin is EXTERNAL which is not valid for this operation.`);
    assert.equal(await failure(pendingImport, 'RotateKeyOnDemand', { KeyId: KEY }), `KMSInvalidStateException: ${arn(KEY)} is pending import.`);
    const disabled = await callWith(keyRecord(scope, KEY, { origin: 'EXTERNAL', state: 'Disabled' }));
    assert.equal(await failure(disabled, 'EnableKeyRotation', { KeyId: KEY }), `DisabledException: ${arn(KEY)} is disabled.`);
  });
});
