// Key rotation domain logic against a real (in-memory SQLite) store and a file root key: new
// material versions, the automatic-rotation schedule, the scheduler job, multi-Region
// propagation, imported material pending rotation, and AWS managed keys.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { keyMaterialAad } from '../../../src/crypto/material-aad.js';
import { SECRET_ACCESS, type SecretMaterial } from '../../../src/crypto/secret.js';
import { decodeBlob, openSymmetric, sealSymmetric } from '../../../src/crypto/symmetric-default.js';
import { KMSInvalidStateException } from '../../../src/errors/aws-errors.js';
import { createAwsManagedKey } from '../../../src/kms/aws-managed-keys.js';
import type { KmsServices } from '../../../src/kms/context.js';
import { buildNewKey } from '../../../src/kms/key-factory.js';
import { generateMaterial } from '../../../src/kms/key-material.js';
import {
  isDueForAutomaticRotation,
  nextRotationAfter,
  onDemandRotationCount,
  rotateKeyMaterial,
  withRotationDisabled,
  withRotationEnabled,
} from '../../../src/kms/key-rotation.js';
import { keyArn } from '../../../src/kms/model/arn.js';
import { DAY_MS, OffsetClock } from '../../../src/kms/model/clock.js';
import { newMaterialId } from '../../../src/kms/model/key-ids.js';
import { defaultKeyPolicy } from '../../../src/kms/model/key-policy.js';
import { ROTATE_ON_DEMAND_RULE, ROTATION_CONFIG_RULE } from '../../../src/kms/model/key-state.js';
import type { KeyRecord, MaterialRecord, Origin, Scope } from '../../../src/kms/model/key.js';
import { rotateDueKeys } from '../../../src/kms/rotation-job.js';
import { StoreConflictError } from '../../../src/store/store.js';
import { KEY_STATES, outcome } from '../../helpers/key-state.js';
import { servicesFactory, type TestServices } from '../../helpers/services.js';

const { makeServices, cleanup } = servicesFactory('kms-rotation-');
after(cleanup);

const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };
const T0 = Date.UTC(2030, 0, 1);

/** Services on a clock fixed at T0 that only moves when a test moves it. */
function newServices(): Promise<TestServices> {
  return makeServices({ clock: new OffsetClock(0, { now: () => T0 }) });
}

async function createKey(
  services: KmsServices,
  options: { multiRegion?: boolean; origin?: Origin; keySpec?: string; scope?: Scope; keyId?: string } = {},
): Promise<KeyRecord> {
  const origin = options.origin ?? 'AWS_KMS';
  const keySpec = options.keySpec ?? 'SYMMETRIC_DEFAULT';
  const { key, changes } = await buildNewKey(services, {
    scope: options.scope ?? scope,
    ...(options.keyId ? { keyId: options.keyId } : {}),
    description: '',
    keyUsage: keySpec === 'SYMMETRIC_DEFAULT' ? 'ENCRYPT_DECRYPT' : 'SIGN_VERIFY',
    keySpec,
    origin,
    keyManager: 'CUSTOMER',
    multiRegion: options.multiRegion ?? false,
    policy: defaultKeyPolicy(scope),
    tags: [],
    // An EXTERNAL key with its first material already imported.
    ...(origin === 'EXTERNAL' ? { materials: [generateMaterial(keySpec)] } : {}),
  });
  await services.store.commit(changes);
  return key;
}

/** What ImportKeyMaterial with ImportType NEW_KEY_MATERIAL leaves behind: imported material PENDING_ROTATION. */
async function putPendingImport(
  services: KmsServices,
  key: KeyRecord,
  expiry: Pick<MaterialRecord, 'expirationModel' | 'validTo'>,
): Promise<{ pendingId: string; secret: SecretMaterial }> {
  const pendingId = newMaterialId();
  const secret = generateMaterial('SYMMETRIC_DEFAULT');
  const wrapped = await services.rootKey.wrap(secret, keyMaterialAad(key.arn, pendingId));
  await services.store.commit([
    {
      kind: 'putMaterial',
      material: { keyArn: key.arn, materialId: pendingId, wrapped, createdAt: T0, state: 'PENDING_ROTATION', importState: 'IMPORTED', ...expiry },
    },
  ]);
  return { pendingId, secret };
}

