// Key rotation through @aws-sdk/client-kms against the real server (--dev): automatic rotation
// watched through the dev clock, on-demand rotation and its quota, ListKeyRotations and its
// pagination, the keys that cannot rotate, key states, AWS managed keys and multi-Region keys.
// Every test uses its own account; tests that move the clock look only at their own keys.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  type ImportKeyMaterialCommandInput,
  KMSClient,
  ListKeyRotationsCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

const REGION = 'ap-southeast-2';
const DAY_MS = 86_400_000;

let server: TestServer;
const clients: KMSClient[] = [];
let accountCounter = 0;

before(async () => {
  server = await startServer();
});
after(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

/** A client of a fresh account (its keys are the test's own). */
function newAccount(region = REGION): { kms: KMSClient; account: string; inRegion(region: string): KMSClient } {
  const account = String(310000000000 + ++accountCounter);
  const make = (r: string) => {
    const c = server.client({ region: r, accessKeyId: account });
    clients.push(c);
    return c;
  };
  return { kms: make(region), account, inRegion: make };
}

async function serverNow(): Promise<number> {
  const res = await server.devPost('/_kms/clock', {});
  return Date.parse((res.body as { now: string }).now);
}

async function advanceDays(days: number): Promise<void> {
  const res = await server.devPost('/_kms/clock', { advanceDays: days });
  assert.equal(res.status, 200);
}

const createKey = async (kms: KMSClient, input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}): Promise<KeyMetadata> =>
  (await kms.send(new CreateKeyCommand(input))).KeyMetadata!;
const describe_ = async (kms: KMSClient, keyId: string): Promise<KeyMetadata> => (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
const status = (kms: KMSClient, keyId: string) => kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));

/** Asserts a date within a few seconds after `expected` (the server's clock moved on a little). */
function assertAbout(actual: Date | undefined, expected: number, label: string): void {
  assert.ok(actual instanceof Date, `${label} is a date`);
  const delta = actual.getTime() - expected;
  assert.ok(delta >= -1000 && delta < 10_000, `${label}: ${actual.toISOString()} is not ~${new Date(expected).toISOString()}`);
}

