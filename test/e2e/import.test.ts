// Imported key material (BYOK) end to end: the wrapping key is downloaded with
// GetParametersForImport, the material is wrapped here with node:crypto (outside the server), and
// what the server then encrypts is decrypted here again with the same material.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  constants,
  createDecipheriv,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  privateDecrypt,
  randomBytes,
} from 'node:crypto';
import {
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  ListKeyRotationsCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  type AlgorithmSpec,
  type CreateKeyCommandInput,
  type ImportKeyMaterialCommandInput,
  type KMSClient,
  type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';
import { wrapLikeAClient } from '../helpers/wrap-key-material.js';

let server: TestServer;
let kms: KMSClient;
let replicaKms: KMSClient;
const REGION = 'ap-southeast-2';
const REPLICA_REGION = 'ap-southeast-4';
const DAY = 86_400_000;

before(async () => {
  server = await startServer();
  kms = server.client({ region: REGION });
  replicaKms = server.client({ region: REPLICA_REGION });
});
after(async () => {
  kms?.destroy();
  replicaKms?.destroy();
  await server?.stop();
});

// ---- the caller's side, outside the server ----

/** docs/ciphertext-format.md, with nothing but node:crypto (as test/unit/crypto/symmetric-default.test.ts). */
function decryptOutside(blob: Uint8Array, material: Buffer, context: Record<string, string>): Buffer {
  const bytes = Buffer.from(blob);
  const idLength = bytes[1]!;
  const headerLength = 2 + idLength + 32 + 16 + 12;
  const header = bytes.subarray(0, headerLength);
  const salt = header.subarray(2 + idLength + 32, 2 + idLength + 48);
  const nonce = header.subarray(headerLength - 12);
  const info = Buffer.concat([Buffer.from('kms-server/v1/symmetric-default'), header]);
  const key = Buffer.from(hkdfSync('sha256', material, salt, info, 32));
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.concat([header, canonicalContext(context)]));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(headerLength, bytes.length - 16)), decipher.final()]);
}

function canonicalContext(context: Record<string, string>): Buffer {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const entries = Object.entries(context)
    .map(([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const)
    .sort(([a], [b]) => Buffer.compare(a, b));
  return Buffer.concat([u32(entries.length), ...entries.flatMap(([k, v]) => [u32(k.length), k, u32(v.length), v])]);
}

// ---- helpers against the server ----

async function serverNow(): Promise<number> {
  const { body } = await server.devPost('/_kms/clock', {});
  return Date.parse((body as { now: string }).now);
}

async function externalKey(input: CreateKeyCommandInput = {}) {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', ...input }));
  assert.equal(KeyMetadata!.KeyState, 'PendingImport');
  return { KeyId: KeyMetadata!.KeyId!, Arn: KeyMetadata!.Arn! };
}

async function parameters(keyId: string, algorithm: AlgorithmSpec = 'RSAES_OAEP_SHA_256', spec: WrappingKeySpec = 'RSA_2048', client = kms) {
  return client.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: spec }));
}

/** Downloads a wrapping key, wraps `material` with it here, and imports it. */
async function importMaterial(
  keyId: string,
  material: Buffer,
  options: Partial<ImportKeyMaterialCommandInput> & { algorithm?: AlgorithmSpec; spec?: WrappingKeySpec; client?: KMSClient } = {},
) {
  const { algorithm = 'RSAES_OAEP_SHA_256', spec = 'RSA_2048', client = kms, ...rest } = options;
  const params = await parameters(keyId, algorithm, spec, client);
  return client.send(
    new ImportKeyMaterialCommand({
      KeyId: keyId,
      ImportToken: params.ImportToken!,
      EncryptedKeyMaterial: wrapLikeAClient(params.PublicKey!, algorithm, material),
      ...(rest.ValidTo === undefined && rest.ExpirationModel === undefined ? { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } : {}),
      ...rest,
    }),
  );
}

