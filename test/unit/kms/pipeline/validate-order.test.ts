// Checks of the input alone come before any key is looked up (the pipeline's validate step): a call
// that cannot be right whatever its key answers that, even when its key does not exist. This is
// the order these operations had before the pipeline; no AWS recording says otherwise.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Scope } from '../../../../src/kms/model/key.js';
import { servicesFactory } from '../../../helpers/services.js';
import { wireCaller, type WireBody } from '../../../helpers/wire.js';

const { makeServices, cleanup } = servicesFactory('kms-validate-');
after(cleanup);

const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };
const MISSING = '33333333-3333-3333-3333-333333333333';

const CASES: Array<[operation: string, body: WireBody, expected: string]> = [
  ['GenerateDataKey', { KeyId: MISSING }, 'ValidationException'],
  ['GenerateDataKeyPair', { KeyId: MISSING, KeyPairSpec: 'SM2' }, 'UnsupportedOperationException'],
  ['Decrypt', { KeyId: MISSING }, 'ValidationException'],
  ['ReEncrypt', { DestinationKeyId: MISSING }, 'ValidationException'],
  ['DeriveSharedSecret', { KeyId: MISSING, KeyAgreementAlgorithm: 'ECDH', PublicKey: 'AA==', Recipient: {} }, 'UnsupportedOperationException'],
  ['ScheduleKeyDeletion', { KeyId: MISSING, PendingWindowInDays: 31 }, 'ValidationException'],
  ['CreateAlias', { AliasName: 'alias/aws/mine', TargetKeyId: MISSING }, 'NotAuthorizedException'],
  ['PutKeyPolicy', { KeyId: MISSING, Policy: '{"Statement": [' }, 'MalformedPolicyDocumentException'],
  ['ReplicateKey', { KeyId: `mrk-${'1'.repeat(32)}`, ReplicaRegion: 'us-west-2', Policy: '{"Statement": [' }, 'MalformedPolicyDocumentException'],
  ['ImportKeyMaterial', { KeyId: MISSING, ImportToken: 'AA==', EncryptedKeyMaterial: 'AA==', ExpirationModel: 'KEY_MATERIAL_EXPIRES' }, 'ValidationException'],
  ['RetireGrant', { KeyId: MISSING }, 'ValidationException'],
];

test('each operation refuses input that cannot be right before looking for a key that does not exist', async () => {
  const call = wireCaller(await makeServices(), scope);
  for (const [operation, body, expected] of CASES) {
    await assert.rejects(call(operation, body), (err: Error) => {
      assert.equal(err.name, expected, `${operation}: ${err.name}: ${err.message}`);
      return true;
    });
  }
});
