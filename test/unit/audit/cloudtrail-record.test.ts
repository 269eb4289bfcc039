// cloudTrailRecord against AWS's documented CloudTrail examples, field by field. Each expected
// record below is AWS's example (KMS Developer Guide ct-*.html; CloudTrail User Guide
// "userIdentity element" and "AWS service events"), with only our inputs' ids substituted;
// fields we do not produce (additionalEventData, tlsDetails) are left out and noted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cloudTrailRecord, crossAccountCopy, serviceEventRecord, withSharedEventId, type AuditedCall, type AuditedCaller,
} from '../../../src/audit/cloudtrail-record.js';
import { cloudTrailElementDate, cloudTrailMemberName } from '../../../src/audit/cloudtrail-redact.js';

const ACCOUNT = '111122223333';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:key/${KEY_ID}`;
const KEY = { arn: KEY_ARN, accountId: ACCOUNT };

const ALICE: AuditedCaller = {
  kind: 'user', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/Alice`, userId: 'EX_PRINCIPAL_ID',
  accessKeyId: 'EXAMPLE_KEY_ID', userName: 'Alice',
};
const ALICE_IDENTITY = {
  type: 'IAMUser', principalId: 'EX_PRINCIPAL_ID', arn: `arn:aws:iam::${ACCOUNT}:user/Alice`, accountId: ACCOUNT,
  accessKeyId: 'EXAMPLE_KEY_ID', userName: 'Alice',
};

function call(overrides: Partial<AuditedCall> & Pick<AuditedCall, 'operation' | 'input'>): AuditedCall {
  return {
    service: 'kms', region: 'us-east-1', eventTime: new Date('2025-05-20T20:46:16.123Z'),
    requestId: 'f3423043-63bc-11e4-bc2b-4198b6150d5c', eventId: '91235988-eb87-476a-ac2c-0cdc244e6dca',
    sourceIp: '192.0.2.0', userAgent: 'AWS Internal', caller: ALICE, keys: [KEY], readOnly: true,
    recipientAccountId: ACCOUNT, ...overrides,
  };
}

const TAIL = { eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: ACCOUNT, eventCategory: 'Management' };

