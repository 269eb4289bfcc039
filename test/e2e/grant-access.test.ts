// Grants give access (--dev: a 12-digit access key id is that account's root). Account A's key keeps
// its default key policy, which allows only A; a grant lets account B use it by its key ARN for the
// grant's operations, under the grant's constraints, until the grant is retired or revoked. A key
// policy Deny still wins; grant tokens are checked; a grantee with CreateGrant can pass on no more
// than it holds.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  ReEncryptCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  type CreateGrantCommandInput,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

const A = '111122223333';
const B = '444455556666';
const C = '123456789012';
const ROOT_B = `arn:aws:iam::${B}:root`;
const ROOT_C = `arn:aws:iam::${C}:root`;
const REGION = 'us-east-1';

let server: TestServer;
let a: KMSClient;
let b: KMSClient;
let c: KMSClient;

before(async () => {
  server = await startServer();
  a = server.client({ region: REGION, accessKeyId: A });
  b = server.client({ region: REGION, accessKeyId: B });
  c = server.client({ region: REGION, accessKeyId: C });
});
after(async () => {
  for (const client of [a, b, c]) client?.destroy();
  await server?.stop();
});

async function keyOfA(policy?: string) {
  return (await a.send(new CreateKeyCommand(policy === undefined ? {} : { Policy: policy }))).KeyMetadata!;
}

async function grantOnA(input: Omit<CreateGrantCommandInput, 'GranteePrincipal'> & { GranteePrincipal?: string }) {
  return a.send(new CreateGrantCommand({ GranteePrincipal: ROOT_B, ...input }));
}

function deniedMessage(principal: string, action: string, arn: string): string {
  return `User: ${principal} is not authorized to perform: ${action} on resource: ${arn} because no resource-based policy allows the ${action} action`;
}

const denied = (principal: string, action: string, arn: string) => ({ name: 'AccessDeniedException', message: deniedMessage(principal, action, arn), status: 400 });

test('a Decrypt grant lets B decrypt A ciphertext by key ARN, and nothing else', async () => {
  const key = await keyOfA();
  const enc = await a.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('for B'), EncryptionContext: { app: 'x' } }));
  const decrypt = () => b.send(new DecryptCommand({ KeyId: key.Arn, CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { app: 'x' } }));
  assert.deepEqual(await awsError(decrypt), denied(ROOT_B, 'kms:Decrypt', key.Arn!));

  await grantOnA({ KeyId: key.KeyId, Operations: ['Decrypt'] });
  const dec = await decrypt();
  assert.equal(Buffer.from(dec.Plaintext!).toString(), 'for B');
  assert.equal(dec.KeyId, key.Arn);
  assert.deepEqual(await awsError(() => b.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x') }))), denied(ROOT_B, 'kms:Encrypt', key.Arn!));
  assert.deepEqual(await awsError(() => b.send(new DescribeKeyCommand({ KeyId: key.Arn }))), denied(ROOT_B, 'kms:DescribeKey', key.Arn!));
  // Another account is not the grantee.
  assert.deepEqual(
    await awsError(() => c.send(new DecryptCommand({ KeyId: key.Arn, CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { app: 'x' } }))),
    denied(ROOT_C, 'kms:Decrypt', key.Arn!),
  );
  // The server's log says a grant was considered.
  assert.match(server.output(), /"denied":"ImplicitDeny \(KeyPolicyDoesNotAllow\); 1 grant\(s\) naming the caller considered, none allows this request"/);
});

test('EncryptionContextEquals allows exactly that context (names not case sensitive, values case sensitive)', async () => {
  const key = await keyOfA();
  await grantOnA({ KeyId: key.KeyId, Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextEquals: { purpose: 'billing', env: 'prod' } } });
  const encrypt = (context?: Record<string, string>) =>
    b.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x'), ...(context && { EncryptionContext: context }) }));
  const enc = await encrypt({ env: 'prod', purpose: 'billing' });
  await b.send(new DecryptCommand({ KeyId: key.Arn, CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { purpose: 'billing', env: 'prod' } }));
  await encrypt({ Purpose: 'billing', ENV: 'prod' });
  const refused: Array<Record<string, string> | undefined> = [undefined, { purpose: 'billing' }, { purpose: 'billing', env: 'prod', extra: 'x' }, { purpose: 'Billing', env: 'prod' }];
  for (const context of refused) {
    assert.deepEqual(await awsError(() => encrypt(context)), denied(ROOT_B, 'kms:Encrypt', key.Arn!), JSON.stringify(context));
  }
});

test('EncryptionContextSubset requires its pairs and allows more; ReEncrypt decides each side on its own context', async () => {
  const key = await keyOfA();
  await grantOnA({ KeyId: key.KeyId, Operations: ['GenerateDataKey', 'ReEncryptFrom', 'ReEncryptTo'], Constraints: { EncryptionContextSubset: { team: 'red' } } });
  const generate = (context: Record<string, string>) => b.send(new GenerateDataKeyCommand({ KeyId: key.Arn, KeySpec: 'AES_256', EncryptionContext: context }));
  const dk = await generate({ team: 'red', app: 'x' });
  await generate({ team: 'red' });
  const refused: Array<Record<string, string>> = [{}, { team: 'blue' }, { team: 'Red' }, { app: 'x' }];
  for (const context of refused) {
    assert.deepEqual(await awsError(() => generate(context)), denied(ROOT_B, 'kms:GenerateDataKey', key.Arn!), JSON.stringify(context));
  }
  const reEncrypt = (destination: Record<string, string>) =>
    b.send(new ReEncryptCommand({
      SourceKeyId: key.Arn,
      CiphertextBlob: dk.CiphertextBlob,
      SourceEncryptionContext: { team: 'red', app: 'x' },
      DestinationKeyId: key.Arn,
      DestinationEncryptionContext: destination,
    }));
  await reEncrypt({ team: 'red' });
  assert.deepEqual(await awsError(() => reEncrypt({ team: 'blue' })), denied(ROOT_B, 'kms:ReEncryptTo', key.Arn!));
});