describe('automatic rotation, watched through the dev clock', () => {
  test('a key rotating every 90 days rotates four times in a simulated year; every ciphertext still decrypts', async () => {
    const { kms } = newAccount();
    const key = await createKey(kms, { Description: 'rotates every 90 days' });
    const enabledAt = await serverNow();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    const initial = await status(kms, key.KeyId!);
    assert.equal(initial.KeyRotationEnabled, true);
    assert.equal(initial.RotationPeriodInDays, 90);
    assert.equal(initial.KeyId, key.KeyId);
    assertAbout(initial.NextRotationDate, enabledAt + 90 * DAY_MS, 'NextRotationDate');
    assert.equal(initial.OnDemandRotationStartDate, undefined);

    const materialIds = [key.CurrentKeyMaterialId!];
    const ciphertexts: Uint8Array[] = [];
    const encrypt = async (i: number) => {
      const enc = await kms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from(`period ${i}`), EncryptionContext: { period: String(i) } }));
      ciphertexts.push(enc.CiphertextBlob!);
    };
    await encrypt(0);
    for (let i = 1; i <= 4; i++) {
      await advanceDays(90);
      const current = (await describe_(kms, key.KeyId!)).CurrentKeyMaterialId!;
      assert.ok(!materialIds.includes(current), `rotation ${i} made new material`);
      materialIds.push(current);
      await encrypt(i);
      assertAbout((await status(kms, key.KeyId!)).NextRotationDate, enabledAt + (i + 1) * 90 * DAY_MS, `NextRotationDate after rotation ${i}`);
    }
    // A margin: the fifth rotation is still 89 days away.
    await advanceDays(1);
    assert.equal((await describe_(kms, key.KeyId!)).CurrentKeyMaterialId, materialIds[4]);

    for (const [i, blob] of ciphertexts.entries()) {
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { period: String(i) } }));
      assert.equal(Buffer.from(dec.Plaintext!).toString(), `period ${i}`);
      assert.equal(dec.KeyMaterialId, materialIds[i], `ciphertext ${i} names the material it was made with`);
      assert.equal(dec.KeyId, key.Arn);
    }

    const rotations = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations!;
    assert.deepEqual(
      rotations.map((r) => [r.KeyId, r.KeyMaterialId, r.RotationType, r.KeyMaterialState]),
      materialIds.slice(1).map((id, i) => [key.KeyId, id, 'AUTOMATIC', i === 3 ? 'CURRENT' : 'NON_CURRENT']),
    );
    for (const [i, r] of rotations.entries()) assertAbout(r.RotationDate, enabledAt + (i + 1) * 90 * DAY_MS, `RotationDate ${i + 1}`);
    for (const r of rotations) assert.equal(r.ImportState, undefined, 'import fields only for EXTERNAL keys');

    const all = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.Arn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations!;
    assert.equal(all.length, 5);
    assert.deepEqual(all[0], { KeyId: key.KeyId, KeyMaterialId: materialIds[0], KeyMaterialState: 'NON_CURRENT' }, 'the first material has no rotation date or type');
  });

  test('a disabled key does not rotate; re-enabled after its date, it rotates at once', async () => {
    const { kms } = newAccount();
    const key = await createKey(kms);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    // AWS: "The key rotation status does not change when you disable a KMS key."
    assert.equal((await status(kms, key.KeyId!)).KeyRotationEnabled, true);
    await advanceDays(100);
    assert.equal((await describe_(kms, key.KeyId!)).CurrentKeyMaterialId, key.CurrentKeyMaterialId);
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    await advanceDays(0.001);
    assert.notEqual((await describe_(kms, key.KeyId!)).CurrentKeyMaterialId, key.CurrentKeyMaterialId);
  });

  test('a key pending deletion reports rotation off and does not rotate; cancelling restores the status', async () => {
    const { kms } = newAccount();
    const key = await createKey(kms);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 30 }));
    assert.deepEqual(await status(kms, key.KeyId!).then((s) => [s.KeyRotationEnabled, s.RotationPeriodInDays, s.NextRotationDate]), [false, undefined, undefined]);
    const refused = await awsError(() => kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })));
    assert.deepEqual(refused, { name: 'KMSInvalidStateException', message: `${key.Arn} is pending deletion.`, status: 400 });
    const onDemand = await awsError(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })));
    assert.deepEqual(onDemand, { name: 'KMSInvalidStateException', message: `${key.Arn} is pending deletion.`, status: 400 });
    await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    const restored = await status(kms, key.KeyId!);
    assert.equal(restored.KeyRotationEnabled, true);
    assert.equal(restored.RotationPeriodInDays, 90);
  });

  test('EnableKeyRotation on an enabled key changes the period, counted from the enable date; DisableKeyRotation turns it off', async () => {
    const { kms } = newAccount();
    const key = await createKey(kms);
    const enabledAt = await serverNow();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
    assert.equal((await status(kms, key.KeyId!)).RotationPeriodInDays, 365);
    assertAbout((await status(kms, key.KeyId!)).NextRotationDate, enabledAt + 365 * DAY_MS, 'default period');
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.Arn, RotationPeriodInDays: 180 }));
    const changed = await status(kms, key.KeyId!);
    assert.equal(changed.RotationPeriodInDays, 180);
    assertAbout(changed.NextRotationDate, enabledAt + 180 * DAY_MS, 'new period from the enable date');
    await kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId }));
    const off = await status(kms, key.KeyId!);
    assert.deepEqual([off.KeyRotationEnabled, off.KeyId, off.RotationPeriodInDays, off.NextRotationDate], [false, key.KeyId, undefined, undefined]);
    await kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId }));
  });
});

