// Key lifecycle through @aws-sdk/client-kms against the real server (--dev).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  DecryptCommand,
  KMSClient,
  ListKeysCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

const DAY = 86_400_000;
let server: TestServer;
let kms: KMSClient;

before(async () => {
  server = await startServer();
  kms = server.client();
});
after(async () => {
  kms?.destroy();
  await server?.stop();
});

describe('CreateKey and DescribeKey', () => {
  test('CreateKey returns the full KeyMetadata of a symmetric key', async () => {
    const before = Date.now();
    const { KeyMetadata: m } = await kms.send(new CreateKeyCommand({ Description: 'first', Tags: [{ TagKey: 'team', TagValue: 'a' }] }));
    assert.ok(m);
    assert.match(m.KeyId!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(m.Arn, `arn:aws:kms:us-east-1:000000000000:key/${m.KeyId}`);
    assert.equal(m.AWSAccountId, '000000000000');
    assert.equal(m.Description, 'first');
    assert.equal(m.Enabled, true);
    assert.equal(m.KeyState, 'Enabled');
    assert.equal(m.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(m.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(m.CustomerMasterKeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(m.Origin, 'AWS_KMS');
    assert.equal(m.KeyManager, 'CUSTOMER');
    assert.deepEqual(m.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    assert.equal(m.MultiRegion, false);
    assert.match(m.CurrentKeyMaterialId!, /^[0-9a-f]{64}$/);
    assert.ok(m.CreationDate instanceof Date && m.CreationDate.getTime() >= before - 1000);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: m.Arn }));
    assert.deepEqual(described.KeyMetadata, m);
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: m.KeyId }));
    assert.deepEqual(tags.Tags, [{ TagKey: 'team', TagValue: 'a' }]);
    assert.equal(tags.Truncated, false);
  });

  test('MultiRegion gives an mrk- key id; EXTERNAL origin starts PendingImport', async () => {
    const mrk = await kms.send(new CreateKeyCommand({ MultiRegion: true }));
    assert.match(mrk.KeyMetadata!.KeyId!, /^mrk-[0-9a-f]{32}$/);
    assert.equal(mrk.KeyMetadata!.MultiRegion, true);
    const ext = await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }));
    assert.equal(ext.KeyMetadata!.KeyState, 'PendingImport');
    assert.equal(ext.KeyMetadata!.Enabled, false);
    assert.equal(ext.KeyMetadata!.Origin, 'EXTERNAL');
    const err = await awsError(() => kms.send(new EncryptCommand({ KeyId: ext.KeyMetadata!.KeyId, Plaintext: Buffer.from('x') })));
    assert.deepEqual(err, { name: 'KMSInvalidStateException', message: `${ext.KeyMetadata!.Arn} is pending import.`, status: 400 });
  });

  test('tags with the reserved aws: prefix are refused with TagException', async () => {
    const err = await awsError(() => kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] })));
    assert.equal(err.name, 'TagException');
  });

  test('an unknown key id is NotFoundException naming the key ARN', async () => {
    const id = '00000000-0000-0000-0000-000000000000';
    const err = await awsError(() => kms.send(new DescribeKeyCommand({ KeyId: id })));
    assert.deepEqual(err, { name: 'NotFoundException', message: `Key 'arn:aws:kms:us-east-1:000000000000:key/${id}' does not exist`, status: 400 });
  });

  test('a malformed KeyId longer than 2048 characters is a ValidationException', async () => {
    const err = await awsError(() => kms.send(new DescribeKeyCommand({ KeyId: 'k'.repeat(2049) })));
    assert.equal(err.name, 'ValidationException');
    assert.match(err.message, /^1 validation error detected: Value '.*' at 'keyId' failed to satisfy constraint: Member must have length less than or equal to 2048$/);
  });
});

describe('ListKeys', () => {
  test('paginates with Limit and Marker without repeats or gaps, even with creates between pages', async () => {
    const region = 'ap-south-1';
    const client = server.client({ region });
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListKeysCommand({ Limit: 2, ...(marker ? { Marker: marker } : {}) }));
      pages++;
      seen.push(...page.Keys!.map((k) => k.KeyId!));
      for (const k of page.Keys!) assert.equal(k.KeyArn, `arn:aws:kms:${region}:000000000000:key/${k.KeyId}`);
      assert.equal(page.Truncated, page.NextMarker !== undefined);
      marker = page.NextMarker;
      if (pages === 1) created.push((await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    } while (marker);
    assert.deepEqual(seen, created);
    assert.equal(pages, 3);
    const bad = await awsError(() => client.send(new ListKeysCommand({ Marker: 'bm90LWEtbWFya2Vy' })));
    assert.equal(bad.name, 'InvalidMarkerException');
    client.destroy();
  });
});

