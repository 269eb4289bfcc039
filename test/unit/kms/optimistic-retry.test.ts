// Reads that decide a write happen inside the optimistic retry: when a concurrent change makes an
// operation's commit fail on a version check, the retry decides again on what that change left,
// not on rows read before it. Each test commits the concurrent change just before the operation's
// first commit (test/helpers/interfering-store.ts).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import type { KmsServices } from '../../../src/kms/context.js';
import type { Scope } from '../../../src/kms/model/key.js';
import type { Change } from '../../../src/store/store.js';
import { interfereBeforeCommit, putsKey } from '../../helpers/interfering-store.js';
import { servicesFactory } from '../../helpers/services.js';
import { b64, wireCaller, type WireBody, type WireCall } from '../../helpers/wire.js';
import { wrapLikeAClient } from '../../helpers/wrap-key-material.js';

const { makeServices, cleanup } = servicesFactory('kms-retry-');
after(cleanup);

const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };

async function createKey(call: WireCall, body: WireBody = {}): Promise<WireBody> {
  return (await call('CreateKey', body)).KeyMetadata as WireBody;
}

async function importMaterial(call: WireCall, keyId: unknown, material: Buffer, body: WireBody = {}): Promise<WireBody> {
  const params = await call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
  const wrapped = wrapLikeAClient(Buffer.from(params.PublicKey as string, 'base64'), 'RSAES_OAEP_SHA_256', material);
  return call('ImportKeyMaterial', {
    KeyId: keyId,
    ImportToken: params.ImportToken,
    EncryptedKeyMaterial: b64(wrapped),
    ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    ...body,
  });
}

async function describeKey(call: WireCall, keyId: unknown): Promise<WireBody> {
  return (await call('DescribeKey', { KeyId: keyId })).KeyMetadata as WireBody;
}

/** `call` over services whose store commits `meanwhile` (through `plain`) before the first commit putting `keyArn`. */
function interfering(services: KmsServices, keyArn: unknown, meanwhile: () => Promise<unknown>, callerScope: Scope = scope) {
  const interference = interfereBeforeCommit(services, async () => void (await meanwhile()), putsKey(keyArn as string));
  return { call: wireCaller(interference.services, callerScope), interference };
}

