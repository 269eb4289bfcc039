// Multi-Region keys through @aws-sdk/client-kms clients in several Regions against one real server
// (--dev): ReplicateKey, cross-Region decryption, MultiRegionConfiguration, UpdatePrimaryRegion,
// their errors, the deletion rules (PendingReplicaDeletion), and copying data between unrelated
// keys of two Regions in the client. Deletion runs last: it moves the server's clock.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  ListResourceTagsCommand,
  ReEncryptCommand,
  ReplicateKeyCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  UpdatePrimaryRegionCommand,
  VerifyCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

const DAY = 86_400_000;
const ACCOUNT = '000000000000';
const WEST = 'us-west-2';
const CENTRAL = 'eu-central-1';
const SYDNEY = 'ap-southeast-2';

let server: TestServer;
const clients = new Map<string, KMSClient>();
/** An SDK client for one Region. */
function kms(region: string): KMSClient {
  let client = clients.get(region);
  if (!client) clients.set(region, (client = server.client({ region })));
  return client;
}
const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;

before(async () => {
  server = await startServer();
});
after(async () => {
  for (const client of clients.values()) client.destroy();
  await server?.stop();
});

async function createPrimary(region = WEST, description = 'primary'): Promise<KeyMetadata> {
  const { KeyMetadata } = await kms(region).send(new CreateKeyCommand({ MultiRegion: true, Description: description }));
  return KeyMetadata!;
}