const describeKey = async (keyId: string) => (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;

describe('BYOK: symmetric material', () => {
  test('import with RSAES_OAEP_SHA_256, encrypt in the service, decrypt outside it with the same material', async () => {
    const key = await externalKey({ Description: 'byok' });
    const before = await serverNow();
    const params = await parameters(key.KeyId);
    assert.equal(params.KeyId, key.Arn);
    assert.ok(params.ImportToken!.length <= 6144);
    // AWS: "Each public key and import token set is valid for 24 hours."
    assert.ok(Math.abs(params.ParametersValidTo!.getTime() - (before + DAY)) < 5_000);
    const spki = createPublicKey({ key: Buffer.from(params.PublicKey!), format: 'der', type: 'spki' });
    assert.equal(spki.asymmetricKeyDetails?.modulusLength, 2048);

    const material = randomBytes(32);
    const imported = await kms.send(
      new ImportKeyMaterialCommand({
        KeyId: key.KeyId,
        ImportToken: params.ImportToken!,
        EncryptedKeyMaterial: wrapLikeAClient(params.PublicKey!, 'RSAES_OAEP_SHA_256', material),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }),
    );
    assert.equal(imported.KeyId, key.Arn);
    assert.match(imported.KeyMaterialId!, /^[0-9a-f]{64}$/);
    const metadata = await describeKey(key.KeyId);
    assert.equal(metadata.KeyState, 'Enabled');
    assert.equal(metadata.Enabled, true);
    assert.equal(metadata.Origin, 'EXTERNAL');
    assert.equal(metadata.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    assert.equal(metadata.ValidTo, undefined);
    assert.equal(metadata.CurrentKeyMaterialId, imported.KeyMaterialId);

    const context = { tenant: 'acme', purpose: 'byok' };
    const plaintext = Buffer.from('decrypts outside the service');
    const enc = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: plaintext, EncryptionContext: context }));
    assert.deepEqual(decryptOutside(enc.CiphertextBlob!, material, context), plaintext);
    assert.throws(() => decryptOutside(enc.CiphertextBlob!, randomBytes(32), context));
  });

  test('DeleteImportedKeyMaterial -> PendingImport, Decrypt refused; reimporting the same material makes old ciphertext decrypt again', async () => {
    const key = await externalKey();
    const material = randomBytes(32);
    const first = await importMaterial(key.KeyId, material);
    const enc = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('kept') }));

    const deleted = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.Arn }));
    assert.equal(deleted.KeyId, key.Arn);
    assert.equal(deleted.KeyMaterialId, first.KeyMaterialId);
    const metadata = await describeKey(key.KeyId);
    assert.equal(metadata.KeyState, 'PendingImport');
    assert.equal(metadata.Enabled, false);
    assert.deepEqual(await awsError(() => kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))), {
      name: 'KMSInvalidStateException',
      message: `${key.Arn} is pending import.`,
      status: 400,
    });
    // On a PendingImport key the operation has no effect.
    assert.equal((await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId }))).KeyId, key.Arn);

    // Different material is refused ...
    assert.deepEqual(await awsError(() => importMaterial(key.KeyId, randomBytes(32))), {
      name: 'IncorrectKeyMaterialException',
      message: `The key material being imported is not the key material previously imported into ${key.Arn}.`,
      status: 400,
    });
    // ... the same material, under another wrapping key and algorithm, is the same material version.
    const again = await importMaterial(key.KeyId, material, { algorithm: 'RSAES_OAEP_SHA_1', spec: 'RSA_3072' });
    assert.equal(again.KeyMaterialId, first.KeyMaterialId);
    assert.equal((await describeKey(key.KeyId)).KeyState, 'Enabled');
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'kept');
    assert.equal(dec.KeyMaterialId, first.KeyMaterialId);
  });

  test('ImportType NEW_KEY_MATERIAL: new material waits in PENDING_ROTATION until RotateKeyOnDemand', async () => {
    const key = await externalKey();
    const m1 = randomBytes(32);
    const m2 = randomBytes(32);
    const first = await importMaterial(key.KeyId, m1);
    const old = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('under m1') }));

    assert.deepEqual(await awsError(() => importMaterial(key.KeyId, m2, { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialId: first.KeyMaterialId })), {
      name: 'ValidationException',
      message: 'You cannot specify a key material ID with ImportType set to NEW_KEY_MATERIAL.',
      status: 400,
    });
    assert.deepEqual(await awsError(() => importMaterial(key.KeyId, m1, { ImportType: 'NEW_KEY_MATERIAL' })), {
      name: 'IncorrectKeyMaterialException',
      message: `KMS expected new key material, but the key material being imported is already associated with ${key.Arn} (key material id ${first.KeyMaterialId}).`,
      status: 400,
    });
    const second = await importMaterial(key.KeyId, m2, { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'second generation' });
    assert.notEqual(second.KeyMaterialId, first.KeyMaterialId);
    assert.equal((await describeKey(key.KeyId)).CurrentKeyMaterialId, first.KeyMaterialId);

    // AWS names both key materials: the one being imported and the one pending rotation.
    const third = await awsError(() => importMaterial(key.KeyId, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL' }));
    const thirdId = /^New key material \(id: ([0-9a-f]{64})\) /.exec(third.message)?.[1];
    assert.ok(thirdId !== undefined && thirdId !== first.KeyMaterialId && thirdId !== second.KeyMaterialId, third.message);
    assert.deepEqual(third, {
      name: 'KMSInvalidStateException',
      message: `New key material (id: ${thirdId}) cannot be imported into KMS key ${key.Arn}, because another key material (id: ${second.KeyMaterialId}) is pending rotation.`,
      status: 400,
    });
    // Reimporting the pending material names it by id; a wrong id is refused.
    assert.equal((await importMaterial(key.KeyId, m2, { ImportType: 'EXISTING_KEY_MATERIAL', KeyMaterialId: second.KeyMaterialId })).KeyMaterialId, second.KeyMaterialId);
    assert.equal((await awsError(() => importMaterial(key.KeyId, m2, { KeyMaterialId: first.KeyMaterialId }))).name, 'IncorrectKeyMaterialException');

    await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    assert.equal((await describeKey(key.KeyId)).CurrentKeyMaterialId, second.KeyMaterialId);
    const fresh = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('under m2') }));
    assert.equal(decryptOutside(fresh.CiphertextBlob!, m2, {}).toString(), 'under m2');
    assert.equal(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }))).Plaintext!).toString(), 'under m1');
  });
});

