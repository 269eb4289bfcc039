// --dev's /_kms/explain: for a refused request (by its x-amzn-RequestId), the deciding statement
// and every statement of the policies that applied with the first element that did not match.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateKeyCommand, EncryptCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { allow, clientsFor, destroyClients, doc, fromIam, type Clients } from '../helpers/identity-clients.js';
import { startServer, type TestServer } from '../helpers/start-server.js';

const A = '111122223333';
let server: TestServer;
let root: Clients;

before(async () => {
  server = await startServer();
  root = clientsFor(server.url, { accessKeyId: A, secretAccessKey: 'x' });
});
after(async () => {
  destroyClients();
  await server?.stop();
});

async function requestIdOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    const id = (err as { $metadata?: { requestId?: string } }).$metadata?.requestId;
    assert.ok(id, 'the error carries a request id');
    return id;
  }
  throw new Error('expected the call to fail');
}

test('a refused Encrypt is explained statement by statement; an unknown id is 404; the list has no statements', async () => {
  const key = (await root.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  await root.kms.send(
    new PutKeyPolicyCommand({
      KeyId: key,
      Policy: doc([
        { Sid: 'Admin', ...allow('kms:*'), Principal: { AWS: `arn:aws:iam::${A}:root` } },
        { Sid: 'NoHR', Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:dept': 'HR' } } },
      ]),
    }),
  );
  await root.iam.send(new CreateUserCommand({ UserName: 'carol' }));
  await root.iam.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'decrypt-only', PolicyDocument: doc([allow('kms:Decrypt')]) }));
  const carol = clientsFor(server.url, fromIam((await root.iam.send(new CreateAccessKeyCommand({ UserName: 'carol' }))).AccessKey));

  const id = await requestIdOf(() => carol.kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('x'), EncryptionContext: { dept: 'IT' } })));
  const answer = await server.devPost('/_kms/explain', { requestId: id });
  assert.equal(answer.status, 200);
  const body = answer.body as Record<string, unknown>;
  assert.equal(body.principal, `arn:aws:iam::${A}:user/carol`);
  assert.equal(body.action, 'kms:Encrypt');
  assert.equal(body.resource, key);
  assert.equal(body.operation, 'Encrypt');
  assert.equal(body.decision, 'ImplicitDeny (IdentityPolicyDoesNotAllow): key policy Statement[0] (Sid "Admin"); no grant of this key names the caller');
  assert.deepEqual(body.statements, [
    { policy: 'key policy', statement: 'Statement[0] (Sid "Admin")', effect: 'Allow', result: 'matches', names: "the caller's account" },
    { policy: 'key policy', statement: 'Statement[1] (Sid "NoHR")', effect: 'Deny', result: 'Condition does not match' },
    { policy: 'inline policy decrypt-only of user carol', statement: 'Statement[0]', effect: 'Allow', result: 'Action does not match' },
  ]);

  const missing = await server.devPost('/_kms/explain', { requestId: 'nope' });
  assert.equal(missing.status, 404);
  assert.equal((missing.body as { __type: string }).__type, 'NotFoundException');

  const list = await server.devPost('/_kms/explain', {});
  const denials = (list.body as { denials: Record<string, unknown>[] }).denials;
  assert.equal(denials[0]!.requestId, id);
  assert.equal('statements' in denials[0]!, false);
});

test('an IAM refusal is explained too', async () => {
  await root.iam.send(new CreateUserCommand({ UserName: 'dave' }));
  const dave = clientsFor(server.url, fromIam((await root.iam.send(new CreateAccessKeyCommand({ UserName: 'dave' }))).AccessKey));
  const id = await requestIdOf(() => dave.iam.send(new CreateUserCommand({ UserName: 'eve' })));
  const body = (await server.devPost('/_kms/explain', { requestId: id })).body as Record<string, unknown>;
  assert.equal(body.operation, 'iam:CreateUser');
  assert.equal(body.action, 'iam:CreateUser');
  assert.equal(body.resource, `arn:aws:iam::${A}:user/eve`);
  assert.equal(body.decision, 'ImplicitDeny (IdentityPolicyDoesNotAllow)');
  assert.deepEqual(body.statements, []);
});