async function describe_(region: string, keyId: string): Promise<KeyMetadata> {
  return (await kms(region).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
}

describe('ReplicateKey', () => {
  test('CreateKey with MultiRegion gives an mrk- primary with no replicas yet', async () => {
    const m = await createPrimary();
    assert.match(m.KeyId!, /^mrk-[0-9a-f]{32}$/);
    assert.equal(m.MultiRegion, true);
    assert.deepEqual(m.MultiRegionConfiguration, {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: arnIn(WEST, m.KeyId!), Region: WEST },
      ReplicaKeys: [],
    });
    assert.deepEqual(await describe_(WEST, m.KeyId!), m);
    // A single-Region key has no MultiRegionConfiguration.
    const single = await kms(WEST).send(new CreateKeyCommand({}));
    assert.equal(single.KeyMetadata!.MultiRegion, false);
    assert.equal(single.KeyMetadata!.MultiRegionConfiguration, undefined);
  });

  test('the replica has the same key id and material, its own policy, tags and description', async () => {
    const primary = await createPrimary(WEST, 'the primary');
    const keyId = primary.KeyId!;
    const res = await kms(WEST).send(
      new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: CENTRAL, Description: 'the replica', Tags: [{ TagKey: 'copy', TagValue: 'eu' }] }),
    );
    const r = res.ReplicaKeyMetadata!;
    assert.equal(r.KeyId, keyId);
    assert.equal(r.Arn, arnIn(CENTRAL, keyId));
    assert.equal(r.AWSAccountId, ACCOUNT);
    assert.equal(r.Description, 'the replica');
    assert.equal(r.KeyState, 'Enabled');
    assert.equal(r.Enabled, true);
    assert.equal(r.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(r.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(r.Origin, 'AWS_KMS');
    assert.equal(r.MultiRegion, true);
    assert.equal(r.CurrentKeyMaterialId, undefined, 'AWS answers ReplicateKey before the replica has its material');
    assert.deepEqual(r.MultiRegionConfiguration, {
      MultiRegionKeyType: 'REPLICA',
      PrimaryKey: { Arn: arnIn(WEST, keyId), Region: WEST },
      ReplicaKeys: [{ Arn: arnIn(CENTRAL, keyId), Region: CENTRAL }],
    });
    const policy = JSON.parse(res.ReplicaPolicy!) as { Id: string; Statement: { Principal: { AWS: string } }[] };
    assert.equal(policy.Id, 'key-default-1');
    assert.equal(policy.Statement[0]!.Principal.AWS, `arn:aws:iam::${ACCOUNT}:root`);
    assert.deepEqual(res.ReplicaTags, [{ TagKey: 'copy', TagValue: 'eu' }]);

    // DescribeKey in each Region shows the same set from that key's side.
    const p = await describe_(WEST, keyId);
    assert.deepEqual(p.MultiRegionConfiguration, {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: arnIn(WEST, keyId), Region: WEST },
      ReplicaKeys: [{ Arn: arnIn(CENTRAL, keyId), Region: CENTRAL }],
    });
    assert.equal(p.Description, 'the primary');
    const { CurrentKeyMaterialId: replicaMaterialId, ...described } = await describe_(CENTRAL, arnIn(CENTRAL, keyId));
    assert.equal(replicaMaterialId, primary.CurrentKeyMaterialId, 'the replica shares the material id');
    assert.deepEqual(described, r);
    // Tags are not shared: the primary has none, the replica its own.
    assert.deepEqual((await kms(WEST).send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags, []);
    assert.deepEqual((await kms(CENTRAL).send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags, [{ TagKey: 'copy', TagValue: 'eu' }]);
    // A custom policy is kept as given.
    const custom = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] });
    const sydney = await kms(WEST).send(new ReplicateKeyCommand({ KeyId: arnIn(WEST, keyId), ReplicaRegion: SYDNEY, Policy: custom }));
    assert.equal(sydney.ReplicaPolicy, custom);
    assert.equal(sydney.ReplicaTags, undefined, 'no Tags requested: no ReplicaTags member');
    assert.equal(sydney.ReplicaKeyMetadata!.Description, '');
    assert.deepEqual(
      (await describe_(WEST, keyId)).MultiRegionConfiguration!.ReplicaKeys,
      [
        { Arn: arnIn(CENTRAL, keyId), Region: CENTRAL },
        { Arn: arnIn(SYDNEY, keyId), Region: SYDNEY },
      ],
    );
  });

  test('a ciphertext made in one Region decrypts with the related key in the other, both ways', async () => {
    const { KeyId: keyId } = await createPrimary();
    await kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: CENTRAL }));
    const context = { purpose: 'multi-region' };

    const inWest = await kms(WEST).send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('from us-west-2'), EncryptionContext: context }));
    const decrypted = await kms(CENTRAL).send(new DecryptCommand({ CiphertextBlob: inWest.CiphertextBlob, EncryptionContext: context }));
    assert.equal(Buffer.from(decrypted.Plaintext!).toString(), 'from us-west-2');
    assert.equal(decrypted.KeyId, arnIn(CENTRAL, keyId!));

    const inCentral = await kms(CENTRAL).send(new EncryptCommand({ KeyId: arnIn(CENTRAL, keyId!), Plaintext: Buffer.from('from eu-central-1') }));
    const back = await kms(WEST).send(new DecryptCommand({ CiphertextBlob: inCentral.CiphertextBlob, KeyId: keyId }));
    assert.equal(Buffer.from(back.Plaintext!).toString(), 'from eu-central-1');
    assert.equal(back.KeyId, arnIn(WEST, keyId!));

    // Envelope encryption: a data key made in one Region opens in the other.
    const dataKey = await kms(CENTRAL).send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    const opened = await kms(WEST).send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
    assert.deepEqual(Buffer.from(opened.Plaintext!), Buffer.from(dataKey.Plaintext!));

    // The wrong encryption context still fails in the other Region.
    const err = await awsError(() => kms(CENTRAL).send(new DecryptCommand({ CiphertextBlob: inWest.CiphertextBlob, EncryptionContext: { purpose: 'x' } })));
    assert.equal(err.name, 'InvalidCiphertextException');
  });

  test('an asymmetric multi-Region key: a signature made in one Region verifies in the other', async () => {
    const primary = (await kms(WEST).send(new CreateKeyCommand({ MultiRegion: true, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    const res = await kms(WEST).send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: CENTRAL }));
    assert.equal(res.ReplicaKeyMetadata!.KeySpec, 'ECC_NIST_P256');
    assert.deepEqual(res.ReplicaKeyMetadata!.SigningAlgorithms, primary.SigningAlgorithms);
    const message = Buffer.from('signed in us-west-2');
    const { Signature } = await kms(WEST).send(new SignCommand({ KeyId: primary.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
    const verified = await kms(CENTRAL).send(
      new VerifyCommand({ KeyId: primary.KeyId, Message: message, Signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    assert.equal(verified.SignatureValid, true);
    assert.equal(verified.KeyId, arnIn(CENTRAL, primary.KeyId!));
  });

  test('errors: same Region, a Region that has the key, a single-Region key, a replica, a disabled primary', async () => {
    const primary = await createPrimary();
    const keyId = primary.KeyId!;
    await kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: CENTRAL }));

    let err = await awsError(() => kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: WEST })));
    assert.deepEqual(err, {
      name: 'ValidationException',
      message: `ReplicaRegion ${WEST} is the Region of the primary key ${primary.Arn}. A replica key must be in a different Region.`,
      status: 400,
    });
    err = await awsError(() => kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: CENTRAL })));
    assert.deepEqual(err, { name: 'AlreadyExistsException', message: `Key '${arnIn(CENTRAL, keyId)}' already exists`, status: 400 });
    err = await awsError(() => kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'cn-north-1' })));
    assert.equal(err.name, 'ValidationException');

    const single = (await kms(WEST).send(new CreateKeyCommand({}))).KeyMetadata!;
    err = await awsError(() => kms(WEST).send(new ReplicateKeyCommand({ KeyId: single.KeyId, ReplicaRegion: CENTRAL })));
    assert.deepEqual(err, { name: 'UnsupportedOperationException', message: `${single.Arn} is not a multi-region primary key.`, status: 400 });

    // Only the primary can be replicated.
    err = await awsError(() => kms(CENTRAL).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: SYDNEY })));
    assert.deepEqual(err, { name: 'UnsupportedOperationException', message: `${arnIn(CENTRAL, keyId)} is not a multi-region primary key.`, status: 400 });

    // The key is named in the caller's Region, by key id or key ARN only.
    err = await awsError(() => kms(CENTRAL).send(new ReplicateKeyCommand({ KeyId: primary.Arn, ReplicaRegion: SYDNEY })));
    assert.equal(err.name, 'NotFoundException');

    // Key-state table: a disabled primary is DisabledException.
    await kms(WEST).send(new DisableKeyCommand({ KeyId: keyId }));
    err = await awsError(() => kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: SYDNEY })));
    assert.deepEqual(err, { name: 'DisabledException', message: `${primary.Arn} is disabled.`, status: 400 });
    await kms(WEST).send(new EnableKeyCommand({ KeyId: keyId }));

    // A malformed ReplicaRegion never reaches the handler.
    err = await awsError(() => kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'Mars' })));
    assert.equal(err.name, 'ValidationException');
  });

  test('a primary still waiting for imported material cannot be replicated (key-state table)', async () => {
    // An EXTERNAL key is PendingImport until its material is imported (replicas of an imported key
    // start with no material: see test/unit/kms/multi-region.test.ts).
    const ext = (await kms(WEST).send(new CreateKeyCommand({ MultiRegion: true, Origin: 'EXTERNAL' }))).KeyMetadata!;
    const err = await awsError(() => kms(WEST).send(new ReplicateKeyCommand({ KeyId: ext.KeyId, ReplicaRegion: CENTRAL })));
    assert.deepEqual(err, { name: 'KMSInvalidStateException', message: `${ext.Arn} is pending import.`, status: 400 });
  });
});