describe('RotateKeyOnDemand', () => {
  test('rotates at once, leaves the automatic schedule alone, and counts against a quota of 25 per key', async () => {
    const { kms } = newAccount();
    const key = await createKey(kms);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 365 }));
    const before = await status(kms, key.KeyId!);
    const enc = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('old') }));

    const res = await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.Arn }));
    assert.equal(res.KeyId, key.Arn);
    const current = (await describe_(kms, key.KeyId!)).CurrentKeyMaterialId!;
    assert.notEqual(current, key.CurrentKeyMaterialId);
    const after = await status(kms, key.KeyId!);
    // AWS: "On-demand rotations do not change existing automatic rotation schedules."
    assert.deepEqual(after.NextRotationDate, before.NextRotationDate);
    assert.equal(after.OnDemandRotationStartDate, undefined, 'the rotation is complete when RotateKeyOnDemand answers');
    const [rotation] = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations!;
    assert.equal(rotation!.RotationType, 'ON_DEMAND');
    assert.equal(rotation!.KeyMaterialId, current);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'old');
    assert.equal(dec.KeyMaterialId, key.CurrentKeyMaterialId);

    for (let i = 2; i <= 25; i++) await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    const limit = await awsError(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })));
    assert.deepEqual(limit, {
      name: 'LimitExceededException',
      message: `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.Arn}`,
      status: 400,
    });

    // ListKeyRotations pages with Limit and Marker.
    const seen: string[] = [];
    let marker: string | undefined;
    const pageSizes: number[] = [];
    do {
      const page = await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId, Limit: 10, ...(marker ? { Marker: marker } : {}) }));
      pageSizes.push(page.Rotations!.length);
      seen.push(...page.Rotations!.map((r) => r.KeyMaterialId!));
      assert.equal(page.Truncated, page.NextMarker !== undefined);
      marker = page.NextMarker;
    } while (marker);
    assert.deepEqual(pageSizes, [10, 10, 5]);
    assert.equal(new Set(seen).size, 25);
    assert.equal(seen.at(-1), (await describe_(kms, key.KeyId!)).CurrentKeyMaterialId);
    const bad = await awsError(() => kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId, Marker: 'not-a-marker' })));
    assert.deepEqual(bad, { name: 'InvalidMarkerException', message: 'Invalid marker', status: 400 });
  });
});

/** Imports `material` into an EXTERNAL key the way a caller does: RSAES_OAEP_SHA_256 under the downloaded public key. */
async function importMaterial(kms: KMSClient, keyId: string, material: Buffer, extra: Partial<ImportKeyMaterialCommandInput>) {
  const params = await kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
  const publicKey = createPublicKey({ key: Buffer.from(params.PublicKey!), format: 'der', type: 'spki' });
  const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, material);
  return kms.send(new ImportKeyMaterialCommand({ KeyId: keyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ...extra }));
}

describe('RotateKeyOnDemand with imported key material', () => {
  test('the material imported as NEW_KEY_MATERIAL waits in PENDING_ROTATION, then becomes current; ListKeyRotations shows the import fields', async () => {
    const { kms } = newAccount();
    const key = await createKey(kms, { Origin: 'EXTERNAL' });
    const first = await importMaterial(kms, key.KeyId!, randomBytes(32), { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    const none = await awsError(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })));
    assert.deepEqual(none, {
      name: 'KMSInvalidStateException',
      message: `No available key material pending rotation for the key: ${key.Arn}.`,
      status: 400,
    });
    const validTo = new Date((await serverNow()) + 30 * DAY_MS);
    const second = await importMaterial(kms, key.KeyId!, randomBytes(32), {
      ImportType: 'NEW_KEY_MATERIAL',
      ExpirationModel: 'KEY_MATERIAL_EXPIRES',
      ValidTo: validTo,
      KeyMaterialDescription: 'second generation',
    });
    assert.deepEqual((await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations, [], 'no rotation yet');
    const pending = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations!;
    assert.deepEqual(pending.map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.ImportState, r.ExpirationModel, r.KeyMaterialDescription, r.RotationType]), [
      [first.KeyMaterialId, 'CURRENT', 'IMPORTED', 'KEY_MATERIAL_DOES_NOT_EXPIRE', undefined, undefined],
      [second.KeyMaterialId, 'PENDING_ROTATION', 'IMPORTED', 'KEY_MATERIAL_EXPIRES', 'second generation', undefined],
    ]);
    assert.equal(pending[0]!.ValidTo, undefined);
    assert.equal(pending[1]!.ValidTo?.getTime(), validTo.getTime());
    assert.equal(pending[1]!.RotationDate, undefined);

    const rotatedAt = await serverNow();
    assert.equal((await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }))).KeyId, key.Arn);
    const described = await describe_(kms, key.KeyId!);
    assert.equal(described.CurrentKeyMaterialId, second.KeyMaterialId);
    assert.equal(described.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
    const [rotation] = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations!;
    assert.equal(rotation!.KeyMaterialId, second.KeyMaterialId);
    assert.equal(rotation!.KeyMaterialState, 'CURRENT');
    assert.equal(rotation!.RotationType, 'ON_DEMAND');
    assertAbout(rotation!.RotationDate, rotatedAt, 'RotationDate is when the rotation completed');
  });
});