async function reload(services: KmsServices, key: KeyRecord): Promise<KeyRecord> {
  const fresh = await services.store.getKey({ accountId: key.accountId, region: key.region }, key.keyId);
  assert.ok(fresh, `${key.arn} exists`);
  return fresh;
}

async function put(services: KmsServices, key: KeyRecord, change: Partial<KeyRecord>): Promise<KeyRecord> {
  const next = { ...key, ...change, version: key.version + 1 };
  await services.store.commit([{ kind: 'putKey', key: next, expectedVersion: key.version }]);
  return next;
}

async function materialBytes(services: KmsServices, material: MaterialRecord): Promise<Buffer> {
  return Buffer.from((await services.materials.unwrap(material)).exposeSecret(SECRET_ACCESS));
}

async function encryptUnder(services: KmsServices, key: KeyRecord, text: string): Promise<Buffer> {
  const material = await services.store.getMaterial(key.arn, key.currentMaterialId!);
  return sealSymmetric({ keyId: key.keyId, materialId: key.currentMaterialId!, backingKey: await services.materials.unwrap(material!), plaintext: Buffer.from(text) });
}

async function decryptUnder(services: KmsServices, key: KeyRecord, ciphertext: Buffer): Promise<string | undefined> {
  const blob = decodeBlob(ciphertext)!;
  const material = await services.store.getMaterial(key.arn, blob.materialId);
  if (!material) return undefined;
  return openSymmetric(blob, await services.materials.unwrap(material))?.toString();
}

describe('the automatic-rotation schedule', () => {
  const base = { rotationEnabled: undefined, version: 1 } as unknown as KeyRecord;

  test('enabling schedules the first rotation one period (default 365 days) after now', () => {
    assert.deepEqual(
      [withRotationEnabled(base, undefined, T0)].map((k) => [k.rotationEnabled, k.rotationPeriodInDays, k.nextRotationDate]),
      [[true, 365, T0 + 365 * DAY_MS]],
    );
    const custom = withRotationEnabled(base, 90, T0);
    assert.equal(custom.nextRotationDate, T0 + 90 * DAY_MS);
  });

  test('enabling again with another period counts from the last rotation (or enable date); the same period changes nothing', () => {
    const enabled = withRotationEnabled(base, 180, T0);
    assert.equal(withRotationEnabled(enabled, 180, T0 + 10 * DAY_MS), enabled);
    const shorter = withRotationEnabled(enabled, 90, T0 + 10 * DAY_MS);
    assert.equal(shorter.rotationPeriodInDays, 90);
    assert.equal(shorter.nextRotationDate, T0 + 90 * DAY_MS);
    // No period in the request means the default, 365 days.
    assert.equal(withRotationEnabled(enabled, undefined, T0).nextRotationDate, T0 + 365 * DAY_MS);
  });

  test('disabling forgets the schedule; re-enabling counts from the new enable date', () => {
    const enabled = withRotationEnabled(base, 90, T0);
    const disabled = withRotationDisabled(enabled);
    assert.equal(disabled.rotationEnabled, false);
    assert.equal(disabled.nextRotationDate, undefined);
    assert.equal(withRotationDisabled(disabled), disabled);
    assert.equal(withRotationEnabled(disabled, 90, T0 + 50 * DAY_MS).nextRotationDate, T0 + 140 * DAY_MS);
  });

  test('after a rotation the next date is one period after the scheduled one; missed periods collapse into one', () => {
    const key = { ...withRotationEnabled(base, 90, T0) };
    assert.equal(nextRotationAfter(key, T0 + 90 * DAY_MS + 5000), T0 + 180 * DAY_MS);
    const late = T0 + 400 * DAY_MS;
    assert.equal(nextRotationAfter(key, late), late + 90 * DAY_MS);
  });
});