describe('CancelKeyDeletion', () => {
  test('the key state comes from the materials as they are after a concurrent DeleteImportedKeyMaterial', async () => {
    const services = await makeServices();
    const plain = wireCaller(services, scope);
    const key = await createKey(plain, { Origin: 'EXTERNAL' });
    await importMaterial(plain, key.KeyId, randomBytes(32));
    await plain('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 7 });

    // The material is deleted after CancelKeyDeletion first read the key, before it commits.
    const { call, interference } = interfering(services, key.Arn, () => plain('DeleteImportedKeyMaterial', { KeyId: key.KeyId }));
    assert.deepEqual(await call('CancelKeyDeletion', { KeyId: key.KeyId }), { KeyId: key.Arn });
    assert.ok(interference.happened());
    assert.equal(interference.commits(), 2, 'the first commit met the concurrent change; the retry committed');
    // Decided on stale rows, the key would be Disabled with no material to use.
    const m = await describeKey(plain, key.KeyId);
    assert.equal(m.KeyState, 'PendingImport');
    assert.equal(m.Enabled, false);
  });
});

describe('ImportKeyMaterial into replicas of a multi-Region key', () => {
  test('two replicas importing the primary\'s new material at once: the last one moves it to PENDING_ROTATION', async () => {
    const services = await makeServices();
    const [west, south] = ['eu-west-1', 'ap-south-1'];
    const primaryCall = wireCaller(services, scope);
    const westCall = wireCaller(services, { ...scope, region: west });
    const southCall = wireCaller(services, { ...scope, region: south });
    const primary = await createKey(primaryCall, { Origin: 'EXTERNAL', MultiRegion: true });
    const first = randomBytes(32);
    await importMaterial(primaryCall, primary.KeyId, first);
    for (const [region, call] of [[west, westCall], [south, southCall]] as const) {
      await primaryCall('ReplicateKey', { KeyId: primary.KeyId, ReplicaRegion: region });
      await importMaterial(call, primary.KeyId, first);
    }
    const second = randomBytes(32);
    const { KeyMaterialId: secondId } = await importMaterial(primaryCall, primary.KeyId, second, { ImportType: 'NEW_KEY_MATERIAL' });
    const stateOfSecond = async () =>
      ((await primaryCall('ListKeyRotations', { KeyId: primary.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations as WireBody[]).find(
        (r) => r.KeyMaterialId === secondId,
      )?.KeyMaterialState;
    assert.equal(await stateOfSecond(), 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION');

    // The west replica imports it; just before it commits, the south replica does too. Each saw the
    // other without it: deciding on those rows, neither would move the primary's material on.
    const westArn = `arn:aws:kms:${west}:${scope.accountId}:key/${primary.KeyId as string}`;
    const interference = interfereBeforeCommit(services, async () => void (await importMaterial(southCall, primary.KeyId, second)), putsKey(westArn));
    await importMaterial(wireCaller(interference.services, { ...scope, region: west }), primary.KeyId, second);
    assert.ok(interference.happened());
    assert.equal(await stateOfSecond(), 'PENDING_ROTATION');
    await primaryCall('RotateKeyOnDemand', { KeyId: primary.KeyId });
    assert.equal((await describeKey(primaryCall, primary.KeyId)).CurrentKeyMaterialId, secondId);
  });
});

/** The commit carries a change of this kind. */
function commits(kind: Change['kind']): (changes: readonly Change[]) => boolean {
  return (changes) => changes.some((c) => c.kind === kind);
}

function isAwsError(code: string): (err: unknown) => boolean {
  return (err) => (err as { code?: string }).code === code;
}

describe('aliases', () => {
  test('CreateAlias on a key scheduled for deletion meanwhile: refused as for a key pending deletion', async () => {
    const services = await makeServices();
    const plain = wireCaller(services, scope);
    const key = await createKey(plain);
    const interference = interfereBeforeCommit(services, async () => void (await plain('ScheduleKeyDeletion', { KeyId: key.KeyId })), commits('insertAlias'));
    await assert.rejects(wireCaller(interference.services, scope)('CreateAlias', { AliasName: 'alias/late', TargetKeyId: key.KeyId }), isAwsError('KMSInvalidStateException'));
    assert.ok(interference.happened());
    assert.deepEqual(((await plain('ListAliases', { KeyId: key.KeyId })).Aliases as WireBody[]).length, 0);
  });

  test('UpdateAlias decides compatibility on the key the alias targets when it commits', async () => {
    const services = await makeServices();
    const plain = wireCaller(services, scope);
    const [first, second] = [await createKey(plain), await createKey(plain)];
    const hmac = await createKey(plain, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    await plain('CreateAlias', { AliasName: 'alias/moving', TargetKeyId: first.KeyId });
    // Meanwhile the alias is deleted and made again for an HMAC key: a symmetric key no longer fits it.
    const interference = interfereBeforeCommit(
      services,
      async () => {
        await plain('DeleteAlias', { AliasName: 'alias/moving' });
        await plain('CreateAlias', { AliasName: 'alias/moving', TargetKeyId: hmac.KeyId });
      },
      commits('updateAlias'),
    );
    await assert.rejects(wireCaller(interference.services, scope)('UpdateAlias', { AliasName: 'alias/moving', TargetKeyId: second.KeyId }), isAwsError('ValidationException'));
    assert.ok(interference.happened());
    const [alias] = (await plain('ListAliases', { KeyId: hmac.KeyId })).Aliases as WireBody[];
    assert.equal(alias?.AliasName, 'alias/moving');
  });
});

describe('CreateGrant', () => {
  test('two CreateGrant calls with one Name and the same parameters at once make one grant', async () => {
    const services = await makeServices();
    const plain = wireCaller(services, scope);
    const key = await createKey(plain);
    const request = { KeyId: key.KeyId, Name: 'once', GranteePrincipal: `arn:aws:iam::${scope.accountId}:role/app`, Operations: ['Encrypt', 'Decrypt'] };
    let other: WireBody | undefined;
    const interference = interfereBeforeCommit(services, async () => void (other = await plain('CreateGrant', request)), commits('insertGrant'));
    const mine = await wireCaller(interference.services, scope)('CreateGrant', request);
    assert.ok(interference.happened() && other);
    assert.equal(mine.GrantId, other.GrantId, 'the retry found the grant the other call made');
    assert.notEqual(mine.GrantToken, other.GrantToken);
    assert.equal(((await plain('ListGrants', { KeyId: key.KeyId })).Grants as WireBody[]).length, 1);
  });
});