describe('BYOK: HMAC and asymmetric material', () => {
  test('HMAC_256: 64 bytes of material; GenerateMac equals an HMAC computed outside', async () => {
    const key = await externalKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    assert.deepEqual(await awsError(() => importMaterial(key.KeyId, randomBytes(16))), {
      name: 'IncorrectKeyMaterialException',
      message: 'Key material for a HMAC_256 key must be 32 to 64 bytes; the imported key material is 16 bytes.',
      status: 400,
    });
    const material = randomBytes(64);
    const imported = await importMaterial(key.KeyId, material, { algorithm: 'RSAES_OAEP_SHA_1' });
    assert.equal(imported.KeyMaterialId, undefined);
    const message = Buffer.from('authenticate me');
    const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
    assert.deepEqual(Buffer.from(Mac!), createHmac('sha256', material).update(message).digest());
  });

  test('RSA private key with RSA_AES_KEY_WRAP_SHA_256: the service encrypts, the same key decrypts outside', async () => {
    const key = await externalKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    // AWS: "To import an RSA private key, you must use an RSA_AES wrapping algorithm."
    assert.deepEqual(await awsError(() => parameters(key.KeyId, 'RSAES_OAEP_SHA_256')), {
      name: 'UnsupportedOperationException',
      message: 'RSAES_OAEP_SHA_256 is not a supported wrapping algorithm for RSA_2048 key material. Use RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1.',
      status: 400,
    });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    await importMaterial(key.KeyId, pkcs8, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256', spec: 'RSA_3072' });
    const served = await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(Buffer.from(served.PublicKey!), publicKey.export({ type: 'spki', format: 'der' }));
    const enc = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('rsa byok'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    const plain = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, enc.CiphertextBlob!);
    assert.equal(plain.toString(), 'rsa byok');
    // Asymmetric keys keep their first material.
    assert.equal((await awsError(() => importMaterial(key.KeyId, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'der' }), { algorithm: 'RSA_AES_KEY_WRAP_SHA_1' }))).name, 'IncorrectKeyMaterialException');
  });
});

