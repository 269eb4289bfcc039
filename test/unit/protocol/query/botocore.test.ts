// Cross-check with the real Python SDK: botocore's QueryParser must read what encodeQueryResult
// and encodeQueryError write, and decodeQueryInput must give back exactly what botocore's
// QuerySerializer sent. One python3 run answers every case (starting Python is the slow part).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { realExecutable } from '../../../helpers/aws-tools.js';
import { iamService, stsService, type QueryService } from '../../../../src/protocol/query-model.js';
import { decodeQueryRequest, parseQueryForm } from '../../../../src/protocol/query/decode.js';
import { encodeQueryError, encodeQueryResult } from '../../../../src/protocol/query/encode.js';

const PYTHON = `
import datetime, json, sys, urllib.parse
import botocore.session, botocore.parsers, botocore.serialize
session = botocore.session.get_session()
def plain(v):
    if isinstance(v, datetime.datetime):
        return v.astimezone(datetime.timezone.utc).isoformat()
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v
out = []
for case in json.load(sys.stdin):
    op = session.get_service_model(case['service']).operation_model(case['operation'])
    if case['kind'] == 'parse':
        parser = botocore.parsers.create_parser('query')
        shape = None if case['status'] >= 300 else op.output_shape
        res = parser.parse({'body': case['xml'].encode('utf-8'), 'headers': {}, 'status_code': case['status']}, shape)
        # The parser adds the HTTP status and headers it was handed; only the body is under test.
        meta = res.get('ResponseMetadata', {})
        meta.pop('HTTPStatusCode', None)
        meta.pop('HTTPHeaders', None)
        out.append(plain(res))
    else:
        ser = botocore.serialize.create_serializer('query', include_validation=True)
        body = ser.serialize_to_request(case['params'], op)['body']
        out.append(urllib.parse.urlencode(body))
print(json.dumps(out))
`;

type Case =
  | { kind: 'parse'; service: 'iam' | 'sts'; operation: string; xml: string; status: number }
  | { kind: 'serialize'; service: 'iam' | 'sts'; operation: string; params: Record<string, unknown> };

function runBotocore(cases: Case[]): unknown[] {
  const stdout = execFileSync(realExecutable('python3'), ['-c', PYTHON], { input: JSON.stringify(cases), encoding: 'utf8' });
  return JSON.parse(stdout) as unknown[];
}

const services: Record<'iam' | 'sts', QueryService> = { iam: iamService, sts: stsService };
const created = new Date('2013-06-06T17:12:53Z');
const expiration = new Date('2026-12-03T18:47:14.359Z');

const parseCases: { operation: string; service: 'iam' | 'sts'; output?: unknown; error?: { code: string; message: string; httpStatus: number } }[] = [
  {
    service: 'iam', operation: 'CreateUser',
    output: { User: { Path: '/', UserName: 'alice', UserId: 'AIDAEXAMPLE', Arn: 'arn:aws:iam::111122223333:user/alice', CreateDate: created,
      Tags: [{ Key: 'team', Value: 'a&b <c>' }, { Key: 'empty', Value: '' }] } },
  },
  {
    service: 'iam', operation: 'ListUsers',
    output: { Users: [{ Path: '/', UserName: 'u1', UserId: 'AIDA1', Arn: 'arn:aws:iam::111122223333:user/u1', CreateDate: created }],
      IsTruncated: true, Marker: 'next-page' },
  },
  { service: 'iam', operation: 'ListAccessKeys', output: { AccessKeyMetadata: [], IsTruncated: false } },
  {
    service: 'iam', operation: 'SimulatePrincipalPolicy',
    output: { EvaluationResults: [{ EvalActionName: 's3:GetObject', EvalDecision: 'allowed', EvalResourceName: '*',
      MatchedStatements: [], MissingContextValues: [], EvalDecisionDetails: { IAM: 'allowed' } }], IsTruncated: false },
  },
  { service: 'iam', operation: 'DeleteUser' },
  { service: 'sts', operation: 'GetCallerIdentity', output: { UserId: 'AIDAEXAMPLE', Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/alice' } },
  {
    service: 'sts', operation: 'AssumeRole',
    output: { Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: expiration },
      AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:s', Arn: 'arn:aws:sts::111122223333:assumed-role/r/s' }, PackedPolicySize: 12 },
  },
  { service: 'iam', operation: 'GetUser', error: { code: 'NoSuchEntity', message: 'The user with name bob cannot be found.', httpStatus: 404 } },
];

const serializeCases: { service: 'iam' | 'sts'; operation: string; params: Record<string, unknown> }[] = [
  {
    service: 'iam', operation: 'CreateRole',
    params: { RoleName: 'app', Path: '/svc/', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
      Description: 'a role & more', MaxSessionDuration: 7200,
      Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'env', Value: 'prod' }] },
  },
  {
    service: 'iam', operation: 'PutUserPolicy',
    params: { UserName: 'alice', PolicyName: 'p1', PolicyDocument: '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' },
  },
  {
    service: 'iam', operation: 'CreatePolicyVersion',
    params: { PolicyArn: 'arn:aws:iam::111122223333:policy/p', PolicyDocument: '{}', SetAsDefault: false },
  },
  {
    service: 'sts', operation: 'AssumeRole',
    params: { RoleArn: 'arn:aws:iam::111122223333:role/app', RoleSessionName: 'session-1', DurationSeconds: 900,
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }], Tags: [{ Key: 'k', Value: 'v' }],
      TransitiveTagKeys: ['k'], ExternalId: 'ext' },
  },
  {
    service: 'sts', operation: 'AssumeRole',
    params: { RoleArn: 'arn:aws:iam::111122223333:role/app', RoleSessionName: 'session-2', TransitiveTagKeys: [] },
  },
];