test('RetireGrant and RevokeGrant take the access away at once', async () => {
  const key = await keyOfA();
  const encrypt = () => b.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x') }));
  const retirable = await grantOnA({ KeyId: key.KeyId, Operations: ['Encrypt'], RetiringPrincipal: ROOT_B });
  await encrypt();
  await b.send(new RetireGrantCommand({ GrantToken: retirable.GrantToken }));
  assert.deepEqual(await awsError(encrypt), denied(ROOT_B, 'kms:Encrypt', key.Arn!));

  const revocable = await grantOnA({ KeyId: key.KeyId, Operations: ['Encrypt'] });
  await encrypt();
  await a.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: revocable.GrantId }));
  assert.deepEqual(await awsError(encrypt), denied(ROOT_B, 'kms:Encrypt', key.Arn!));
  // The token of the revoked grant is well formed: accepted, and it gives nothing.
  assert.deepEqual(
    await awsError(() => b.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x'), GrantTokens: [revocable.GrantToken!] }))),
    denied(ROOT_B, 'kms:Encrypt', key.Arn!),
  );
});

test('an explicit Deny in the key policy beats the grant', async () => {
  const key = await keyOfA(JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'NoEncryptForB', Effect: 'Deny', Principal: { AWS: ROOT_B }, Action: 'kms:Encrypt', Resource: '*' },
    ],
  }));
  const { GrantToken } = await grantOnA({ KeyId: key.KeyId, Operations: ['Encrypt', 'DescribeKey'] });
  assert.deepEqual(await awsError(() => b.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x'), GrantTokens: [GrantToken!] }))), {
    name: 'AccessDeniedException',
    message: `User: ${ROOT_B} is not authorized to perform: kms:Encrypt on resource: ${key.Arn} with an explicit deny in a resource-based policy`,
    status: 400,
  });
  assert.equal((await b.send(new DescribeKeyCommand({ KeyId: key.Arn }))).KeyMetadata!.Arn, key.Arn);
});

test('grant tokens: a real one is accepted, a malformed one is InvalidGrantTokenException, and a token grants only to its grantee', async () => {
  const key = await keyOfA();
  const { GrantToken } = await grantOnA({ KeyId: key.KeyId, Operations: ['Encrypt'] });
  await b.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x'), GrantTokens: [GrantToken!] }));
  const invalid = { name: 'InvalidGrantTokenException', message: 'Invalid grant token', status: 400 };
  for (const tokens of [['not-a-token'], [GrantToken!, `${GrantToken!.slice(1)}!`], ['a'.repeat(383)]]) {
    assert.deepEqual(await awsError(() => b.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x'), GrantTokens: tokens }))), invalid);
  }
  // Checked even when the key policy allows on its own.
  assert.deepEqual(await awsError(() => a.send(new DescribeKeyCommand({ KeyId: key.KeyId, GrantTokens: ['nope'] }))), invalid);
  // C holds B's token, but is not the grantee.
  assert.deepEqual(
    await awsError(() => c.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x'), GrantTokens: [GrantToken!] }))),
    denied(ROOT_C, 'kms:Encrypt', key.Arn!),
  );
});

test('a grantee with CreateGrant can create a narrower grant, not a wider one', async () => {
  const key = await keyOfA();
  await grantOnA({ KeyId: key.KeyId, Operations: ['Encrypt', 'Decrypt', 'CreateGrant'], Constraints: { EncryptionContextSubset: { team: 'red' } } });
  const createByB = (input: Omit<CreateGrantCommandInput, 'KeyId' | 'GranteePrincipal'>) =>
    b.send(new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: ROOT_C, ...input }));

  const narrower = await createByB({ Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: { team: 'red', app: 'x' } } });
  assert.match(narrower.GrantId!, /^[0-9a-f]{64}$/);
  await c.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x'), EncryptionContext: { team: 'red', app: 'x' } }));
  assert.deepEqual(
    await awsError(() => c.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x'), EncryptionContext: { team: 'red' } }))),
    denied(ROOT_C, 'kms:Encrypt', key.Arn!),
  );
  await createByB({ Operations: ['Decrypt'], Constraints: { EncryptionContextEquals: { team: 'red', app: 'y' } } });

  const wider: Array<Omit<CreateGrantCommandInput, 'KeyId' | 'GranteePrincipal'>> = [
    { Operations: ['Encrypt', 'GenerateDataKey'], Constraints: { EncryptionContextSubset: { team: 'red' } } },
    { Operations: ['Encrypt'] },
    { Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: { app: 'x' } } },
    { Operations: ['Encrypt'], Constraints: { EncryptionContextEquals: { team: 'blue' } } },
  ];
  for (const input of wider) {
    assert.deepEqual(await awsError(() => createByB(input)), denied(ROOT_B, 'kms:CreateGrant', key.Arn!), JSON.stringify(input));
  }
  // C received no CreateGrant: it cannot pass anything on.
  assert.deepEqual(
    await awsError(() => c.send(new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: ROOT_B, Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: { team: 'red', app: 'x' } } }))),
    denied(ROOT_C, 'kms:CreateGrant', key.Arn!),
  );
});
