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
  ['ListAliases', { KeyId: MISSING, Marker: 'bm90LWEtbWFya2Vy' }, 'InvalidMarkerException'],
  ['ReEncrypt', { DestinationKeyId: MISSING, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }, 'ValidationException'],
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

test('RetireGrant with a GrantToken does not look at a KeyId sent beside it', async () => {
  const call = wireCaller(await makeServices(), scope);
  const key = (await call('CreateKey', {})).KeyMetadata as WireBody;
  const grant = await call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: 'arn:aws:iam::111122223333:role/app', Operations: ['Decrypt'] });
  assert.deepEqual(await call('RetireGrant', { GrantToken: grant.GrantToken, KeyId: MISSING }), {});
  assert.deepEqual((await call('ListGrants', { KeyId: key.KeyId })).Grants, []);
});

test('ReEncrypt opens the ciphertext before it looks at the destination key\'s usage', async () => {
  const call = wireCaller(await makeServices(), scope);
  const source = (await call('CreateKey', {})).KeyMetadata as WireBody;
  const hmac = (await call('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata as WireBody;
  const { CiphertextBlob } = await call('Encrypt', { KeyId: source.KeyId, Plaintext: 'aGk=', EncryptionContext: { a: 'b' } });
  for (const dryRun of [false, true]) {
    await assert.rejects(
      call('ReEncrypt', { CiphertextBlob, SourceEncryptionContext: { a: 'c' }, DestinationKeyId: hmac.KeyId, DryRun: dryRun }),
      (err: Error) => err.name === 'InvalidCiphertextException',
    );
  }
  await assert.rejects(call('ReEncrypt', { CiphertextBlob, SourceEncryptionContext: { a: 'b' }, DestinationKeyId: hmac.KeyId }), (err: Error) => err.name === 'InvalidKeyUsageException');
});