describe('rotateKeyMaterial', () => {
  test('adds a CURRENT material version under the same key id and ARN; earlier versions keep decrypting', async () => {
    const services = await newServices();
    const key = await createKey(services);
    const oldCiphertext = await encryptUnder(services, key, 'before');
    services.clock.advance(DAY_MS);
    const { key: rotated, materialId } = await rotateKeyMaterial(services, key, 'ON_DEMAND');
    assert.notEqual(materialId, key.currentMaterialId);
    assert.equal(rotated.currentMaterialId, materialId);
    assert.equal(rotated.arn, key.arn);
    assert.deepEqual(await reload(services, key), rotated);

    const materials = await services.store.listMaterials(key.arn);
    assert.deepEqual(
      materials.map((m) => [m.materialId, m.state, m.rotationType, m.createdAt]),
      [
        [key.currentMaterialId, 'NON_CURRENT', undefined, T0],
        [materialId, 'CURRENT', 'ON_DEMAND', T0 + DAY_MS],
      ],
    );
    assert.notDeepEqual(await materialBytes(services, materials[0]!), await materialBytes(services, materials[1]!));
    assert.equal(onDemandRotationCount(materials), 1);
    assert.equal(await decryptUnder(services, rotated, oldCiphertext), 'before');
    const newCiphertext = await encryptUnder(services, rotated, 'after');
    assert.equal(decodeBlob(newCiphertext)!.materialId, materialId);
    assert.equal(await decryptUnder(services, rotated, newCiphertext), 'after');
  });

  test('a key read before a concurrent change does not rotate: the commit is refused and nothing is written', async () => {
    const services = await newServices();
    const key = await createKey(services);
    await put(services, key, { description: 'changed' });
    await assert.rejects(rotateKeyMaterial(services, key, 'AUTOMATIC'), (err) => err instanceof StoreConflictError && err.reason === 'version');
    assert.equal((await services.store.listMaterials(key.arn)).length, 1);
  });

  test('a multi-Region primary: every replica gets the same material id and material, wrapped under its own ARN, in one commit', async () => {
    const services = await newServices();
    const primary = await put(services, await createKey(services, { multiRegion: true }), { primaryRegion: 'us-east-1' });
    // A replica as ReplicateKey makes it: same key id and material, wrapped under the replica's ARN.
    const replicaScope = { ...scope, region: 'eu-west-1' };
    const replicaArn = keyArn(replicaScope, primary.keyId);
    const replica: KeyRecord = { ...primary, arn: replicaArn, region: 'eu-west-1', version: 1 };
    const first = (await services.store.getMaterial(primary.arn, primary.currentMaterialId!))!;
    const firstSecret = await services.materials.unwrap(first);
    await services.store.commit([
      { kind: 'putKey', key: replica },
      { kind: 'putMaterial', material: { ...first, keyArn: replicaArn, wrapped: await services.rootKey.wrap(firstSecret, keyMaterialAad(replicaArn, first.materialId)) } },
    ]);
    const scheduled = await put(services, primary, { rotationEnabled: true, rotationPeriodInDays: 90, nextRotationDate: T0 });

    const { materialId } = await rotateKeyMaterial(services, scheduled, 'AUTOMATIC', { nextRotationDate: T0 + 90 * DAY_MS });
    const [primaryAfter, replicaAfter] = [await reload(services, primary), await reload(services, replica)];
    assert.equal(primaryAfter.currentMaterialId, materialId);
    assert.equal(replicaAfter.currentMaterialId, materialId);
    assert.equal(primaryAfter.nextRotationDate, T0 + 90 * DAY_MS);
    assert.equal(replicaAfter.nextRotationDate, undefined, 'the schedule stays with the primary');
    const onPrimary = (await services.store.getMaterial(primary.arn, materialId))!;
    const onReplica = (await services.store.getMaterial(replicaArn, materialId))!;
    assert.equal(onReplica.state, 'CURRENT');
    assert.equal(onReplica.rotationType, 'AUTOMATIC');
    assert.notDeepEqual(onReplica.wrapped, onPrimary.wrapped, 'each copy is wrapped under its own key ARN');
    services.materials.clear();
    assert.deepEqual(await materialBytes(services, onReplica), await materialBytes(services, onPrimary));
    assert.equal((await services.store.getMaterial(replicaArn, first.materialId))!.state, 'NON_CURRENT');
    // A ciphertext made in the primary's Region decrypts in the replica's.
    const ciphertext = await encryptUnder(services, primaryAfter, 'anywhere');
    assert.equal(await decryptUnder(services, replicaAfter, ciphertext), 'anywhere');
  });

  test('imported material (EXTERNAL): after rotation ValidTo is the earliest expiry of every associated material', async () => {
    const services = await newServices();
    const key = await createKey(services, { origin: 'EXTERNAL' });
    const [first] = await services.store.listMaterials(key.arn);
    const soon = T0 + 10 * DAY_MS;
    await services.store.commit([
      { kind: 'putMaterial', material: { ...first!, importState: 'IMPORTED', expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: soon } },
    ]);
    await putPendingImport(services, key, { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    const { key: rotated } = await rotateKeyMaterial(services, await reload(services, key), 'ON_DEMAND');
    // The old material still decrypts until it expires, so the key still expires then.
    assert.equal(rotated.expirationModel, 'KEY_MATERIAL_EXPIRES');
    assert.equal(rotated.validTo, soon);
    assert.equal((await reload(services, key)).validTo, soon);
  });

  test('imported material (EXTERNAL): the material PENDING_ROTATION becomes current; without one the rotation is refused', async () => {
    const services = await newServices();
    const key = await createKey(services, { origin: 'EXTERNAL' });
    await assert.rejects(
      rotateKeyMaterial(services, key, 'ON_DEMAND'),
      (err) =>
        err instanceof KMSInvalidStateException &&
        err.message === `No available key material pending rotation for the key: ${key.arn}.`,
    );
    // What ImportKeyMaterial with ImportType NEW_KEY_MATERIAL leaves behind.
    const validTo = T0 + 30 * DAY_MS;
    const { pendingId, secret } = await putPendingImport(services, key, { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo });
    services.clock.advance(DAY_MS);
    const { key: rotated, materialId } = await rotateKeyMaterial(services, key, 'ON_DEMAND');
    assert.equal(materialId, pendingId);
    assert.equal(rotated.currentMaterialId, pendingId);
    assert.equal(rotated.expirationModel, 'KEY_MATERIAL_EXPIRES');
    assert.equal(rotated.validTo, validTo);
    const materials = await services.store.listMaterials(key.arn);
    assert.deepEqual(
      materials.map((m) => [m.materialId, m.state, m.rotationType, m.createdAt]),
      [
        [key.currentMaterialId, 'NON_CURRENT', undefined, T0],
        [pendingId, 'CURRENT', 'ON_DEMAND', T0 + DAY_MS],
      ],
    );
    assert.deepEqual(await materialBytes(services, materials[1]!), Buffer.from(secret.exposeSecret(SECRET_ACCESS)));
  });
});

describe('rotateDueKeys (the scheduler job)', () => {
  test('rotates Enabled keys whose date has passed; disabled, pending-deletion and not-yet-due keys wait', async () => {
    const services = await newServices();
    const schedule = { rotationEnabled: true, rotationPeriodInDays: 90, nextRotationDate: T0 + 90 * DAY_MS };
    const due = await put(services, await createKey(services), schedule);
    const disabled = await put(services, await createKey(services), { ...schedule, state: 'Disabled' });
    const pendingDeletion = await put(services, await createKey(services), { ...schedule, state: 'PendingDeletion', deletionDate: T0 + 400 * DAY_MS });
    const later = await put(services, await createKey(services), { ...schedule, nextRotationDate: T0 + 100 * DAY_MS });
    const off = await createKey(services);

    assert.equal(await rotateDueKeys(services), 0, 'nothing is due yet');
    services.clock.advance(95 * DAY_MS);
    assert.equal(await rotateDueKeys(services), 1);
    const rotated = await reload(services, due);
    assert.notEqual(rotated.currentMaterialId, due.currentMaterialId);
    // Five days late (the clock jumped 95 days at once): rotated now, next one period from now.
    assert.equal(rotated.nextRotationDate, T0 + 185 * DAY_MS, 'one period after the late rotation');
    assert.deepEqual((await services.store.listMaterials(due.arn)).map((m) => m.rotationType), [undefined, 'AUTOMATIC']);
    for (const k of [disabled, pendingDeletion, later, off]) assert.deepEqual(await reload(services, k), k);
    assert.equal(await rotateDueKeys(services), 0, 'a second run finds nothing new');

    // AWS: a re-enabled key whose rotation date passed while it was disabled rotates at once.
    await put(services, await reload(services, disabled), { state: 'Enabled' });
    assert.equal(await rotateDueKeys(services), 1);
    // AWS: "KMS rotates it immediately, and every year thereafter": the schedule restarts from now.
    assert.equal((await reload(services, disabled)).nextRotationDate, T0 + 185 * DAY_MS);
  });

  test('a rotation within the scheduler grace keeps the phase', async () => {
    const services = await newServices();
    const key = await put(services, await createKey(services), { rotationEnabled: true, rotationPeriodInDays: 90, nextRotationDate: T0 + 90 * DAY_MS });
    services.clock.advance(90 * DAY_MS + 30 * 60_000);
    assert.equal(await rotateDueKeys(services), 1);
    assert.equal((await reload(services, key)).nextRotationDate, T0 + 180 * DAY_MS);
  });

  test('a key that missed several periods rotates once, then one period from now', async () => {
    const services = await newServices();
    const key = await put(services, await createKey(services), { rotationEnabled: true, rotationPeriodInDays: 90, nextRotationDate: T0 + 90 * DAY_MS });
    services.clock.advance(400 * DAY_MS);
    assert.equal(await rotateDueKeys(services), 1);
    assert.equal((await reload(services, key)).nextRotationDate, T0 + 490 * DAY_MS);
    assert.equal((await services.store.listMaterials(key.arn)).length, 2);
  });

  test('pages past due keys that must wait, so they cannot starve the others', async () => {
    const services = await newServices();
    const schedule = { rotationEnabled: true, rotationPeriodInDays: 90, nextRotationDate: T0 + 10 * DAY_MS };
    for (let i = 0; i < 5; i++) await put(services, await createKey(services), { ...schedule, nextRotationDate: T0 + i * DAY_MS, state: 'Disabled' });
    const keys = [];
    for (let i = 0; i < 3; i++) keys.push(await put(services, await createKey(services), schedule));
    services.clock.advance(20 * DAY_MS);
    assert.equal(await rotateDueKeys(services, 2), 3);
    for (const k of keys) assert.equal((await services.store.listMaterials(k.arn)).length, 2);
  });

  test('isDueForAutomaticRotation: only symmetric AWS_KMS keys that are not replicas', () => {
    const key = { rotationEnabled: true, nextRotationDate: T0, state: 'Enabled', keySpec: 'SYMMETRIC_DEFAULT', origin: 'AWS_KMS', multiRegion: false, region: 'us-east-1' } as KeyRecord;
    assert.equal(isDueForAutomaticRotation(key, T0), true);
    assert.equal(isDueForAutomaticRotation(key, T0 - 1), false);
    assert.equal(isDueForAutomaticRotation({ ...key, multiRegion: true, primaryRegion: 'eu-west-1' }, T0), false);
    assert.equal(isDueForAutomaticRotation({ ...key, origin: 'EXTERNAL' }, T0), false);
    assert.equal(isDueForAutomaticRotation({ ...key, keySpec: 'HMAC_256' }, T0), false);
    assert.equal(isDueForAutomaticRotation({ ...key, state: 'Updating' }, T0), false);
  });
});

describe('AWS managed keys', () => {
  test('are created with automatic rotation every 365 days, and the scheduler rotates them a year later', async () => {
    const services = await newServices();
    const key = await createAwsManagedKey(services, scope, 'alias/aws/s3');
    const stored = await reload(services, key);
    assert.equal(stored.keyManager, 'AWS');
    assert.equal(stored.rotationEnabled, true);
    assert.equal(stored.rotationPeriodInDays, 365);
    assert.equal(stored.nextRotationDate, T0 + 365 * DAY_MS);
    services.clock.advance(365 * DAY_MS);
    assert.equal(await rotateDueKeys(services), 1);
    assert.equal((await reload(services, key)).nextRotationDate, T0 + 730 * DAY_MS);
  });
});

describe('the key-state rows of the rotation operations', () => {
  test('EnableKeyRotation, DisableKeyRotation: PendingImport and Unavailable pass to the origin check (UnsupportedOperationException there)', () => {
    assert.deepEqual(
      KEY_STATES.map((s) => outcome(ROTATION_CONFIG_RULE, s)),
      [
        'ok',
        'DisabledException: is disabled.',
        'KMSInvalidStateException: is pending deletion.',
        'ok',
        'KMSInvalidStateException: is pending replica deletion.',
        'ok',
        'KMSInvalidStateException: is creating.',
        'ok',
      ],
    );
  });

  test('RotateKeyOnDemand', () => {
    assert.deepEqual(
      KEY_STATES.map((s) => outcome(ROTATE_ON_DEMAND_RULE, s)),
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
});
