// The real JS clients (@aws-sdk/client-iam, client-sts) read what encodeQueryResult and
// encodeQueryError write, served by a tiny node:http server that also decodes the SDK's request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

import { CreateUserCommand, GetUserCommand, IAMClient, ListUsersCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

import { NoSuchEntity, toQueryError } from '../../../../src/errors/query-errors.js';
import { iamService, stsService } from '../../../../src/protocol/query-model.js';
import { decodeQueryRequest, parseQueryForm } from '../../../../src/protocol/query/decode.js';
import { encodeQueryError, encodeQueryResult, QUERY_CONTENT_TYPE } from '../../../../src/protocol/query/encode.js';

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const created = new Date('2013-06-06T17:12:53Z');
const expiration = new Date('2026-12-03T18:47:14.359Z');
const seen: Record<string, unknown>[] = [];

function answer(service: typeof iamService, action: string, input: Record<string, unknown>): unknown {
  switch (action) {
    case 'CreateUser':
      return { User: { Path: '/', UserName: input.UserName, UserId: 'AIDAEXAMPLE', Arn: `arn:aws:iam::111122223333:user/${String(input.UserName)}`,
        CreateDate: created, Tags: input.Tags } };
    case 'ListUsers':
      return { Users: [], IsTruncated: true, Marker: 'm&2' };
    case 'AssumeRole':
      return { Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 's', SessionToken: 't', Expiration: expiration },
        AssumedRoleUser: { AssumedRoleId: 'AROA:x', Arn: 'arn:aws:sts::111122223333:assumed-role/r/x' } };
    default:
      throw new Error(`${service.label} ${action} not served here`);
  }
}

test('@aws-sdk/client-iam and client-sts read encoded results and errors', async (t) => {
  const server = createServer((req, res) => {
    void (async () => {
      const service = req.headers.authorization?.includes('/sts/') === true ? stsService : iamService;
      let status = 200;
      let xml: string;
      let requestId = 'req-ok';
      try {
        const params = parseQueryForm(await body(req), req.headers['content-type']);
        const { action, input } = decodeQueryRequest(service, params);
        seen.push(input);
        if (action === 'GetUser') throw new NoSuchEntity(`The user with name ${String(input.UserName)} cannot be found.`);
        xml = encodeQueryResult(service, action, answer(service, action, input), 'req-ok');
      } catch (err) {
        const e = toQueryError(err);
        status = e.httpStatus;
        requestId = 'req-err';
        xml = encodeQueryError(e, service.xmlNamespace, requestId);
      }
      // The JS SDK takes $metadata.requestId from this header (AWS sends it beside the body's).
      res.writeHead(status, { 'content-type': QUERY_CONTENT_TYPE, 'x-amzn-requestid': requestId });
      res.end(xml);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 };
  const iam = new IAMClient(config);
  const sts = new STSClient(config);
  t.after(() => { iam.destroy(); sts.destroy(); });

  const createdUser = await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'blue' }] }));
  assert.deepEqual(seen.at(-1), { UserName: 'alice', Tags: [{ Key: 'team', Value: 'blue' }] });
  assert.deepEqual(createdUser.User, {
    Path: '/', UserName: 'alice', UserId: 'AIDAEXAMPLE', Arn: 'arn:aws:iam::111122223333:user/alice', CreateDate: created,
    Tags: [{ Key: 'team', Value: 'blue' }],
  });
  assert.equal(createdUser.$metadata.requestId, 'req-ok');

  const listed = await iam.send(new ListUsersCommand({ MaxItems: 5 }));
  assert.deepEqual(seen.at(-1), { MaxItems: 5 });
  assert.deepEqual(listed.Users, []);
  assert.equal(listed.IsTruncated, true);
  assert.equal(listed.Marker, 'm&2');

  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111122223333:role/r', RoleSessionName: 'x1', TransitiveTagKeys: [] }));
  assert.deepEqual(seen.at(-1), { RoleArn: 'arn:aws:iam::111122223333:role/r', RoleSessionName: 'x1', TransitiveTagKeys: [] });
  assert.deepEqual(assumed.Credentials?.Expiration, expiration);
  assert.equal(assumed.AssumedRoleUser?.Arn, 'arn:aws:sts::111122223333:assumed-role/r/x');

  await assert.rejects(iam.send(new GetUserCommand({ UserName: 'bob' })), (err: unknown) => {
    assert.ok(err instanceof NoSuchEntityException);
    assert.equal(err.name, 'NoSuchEntityException');
    assert.equal(err.message, 'The user with name bob cannot be found.');
    assert.equal(err.$metadata.httpStatusCode, 404);
    assert.equal(err.$metadata.requestId, 'req-err');
    assert.equal(err.$fault, 'client');
    return true;
  });

  // A constraint violation comes back as ValidationError, which the SDK has no class for.
  await assert.rejects(iam.send(new CreateUserCommand({ UserName: 'bad name!' })), (err: unknown) => {
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'ValidationError');
    assert.match(err.message, /^1 validation error detected: Value 'bad name!' at 'userName' failed to satisfy constraint/);
    return true;
  });
});