describe('UpdatePrimaryRegion', () => {
  test('swaps the roles of the primary and a replica; other replicas follow the new primary', async () => {
    const { KeyId: keyId } = await createPrimary();
    await kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: CENTRAL }));
    await kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: SYDNEY }));
    const before = await kms(WEST).send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('before the swap') }));

    const res = await kms(WEST).send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: CENTRAL }));
    assert.deepEqual(Object.keys(res).filter((k) => k !== '$metadata'), []);

    const expected = {
      PrimaryKey: { Arn: arnIn(CENTRAL, keyId!), Region: CENTRAL },
      ReplicaKeys: [
        { Arn: arnIn(WEST, keyId!), Region: WEST },
        { Arn: arnIn(SYDNEY, keyId!), Region: SYDNEY },
      ],
    };
    assert.deepEqual((await describe_(CENTRAL, keyId!)).MultiRegionConfiguration, { MultiRegionKeyType: 'PRIMARY', ...expected });
    assert.deepEqual((await describe_(WEST, keyId!)).MultiRegionConfiguration, { MultiRegionKeyType: 'REPLICA', ...expected });
    assert.deepEqual((await describe_(SYDNEY, keyId!)).MultiRegionConfiguration, { MultiRegionKeyType: 'REPLICA', ...expected });
    assert.equal((await describe_(WEST, keyId!)).KeyState, 'Enabled');

    // Key material and ciphertexts are unaffected.
    const plain = await kms(SYDNEY).send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }));
    assert.equal(Buffer.from(plain.Plaintext!).toString(), 'before the swap');

    // The old primary is now a replica: it can be neither replicated nor moved; the new one can.
    let err = await awsError(() => kms(WEST).send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: SYDNEY })));
    assert.deepEqual(err, { name: 'UnsupportedOperationException', message: `${arnIn(WEST, keyId!)} is not a multi-region primary key.`, status: 400 });
    err = await awsError(() => kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-1' })));
    assert.equal(err.name, 'UnsupportedOperationException');
    const replicated = await kms(CENTRAL).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-1' }));
    assert.deepEqual(replicated.ReplicaKeyMetadata!.MultiRegionConfiguration!.PrimaryKey, { Arn: arnIn(CENTRAL, keyId!), Region: CENTRAL });

    // And back again.
    await kms(CENTRAL).send(new UpdatePrimaryRegionCommand({ KeyId: arnIn(CENTRAL, keyId!), PrimaryRegion: WEST }));
    assert.equal((await describe_(WEST, keyId!)).MultiRegionConfiguration!.MultiRegionKeyType, 'PRIMARY');
    assert.equal((await describe_('eu-west-1', keyId!)).MultiRegionConfiguration!.PrimaryKey!.Region, WEST);
  });

  test('errors: no replica in the Region, the primary\'s own Region, a single-Region key, a disabled replica', async () => {
    const primary = await createPrimary();
    const keyId = primary.KeyId!;
    await kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: CENTRAL }));

    let err = await awsError(() => kms(WEST).send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: SYDNEY })));
    assert.deepEqual(err, { name: 'NotFoundException', message: `Key '${arnIn(SYDNEY, keyId)}' does not exist`, status: 400 });
    err = await awsError(() => kms(WEST).send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: WEST })));
    assert.deepEqual(err, { name: 'ValidationException', message: `PrimaryRegion ${WEST} is already the Region of the primary key ${primary.Arn}.`, status: 400 });

    const single = (await kms(WEST).send(new CreateKeyCommand({}))).KeyMetadata!;
    err = await awsError(() => kms(WEST).send(new UpdatePrimaryRegionCommand({ KeyId: single.KeyId, PrimaryRegion: CENTRAL })));
    assert.deepEqual(err, { name: 'UnsupportedOperationException', message: `${single.Arn} is not a multi-region primary key.`, status: 400 });

    // AWS: both keys must be Enabled when the operation starts.
    await kms(CENTRAL).send(new DisableKeyCommand({ KeyId: keyId }));
    err = await awsError(() => kms(WEST).send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: CENTRAL })));
    assert.deepEqual(err, { name: 'DisabledException', message: `${arnIn(CENTRAL, keyId)} is disabled.`, status: 400 });
    await kms(CENTRAL).send(new EnableKeyCommand({ KeyId: keyId }));
    await kms(WEST).send(new DisableKeyCommand({ KeyId: keyId }));
    err = await awsError(() => kms(WEST).send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: CENTRAL })));
    assert.deepEqual(err, { name: 'DisabledException', message: `${primary.Arn} is disabled.`, status: 400 });
    assert.equal((await describe_(WEST, keyId)).MultiRegionConfiguration!.MultiRegionKeyType, 'PRIMARY');
  });
});

