// TagResource, UntagResource, ListResourceTags and GetKeyLastUsage through @aws-sdk/client-kms
// against the real server (--dev), in a region of their own; the last test restarts the server on
// the same data dir to show that key usage is flushed at graceful shutdown.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyLastUsageCommand,
  GetPublicKeyCommand,
  KMSClient,
  ListResourceTagsCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  TagResourceCommand,
  UntagResourceCommand,
  VerifyCommand,
  type KeyMetadata,
  type Tag,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

const REGION = 'ca-central-1';
const ACCOUNT = '000000000000';
const DAY = 86_400_000;
let server: TestServer;
let kms: KMSClient;

before(async () => {
  server = await startServer();
  kms = server.client({ region: REGION });
});
after(async () => {
  kms?.destroy();
  await server?.stop();
});

async function createKey(options: ConstructorParameters<typeof CreateKeyCommand>[0] = {}): Promise<KeyMetadata> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand(options));
  assert.ok(KeyMetadata);
  return KeyMetadata;
}

async function tagsOf(keyId: string): Promise<Tag[]> {
  const { Tags, Truncated } = await kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
  assert.equal(Truncated, false);
  return Tags ?? [];
}

function manyTags(n: number, prefix = 'k'): Tag[] {
  return Array.from({ length: n }, (_, i) => ({ TagKey: `${prefix}${String(i).padStart(2, '0')}`, TagValue: `v${i}` }));
}