test('botocore parses encoded results and errors, and its serialized inputs decode to the same values', () => {
  const cases: Case[] = [
    ...parseCases.map((c): Case => ({
      kind: 'parse', service: c.service, operation: c.operation,
      status: c.error?.httpStatus ?? 200,
      xml: c.error === undefined
        ? encodeQueryResult(services[c.service], c.operation, c.output, `req-${c.operation}`)
        : encodeQueryError(c.error, services[c.service].xmlNamespace, `req-${c.operation}`),
    })),
    ...serializeCases.map((c): Case => ({ kind: 'serialize', ...c })),
  ];
  const answers = runBotocore(cases);
  const parsed = answers.slice(0, parseCases.length) as Record<string, unknown>[];
  const bodies = answers.slice(parseCases.length) as string[];

  const [createUser, listUsers, listKeys, simulate, deleteUser, callerIdentity, assumeRole, noSuchEntity] = parsed;
  assert.deepEqual(createUser, {
    User: { Path: '/', UserName: 'alice', UserId: 'AIDAEXAMPLE', Arn: 'arn:aws:iam::111122223333:user/alice',
      CreateDate: '2013-06-06T17:12:53+00:00', Tags: [{ Key: 'team', Value: 'a&b <c>' }, { Key: 'empty', Value: '' }] },
    ResponseMetadata: { RequestId: 'req-CreateUser' },
  });
  assert.deepEqual(listUsers, {
    Users: [{ Path: '/', UserName: 'u1', UserId: 'AIDA1', Arn: 'arn:aws:iam::111122223333:user/u1', CreateDate: '2013-06-06T17:12:53+00:00' }],
    IsTruncated: true, Marker: 'next-page', ResponseMetadata: { RequestId: 'req-ListUsers' },
  });
  assert.deepEqual(listKeys, { AccessKeyMetadata: [], IsTruncated: false, ResponseMetadata: { RequestId: 'req-ListAccessKeys' } });
  assert.deepEqual(simulate, {
    EvaluationResults: [{ EvalActionName: 's3:GetObject', EvalDecision: 'allowed', EvalResourceName: '*',
      MatchedStatements: [], MissingContextValues: [], EvalDecisionDetails: { IAM: 'allowed' } }],
    IsTruncated: false, ResponseMetadata: { RequestId: 'req-SimulatePrincipalPolicy' },
  });
  assert.deepEqual(deleteUser, { ResponseMetadata: { RequestId: 'req-DeleteUser' } });
  assert.deepEqual(callerIdentity, {
    UserId: 'AIDAEXAMPLE', Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/alice',
    ResponseMetadata: { RequestId: 'req-GetCallerIdentity' },
  });
  assert.deepEqual(assumeRole, {
    Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: '2026-12-03T18:47:14.359000+00:00' },
    AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:s', Arn: 'arn:aws:sts::111122223333:assumed-role/r/s' },
    PackedPolicySize: 12, ResponseMetadata: { RequestId: 'req-AssumeRole' },
  });
  assert.deepEqual(noSuchEntity, {
    Error: { Type: 'Sender', Code: 'NoSuchEntity', Message: 'The user with name bob cannot be found.' },
    ResponseMetadata: { RequestId: 'req-GetUser' },
  });

  serializeCases.forEach((c, i) => {
    const body = bodies[i] as string;
    const params = parseQueryForm(Buffer.from(body), 'application/x-www-form-urlencoded; charset=utf-8');
    const { action, input } = decodeQueryRequest(services[c.service], params);
    assert.equal(action, c.operation);
    assert.deepEqual(input, c.params, `${c.operation}: ${body}`);
  });
});
