// The AWS Encryption SDK for JavaScript (@aws-crypto/client-node) with a KMS keyring pointed at
// the real server (--dev): envelope encryption of a 1 MiB message through GenerateDataKey,
// Encrypt and Decrypt, exactly as applications use KMS.
//
// The keyring calls `generateDataKey`/`encrypt`/`decrypt` methods on its client, so the client
// provider must return the aggregated `KMS` client of @aws-sdk/client-kms (a bare `KMSClient`
// only has `send`). The SDK stores the key ARN that KMS returns in each encrypted data key and,
// on decryption, only asks KMS about data keys whose ARN is listed in the keyring, so decryption
// keyrings name keys by ARN (an alias or bare key id never matches).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand, KMS, KMSClient } from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
let kms: KMSClient;
const regionalClients = new Map<string, KMS>();
const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

/** The keyring's client supplier: one aggregated KMS client per region, all pointed at the server. */
function clientProvider(region: string): KMS {
  // The SDK passes '' for identifiers without a region (aliases, bare key ids).
  const effective = region || 'us-east-1';
  let client = regionalClients.get(effective);
  if (!client) {
    client = new KMS({ endpoint: server.url, region: effective, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    regionalClients.set(effective, client);
  }
  return client;
}

const keyring = (options: { generatorKeyId?: string; keyIds?: string[] }) => new KmsKeyringNode({ clientProvider, ...options });
const newKey = async (client = kms) => (await client.send(new CreateKeyCommand({}))).KeyMetadata!;

/** What the SDK throws when no keyring entry could produce the data key. */
const NO_KEY_COULD_DECRYPT = /unencryptedDataKey has not been set/;

before(async () => {
  server = await startServer();
  kms = server.client();
});
after(async () => {
  kms?.destroy();
  for (const client of regionalClients.values()) client.destroy();
  await server?.stop();
});

describe('AWS Encryption SDK with a KMS keyring', () => {
  test('encrypts and decrypts a 1 MiB message with an encryption context', async () => {
    const key = await newKey();
    const plaintext = randomBytes(1024 * 1024);
    const context = { purpose: 'e2e', tenant: 'ü-tenant 42', empty: '' };
    const ring = keyring({ generatorKeyId: key.Arn! });

    const { result, messageHeader } = await encrypt(ring, plaintext, { encryptionContext: context });
    assert.ok(result.length > plaintext.length);
    assert.equal(result.indexOf(plaintext.subarray(0, 64)), -1, 'the message does not contain the plaintext');
    assert.deepEqual(
      messageHeader.encryptedDataKeys.map((edk) => [edk.providerId, edk.providerInfo]),
      [['aws-kms', key.Arn]],
      'one data key, wrapped by our key and labelled with the ARN KMS returned',
    );

    const decrypted = await decrypt(ring, result);
    assert.ok(Buffer.from(decrypted.plaintext).equals(plaintext), 'decrypted bytes equal the original');
    for (const [name, value] of Object.entries(context)) {
      assert.equal(decrypted.messageHeader.encryptionContext[name], value, `context entry ${name}`);
    }
    // The default (signing) suite adds its public key to the context that KMS saw as well.
    assert.ok('aws-crypto-public-key' in decrypted.messageHeader.encryptionContext);

    // A keyring that lists only the data key's ARN (no generator) decrypts too.
    const again = await decrypt(keyring({ keyIds: [key.Arn!] }), result);
    assert.ok(Buffer.from(again.plaintext).equals(plaintext));
  });

  test('a keyring for another key cannot decrypt the message', async () => {
    const owner = await newKey();
    const other = await newKey();
    const { result } = await encrypt(keyring({ generatorKeyId: owner.Arn! }), randomBytes(4096), { encryptionContext: { a: 'b' } });
    for (const ring of [keyring({ keyIds: [other.Arn!] }), keyring({ generatorKeyId: other.Arn! }), keyring({ keyIds: [owner.KeyId!] })]) {
      await assert.rejects(decrypt(ring, result), NO_KEY_COULD_DECRYPT);
    }
    // A discovery keyring restricted to another account skips the data key as well ...
    const account = owner.AWSAccountId!;
    const foreign = new KmsKeyringNode({ clientProvider, discovery: true, discoveryFilter: { partition: 'aws', accountIDs: ['999999999999'] } });
    await assert.rejects(decrypt(foreign, result), NO_KEY_COULD_DECRYPT);
    // ... while one for our account asks KMS, which finds the key from the ciphertext.
    const discovery = new KmsKeyringNode({ clientProvider, discovery: true, discoveryFilter: { partition: 'aws', accountIDs: [account] } });
    assert.equal((await decrypt(discovery, result)).plaintext.length, 4096);
  });

  test('an alias (name or ARN) works as the generator key; decryption needs the key ARN', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/esdk-app', TargetKeyId: key.KeyId }));
    const aliasArn = `arn:aws:kms:us-east-1:${key.AWSAccountId}:alias/esdk-app`;
    const plaintext = randomBytes(100_000);
    for (const generatorKeyId of ['alias/esdk-app', aliasArn]) {
      const { result, messageHeader } = await encrypt(keyring({ generatorKeyId }), plaintext, { encryptionContext: { via: generatorKeyId } });
      assert.deepEqual(messageHeader.encryptedDataKeys.map((edk) => edk.providerInfo), [key.Arn], 'the data key is labelled with the key ARN, not the alias');
      // The alias never matches the ARN stored in the message, so the alias keyring cannot decrypt.
      await assert.rejects(decrypt(keyring({ generatorKeyId }), result), NO_KEY_COULD_DECRYPT);
      const decrypted = await decrypt(keyring({ keyIds: [key.Arn!] }), result);
      assert.ok(Buffer.from(decrypted.plaintext).equals(plaintext));
      assert.equal(decrypted.messageHeader.encryptionContext.via, generatorKeyId);
    }
  });

  test('a message for two keys decrypts with either; a KMS error on the only key surfaces', async () => {
    const first = await newKey();
    const second = await newKey();
    const { result, messageHeader } = await encrypt(keyring({ generatorKeyId: first.Arn!, keyIds: [second.Arn!] }), Buffer.from('two keys'), {
      encryptionContext: { n: '2' },
    });
    assert.deepEqual(messageHeader.encryptedDataKeys.map((edk) => edk.providerInfo), [first.Arn, second.Arn]);
    for (const arn of [first.Arn!, second.Arn!]) {
      assert.equal(Buffer.from((await decrypt(keyring({ keyIds: [arn] }), result)).plaintext).toString(), 'two keys');
    }
    // Once the only usable key is disabled, the SDK reports KMS's DisabledException.
    await kms.send(new DisableKeyCommand({ KeyId: second.KeyId }));
    await assert.rejects(decrypt(keyring({ keyIds: [second.Arn!] }), result), (err: Error) => {
      assert.match(err.message, /Unable to decrypt data key/);
      assert.match(err.message, /DisabledException/);
      return true;
    });
    assert.equal(Buffer.from((await decrypt(keyring({ keyIds: [first.Arn!] }), result)).plaintext).toString(), 'two keys');
  });

  test('keys in another region are reached through the region in their ARN', async () => {
    const euClient = server.client({ region: 'eu-west-1' });
    try {
      const key = await newKey(euClient);
      assert.match(key.Arn!, /^arn:aws:kms:eu-west-1:/);
      // The us-east-1 view does not know this key; the keyring must pick the eu-west-1 client.
      const missing = await awsError(() => kms.send(new DescribeKeyCommand({ KeyId: key.KeyId })));
      assert.equal(missing.name, 'NotFoundException');
      const plaintext = randomBytes(50_000);
      const { result } = await encrypt(keyring({ generatorKeyId: key.Arn! }), plaintext, { encryptionContext: { region: 'eu' } });
      const decrypted = await decrypt(keyring({ keyIds: [key.Arn!] }), result);
      assert.ok(Buffer.from(decrypted.plaintext).equals(plaintext));
      assert.ok(regionalClients.has('eu-west-1'));
    } finally {
      euClient.destroy();
    }
  });
});