describe('errors tried on purpose', () => {
  test('wrapping algorithms AWS no longer accepts, or not for this material', async () => {
    const key = await externalKey();
    assert.deepEqual(await awsError(() => parameters(key.KeyId, 'RSAES_PKCS1_V1_5')), {
      name: 'UnsupportedOperationException',
      message: 'As of October 10, 2023, KMS does not support the RSAES_PKCS1_V1_5 wrapping algorithm. Use RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1, RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1.',
      status: 400,
    });
    assert.deepEqual(await awsError(() => parameters(key.KeyId, 'SM2PKE', 'SM2')), {
      name: 'UnsupportedOperationException',
      message: 'WrappingAlgorithm SM2PKE is supported only in the China Regions.',
      status: 400,
    });
    assert.deepEqual(await awsError(() => parameters(key.KeyId, 'RSA_AES_KEY_WRAP_SHA_256')), {
      name: 'UnsupportedOperationException',
      message: 'RSA_AES_KEY_WRAP_SHA_256 is not a supported wrapping algorithm for SYMMETRIC_DEFAULT key material. Use RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1.',
      status: 400,
    });
  });

  test('wrong-length material, a token of another key, a tampered token, material that does not unwrap', async () => {
    const key = await externalKey();
    const other = await externalKey();
    assert.deepEqual(await awsError(() => importMaterial(key.KeyId, randomBytes(16))), {
      name: 'IncorrectKeyMaterialException',
      message: 'Key material for a SYMMETRIC_DEFAULT key must be 256 bits (32 bytes); the imported key material is 16 bytes.',
      status: 400,
    });
    const params = await parameters(key.KeyId);
    const good = wrapLikeAClient(params.PublicKey!, 'RSAES_OAEP_SHA_256', randomBytes(32));
    const invalidToken = {
      name: 'InvalidImportTokenException',
      message: 'The import token is invalid or is associated with a different KMS key.',
      status: 400,
    };
    const send = (input: Partial<ImportKeyMaterialCommandInput>) =>
      kms.send(new ImportKeyMaterialCommand({ KeyId: key.KeyId, ImportToken: params.ImportToken!, EncryptedKeyMaterial: good, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ...input }));
    assert.deepEqual(await awsError(() => send({ KeyId: other.KeyId })), invalidToken);
    const tampered = Buffer.from(params.ImportToken!);
    tampered[tampered.length - 20] = tampered[tampered.length - 20]! ^ 0x01;
    assert.deepEqual(await awsError(() => send({ ImportToken: tampered })), invalidToken);
    assert.deepEqual(await awsError(() => send({ EncryptedKeyMaterial: randomBytes(256) })), {
      name: 'InvalidCiphertextException',
      message: 'KMS could not decrypt the encrypted key material with the RSA_2048 wrapping key and the RSAES_OAEP_SHA_256 wrapping algorithm of the import token.',
      status: 400,
    });
    // Wrapped with SHA-1 although the token says SHA-256.
    assert.equal((await awsError(() => send({ EncryptedKeyMaterial: wrapLikeAClient(params.PublicKey!, 'RSAES_OAEP_SHA_1', randomBytes(32)) }))).name, 'InvalidCiphertextException');
    // Nothing was imported by all this.
    assert.equal((await describeKey(key.KeyId)).KeyState, 'PendingImport');
    assert.equal((await send({})).KeyId, key.Arn);
  });

  test('ExpirationModel and ValidTo rules', async () => {
    const key = await externalKey();
    const now = await serverNow();
    const params = await parameters(key.KeyId);
    const send = (input: Partial<ImportKeyMaterialCommandInput>) =>
      kms.send(new ImportKeyMaterialCommand({ KeyId: key.KeyId, ImportToken: params.ImportToken!, EncryptedKeyMaterial: wrapLikeAClient(params.PublicKey!, 'RSAES_OAEP_SHA_256', randomBytes(32)), ...input }));
    const validation = (message: string) => ({ name: 'ValidationException', message, status: 400 });
    // The default ExpirationModel is KEY_MATERIAL_EXPIRES, which needs ValidTo.
    assert.deepEqual(await awsError(() => send({})), validation('A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES'));
    assert.deepEqual(
      await awsError(() => send({ ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ValidTo: new Date(now + DAY) })),
      validation('The parameter ValidTo cannot be specified for a key with an expiration model of KEY_MATERIAL_DOES_NOT_EXPIRE'),
    );
    assert.deepEqual(await awsError(() => send({ ValidTo: new Date(now - 60_000) })), validation('ValidTo must be a date and time in the future.'));
    assert.deepEqual(await awsError(() => send({ ValidTo: new Date(now + 366 * DAY) })), validation('ValidTo must be no more than 365 days from the request date.'));
    const validTo = new Date(Math.floor((now + 30 * DAY) / 1000) * 1000);
    await send({ ValidTo: validTo });
    const metadata = await describeKey(key.KeyId);
    assert.equal(metadata.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
    assert.equal(metadata.ValidTo?.getTime(), validTo.getTime());
  });

  test('keys that are not EXTERNAL, and keys pending deletion', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const notExternal = {
      name: 'UnsupportedOperationException',
      message: `${KeyMetadata!.Arn} origin is AWS_KMS which is not valid for this operation.`,
      status: 400,
    };
    assert.deepEqual(await awsError(() => parameters(KeyMetadata!.KeyId!)), notExternal);
    assert.deepEqual(await awsError(() => kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: KeyMetadata!.KeyId! }))), notExternal);
    const external = await externalKey();
    const params = await parameters(external.KeyId);
    assert.deepEqual(
      await awsError(() =>
        kms.send(new ImportKeyMaterialCommand({ KeyId: KeyMetadata!.KeyId!, ImportToken: params.ImportToken!, EncryptedKeyMaterial: Buffer.alloc(256, 1), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' })),
      ),
      notExternal,
    );
    assert.equal((await awsError(() => parameters('alias/some-alias'))).name, 'InvalidArnException');

    const material = randomBytes(32);
    await importMaterial(external.KeyId, material);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: external.KeyId, PendingWindowInDays: 7 }));
    const pendingDeletion = { name: 'KMSInvalidStateException', message: `${external.Arn} is pending deletion.`, status: 400 };
    assert.deepEqual(await awsError(() => parameters(external.KeyId)), pendingDeletion);
    assert.deepEqual(
      await awsError(() =>
        kms.send(new ImportKeyMaterialCommand({ KeyId: external.KeyId, ImportToken: params.ImportToken!, EncryptedKeyMaterial: wrapLikeAClient(params.PublicKey!, 'RSAES_OAEP_SHA_256', material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' })),
      ),
      pendingDeletion,
    );
    // AWS: "When the specified KMS key is in the PendingDeletion state, this operation does not change the KMS key's state."
    await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: external.KeyId }));
    assert.equal((await describeKey(external.KeyId)).KeyState, 'PendingDeletion');
  });
});