describe('keys that cannot rotate, and key states', () => {
  test('asymmetric and HMAC keys: UnsupportedOperationException; GetKeyRotationStatus answers false', async () => {
    const { kms } = newAccount();
    const ecc = await createKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const hmac = await createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    for (const key of [ecc, hmac]) {
      for (const send of [
        () => kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })),
        () => kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId })),
        () => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
        () => kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId })),
      ]) {
        assert.deepEqual(await awsError(send), {
          name: 'UnsupportedOperationException',
          message: 'You cannot perform this operation on a non-symmetric key or a key with non-ENCRYPT_DECRYPT key usage.',
          status: 400,
        });
      }
      const s = await status(kms, key.KeyId!);
      assert.equal(s.KeyRotationEnabled, false);
      assert.equal(s.KeyId, key.KeyId);
    }
  });

  test('RotationPeriodInDays outside 90-2560: ValidationException', async () => {
    const { kms } = newAccount();
    const key = await createKey(kms);
    for (const [days, bound] of [
      [89, 'greater than or equal to 90'],
      [2561, 'less than or equal to 2560'],
    ] as const) {
      const err = await awsError(() => kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: days })));
      assert.deepEqual(err, {
        name: 'ValidationException',
        message: `1 validation error detected: Value '${days}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value ${bound}`,
        status: 400,
      });
    }
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 2560 }));
    assert.equal((await status(kms, key.KeyId!)).RotationPeriodInDays, 2560);
  });

  test('a disabled key: DisabledException for Enable/DisableKeyRotation and RotateKeyOnDemand; status and list still answer', async () => {
    const { kms } = newAccount();
    const key = await createKey(kms);
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    for (const send of [
      () => kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })),
      () => kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId })),
      () => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
    ]) {
      assert.deepEqual(await awsError(send), { name: 'DisabledException', message: `${key.Arn} is disabled.`, status: 400 });
    }
    assert.equal((await status(kms, key.KeyId!)).KeyRotationEnabled, false);
    assert.deepEqual((await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations, []);
  });

  test('keys are named by key id or key ARN only (an alias is InvalidArnException); unknown keys are NotFoundException', async () => {
    const { kms, account } = newAccount();
    const alias = await awsError(() => kms.send(new GetKeyRotationStatusCommand({ KeyId: 'alias/aws/s3' })));
    assert.deepEqual(alias, { name: 'InvalidArnException', message: 'Key Aliases are not supported for this operation.', status: 400 });
    const missing = '1234abcd-12ab-34cd-56ef-1234567890ab';
    const notFound = await awsError(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: missing })));
    assert.deepEqual(notFound, { name: 'NotFoundException', message: `Key 'arn:aws:kms:${REGION}:${account}:key/${missing}' does not exist`, status: 400 });
  });

  test('keys for imported material: no automatic rotation (origin EXTERNAL); no on-demand rotation while material is pending import', async () => {
    const { kms } = newAccount();
    const key = await createKey(kms, { Origin: 'EXTERNAL' });
    const origin = { name: 'UnsupportedOperationException', message: `${key.Arn} origin is EXTERNAL which is not valid for this operation.`, status: 400 };
    assert.deepEqual(await awsError(() => kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }))), origin);
    assert.deepEqual(await awsError(() => kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId }))), origin);
    assert.deepEqual(await awsError(() => status(kms, key.KeyId!)), origin);
    assert.deepEqual(await awsError(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }))), {
      name: 'KMSInvalidStateException',
      message: `${key.Arn} is pending import.`,
      status: 400,
    });
    assert.deepEqual((await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations, []);
  });
});

