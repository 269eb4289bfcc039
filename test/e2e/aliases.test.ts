// Aliases, AWS managed keys and account/region isolation through @aws-sdk/client-kms (--dev).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  KMSClient,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
let kms: KMSClient;

before(async () => {
  server = await startServer();
  kms = server.client({ region: 'eu-west-1', accessKeyId: '123456789012' });
});
after(async () => {
  kms?.destroy();
  await server?.stop();
});

const newKey = async (client = kms) => (await client.send(new CreateKeyCommand({}))).KeyMetadata!;

describe('CreateAlias, UpdateAlias, DeleteAlias, ListAliases', () => {
  test('an alias names its key everywhere a KeyId is accepted, by name and by ARN', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: key.KeyId }));
    const aliasArn = 'arn:aws:kms:eu-west-1:123456789012:alias/app';
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/app' }))).KeyMetadata!.Arn, key.Arn);
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: aliasArn }))).KeyMetadata!.Arn, key.Arn);
    const enc = await kms.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: Buffer.from('x') }));
    assert.equal(enc.KeyId, key.Arn);
    const listed = await kms.send(new ListAliasesCommand({ KeyId: key.KeyId }));
    assert.equal(listed.Aliases!.length, 1);
    const [entry] = listed.Aliases!;
    assert.equal(entry!.AliasName, 'alias/app');
    assert.equal(entry!.AliasArn, aliasArn);
    assert.equal(entry!.TargetKeyId, key.KeyId);
    assert.ok(entry!.CreationDate instanceof Date);
    const dup = await awsError(() => kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: key.KeyId })));
    assert.deepEqual(dup, { name: 'AlreadyExistsException', message: `An alias with the name ${aliasArn} already exists`, status: 400 });
  });

  test('manual rotation recipe: UpdateAlias re-points; old ciphertexts still decrypt with the old key', async () => {
    const oldKey = await newKey();
    const nextKey = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/rotating', TargetKeyId: oldKey.Arn }));
    const before = await kms.send(new EncryptCommand({ KeyId: 'alias/rotating', Plaintext: Buffer.from('v1') }));
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/rotating', TargetKeyId: nextKey.KeyId }));
    const afterEnc = await kms.send(new EncryptCommand({ KeyId: 'alias/rotating', Plaintext: Buffer.from('v2') }));
    assert.equal(afterEnc.KeyId, nextKey.Arn);
    assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }))).KeyId, oldKey.Arn);
    const gone = await awsError(() => kms.send(new UpdateAliasCommand({ AliasName: 'alias/nope', TargetKeyId: nextKey.KeyId })));
    assert.deepEqual(gone, { name: 'NotFoundException', message: 'Alias arn:aws:kms:eu-west-1:123456789012:alias/nope is not found.', status: 400 });
  });

  test('UpdateAlias to a key pending deletion is KMSInvalidStateException', async () => {
    const a = await newKey();
    const b = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/pd', TargetKeyId: a.KeyId }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: b.KeyId, PendingWindowInDays: 30 }));
    const err = await awsError(() => kms.send(new UpdateAliasCommand({ AliasName: 'alias/pd', TargetKeyId: b.KeyId })));
    assert.deepEqual(err, { name: 'KMSInvalidStateException', message: `${b.Arn} is pending deletion.`, status: 400 });
  });

  test('DeleteAlias removes it; deleting again is NotFound', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/tmp', TargetKeyId: key.KeyId }));
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/tmp' }));
    const err = await awsError(() => kms.send(new DeleteAliasCommand({ AliasName: 'alias/tmp' })));
    assert.equal(err.name, 'NotFoundException');
    const missing = await awsError(() => kms.send(new DescribeKeyCommand({ KeyId: 'alias/tmp' })));
    assert.deepEqual(missing, { name: 'NotFoundException', message: 'Alias arn:aws:kms:eu-west-1:123456789012:alias/tmp is not found.', status: 400 });
  });

  test('names must start with alias/ and alias/aws/ is reserved', async () => {
    const key = await newKey();
    const noPrefix = await awsError(() => kms.send(new CreateAliasCommand({ AliasName: 'app', TargetKeyId: key.KeyId })));
    assert.equal(noPrefix.name, 'ValidationException');
    assert.match(noPrefix.message, /^Alias must start with the prefix "alias\/"/);
    const reserved = await awsError(() => kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: key.KeyId })));
    assert.equal(reserved.name, 'NotAuthorizedException');
  });

  test('ListAliases paginates and shows predefined alias/aws/ names without a target', async () => {
    const client = server.client({ region: 'eu-north-1', accessKeyId: '123456789012' });
    const key = await newKey(client);
    for (const name of ['alias/a1', 'alias/a2', 'alias/a3']) await client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId }));
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new ListAliasesCommand({ Limit: 4, ...(marker ? { Marker: marker } : {}) }));
      names.push(...page.Aliases!.map((a) => a.AliasName!));
      marker = page.NextMarker;
      assert.equal(page.Truncated, marker !== undefined);
    } while (marker);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.includes('alias/a1') && names.includes('alias/a3') && names.includes('alias/aws/s3'));
    const all = await client.send(new ListAliasesCommand({ Limit: 100 }));
    const s3 = all.Aliases!.find((a) => a.AliasName === 'alias/aws/s3')!;
    assert.equal(s3.TargetKeyId, undefined);
    client.destroy();
  });
});

