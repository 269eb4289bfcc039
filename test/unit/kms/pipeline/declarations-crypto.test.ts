// What the encryption operations declare to the pipeline (their keys: member, kms: action, forms,
// key-state row; read-only; DryRun), and the behaviours those declarations carry: Decrypt and
// ReEncrypt locate their key from the ciphertext blob, a dry run validates the ciphertext unless
// IGNORE_CIPHERTEXT, and observers see every key a call used.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { KmsServices } from '../../../../src/kms/context.js';
import { CRYPTO_RULE } from '../../../../src/kms/model/key-state.js';
import type { Scope } from '../../../../src/kms/model/key.js';
import { OPERATIONS } from '../../../../src/kms/operations/index.js';
import type { OperationEvent, OperationSpec } from '../../../../src/kms/pipeline/operation-spec.js';
import { failureName } from '../../../helpers/failure.js';
import { servicesFactory } from '../../../helpers/services.js';
import { b64, wireCaller, type WireBody, type WireCall } from '../../../helpers/wire.js';

const { makeServices, cleanup } = servicesFactory('kms-declarations-crypto-');
after(cleanup);

const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };
const caller = { scope, principalArn: 'arn:aws:iam::111122223333:root', accessKeyId: 'AKIATEST', devMode: false };

function specOf(name: string): OperationSpec {
  const spec = OPERATIONS.get(name)?.spec;
  assert.ok(spec, `${name} is on the pipeline`);
  return spec;
}

/** The declarations as data: what a wrong declaration would change. */
function declared(name: string): { member: string; action: string; forms: string; optional: boolean; located: boolean; customerManagedOnly: boolean }[] {
  return specOf(name).keys.map((d) => ({
    member: d.member,
    action: d.action,
    forms: d.forms,
    optional: d.optional === true,
    located: d.locate !== undefined,
    customerManagedOnly: d.customerManagedOnly === true,
  }));
}

const plain = { optional: false, located: false, customerManagedOnly: false };

describe('declarations', () => {
  test('Decrypt: KeyId (kms:Decrypt, any of the four forms), optional and located from the blob when absent', () => {
    assert.deepEqual(declared('Decrypt'), [{ member: 'KeyId', action: 'kms:Decrypt', forms: 'key-or-alias', optional: true, located: true, customerManagedOnly: false }]);
  });

  test('ReEncrypt: SourceKeyId (kms:ReEncryptFrom, located from the blob when absent), then DestinationKeyId (kms:ReEncryptTo)', () => {
    assert.deepEqual(declared('ReEncrypt'), [
      { member: 'SourceKeyId', action: 'kms:ReEncryptFrom', forms: 'key-or-alias', optional: true, located: true, customerManagedOnly: false },
      { member: 'DestinationKeyId', action: 'kms:ReEncryptTo', forms: 'key-or-alias', ...plain },
    ]);
  });

  test('the data key operations: KeyId with the operation\'s own action, any of the four forms', () => {
    for (const name of ['GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext']) {
      assert.deepEqual(declared(name), [{ member: 'KeyId', action: `kms:${name}`, forms: 'key-or-alias', ...plain }], name);
    }
  });

  test('GenerateRandom names no key', () => {
    assert.deepEqual(specOf('GenerateRandom').keys, []);
  });

  test('every key follows the cryptographic row of the key-state table', () => {
    for (const name of ['Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext']) {
      for (const declaration of specOf(name).keys) assert.equal(declaration.state, CRYPTO_RULE, `${name} ${declaration.member}`);
    }
    assert.deepEqual(Object.keys(CRYPTO_RULE).sort(), ['Creating', 'Disabled', 'PendingDeletion', 'PendingImport', 'PendingReplicaDeletion', 'Unavailable']);
  });

  test('all are read-only; all but GenerateRandom (no DryRun member) answer DryRun through the pipeline', () => {
    for (const name of ['Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateRandom']) {
      const spec = specOf(name);
      assert.equal(spec.name, name);
      assert.equal(spec.readOnly, true, name);
      assert.equal(spec.dryRun, name !== 'GenerateRandom', name);
    }
  });
});