describe('AWS managed keys', () => {
  test('rotate every year; their rotation cannot be turned off, changed or triggered', async () => {
    const { kms, account } = newAccount();
    const createdAt = await serverNow();
    // DescribeKey of a predefined alias creates its key (KMS API Reference, DescribeKey).
    const key = await describe_(kms, 'alias/aws/s3');
    assert.equal(key.KeyManager, 'AWS');
    const s = await status(kms, key.KeyId!);
    // AWS: "The key rotation status for Amazon Web Services managed KMS keys is always true."
    assert.equal(s.KeyRotationEnabled, true);
    assert.equal(s.RotationPeriodInDays, 365);
    assertAbout(s.NextRotationDate, createdAt + 365 * DAY_MS, 'one year after creation');
    const principal = `arn:aws:iam::${account}:root`;
    for (const [action, send] of [
      ['DisableKeyRotation', () => kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId }))],
      ['EnableKeyRotation', () => kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }))],
      ['RotateKeyOnDemand', () => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }))],
    ] as const) {
      const err = await awsError(send);
      assert.equal(err.name, 'AccessDeniedException');
      assert.match(err.message, new RegExp(`^User: ${principal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not authorized to perform: kms:${action} on resource: ${key.Arn}`));
    }
    await advanceDays(366);
    assert.notEqual((await describe_(kms, key.KeyId!)).CurrentKeyMaterialId, key.CurrentKeyMaterialId);
    const [rotation] = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations!;
    assert.equal(rotation!.RotationType, 'AUTOMATIC');
  });
});

describe('multi-Region keys', () => {
  test('rotating the primary (on demand or automatically) rotates every replica; replicas refuse rotation settings', async () => {
    const { kms, inRegion } = newAccount('us-west-2');
    const replicaKms = inRegion('eu-central-1');
    const primary = await createKey(kms, { MultiRegion: true });
    const { ReplicaKeyMetadata: replica } = await kms.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'eu-central-1' }));
    const notPrimary = { name: 'UnsupportedOperationException', message: `${replica!.Arn} is not a multi-region primary key.`, status: 400 };
    for (const send of [
      () => replicaKms.send(new EnableKeyRotationCommand({ KeyId: replica!.KeyId })),
      () => replicaKms.send(new DisableKeyRotationCommand({ KeyId: replica!.KeyId })),
      () => replicaKms.send(new RotateKeyOnDemandCommand({ KeyId: replica!.KeyId })),
    ]) {
      assert.deepEqual(await awsError(send), notPrimary);
    }

    await kms.send(new RotateKeyOnDemandCommand({ KeyId: primary.KeyId }));
    const afterOnDemand = (await describe_(kms, primary.KeyId!)).CurrentKeyMaterialId!;
    assert.notEqual(afterOnDemand, primary.CurrentKeyMaterialId);
    assert.equal((await describe_(replicaKms, replica!.KeyId!)).CurrentKeyMaterialId, afterOnDemand);
    const enc = await kms.send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: Buffer.from('cross-Region') }));
    const dec = await replicaKms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'cross-Region');
    assert.equal(dec.KeyMaterialId, afterOnDemand);

    // The replica reports the primary's rotation settings.
    await kms.send(new EnableKeyRotationCommand({ KeyId: primary.KeyId, RotationPeriodInDays: 90 }));
    const [primaryStatus, replicaStatus] = [await status(kms, primary.KeyId!), await status(replicaKms, replica!.KeyId!)];
    assert.equal(replicaStatus.KeyRotationEnabled, true);
    assert.equal(replicaStatus.RotationPeriodInDays, 90);
    assert.deepEqual(replicaStatus.NextRotationDate, primaryStatus.NextRotationDate);

    await advanceDays(91);
    const afterAutomatic = (await describe_(kms, primary.KeyId!)).CurrentKeyMaterialId!;
    assert.notEqual(afterAutomatic, afterOnDemand);
    assert.equal((await describe_(replicaKms, replica!.KeyId!)).CurrentKeyMaterialId, afterAutomatic);
    const replicaRotations = (await replicaKms.send(new ListKeyRotationsCommand({ KeyId: replica!.Arn }))).Rotations!;
    assert.deepEqual(
      replicaRotations.map((r) => [r.KeyMaterialId, r.RotationType]),
      [
        [afterOnDemand, 'ON_DEMAND'],
        [afterAutomatic, 'AUTOMATIC'],
      ],
    );
  });
});

describe('on-demand rotation next to an automatic one', () => {
  test('RotateKeyOnDemand within 20 minutes of the scheduled automatic rotation is ConflictException', async () => {
    const { kms } = newAccount();
    const key = await createKey(kms);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    const next = (await status(kms, key.KeyId!)).NextRotationDate!.getTime();
    const now = await serverNow();
    // Stop 10 minutes before the scheduled rotation (the scheduler does not run it yet).
    await server.devPost('/_kms/clock', { advanceSeconds: Math.floor((next - now) / 1000) - 600 });
    const err = await awsError(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })));
    assert.equal(err.name, 'ConflictException');
  });
});