test('Encrypt: ct-encrypt (plaintext and ciphertext absent, responseElements null)', () => {
  const record = cloudTrailRecord(call({
    operation: 'Encrypt',
    input: { KeyId: KEY_ARN, Plaintext: Buffer.from('top secret'), EncryptionContext: { Department: 'Engineering' },
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
    output: { CiphertextBlob: Buffer.from('ciphertext bytes'), KeyId: KEY_ARN, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  }));
  assert.deepEqual(record, {
    eventVersion: '1.11', userIdentity: ALICE_IDENTITY, eventTime: '2025-05-20T20:46:16Z',
    eventSource: 'kms.amazonaws.com', eventName: 'Encrypt', awsRegion: 'us-east-1', sourceIPAddress: '192.0.2.0',
    userAgent: 'AWS Internal',
    requestParameters: { keyId: KEY_ARN, encryptionContext: { Department: 'Engineering' }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
    responseElements: null, requestID: 'f3423043-63bc-11e4-bc2b-4198b6150d5c',
    eventID: '91235988-eb87-476a-ac2c-0cdc244e6dca', readOnly: true,
    resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY_ARN }], ...TAIL,
  });
  const json = JSON.stringify(record);
  assert.ok(!json.includes('top secret') && !json.includes(Buffer.from('top secret').toString('base64')));
});

test('Decrypt: ct-decrypt records encryptionAlgorithm even when not sent, never the ciphertext', () => {
  const record = cloudTrailRecord(call({
    operation: 'Decrypt', region: 'us-west-2',
    input: { CiphertextBlob: Buffer.from('the ciphertext'), EncryptionContext: { Department: 'Engineering', Project: 'Alpha' } },
    output: { KeyId: KEY_ARN, Plaintext: Buffer.from('the plaintext'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  }));
  assert.equal(record.awsRegion, 'us-west-2');
  assert.deepEqual(record.requestParameters, {
    encryptionContext: { Department: 'Engineering', Project: 'Alpha' }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  });
  assert.equal(record.responseElements, null);
  assert.ok(!JSON.stringify(record).includes(Buffer.from('the ciphertext').toString('base64')));
});

test('Decrypt failure: errorCode and errorMessage, responseElements null', () => {
  const record = cloudTrailRecord(call({
    operation: 'Decrypt', input: { CiphertextBlob: Buffer.from('x'), KeyId: KEY_ARN },
    error: { code: 'AccessDeniedException', message: `User: arn:aws:iam::${ACCOUNT}:user/Alice is not authorized to perform: kms:Decrypt on resource: ${KEY_ARN} because no identity-based policy allows the kms:Decrypt action` },
  }));
  assert.equal(record.errorCode, 'AccessDeniedException');
  assert.match(String(record.errorMessage), /is not authorized to perform: kms:Decrypt/);
  assert.equal(record.responseElements, null);
  // errorCode/errorMessage come right after userAgent, as CloudTrail writes them.
  const names = Object.keys(record);
  assert.equal(names.indexOf('errorCode'), names.indexOf('userAgent') + 1);
  assert.equal(names.indexOf('errorMessage'), names.indexOf('errorCode') + 1);
});

test('GenerateDataKey: ct-generatedatakey (keyId as sent, keySpec, context; no data key)', () => {
  const record = cloudTrailRecord(call({
    operation: 'GenerateDataKey',
    input: { KeyId: KEY_ID, KeySpec: 'AES_256', EncryptionContext: { Department: 'Engineering', Project: 'Alpha' } },
    output: { CiphertextBlob: Buffer.from('wrapped'), Plaintext: Buffer.from('data key'), KeyId: KEY_ARN },
  }));
  assert.deepEqual(record.requestParameters, {
    keyId: KEY_ID, keySpec: 'AES_256', encryptionContext: { Department: 'Engineering', Project: 'Alpha' },
  });
  assert.equal(record.responseElements, null);
});

test('CreateKey: ct-createkey (requestParameters, keyMetadata with AWSAccountId and the element date form)', () => {
  const created = new Date('2022-08-10T22:38:27Z');
  const record = cloudTrailRecord(call({
    operation: 'CreateKey', region: 'us-west-2', readOnly: false,
    input: { Description: '', Origin: 'EXTERNAL', BypassPolicyLockoutSafetyCheck: false,
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' },
    output: { KeyMetadata: {
      AWSAccountId: ACCOUNT, KeyId: KEY_ID, Arn: KEY_ARN, CreationDate: created, Enabled: false, Description: '',
      KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'PendingImport', Origin: 'EXTERNAL', KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeySpec: 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    } },
  }));
  assert.deepEqual(record.requestParameters, {
    description: '', origin: 'EXTERNAL', bypassPolicyLockoutSafetyCheck: false,
    customerMasterKeySpec: 'SYMMETRIC_DEFAULT', keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT',
  });
  assert.deepEqual(record.responseElements, { keyMetadata: {
    AWSAccountId: ACCOUNT, keyId: KEY_ID, arn: KEY_ARN, creationDate: 'Aug 10, 2022, 10:38:27 PM', enabled: false,
    description: '', keyUsage: 'ENCRYPT_DECRYPT', keyState: 'PendingImport', origin: 'EXTERNAL', keyManager: 'CUSTOMER',
    customerMasterKeySpec: 'SYMMETRIC_DEFAULT', keySpec: 'SYMMETRIC_DEFAULT', encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    multiRegion: false,
  } });
  assert.equal(record.readOnly, false);
});

test('CreateGrant: ct-creategrant (constraints, operations, grantee; grantId and the key ARN in responseElements; no grant token)', () => {
  const record = cloudTrailRecord(call({
    operation: 'CreateGrant', readOnly: false,
    input: { KeyId: KEY_ARN, Constraints: { EncryptionContextSubset: { ContextKey1: 'Value1' } },
      Operations: ['Encrypt', 'RetireGrant'], GranteePrincipal: 'EX_PRINCIPAL_ID' },
    output: { GrantId: 'f020fe75197b93991dc8491d6f19dd3cebb24ee62277a05914386724f3d48758', GrantToken: 'SECRET-GRANT-TOKEN' },
  }));
  assert.deepEqual(record.requestParameters, {
    keyId: KEY_ARN, constraints: { encryptionContextSubset: { ContextKey1: 'Value1' } },
    operations: ['Encrypt', 'RetireGrant'], granteePrincipal: 'EX_PRINCIPAL_ID',
  });
  assert.deepEqual(record.responseElements, {
    grantId: 'f020fe75197b93991dc8491d6f19dd3cebb24ee62277a05914386724f3d48758', keyId: KEY_ARN,
  });
  assert.ok(!JSON.stringify(record).includes('SECRET-GRANT-TOKEN'));
});

test('PutKeyPolicy: ct-put-key-policy records the policy document, responseElements null', () => {
  const policy = '{\n  "Version" : "2012-10-17",\n  "Id" : "key-default-1",\n  "Statement" : [ ]\n}';
  const record = cloudTrailRecord(call({
    operation: 'PutKeyPolicy', region: 'us-west-2', readOnly: false,
    input: { KeyId: KEY_ID, PolicyName: 'default', Policy: policy, BypassPolicyLockoutSafetyCheck: false },
    output: {},
  }));
  assert.deepEqual(record.requestParameters, {
    keyId: KEY_ID, policyName: 'default', policy, bypassPolicyLockoutSafetyCheck: false,
  });
  assert.equal(record.responseElements, null);
  assert.deepEqual(record.resources, [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY_ARN }]);
});

test('GenerateRandom: requestParameters null, resources [] (research note §1.6)', () => {
  const record = cloudTrailRecord(call({ operation: 'GenerateRandom', keys: [], input: { NumberOfBytes: 32 },
    output: { Plaintext: Buffer.alloc(32, 7) } }));
  assert.equal(record.requestParameters, null);
  assert.equal(record.responseElements, null);
  assert.deepEqual(record.resources, []);
});

test('assumed-role caller: userIdentity with sessionContext (CloudTrail userIdentity element)', () => {
  const record = cloudTrailRecord(call({
    operation: 'Encrypt', input: { KeyId: KEY_ARN, Plaintext: Buffer.from('p') },
    caller: {
      kind: 'assumed-role', accountId: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/RoleToBeAssumed/MySessionName',
      userId: 'AROAIDPPEZS35WEXAMPLE:MySessionName', accessKeyId: 'ASIAEXAMPLE', roleName: 'RoleToBeAssumed',
      roleArn: 'arn:aws:iam::123456789012:role/RoleToBeAssumed', roleId: 'AROAIDPPEZS35WEXAMPLE', sessionName: 'MySessionName',
      sessionCreationDate: new Date('2013-11-02T01:06:28.500Z'), issuedBy: 'AssumeRole',
    },
  }));
  assert.deepEqual(record.userIdentity, {
    type: 'AssumedRole', principalId: 'AROAIDPPEZS35WEXAMPLE:MySessionName',
    arn: 'arn:aws:sts::123456789012:assumed-role/RoleToBeAssumed/MySessionName', accountId: '123456789012',
    accessKeyId: 'ASIAEXAMPLE',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAIDPPEZS35WEXAMPLE', arn: 'arn:aws:iam::123456789012:role/RoleToBeAssumed',
        accountId: '123456789012', userName: 'RoleToBeAssumed' },
      attributes: { mfaAuthenticated: 'false', creationDate: '2013-11-02T01:06:28Z' },
    },
  });
});

test('root caller, GetSessionToken user, unknown caller', () => {
  const root = cloudTrailRecord(call({ operation: 'ListKeys', keys: [], input: {}, caller: {
    kind: 'root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT, accessKeyId: 'AKIAROOT' } }));
  assert.deepEqual(root.userIdentity, {
    type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'AKIAROOT',
  });
  const session = cloudTrailRecord(call({ operation: 'ListKeys', keys: [], input: {}, caller: {
    ...ALICE, accessKeyId: 'ASIATEMP', issuedBy: 'GetSessionToken', sessionCreationDate: new Date('2019-06-18T22:28:31Z') } }));
  assert.deepEqual(session.userIdentity, { ...ALICE_IDENTITY, accessKeyId: 'ASIATEMP', sessionContext: {
    sessionIssuer: {}, webIdFederationData: {}, attributes: { mfaAuthenticated: 'false', creationDate: '2019-06-18T22:28:31Z' } } });
  const unknown = cloudTrailRecord(call({ operation: 'ListKeys', keys: [], input: {}, caller: undefined,
    error: { code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' } }));
  assert.deepEqual(unknown.userIdentity, { type: 'Unknown' });
});

test('CreateUser (IAM): us-east-1, userName recorded, user in responseElements', () => {
  const record = cloudTrailRecord(call({
    service: 'iam', operation: 'CreateUser', region: 'eu-west-1', readOnly: false, keys: [],
    input: { UserName: 'Bob', Tags: [{ Key: 'team', Value: 'blue' }] },
    output: { User: { Path: '/', UserName: 'Bob', UserId: 'AIDAEXAMPLEBOB', Arn: `arn:aws:iam::${ACCOUNT}:user/Bob`,
      CreateDate: new Date('2023-10-20T16:09:51Z'), Tags: [{ Key: 'team', Value: 'blue' }] } },
  }));
  assert.equal(record.eventSource, 'iam.amazonaws.com');
  assert.equal(record.awsRegion, 'us-east-1');
  assert.deepEqual(record.requestParameters, { userName: 'Bob', tags: [{ key: 'team', value: 'blue' }] });
  assert.deepEqual(record.responseElements, { user: { path: '/', userName: 'Bob', userId: 'AIDAEXAMPLEBOB',
    arn: `arn:aws:iam::${ACCOUNT}:user/Bob`, createDate: 'Oct 20, 2023, 4:09:51 PM', tags: [{ key: 'team', value: 'blue' }] } });
  assert.equal('resources' in record, false);
});

test('CreateAccessKey (IAM): accessKey without its secret', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const record = cloudTrailRecord(call({
    service: 'iam', operation: 'CreateAccessKey', readOnly: false, keys: [], input: { UserName: 'Bob' },
    output: { AccessKey: { UserName: 'Bob', AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Active', SecretAccessKey: secret,
      CreateDate: new Date('2023-10-20T16:10:00Z') } },
  }));
  assert.deepEqual(record.requestParameters, { userName: 'Bob' });
  assert.deepEqual(record.responseElements, { accessKey: { userName: 'Bob', accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    status: 'Active', createDate: 'Oct 20, 2023, 4:10:00 PM' } });
  assert.ok(!JSON.stringify(record).includes(secret));
});

test('AssumeRole (STS): credentials keep accessKeyId and expiration only; token code dropped', () => {
  const record = cloudTrailRecord(call({
    service: 'sts', operation: 'AssumeRole', region: 'us-east-1', readOnly: false, keys: [],
    input: { RoleArn: 'arn:aws:iam::444455556666:role/Reader', RoleSessionName: 'audit', DurationSeconds: 900,
      ExternalId: 'ext-1', SerialNumber: 'arn:aws:iam::111122223333:mfa/alice', TokenCode: '123456' },
    output: {
      Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'TOPSECRETKEY', SessionToken: 'SESSIONTOKEN',
        Expiration: new Date('2024-01-26T02:21:18Z') },
      AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:audit', Arn: 'arn:aws:sts::444455556666:assumed-role/Reader/audit' },
      PackedPolicySize: 6,
    },
  }));
  assert.equal(record.eventSource, 'sts.amazonaws.com');
  assert.deepEqual(record.requestParameters, { roleArn: 'arn:aws:iam::444455556666:role/Reader', roleSessionName: 'audit',
    durationSeconds: 900, externalId: 'ext-1', serialNumber: 'arn:aws:iam::111122223333:mfa/alice' });
  assert.deepEqual(record.responseElements, {
    credentials: { accessKeyId: 'ASIAEXAMPLE', expiration: 'Jan 26, 2024, 2:21:18 AM' },
    assumedRoleUser: { assumedRoleId: 'AROAEXAMPLE:audit', arn: 'arn:aws:sts::444455556666:assumed-role/Reader/audit' },
    packedPolicySize: 6,
  });
  const json = JSON.stringify(record);
  for (const secret of ['TOPSECRETKEY', 'SESSIONTOKEN', '123456']) assert.ok(!json.includes(secret), secret);
});

test('read-only management calls record no response (DescribeKey)', () => {
  const record = cloudTrailRecord(call({ operation: 'DescribeKey', input: { KeyId: KEY_ID },
    output: { KeyMetadata: { KeyId: KEY_ID, Arn: KEY_ARN } } }));
  assert.equal(record.responseElements, null);
});

test('RotateKey service event: the "AWS service events" page example', () => {
  const record = serviceEventRecord({ eventName: 'RotateKey', region: 'us-west-2', eventTime: new Date('2021-01-14T01:41:59Z'),
    eventId: 'a24b3967-ddad-417f-9b22-2332b918db06', key: KEY, keyId: KEY_ID });
  assert.deepEqual(record, {
    eventVersion: '1.11', userIdentity: { accountId: ACCOUNT, invokedBy: 'AWS Internal' }, eventTime: '2021-01-14T01:41:59Z',
    eventSource: 'kms.amazonaws.com', eventName: 'RotateKey', awsRegion: 'us-west-2', sourceIPAddress: 'AWS Internal',
    userAgent: 'AWS Internal', requestParameters: null, responseElements: null, eventID: 'a24b3967-ddad-417f-9b22-2332b918db06',
    readOnly: false, resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY_ARN }], eventType: 'AwsServiceEvent',
    managementEvent: true, recipientAccountId: ACCOUNT, serviceEventDetails: { rotationType: 'AUTOMATIC', keyId: KEY_ID },
    eventCategory: 'Management',
  });
});

test('DeleteKey and DeleteExpiredKeyMaterial service events (ct-delete-key)', () => {
  const del = serviceEventRecord({ eventName: 'DeleteKey', region: 'us-east-1', eventTime: new Date('2020-07-31T00:07:00Z'),
    eventId: 'b25f9cda-74e1-4458-847b-4972a0bf9668', key: KEY, keyId: KEY_ID });
  assert.equal(del.eventType, 'AwsServiceEvent');
  assert.deepEqual(del.responseElements, { keyId: KEY_ARN });
  assert.equal('serviceEventDetails' in del, false);
  const expired = serviceEventRecord({ eventName: 'DeleteExpiredKeyMaterial', region: 'us-east-1',
    eventTime: new Date('2020-07-31T00:07:00Z'), eventId: 'e', key: KEY, keyId: KEY_ID });
  assert.equal(expired.responseElements, null);
});

test('crossAccountCopy: owner account, own eventID, shared sharedEventID; none for access denied or same account', () => {
  const record = cloudTrailRecord(call({ operation: 'Encrypt', input: { KeyId: KEY_ARN }, recipientAccountId: '444455556666',
    caller: { ...ALICE, accountId: '444455556666' } }));
  const ids = { eventId: 'owner-event', sharedEventId: 'shared-1' };
  const copy = crossAccountCopy(record, ACCOUNT, ids);
  assert.ok(copy !== undefined);
  assert.equal(copy.recipientAccountId, ACCOUNT);
  assert.equal(copy.eventID, 'owner-event');
  assert.equal(copy.sharedEventID, 'shared-1');
  assert.deepEqual(copy.requestParameters, record.requestParameters);
  assert.equal(withSharedEventId(record, 'shared-1').sharedEventID, 'shared-1');
  assert.equal(record.sharedEventID, undefined, 'the input record is not modified');
  assert.equal(crossAccountCopy(record, '444455556666', ids), undefined);
  const denied = { ...record, errorCode: 'AccessDeniedException', errorMessage: 'no' };
  assert.equal(crossAccountCopy(denied, ACCOUNT, ids), undefined);
});

test('member names and element dates', () => {
  assert.equal(cloudTrailMemberName('KeyId'), 'keyId');
  assert.equal(cloudTrailMemberName('AWSAccountId'), 'AWSAccountId');
  assert.equal(cloudTrailMemberName('arn'), 'arn');
  assert.equal(cloudTrailElementDate(new Date('2022-08-10T00:05:09Z')), 'Aug 10, 2022, 12:05:09 AM');
  assert.equal(cloudTrailElementDate(new Date('2022-08-10T12:00:00Z')), 'Aug 10, 2022, 12:00:00 PM');
});