describe('copying data between unrelated keys of two Regions (README)', () => {
  test('Decrypt in Region A, then Encrypt in Region B; ReEncrypt cannot cross Regions', async () => {
    const keyA = (await kms(WEST).send(new CreateKeyCommand({ Description: 'data in us-west-2' }))).KeyMetadata!;
    const keyB = (await kms(CENTRAL).send(new CreateKeyCommand({ Description: 'data in eu-central-1' }))).KeyMetadata!;
    const context = { table: 'orders' };
    const { CiphertextBlob: inA } = await kms(WEST).send(new EncryptCommand({ KeyId: keyA.KeyId, Plaintext: Buffer.from('order 42'), EncryptionContext: context }));

    // ReEncrypt runs in one Region: in B the ciphertext's key does not exist, and a key of A cannot be named.
    let err = await awsError(() => kms(CENTRAL).send(new ReEncryptCommand({ CiphertextBlob: inA, SourceEncryptionContext: context, DestinationKeyId: keyB.KeyId })));
    assert.deepEqual(err, { name: 'NotFoundException', message: `Key '${arnIn(CENTRAL, keyA.KeyId!)}' does not exist`, status: 400 });
    err = await awsError(() => kms(WEST).send(new ReEncryptCommand({ CiphertextBlob: inA, SourceEncryptionContext: context, DestinationKeyId: keyB.Arn })));
    assert.equal(err.name, 'NotFoundException');

    // The copy: Decrypt with the Region A client, Encrypt with the Region B client.
    const { Plaintext } = await kms(WEST).send(new DecryptCommand({ CiphertextBlob: inA, EncryptionContext: context }));
    const { CiphertextBlob: inB } = await kms(CENTRAL).send(new EncryptCommand({ KeyId: keyB.KeyId, Plaintext, EncryptionContext: context }));
    const check = await kms(CENTRAL).send(new DecryptCommand({ CiphertextBlob: inB, EncryptionContext: context }));
    assert.equal(Buffer.from(check.Plaintext!).toString(), 'order 42');
    assert.equal(check.KeyId, keyB.Arn);
    // Region A's key cannot open the copy.
    err = await awsError(() => kms(WEST).send(new DecryptCommand({ CiphertextBlob: inB, EncryptionContext: context })));
    assert.equal(err.name, 'NotFoundException');
  });
});