describe('what the declarations do', () => {
  async function setup(): Promise<{ services: KmsServices; call: WireCall; events: OperationEvent[]; keyA: WireBody; keyB: WireBody; blob: string }> {
    const events: OperationEvent[] = [];
    const services: KmsServices = { ...(await makeServices()), observers: [(event) => events.push(event)] };
    const call = wireCaller(services, scope);
    const keyA = (await call('CreateKey')).KeyMetadata as WireBody;
    const keyB = (await call('CreateKey')).KeyMetadata as WireBody;
    const blob = (await call('Encrypt', { KeyId: keyA.KeyId, Plaintext: b64(Buffer.from('secret')), EncryptionContext: { p: '1' } })).CiphertextBlob as string;
    events.length = 0;
    return { services, call, events, keyA, keyB, blob };
  }

  test('Decrypt\'s locator finds the key the blob names; none without a blob, for non-blob bytes, or in an IGNORE_CIPHERTEXT dry run', async () => {
    const { services, keyA, blob } = await setup();
    const locate = specOf('Decrypt').keys[0]!.locate!;
    const ciphertext = Buffer.from(blob, 'base64');
    assert.equal((await locate({ input: { CiphertextBlob: ciphertext }, caller, services }))?.arn, keyA.Arn);
    assert.equal(await locate({ input: {}, caller, services }), undefined);
    assert.equal(await locate({ input: { CiphertextBlob: Buffer.from('junk') }, caller, services }), undefined);
    assert.equal(await locate({ input: { CiphertextBlob: ciphertext, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }, caller, services }), undefined);
  });

  test('the located key is in the key-state step: a blob of a disabled key is DisabledException, before its ciphertext is opened', async () => {
    const { call, keyA, keyB, blob } = await setup();
    await call('DisableKey', { KeyId: keyA.KeyId });
    assert.equal(await failureName(call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { p: 'wrong' } })), 'DisabledException');
    assert.equal(await failureName(call('ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: { p: 'wrong' }, DestinationKeyId: keyB.KeyId })), 'DisabledException');
  });

  test('a dry run without IGNORE_CIPHERTEXT validates the ciphertext: DryRunOperationException only when the call would succeed', async () => {
    const { call, keyB, blob } = await setup();
    assert.equal(await failureName(call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { p: '1' }, DryRun: true })), 'DryRunOperationException');
    assert.equal(await failureName(call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { p: '2' }, DryRun: true })), 'InvalidCiphertextException');
    assert.equal(await failureName(call('Decrypt', { CiphertextBlob: blob, KeyId: keyB.KeyId, EncryptionContext: { p: '1' }, DryRun: true })), 'IncorrectKeyException');
    const move = { CiphertextBlob: blob, DestinationKeyId: keyB.KeyId, DryRun: true };
    assert.equal(await failureName(call('ReEncrypt', { ...move, SourceEncryptionContext: { p: '1' } })), 'DryRunOperationException');
    assert.equal(await failureName(call('ReEncrypt', { ...move, SourceEncryptionContext: { p: '2' } })), 'InvalidCiphertextException');
    // IGNORE_CIPHERTEXT: the named keys only; the ciphertext is not looked at.
    const ignore = { DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] };
    assert.equal(await failureName(call('Decrypt', { CiphertextBlob: b64(Buffer.from('junk')), KeyId: keyB.KeyId, ...ignore })), 'DryRunOperationException');
    assert.equal(await failureName(call('Decrypt', { CiphertextBlob: blob, ...ignore })), 'ValidationException');
    assert.equal(await failureName(call('ReEncrypt', { CiphertextBlob: blob, DestinationKeyId: keyB.KeyId, ...ignore })), 'ValidationException');
  });

  test('observers see the keys each call used: ReEncrypt the located source and the destination, GenerateRandom none', async () => {
    const { call, events, keyA, keyB, blob } = await setup();
    await call('ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: { p: '1' }, DestinationKeyId: keyB.Arn });
    await call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { p: '1' } });
    await call('GenerateDataKeyPairWithoutPlaintext', { KeyId: keyB.KeyId, KeyPairSpec: 'ECC_NIST_P256' });
    await call('GenerateRandom', { NumberOfBytes: 8 });
    assert.deepEqual(
      events.map((e) => ({ operation: e.operation, keys: e.keys.map((k) => k.arn), ok: e.outcome.ok })),
      [
        { operation: 'ReEncrypt', keys: [keyA.Arn, keyB.Arn], ok: true },
        { operation: 'Decrypt', keys: [keyA.Arn], ok: true },
        { operation: 'GenerateDataKeyPairWithoutPlaintext', keys: [keyB.Arn], ok: true },
        { operation: 'GenerateRandom', keys: [], ok: true },
      ],
    );
  });
});