describe('EnableKey, DisableKey, UpdateKeyDescription', () => {
  test('a disabled key refuses Encrypt with DisabledException and works again once enabled', async () => {
    const { KeyMetadata: m } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new DisableKeyCommand({ KeyId: m!.KeyId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: m!.KeyId }))).KeyMetadata!.KeyState, 'Disabled');
    const err = await awsError(() => kms.send(new EncryptCommand({ KeyId: m!.KeyId, Plaintext: Buffer.from('hi') })));
    assert.deepEqual(err, { name: 'DisabledException', message: `${m!.Arn} is disabled.`, status: 400 });
    await kms.send(new EnableKeyCommand({ KeyId: m!.Arn }));
    const out = await kms.send(new EncryptCommand({ KeyId: m!.KeyId, Plaintext: Buffer.from('hi') }));
    assert.equal(out.KeyId, m!.Arn);
  });

  test('UpdateKeyDescription changes the description', async () => {
    const { KeyMetadata: m } = await kms.send(new CreateKeyCommand({ Description: 'old' }));
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: m!.KeyId, Description: 'new' }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: m!.KeyId }))).KeyMetadata!.Description, 'new');
  });
});

describe('ScheduleKeyDeletion and CancelKeyDeletion', () => {
  test('scheduling sets PendingDeletion and DeletionDate; cancel returns the key to Disabled', async () => {
    const { KeyMetadata: m } = await kms.send(new CreateKeyCommand({}));
    const before = Date.now();
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: m!.KeyId, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyId, m!.Arn);
    assert.equal(scheduled.KeyState, 'PendingDeletion');
    assert.equal(scheduled.PendingWindowInDays, 7);
    const delta = scheduled.DeletionDate!.getTime() - before;
    assert.ok(delta >= 7 * DAY - 5_000 && delta <= 7 * DAY + 60_000, `deletion in ${delta} ms`);
    const d = (await kms.send(new DescribeKeyCommand({ KeyId: m!.KeyId }))).KeyMetadata!;
    assert.equal(d.KeyState, 'PendingDeletion');
    assert.equal(d.Enabled, false);
    assert.equal(d.DeletionDate!.getTime(), scheduled.DeletionDate!.getTime());
    const enc = await awsError(() => kms.send(new EncryptCommand({ KeyId: m!.KeyId, Plaintext: Buffer.from('x') })));
    assert.deepEqual(enc, { name: 'KMSInvalidStateException', message: `${m!.Arn} is pending deletion.`, status: 400 });
    const again = await awsError(() => kms.send(new ScheduleKeyDeletionCommand({ KeyId: m!.KeyId })));
    assert.deepEqual(again, { name: 'KMSInvalidStateException', message: `${m!.Arn} is pending deletion.`, status: 400 });
    const cancelled = await kms.send(new CancelKeyDeletionCommand({ KeyId: m!.KeyId }));
    assert.equal(cancelled.KeyId, m!.Arn);
    const after = (await kms.send(new DescribeKeyCommand({ KeyId: m!.KeyId }))).KeyMetadata!;
    assert.equal(after.KeyState, 'Disabled');
    assert.equal(after.DeletionDate, undefined);
    const notPending = await awsError(() => kms.send(new CancelKeyDeletionCommand({ KeyId: m!.KeyId })));
    assert.deepEqual(notPending, { name: 'KMSInvalidStateException', message: `${m!.Arn} is not pending deletion.`, status: 400 });
  });

  test('PendingWindowInDays outside 7-30 is a ValidationException', async () => {
    const { KeyMetadata: m } = await kms.send(new CreateKeyCommand({}));
    for (const days of [6, 31]) {
      const err = await awsError(() => kms.send(new ScheduleKeyDeletionCommand({ KeyId: m!.KeyId, PendingWindowInDays: days })));
      // AWS's text, as a real response logs it (Skyscanner/kms-issuer issue #8).
      assert.deepEqual(err, { name: 'ValidationException', message: 'PendingWindowInDays must be between 7 and 30', status: 400 }, `${days}`);
    }
  });

  test('a 7-day deletion happens on day 7 and not on day 6; afterwards every call is NotFound', async () => {
    // Own region so the clock jump does not disturb other tests' keys.
    const client = server.client({ region: 'sa-east-1' });
    const { KeyMetadata: m } = await client.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: m!.KeyId, Plaintext: Buffer.from('secret') }));
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: m!.KeyId, PendingWindowInDays: 7 }));
    const day6 = await server.devPost('/_kms/clock', { advanceDays: 6 });
    assert.equal(day6.status, 200);
    assert.equal((await client.send(new DescribeKeyCommand({ KeyId: m!.KeyId }))).KeyMetadata!.KeyState, 'PendingDeletion');
    await server.devPost('/_kms/clock', { advanceDays: 1, advanceSeconds: 60 });
    const gone = `Key '${m!.Arn}' does not exist`;
    assert.deepEqual(await awsError(() => client.send(new DescribeKeyCommand({ KeyId: m!.KeyId }))), { name: 'NotFoundException', message: gone, status: 400 });
    const dec = await awsError(() => client.send(new DecryptCommand({ CiphertextBlob })));
    assert.equal(dec.name, 'NotFoundException');
    const listed = await client.send(new ListKeysCommand({}));
    assert.ok(!listed.Keys!.some((k) => k.KeyId === m!.KeyId));
    client.destroy();
  });
});