describe('AWS managed keys', () => {
  test('first use of alias/aws/s3 creates the AWS managed key, which cannot be disabled or deleted', async () => {
    // DescribeKey of a predefined alias creates its key (KMS API Reference, DescribeKey).
    const m = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    assert.equal(m.KeyManager, 'AWS');
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!.Arn, m.Arn);
    // Its policy (AWS's for AWS managed keys) allows use only through the service (kms:ViaService),
    // which never fronts this server: a direct Encrypt is refused, as in AWS.
    const direct = await awsError(() => kms.send(new EncryptCommand({ KeyId: 'alias/aws/s3', Plaintext: Buffer.from('y') })));
    assert.equal(direct.name, 'AccessDeniedException');
    assert.match(direct.message, new RegExp(`is not authorized to perform: kms:Encrypt on resource: ${m.Arn} because no resource-based policy allows the kms:Encrypt action$`));
    const listed = await kms.send(new ListAliasesCommand({ KeyId: m.KeyId }));
    assert.deepEqual(listed.Aliases!.map((a) => a.AliasName), ['alias/aws/s3']);
    for (const call of [
      () => kms.send(new DisableKeyCommand({ KeyId: m.KeyId })),
      () => kms.send(new ScheduleKeyDeletionCommand({ KeyId: m.KeyId })),
    ]) {
      const err = await awsError(call);
      assert.equal(err.name, 'AccessDeniedException');
    }
    const repoint = await awsError(() => kms.send(new UpdateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: m.KeyId })));
    assert.equal(repoint.name, 'NotAuthorizedException');
  });
});

describe('regions and accounts are isolation boundaries', () => {
  test('a key of eu-west-1 is invisible from us-east-1 and, by id, from another account, which by ARN is refused by the key policy', async () => {
    const key = await newKey();
    const otherRegion = server.client({ region: 'us-east-1', accessKeyId: '123456789012' });
    const otherAccount = server.client({ region: 'eu-west-1', accessKeyId: '210987654321' });
    for (const [client, id] of [[otherRegion, key.KeyId!], [otherRegion, key.Arn!], [otherAccount, key.KeyId!]] as const) {
      const err = await awsError(() => client.send(new DescribeKeyCommand({ KeyId: id })));
      assert.equal(err.name, 'NotFoundException');
    }
    // A key ARN names the other account's key (AWS's cross-account use); its default key policy
    // allows only its own account.
    const byArn = await awsError(() => otherAccount.send(new DescribeKeyCommand({ KeyId: key.Arn! })));
    assert.deepEqual(byArn, {
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::210987654321:root is not authorized to perform: kms:DescribeKey on resource: ${key.Arn} because no resource-based policy allows the kms:DescribeKey action`,
      status: 400,
    });
    const enc = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    const err = await awsError(() => otherRegion.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })));
    assert.equal(err.name, 'NotFoundException');
    otherRegion.destroy();
    otherAccount.destroy();
  });
});

describe('identifier forms AWS refuses', () => {
  test('an alias where only a key id or ARN is accepted is InvalidArnException; an ARN of another Region is "Invalid arn <region>"', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/only-ids', TargetKeyId: key.KeyId }));
    const err = await awsError(() => kms.send(new DisableKeyCommand({ KeyId: 'alias/only-ids' })));
    assert.deepEqual(err, { name: 'InvalidArnException', message: 'Key Aliases are not supported for this operation.', status: 400 });
    const otherRegion = key.Arn!.replace(':eu-west-1:', ':ap-southeast-1:');
    const wrongRegion = await awsError(() => kms.send(new DescribeKeyCommand({ KeyId: otherRegion })));
    assert.deepEqual(wrongRegion, { name: 'NotFoundException', message: 'Invalid arn ap-southeast-1', status: 400 });
    const aliasElsewhere = await awsError(() => kms.send(new DescribeKeyCommand({ KeyId: 'arn:aws:kms:ap-southeast-1:123456789012:alias/only-ids' })));
    assert.deepEqual(aliasElsewhere, { name: 'NotFoundException', message: 'Invalid arn ap-southeast-1', status: 400 });
  });

  test('UpdateAlias accepts a key of the same type and usage even with another spec; refuses another type', async () => {
    const hmac256 = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
    const hmac512 = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_512', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
    const symmetric = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/mac', TargetKeyId: hmac256.KeyId }));
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/mac', TargetKeyId: hmac512.KeyId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/mac' }))).KeyMetadata!.KeySpec, 'HMAC_512');
    const err = await awsError(() => kms.send(new UpdateAliasCommand({ AliasName: 'alias/mac', TargetKeyId: symmetric.KeyId })));
    assert.equal(err.name, 'ValidationException');
  });
});