describe('BYOK: multi-Region keys', () => {
  test('a replica takes the material of its primary; new material reaches every replica before the rotation', async () => {
    const primary = await externalKey({ MultiRegion: true });
    const m1 = randomBytes(32);
    const first = await importMaterial(primary.KeyId, m1);
    const enc = await kms.send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: Buffer.from('from the primary') }));
    const { ReplicaKeyMetadata } = await kms.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: REPLICA_REGION }));
    assert.equal(ReplicaKeyMetadata!.KeyState, 'PendingImport');

    // AWS: "You must import the same key material that you imported into the primary key."
    assert.equal((await awsError(() => importMaterial(primary.KeyId, randomBytes(32), { client: replicaKms }))).name, 'IncorrectKeyMaterialException');
    const copy = await importMaterial(primary.KeyId, m1, { client: replicaKms });
    assert.equal(copy.KeyMaterialId, first.KeyMaterialId);
    const replica = (await replicaKms.send(new DescribeKeyCommand({ KeyId: primary.KeyId }))).KeyMetadata!;
    assert.equal(replica.KeyState, 'Enabled');
    assert.equal(replica.CurrentKeyMaterialId, first.KeyMaterialId);
    assert.equal(Buffer.from((await replicaKms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).Plaintext!).toString(), 'from the primary');

    // New material goes into the primary, then (as EXISTING_KEY_MATERIAL) into each replica.
    assert.equal((await awsError(() => importMaterial(primary.KeyId, randomBytes(32), { client: replicaKms, ImportType: 'NEW_KEY_MATERIAL' }))).name, 'UnsupportedOperationException');
    const m2 = randomBytes(32);
    const second = await importMaterial(primary.KeyId, m2, { ImportType: 'NEW_KEY_MATERIAL' });
    const states = async () =>
      Object.fromEntries(((await kms.send(new ListKeyRotationsCommand({ KeyId: primary.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations ?? []).map((r) => [r.KeyMaterialId, r.KeyMaterialState]));
    assert.equal((await states())[second.KeyMaterialId!], 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION');
    assert.equal((await awsError(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: primary.KeyId })))).name, 'KMSInvalidStateException');
    await importMaterial(primary.KeyId, m2, { client: replicaKms, ImportType: 'EXISTING_KEY_MATERIAL' });
    assert.equal((await states())[second.KeyMaterialId!], 'PENDING_ROTATION');
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: primary.KeyId }));
    const rotated = (await replicaKms.send(new DescribeKeyCommand({ KeyId: primary.KeyId }))).KeyMetadata!;
    assert.equal(rotated.CurrentKeyMaterialId, second.KeyMaterialId);
    const fresh = await replicaKms.send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: Buffer.from('under m2') }));
    assert.equal(decryptOutside(fresh.CiphertextBlob!, m2, {}).toString(), 'under m2');
  });
});