describe('TagResource and UntagResource', () => {
  test('tag, retag and untag; ListResourceTags answers the exact set ordered by key', async () => {
    const key = await createKey({ Tags: [{ TagKey: 'env', TagValue: 'dev' }] });
    await kms.send(
      new TagResourceCommand({
        KeyId: key.KeyId,
        Tags: [
          { TagKey: 'team', TagValue: 'payments' },
          { TagKey: 'env', TagValue: 'prod' },
          { TagKey: 'empty', TagValue: '' },
        ],
      }),
    );
    assert.deepEqual(await tagsOf(key.KeyId!), [
      { TagKey: 'empty', TagValue: '' },
      { TagKey: 'env', TagValue: 'prod' },
      { TagKey: 'team', TagValue: 'payments' },
    ]);
    // By key ARN; tag keys and values are case-sensitive.
    await kms.send(new TagResourceCommand({ KeyId: key.Arn, Tags: [{ TagKey: 'Team', TagValue: 'Ops' }] }));
    // Unknown tag keys are ignored.
    await kms.send(new UntagResourceCommand({ KeyId: key.Arn, TagKeys: ['team', 'no-such-tag', 'empty'] }));
    assert.deepEqual(await tagsOf(key.Arn!), [
      { TagKey: 'Team', TagValue: 'Ops' },
      { TagKey: 'env', TagValue: 'prod' },
    ]);
    await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['Team', 'env'] }));
    assert.deepEqual(await tagsOf(key.KeyId!), []);
  });

  test('a key is named by key id or key ARN only: aliases are refused', async () => {
    const key = await createKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/tags-test', TargetKeyId: key.KeyId }));
    for (const send of [
      () => kms.send(new TagResourceCommand({ KeyId: 'alias/tags-test', Tags: [{ TagKey: 'a', TagValue: 'b' }] })),
      () => kms.send(new UntagResourceCommand({ KeyId: 'alias/tags-test', TagKeys: ['a'] })),
    ]) {
      const err = await awsError(send);
      // AWS: InvalidArnException "Key Aliases are not supported for this operation."
      assert.equal(err.name, 'InvalidArnException');
      assert.equal(err.message, 'Key Aliases are not supported for this operation.');
    }
    const missing = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b0b0b0b-0000-4000-8000-000000000000`;
    const err = await awsError(() => kms.send(new TagResourceCommand({ KeyId: missing, Tags: [{ TagKey: 'a', TagValue: 'b' }] })));
    assert.deepEqual({ name: err.name, message: err.message }, { name: 'NotFoundException', message: `Key '${missing}' does not exist` });
  });

  test('50 tags per key counting existing ones: the 51st is refused with TagException, as CreateKey refuses 51', async () => {
    const key = await createKey({ Tags: manyTags(50) });
    assert.equal((await tagsOf(key.KeyId!)).length, 50);
    const err = await awsError(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'one-more', TagValue: 'x' }] })));
    assert.deepEqual(err, { name: 'TagException', message: 'Too many tags', status: 400 });
    // Nothing of the refused request was applied.
    assert.equal((await tagsOf(key.KeyId!)).length, 50);
    assert.ok(!(await tagsOf(key.KeyId!)).some((t) => t.TagKey === 'one-more'));
    // Changing values of existing tags does not add any: still allowed at 50.
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'k00', TagValue: 'changed' }, { TagKey: 'k49', TagValue: '' }] }));
    const tags = await tagsOf(key.KeyId!);
    assert.equal(tags.length, 50);
    assert.deepEqual(tags[0], { TagKey: 'k00', TagValue: 'changed' });
    assert.deepEqual(tags[49], { TagKey: 'k49', TagValue: '' });
    // Room made by UntagResource can be used again.
    await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['k10'] }));
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'one-more', TagValue: 'x' }] }));
    assert.equal((await tagsOf(key.KeyId!)).length, 50);
  });

  test('the limit counts existing plus new tag keys: overwrites in the same request do not count', async () => {
    const key = await createKey({ Tags: manyTags(48) });
    // 48 existing, 2 overwritten, 2 new: 50.
    await kms.send(
      new TagResourceCommand({
        KeyId: key.KeyId,
        Tags: [{ TagKey: 'k00', TagValue: 'v' }, { TagKey: 'k47', TagValue: 'v' }, { TagKey: 'new1', TagValue: 'v' }, { TagKey: 'new2', TagValue: 'v' }],
      }),
    );
    assert.equal((await tagsOf(key.KeyId!)).length, 50);
    // One overwrite and one new: 51.
    const err = await awsError(() =>
      kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'k01', TagValue: 'v' }, { TagKey: 'new3', TagValue: 'v' }] })),
    );
    assert.deepEqual(err, { name: 'TagException', message: 'Too many tags', status: 400 });
    // Nothing of the refused request was applied.
    assert.equal((await tagsOf(key.KeyId!)).find((t) => t.TagKey === 'k01')?.TagValue, 'v1');
  });

  test('more than 50 tags in one request are refused with TagException (TagResource and CreateKey)', async () => {
    const key = await createKey();
    const expected = { name: 'TagException', message: 'Too many tags', status: 400 };
    assert.deepEqual(await awsError(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: manyTags(51) }))), expected);
    assert.deepEqual(await awsError(() => kms.send(new CreateKeyCommand({ Tags: manyTags(51) }))), expected);
    assert.deepEqual(await tagsOf(key.KeyId!), []);
  });

  test('the aws: prefix is reserved, in any case, for TagResource and UntagResource', async () => {
    const key = await createKey({ Tags: [{ TagKey: 'keep', TagValue: '1' }] });
    for (const TagKey of ['aws:project', 'AWS:project', 'Aws:x']) {
      const err = await awsError(() =>
        kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'fine', TagValue: 'x' }, { TagKey, TagValue: 'x' }] })),
      );
      assert.deepEqual(err, { name: 'TagException', message: 'Tags beginning with aws: are reserved', status: 400 });
    }
    const untag = await awsError(() => kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['keep', 'aws:cloudformation:stack-name'] })));
    assert.deepEqual(untag, { name: 'TagException', message: 'Tags beginning with aws: are reserved', status: 400 });
    // All or nothing: neither request changed the tags.
    assert.deepEqual(await tagsOf(key.KeyId!), [{ TagKey: 'keep', TagValue: '1' }]);
  });

  test('a tag key repeated in one request is refused', async () => {
    const key = await createKey();
    const err = await awsError(() =>
      kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'a', TagValue: '2' }] })),
    );
    assert.deepEqual(err, { name: 'TagException', message: 'Duplicate tag keys', status: 400 });
    // AWS's tag alphabet: letters, numbers, spaces and _ . : / = + - @
    for (const tag of [{ TagKey: 'bad<>key', TagValue: 'v' }, { TagKey: 'k', TagValue: 'a&b' }]) {
      const invalid = await awsError(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [tag] })));
      assert.deepEqual(invalid, { name: 'TagException', message: 'Invalid tag', status: 400 });
    }
  });

  test('tag key 1-128 and value 0-256 characters', async () => {
    const key = await createKey();
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'k'.repeat(128), TagValue: 'v'.repeat(256) }] }));
    assert.deepEqual(await tagsOf(key.KeyId!), [{ TagKey: 'k'.repeat(128), TagValue: 'v'.repeat(256) }]);
    for (const tag of [
      { TagKey: 'k'.repeat(129), TagValue: 'v' },
      { TagKey: '', TagValue: 'v' },
      { TagKey: 'k', TagValue: 'v'.repeat(257) },
    ]) {
      const err = await awsError(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [tag] })));
      assert.equal(err.name, 'ValidationException', JSON.stringify(tag).slice(0, 40));
      assert.match(err.message, /^1 validation error detected: Value '.*' at 'tags\.1\.member\.tag(Key|Value)' failed to satisfy constraint: Member must have length (less|greater) than or equal to \d+$/);
    }
  });

  test('a pending-deletion key cannot be tagged or untagged; a disabled one can', async () => {
    const key = await createKey({ Tags: [{ TagKey: 'a', TagValue: '1' }] });
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'b', TagValue: '2' }] }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    const expected = { name: 'KMSInvalidStateException', message: `${key.Arn} is pending deletion.`, status: 400 };
    assert.deepEqual(await awsError(() => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'c', TagValue: '3' }] }))), expected);
    assert.deepEqual(await awsError(() => kms.send(new UntagResourceCommand({ KeyId: key.Arn, TagKeys: ['a'] }))), expected);
    // ListResourceTags works in every state.
    assert.deepEqual(await tagsOf(key.KeyId!), [
      { TagKey: 'a', TagValue: '1' },
      { TagKey: 'b', TagValue: '2' },
    ]);
  });

  test('AWS managed keys cannot be tagged or untagged', async () => {
    const { KeyMetadata: managed } = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }));
    assert.equal(managed?.KeyManager, 'AWS');
    for (const [action, send] of [
      ['TagResource', () => kms.send(new TagResourceCommand({ KeyId: managed!.KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] }))],
      ['UntagResource', () => kms.send(new UntagResourceCommand({ KeyId: managed!.Arn, TagKeys: ['a'] }))],
    ] as const) {
      const err = await awsError(send);
      assert.equal(err.name, 'AccessDeniedException');
      assert.equal(
        err.message,
        `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: kms:${action} on resource: ${managed!.Arn} because no resource-based policy allows the kms:${action} action`,
      );
    }
    assert.deepEqual(await tagsOf(managed!.KeyId!), []);
  });
});

describe('GetKeyLastUsage', () => {
  let symmetric: KeyMetadata;
  let other: KeyMetadata;
  let signing: KeyMetadata;
  let ciphertext: Uint8Array;

  before(async () => {
    symmetric = await createKey({ Description: 'usage' });
    other = await createKey({ Description: 'usage destination' });
    signing = await createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  });

  async function lastUsage(keyId: string) {
    const out = await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    return out;
  }

  /** The last usage names `operation`, the request id the SDK saw, and a time within [from, to] (whole seconds). */
  async function assertLastUsage(key: KeyMetadata, operation: string, requestId: string | undefined, from: number, to: number) {
    assert.ok(requestId, 'the SDK saw a request id');
    const out = await lastUsage(key.Arn!);
    assert.equal(out.KeyLastUsage?.Operation, operation);
    assert.equal(out.KeyLastUsage?.KmsRequestId, requestId);
    assert.equal(out.KeyLastUsage?.CloudTrailEventId, undefined);
    const at = out.KeyLastUsage?.Timestamp?.getTime();
    assert.ok(at !== undefined && at % 1000 === 0, `whole seconds: ${at}`);
    assert.ok(at >= Math.floor(from / 1000) * 1000 && at <= to, `${at} within [${from}, ${to}]`);
  }

  test('before any use: an empty KeyLastUsage, tracking since the key was created', async () => {
    const out = await lastUsage(symmetric.KeyId!);
    assert.equal(out.KeyId, symmetric.KeyId);
    assert.deepEqual(out.KeyLastUsage, {});
    assert.deepEqual(out.KeyCreationDate, symmetric.CreationDate);
    assert.deepEqual(out.TrackingStartDate, symmetric.CreationDate);
    // Management and read-only calls are not cryptographic operations.
    await kms.send(new DescribeKeyCommand({ KeyId: symmetric.KeyId }));
    await kms.send(new TagResourceCommand({ KeyId: symmetric.KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] }));
    await kms.send(new GetPublicKeyCommand({ KeyId: signing.KeyId }));
    assert.deepEqual((await lastUsage(symmetric.Arn!)).KeyLastUsage, {});
    assert.deepEqual((await lastUsage(signing.Arn!)).KeyLastUsage, {});
  });

  test('after Encrypt: Operation Encrypt, a timestamp close to now, the KmsRequestId the SDK saw', async () => {
    const from = Date.now();
    const encrypted = await kms.send(new EncryptCommand({ KeyId: symmetric.KeyId, Plaintext: Buffer.from('hello'), EncryptionContext: { p: '1' } }));
    const to = Date.now();
    ciphertext = encrypted.CiphertextBlob!;
    assert.match(encrypted.$metadata.requestId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Read at once: unflushed usage is visible.
    await assertLastUsage(symmetric, 'Encrypt', encrypted.$metadata.requestId, from, to);
    const out = await lastUsage(symmetric.KeyId!);
    assert.equal(out.KeyId, symmetric.KeyId);
    assert.deepEqual(out.TrackingStartDate, symmetric.CreationDate);
  });

  test('a failed call, a DryRun and GenerateRandom do not count; a later Decrypt does', async () => {
    const before = (await lastUsage(symmetric.KeyId!)).KeyLastUsage;
    const wrongContext = await awsError(() => kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: { p: '2' } })));
    assert.equal(wrongContext.name, 'InvalidCiphertextException');
    const dryRun = await awsError(() => kms.send(new EncryptCommand({ KeyId: symmetric.KeyId, Plaintext: Buffer.from('x'), DryRun: true })));
    assert.equal(dryRun.name, 'DryRunOperationException');
    assert.deepEqual((await lastUsage(symmetric.KeyId!)).KeyLastUsage, before);

    const from = Date.now();
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: { p: '1' } }));
    const to = Date.now();
    assert.equal(Buffer.from(decrypted.Plaintext!).toString(), 'hello');
    await assertLastUsage(symmetric, 'Decrypt', decrypted.$metadata.requestId, from, to);
    assert.ok((await lastUsage(symmetric.KeyId!)).KeyLastUsage!.Timestamp! >= before!.Timestamp!);
  });

  test('Sign then Verify on a signing key', async () => {
    let from = Date.now();
    const signed = await kms.send(new SignCommand({ KeyId: signing.KeyId, Message: Buffer.from('msg'), SigningAlgorithm: 'ECDSA_SHA_256' }));
    await assertLastUsage(signing, 'Sign', signed.$metadata.requestId, from, Date.now());
    from = Date.now();
    const verified = await kms.send(
      new VerifyCommand({ KeyId: signing.Arn, Message: Buffer.from('msg'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    assert.equal(verified.SignatureValid, true);
    await assertLastUsage(signing, 'Verify', verified.$metadata.requestId, from, Date.now());
  });

  test('ReEncrypt records both the source and the destination key', async () => {
    const from = Date.now();
    const out = await kms.send(
      new ReEncryptCommand({ CiphertextBlob: ciphertext, SourceEncryptionContext: { p: '1' }, DestinationKeyId: other.KeyId }),
    );
    const to = Date.now();
    await assertLastUsage(symmetric, 'ReEncrypt', out.$metadata.requestId, from, to);
    await assertLastUsage(other, 'ReEncrypt', out.$metadata.requestId, from, to);
  });

  test('aliases are refused; any key state is fine', async () => {
    const err = await awsError(() => kms.send(new GetKeyLastUsageCommand({ KeyId: 'alias/aws/s3' })));
    assert.deepEqual({ name: err.name, message: err.message }, { name: 'InvalidArnException', message: 'Key Aliases are not supported for this operation.' });
    const key = await createKey();
    const generated = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' }));
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    const out = await lastUsage(key.KeyId!);
    assert.equal(out.KeyLastUsage?.Operation, 'GenerateDataKey');
    assert.equal(out.KeyLastUsage?.KmsRequestId, generated.$metadata.requestId);
  });

  test('usage is kept apart per account and region', async () => {
    const elsewhere = server.client({ region: 'eu-south-1' });
    try {
      const err = await awsError(() => elsewhere.send(new GetKeyLastUsageCommand({ KeyId: symmetric.Arn })));
      // AWS names the foreign Region: "Invalid arn <region>".
      assert.deepEqual({ name: err.name, message: err.message }, { name: 'NotFoundException', message: `Invalid arn ${REGION}` });
    } finally {
      elsewhere.destroy();
    }
  });

  test('a deleted key loses its usage: a key recreated with the same id starts unused', async () => {
    const id = '7a6b5c4d-0000-4000-8000-00000000f00d';
    const first = await createKey({ Tags: [{ TagKey: '_custom_id_', TagValue: id }] });
    await kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('x') }));
    assert.equal((await lastUsage(id)).KeyLastUsage?.Operation, 'Encrypt');
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 7 }));
    // Moves this server's clock: keep this the last test that compares timestamps with Date.now().
    const clock = await server.devPost('/_kms/clock', { advanceDays: 8 });
    assert.equal(clock.status, 200);
    const gone = await awsError(() => kms.send(new GetKeyLastUsageCommand({ KeyId: id })));
    assert.deepEqual({ name: gone.name, message: gone.message }, { name: 'NotFoundException', message: `Key '${first.Arn}' does not exist` });
    const again = await createKey({ Tags: [{ TagKey: '_custom_id_', TagValue: id }] });
    assert.equal(again.Arn, first.Arn);
    assert.ok(again.CreationDate!.getTime() > first.CreationDate!.getTime() + 7 * DAY);
    assert.deepEqual((await lastUsage(id)).KeyLastUsage, {});
    assert.deepEqual(await tagsOf(id), [{ TagKey: '_custom_id_', TagValue: id }]);
  });
});

describe('graceful shutdown', () => {
  test('usage recorded just before SIGTERM is flushed and still there after a restart on the same data dir', async () => {
    const key = await createKey();
    const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('persist') }));
    // Stop at once, well within the one-second flush interval.
    kms.destroy();
    assert.equal(await server.stop('SIGTERM'), 0);

    server = await startServer({ dataDir: server.dataDir });
    kms = server.client({ region: REGION });
    const out = await kms.send(new GetKeyLastUsageCommand({ KeyId: key.Arn }));
    assert.equal(out.KeyLastUsage?.Operation, 'Encrypt');
    assert.equal(out.KeyLastUsage?.KmsRequestId, encrypted.$metadata.requestId);
    assert.deepEqual(out.KeyCreationDate, key.CreationDate);
  });
});