describe('deletion of multi-Region keys (moves the clock; runs last)', () => {
  test('a replica schedules like any key; the primary waits in PendingReplicaDeletion for its last replica', async () => {
    const primary = await createPrimary();
    const keyId = primary.KeyId!;
    await kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: CENTRAL }));
    const { CiphertextBlob } = await kms(WEST).send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('kept') }));

    // Scheduling a primary with replicas: PendingReplicaDeletion, no DeletionDate yet.
    const scheduled = await kms(WEST).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyState, 'PendingReplicaDeletion');
    assert.equal(scheduled.PendingWindowInDays, 7);
    assert.equal(scheduled.DeletionDate, undefined);
    let p = await describe_(WEST, keyId);
    assert.equal(p.KeyState, 'PendingReplicaDeletion');
    assert.equal(p.Enabled, false);
    assert.equal(p.DeletionDate, undefined);
    assert.equal(p.PendingDeletionWindowInDays, 7);

    // No cryptography, no replication, no second schedule; the replica is unaffected.
    let err = await awsError(() => kms(WEST).send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })));
    assert.deepEqual(err, { name: 'KMSInvalidStateException', message: `${primary.Arn} is pending replica deletion.`, status: 400 });
    err = await awsError(() => kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: SYDNEY })));
    assert.deepEqual(err, { name: 'KMSInvalidStateException', message: `${primary.Arn} is pending replica deletion.`, status: 400 });
    err = await awsError(() => kms(WEST).send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: CENTRAL })));
    assert.deepEqual(err, { name: 'KMSInvalidStateException', message: `${primary.Arn} is pending replica deletion.`, status: 400 });
    err = await awsError(() => kms(WEST).send(new ScheduleKeyDeletionCommand({ KeyId: keyId })));
    assert.deepEqual(err, { name: 'KMSInvalidStateException', message: `${primary.Arn} is pending replica deletion.`, status: 400 });
    assert.equal((await describe_(CENTRAL, keyId)).KeyState, 'Enabled');
    assert.equal(Buffer.from((await kms(CENTRAL).send(new DecryptCommand({ CiphertextBlob }))).Plaintext!).toString(), 'kept');

    // CancelKeyDeletion works on PendingReplicaDeletion: the key is Disabled.
    await kms(WEST).send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    p = await describe_(WEST, keyId);
    assert.equal(p.KeyState, 'Disabled');
    assert.equal(p.PendingDeletionWindowInDays, undefined);
    await kms(WEST).send(new EnableKeyCommand({ KeyId: keyId }));

    // Schedule both: the replica's 7 days run now; the primary's start when the replica is deleted.
    await kms(WEST).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    const replicaScheduled = await kms(CENTRAL).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    assert.equal(replicaScheduled.KeyState, 'PendingDeletion');
    const replicaDeletion = replicaScheduled.DeletionDate!.getTime();
    assert.ok(Math.abs(replicaDeletion - Date.now() - 7 * DAY) < 60_000);
    // A replica pending deletion still counts: the primary stays PendingReplicaDeletion.
    assert.equal((await describe_(WEST, keyId)).KeyState, 'PendingReplicaDeletion');
    assert.equal((await describe_(WEST, keyId)).MultiRegionConfiguration!.ReplicaKeys!.length, 1);

    // Day 7: the replica is deleted; the primary's 7-day waiting period begins.
    await server.devPost('/_kms/clock', { advanceDays: 7 });
    err = await awsError(() => describe_(CENTRAL, keyId));
    assert.equal(err.name, 'NotFoundException');
    p = await describe_(WEST, keyId);
    assert.equal(p.KeyState, 'PendingDeletion');
    assert.equal(p.DeletionDate!.getTime(), replicaDeletion + 7 * DAY);
    assert.equal(p.PendingDeletionWindowInDays, undefined);
    assert.deepEqual(p.MultiRegionConfiguration!.ReplicaKeys, []);

    // Day 14: the primary is deleted.
    await server.devPost('/_kms/clock', { advanceDays: 7 });
    err = await awsError(() => describe_(WEST, keyId));
    assert.deepEqual(err, { name: 'NotFoundException', message: `Key '${primary.Arn}' does not exist`, status: 400 });
  });

  test('a primary with no replicas schedules as a single-Region key; a deleted replica can be replicated again', async () => {
    const primary = await createPrimary();
    const keyId = primary.KeyId!;
    await kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: CENTRAL }));
    await kms(CENTRAL).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    // AWS: a replica pending deletion still blocks a new replica in its Region.
    const err = await awsError(() => kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: CENTRAL })));
    assert.equal(err.name, 'AlreadyExistsException');
    await server.devPost('/_kms/clock', { advanceDays: 8 });
    const again = await kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: CENTRAL }));
    assert.equal(again.ReplicaKeyMetadata!.KeyState, 'Enabled');
    await kms(CENTRAL).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    await server.devPost('/_kms/clock', { advanceDays: 8 });

    const scheduled = await kms(WEST).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyState, 'PendingDeletion');
    assert.ok(scheduled.DeletionDate instanceof Date);
  });
});
