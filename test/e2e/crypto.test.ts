// Symmetric cryptography through @aws-sdk/client-kms against the real server (--dev).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  KMSClient,
  ReEncryptCommand,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
let kms: KMSClient;
let keyA: { KeyId: string; Arn: string };
let keyB: { KeyId: string; Arn: string };

before(async () => {
  server = await startServer();
  kms = server.client();
  const a = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
  const b = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
  keyA = { KeyId: a.KeyId!, Arn: a.Arn! };
  keyB = { KeyId: b.KeyId!, Arn: b.Arn! };
});
after(async () => {
  kms?.destroy();
  await server?.stop();
});

describe('Encrypt and Decrypt', () => {
  test('round trip with an encryption context; Decrypt needs no KeyId', async () => {
    const plaintext = Buffer.from('attack at dawn');
    const ctx = { purpose: 'test', 'user id': 'ü-42' };
    const enc = await kms.send(new EncryptCommand({ KeyId: keyA.KeyId, Plaintext: plaintext, EncryptionContext: ctx }));
    assert.equal(enc.KeyId, keyA.Arn);
    assert.equal(enc.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.ok(!Buffer.from(enc.CiphertextBlob!).includes(plaintext));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { 'user id': 'ü-42', purpose: 'test' } }));
    assert.deepEqual(Buffer.from(dec.Plaintext!), plaintext);
    assert.equal(dec.KeyId, keyA.Arn);
    assert.equal(dec.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.match(dec.KeyMaterialId!, /^[0-9a-f]{64}$/);
  });

  test('plaintext of 1 and 4096 bytes works; 4097 bytes is a ValidationException', async () => {
    for (const size of [1, 4096]) {
      const plaintext = Buffer.alloc(size, 7);
      const enc = await kms.send(new EncryptCommand({ KeyId: keyA.KeyId, Plaintext: plaintext }));
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
      assert.deepEqual(Buffer.from(dec.Plaintext!), plaintext);
    }
    const err = await awsError(() => kms.send(new EncryptCommand({ KeyId: keyA.KeyId, Plaintext: Buffer.alloc(4097) })));
    assert.equal(err.name, 'ValidationException');
    assert.equal(err.message, "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096");
  });

  test('a wrong or missing context fails; {"a":"bc"} never decrypts as {"ab":"c"}', async () => {
    const enc = await kms.send(new EncryptCommand({ KeyId: keyA.KeyId, Plaintext: Buffer.from('x'), EncryptionContext: { a: 'bc' } }));
    const contexts: Record<string, string>[] = [{ ab: 'c' }, {}, { a: 'bc', extra: '' }, { a: 'BC' }];
    for (const ctx of contexts) {
      const err = await awsError(() => kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ctx })));
      assert.equal(err.name, 'InvalidCiphertextException', JSON.stringify(ctx));
      assert.equal(err.status, 400);
    }
  });

  test('any altered byte of the ciphertext is InvalidCiphertextException', async () => {
    const enc = await kms.send(new EncryptCommand({ KeyId: keyA.KeyId, Plaintext: Buffer.from('integrity') }));
    const blob = Buffer.from(enc.CiphertextBlob!);
    for (let i = 0; i < blob.length; i++) {
      const altered = Buffer.from(blob);
      altered[i] = altered[i]! ^ 0x01;
      const err = await awsError(() => kms.send(new DecryptCommand({ CiphertextBlob: altered })));
      assert.ok(['InvalidCiphertextException', 'NotFoundException'].includes(err.name), `byte ${i}: ${err.name}`);
    }
    const truncated = await awsError(() => kms.send(new DecryptCommand({ CiphertextBlob: blob.subarray(0, 20) })));
    assert.equal(truncated.name, 'InvalidCiphertextException');
  });

  test('Decrypt with the KeyId of another key is IncorrectKeyException', async () => {
    const enc = await kms.send(new EncryptCommand({ KeyId: keyA.KeyId, Plaintext: Buffer.from('x') }));
    const err = await awsError(() => kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: keyB.KeyId })));
    assert.equal(err.name, 'IncorrectKeyException');
    const ok = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: keyA.Arn }));
    assert.equal(ok.KeyId, keyA.Arn);
  });

  test('DryRunModifiers IGNORE_CIPHERTEXT checks only the named keys', async () => {
    const dry = await awsError(() => kms.send(new DecryptCommand({ KeyId: keyA.KeyId, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] })));
    assert.equal(dry.name, 'DryRunOperationException');
    const garbage = await awsError(() => kms.send(new DecryptCommand({ KeyId: keyA.KeyId, CiphertextBlob: Buffer.from('junk'), DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] })));
    assert.equal(garbage.name, 'DryRunOperationException');
    const noKey = await awsError(() => kms.send(new DecryptCommand({ DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] })));
    assert.equal(noKey.name, 'ValidationException');
    const re = await awsError(() => kms.send(new ReEncryptCommand({ SourceKeyId: keyA.KeyId, DestinationKeyId: keyB.Arn, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] })));
    assert.equal(re.name, 'DryRunOperationException');
    const missing = await awsError(() => kms.send(new DecryptCommand({ KeyId: '11111111-2222-3333-4444-555555555555', DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] })));
    assert.equal(missing.name, 'NotFoundException');
  });

  test('DryRun answers DryRunOperationException (HTTP 400, as AWS) when the call would succeed, the real error otherwise', async () => {
    const dry = await awsError(() => kms.send(new EncryptCommand({ KeyId: keyA.KeyId, Plaintext: Buffer.from('x'), DryRun: true })));
    assert.deepEqual(dry, { name: 'DryRunOperationException', message: 'The request would have succeeded, but the DryRun option is set.', status: 400 });
    const missing = await awsError(() =>
      kms.send(new EncryptCommand({ KeyId: '11111111-2222-3333-4444-555555555555', Plaintext: Buffer.from('x'), DryRun: true })),
    );
    assert.equal(missing.name, 'NotFoundException');
  });
});