// These move the server's clock: they run last.
describe('time', () => {
  test('imported material expires at ValidTo: the key goes PendingImport until the same material is reimported', async () => {
    const key = await externalKey();
    const material = randomBytes(32);
    const now = await serverNow();
    await importMaterial(key.KeyId, material, { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(now + 2 * DAY) });
    const enc = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('until ValidTo') }));
    assert.equal((await describeKey(key.KeyId)).KeyState, 'Enabled');

    await server.devPost('/_kms/clock', { advanceDays: 3 });
    const metadata = await describeKey(key.KeyId);
    assert.equal(metadata.KeyState, 'PendingImport');
    assert.deepEqual(await awsError(() => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }))), {
      name: 'KMSInvalidStateException',
      message: `${key.Arn} is pending import.`,
      status: 400,
    });

    await importMaterial(key.KeyId, material);
    const after = await describeKey(key.KeyId);
    assert.equal(after.KeyState, 'Enabled');
    assert.equal(after.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    assert.equal(after.ValidTo, undefined);
    assert.equal(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).Plaintext!).toString(), 'until ValidTo');
  });

  test('an import token used after its 24 hours: ExpiredImportTokenException', async () => {
    const key = await externalKey();
    const params = await parameters(key.KeyId);
    await server.devPost('/_kms/clock', { advanceSeconds: 25 * 3600 });
    assert.deepEqual(
      await awsError(() =>
        kms.send(
          new ImportKeyMaterialCommand({
            KeyId: key.KeyId,
            ImportToken: params.ImportToken!,
            EncryptedKeyMaterial: wrapLikeAClient(params.PublicKey!, 'RSAES_OAEP_SHA_256', randomBytes(32)),
            ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
          }),
        ),
      ),
      {
        name: 'ExpiredImportTokenException',
        message: 'The import token has expired. Use GetParametersForImport to get a new import token and public key.',
        status: 400,
      },
    );
  });
});