describe('error bodies as AWS sends them', () => {
  /** A raw --dev call: the exact status and body bytes. */
  async function raw(operation: string, input: unknown): Promise<{ status: number; body: string }> {
    const res = await fetch(`${server.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` },
      body: JSON.stringify(input),
    });
    return { status: res.status, body: await res.text() };
  }

  test('a wrong encryption context: exactly {"__type":"InvalidCiphertextException"}, no message member', async () => {
    const enc = await kms.send(new EncryptCommand({ KeyId: keyA.KeyId, Plaintext: Buffer.from('x'), EncryptionContext: { a: 'b' } }));
    const res = await raw('Decrypt', { CiphertextBlob: Buffer.from(enc.CiphertextBlob!).toString('base64'), EncryptionContext: { a: 'c' } });
    assert.deepEqual(res, { status: 400, body: '{"__type":"InvalidCiphertextException"}' });
  });

  test('a signature or a MAC that does not verify: exactly {"__type":"KMSInvalidSignatureException"} / {"__type":"KMSInvalidMacException"}', async () => {
    const signing = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    const mac = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
    const message = Buffer.from('signed').toString('base64');
    const verify = await raw('Verify', { KeyId: signing.KeyId, Message: message, Signature: Buffer.alloc(70, 1).toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' });
    assert.deepEqual(verify, { status: 400, body: '{"__type":"KMSInvalidSignatureException"}' });
    const verifyMac = await raw('VerifyMac', { KeyId: mac.KeyId, Message: message, Mac: Buffer.alloc(32, 1).toString('base64'), MacAlgorithm: 'HMAC_SHA_256' });
    assert.deepEqual(verifyMac, { status: 400, body: '{"__type":"KMSInvalidMacException"}' });
  });

  test('a DryRun that would succeed: HTTP 400 with the message', async () => {
    const res = await raw('Encrypt', { KeyId: keyA.KeyId, Plaintext: Buffer.from('x').toString('base64'), DryRun: true });
    assert.deepEqual(res, {
      status: 400,
      body: '{"__type":"DryRunOperationException","message":"The request would have succeeded, but the DryRun option is set."}',
    });
  });
});

describe('ReEncrypt', () => {
  test('moves a ciphertext to another key and context without returning plaintext', async () => {
    const enc = await kms.send(new EncryptCommand({ KeyId: keyA.KeyId, Plaintext: Buffer.from('move me'), EncryptionContext: { v: '1' } }));
    const re = await kms.send(
      new ReEncryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        SourceEncryptionContext: { v: '1' },
        DestinationKeyId: keyB.Arn,
        DestinationEncryptionContext: { v: '2' },
      }),
    );
    assert.equal(re.SourceKeyId, keyA.Arn);
    assert.equal(re.KeyId, keyB.Arn);
    assert.equal(re.SourceEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.equal(re.DestinationEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.equal((re as unknown as Record<string, unknown>).Plaintext, undefined);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { v: '2' } }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'move me');
    assert.equal(dec.KeyId, keyB.Arn);
  });
});

describe('data keys and random bytes', () => {
  test('GenerateDataKey honours KeySpec and NumberOfBytes; the ciphertext decrypts to the plaintext', async () => {
    for (const [params, size] of [[{ KeySpec: 'AES_256' as const }, 32], [{ KeySpec: 'AES_128' as const }, 16], [{ NumberOfBytes: 1 }, 1], [{ NumberOfBytes: 1024 }, 1024]] as const) {
      const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: keyA.KeyId, EncryptionContext: { k: 'v' }, ...params }));
      assert.equal(dk.Plaintext!.length, size);
      assert.equal(dk.KeyId, keyA.Arn);
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { k: 'v' } }));
      assert.deepEqual(Buffer.from(dec.Plaintext!), Buffer.from(dk.Plaintext!));
    }
  });

  test('GenerateDataKey needs exactly one of KeySpec and NumberOfBytes', async () => {
    for (const params of [{}, { KeySpec: 'AES_256' as const, NumberOfBytes: 32 }]) {
      const err = await awsError(() => kms.send(new GenerateDataKeyCommand({ KeyId: keyA.KeyId, ...params })));
      assert.deepEqual(err, { name: 'ValidationException', message: 'Please specify either number of bytes or key spec.', status: 400 });
    }
    const err = await awsError(() => kms.send(new GenerateDataKeyCommand({ KeyId: keyA.KeyId, NumberOfBytes: 1025 })));
    assert.equal(err.message, "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024");
  });

  test('GenerateDataKeyWithoutPlaintext returns only the ciphertext', async () => {
    const dk = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyA.KeyId, KeySpec: 'AES_256' }));
    assert.equal((dk as unknown as Record<string, unknown>).Plaintext, undefined);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
    assert.equal(dec.Plaintext!.length, 32);
  });

  test('GenerateRandom returns 1-1024 distinct random bytes', async () => {
    const a = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 1024 }));
    const b = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 1024 }));
    assert.equal(a.Plaintext!.length, 1024);
    assert.notDeepEqual(Buffer.from(a.Plaintext!), Buffer.from(b.Plaintext!));
    const missing = await awsError(() => kms.send(new GenerateRandomCommand({})));
    assert.deepEqual(missing, { name: 'ValidationException', message: 'NumberOfBytes is required.', status: 400 });
    const err = await awsError(() => kms.send(new GenerateRandomCommand({ NumberOfBytes: 0 })));
    assert.equal(err.message, "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });
});
