import { test } from 'node:test';
import assert from 'node:assert/strict';

import { iamService, stsService } from '../../../../src/protocol/query-model.js';
import {
  encodeQueryError, encodeQueryResult, formatQueryTimestamp, QUERY_CONTENT_TYPE,
} from '../../../../src/protocol/query/encode.js';
import { escapeXml } from '../../../../src/protocol/query/xml.js';
import { synthetic } from './_synthetic.js';

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const meta = (id: string) => `<ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata>`;
const wrap = (body: string) =>
  `<EverythingResponse xmlns="https://example.test/doc/2020-01-01/"><EverythingResult>${body}</EverythingResult>${meta('r')}</EverythingResponse>`;

test('CreateUser: result wrapper, members in model order, lists of structures as <member>', () => {
  const xml = encodeQueryResult(iamService, 'CreateUser', {
    User: {
      // Given out of order and with an unmodelled member: model order wins, extras are dropped.
      Tags: [{ Value: 'blue', Key: 'team' }],
      CreateDate: new Date('2013-06-06T17:12:53Z'),
      Arn: 'arn:aws:iam::111122223333:user/alice',
      UserId: 'AIDAEXAMPLE',
      UserName: 'alice',
      Path: '/',
      Secret: 'never',
      PasswordLastUsed: undefined,
    },
  }, 'req-1');
  assert.equal(xml,
    `<CreateUserResponse xmlns="${IAM_NS}"><CreateUserResult><User><Path>/</Path><UserName>alice</UserName>` +
    '<UserId>AIDAEXAMPLE</UserId><Arn>arn:aws:iam::111122223333:user/alice</Arn><CreateDate>2013-06-06T17:12:53Z</CreateDate>' +
    '<Tags><member><Key>team</Key><Value>blue</Value></member></Tags></User></CreateUserResult>' +
    `${meta('req-1')}</CreateUserResponse>`);
});

test('operations without output have no Result element', () => {
  assert.equal(encodeQueryResult(iamService, 'DeleteUser', undefined, 'r'),
    `<DeleteUserResponse xmlns="${IAM_NS}">${meta('r')}</DeleteUserResponse>`);
  assert.equal(encodeQueryResult(iamService, 'TagUser', {}, 'r'),
    `<TagUserResponse xmlns="${IAM_NS}">${meta('r')}</TagUserResponse>`);
});

test('empty lists are empty elements; booleans and integers as text', () => {
  assert.equal(encodeQueryResult(iamService, 'ListUsers', { Users: [], IsTruncated: false }, 'r'),
    `<ListUsersResponse xmlns="${IAM_NS}"><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult>` +
    `${meta('r')}</ListUsersResponse>`);
  assert.equal(encodeQueryResult(synthetic, 'Everything', { Count: 7, Ratio: 0.25, Flag: true }, 'r'),
    wrap('<Count>7</Count><Ratio>0.25</Ratio><Flag>true</Flag>'));
});

test('STS: GetCallerIdentity and AssumeRole with Credentials and an Expiration with milliseconds', () => {
  assert.equal(encodeQueryResult(stsService, 'GetCallerIdentity', {
    UserId: 'AIDAEXAMPLE', Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/alice',
  }, 'r'),
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account><Arn>arn:aws:iam::111122223333:user/alice</Arn>' +
  `</GetCallerIdentityResult>${meta('r')}</GetCallerIdentityResponse>`);
  const xml = encodeQueryResult(stsService, 'AssumeRole', {
    Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2011-07-15T23:28:33.359Z') },
    AssumedRoleUser: { AssumedRoleId: 'AROA:s', Arn: 'arn:aws:sts::111122223333:assumed-role/r/s' },
    PackedPolicySize: 6,
  }, 'r');
  assert.match(xml, /<Credentials><AccessKeyId>ASIA<\/AccessKeyId><SecretAccessKey>s<\/SecretAccessKey><SessionToken>t<\/SessionToken><Expiration>2011-07-15T23:28:33.359Z<\/Expiration><\/Credentials>/);
  assert.match(xml, /<PackedPolicySize>6<\/PackedPolicySize>/);
});

test('timestamps: whole seconds without a fraction, milliseconds otherwise, and the format traits', () => {
  assert.equal(formatQueryTimestamp(new Date('2026-12-03T18:47:14Z')), '2026-12-03T18:47:14Z');
  assert.equal(formatQueryTimestamp(new Date('2026-12-03T18:47:14.010Z')), '2026-12-03T18:47:14.010Z');
  assert.equal(formatQueryTimestamp(new Date('2026-12-03T18:47:14.5Z'), 'epoch-seconds'), '1796323634.5');
  assert.equal(formatQueryTimestamp(new Date('2026-12-03T18:47:14Z'), 'rfc822'), 'Thu, 03 Dec 2026 18:47:14 GMT');
});

test('escaping: the five XML specials, CR/LF/TAB as references, forbidden controls replaced', () => {
  assert.equal(escapeXml(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f');
  assert.equal(escapeXml('l1\r\nl2\tx'), 'l1&#xD;&#xA;l2&#x9;x');
  assert.equal(escapeXml('bell\u0007 nul\u0000 \uFFFE \uD800 ok\u{1F600}'), 'bell\uFFFD nul\uFFFD \uFFFD \uFFFD ok\u{1F600}');
  const xml = encodeQueryResult(iamService, 'GetUserPolicy', {
    UserName: 'u', PolicyName: '<p&>', PolicyDocument: '%7B%22a%22%3A1%7D',
  }, 'id&1');
  assert.match(xml, /<PolicyName>&lt;p&amp;&gt;<\/PolicyName>/);
  assert.match(xml, /<RequestId>id&amp;1<\/RequestId>/);
});

test('flattened and renamed lists, maps, flattened maps, blobs and nested structures', () => {
  assert.equal(encodeQueryResult(synthetic, 'Everything', {
    Data: Buffer.from('hi'),
    Items: ['a'],
    Flat: ['x', 'y'],
    Named: ['n'],
    Labels: { k: 'v', gone: undefined },
    FlatLabels: { a: 'b', c: 'd' },
    Nested: { Deep: 'd', Children: [{ Deep: 'e' }] },
  }, 'r'), wrap(
    '<Data>aGk=</Data><Items><member>a</member></Items><Flat>x</Flat><Flat>y</Flat><Named><item>n</item></Named>' +
    '<Labels><entry><key>k</key><value>v</value></entry></Labels>' +
    '<FlatLabels><Name>a</Name><Text>b</Text></FlatLabels><FlatLabels><Name>c</Name><Text>d</Text></FlatLabels>' +
    '<Nested><Deep>d</Deep><Children><member><Deep>e</Deep></member></Children></Nested>'));
});

test('a wrongly typed output member is a TypeError naming it (a handler bug)', () => {
  assert.throws(() => encodeQueryResult(synthetic, 'Everything', { Count: '7' }, 'r'), /Everything\.Count: not a finite number/);
  assert.throws(() => encodeQueryResult(synthetic, 'Everything', { Items: 'a' }, 'r'), /Everything\.Items: not a list/);
  assert.throws(() => encodeQueryResult(synthetic, 'Everything', { When: 'never' }, 'r'), /Everything\.When: not a timestamp/);
  assert.throws(() => encodeQueryResult(iamService, 'Nope', {}, 'r'), /IAM model has no operation Nope/);
});

test('errors: Type from the fault side, Code, Message (left out when empty), RequestId', () => {
  assert.equal(QUERY_CONTENT_TYPE, 'text/xml');
  assert.equal(encodeQueryError({ code: 'NoSuchEntity', message: 'The user with name bob cannot be found.', httpStatus: 404 }, IAM_NS, 'r'),
    `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>` +
    '<Message>The user with name bob cannot be found.</Message></Error><RequestId>r</RequestId></ErrorResponse>');
  assert.equal(encodeQueryError({ code: 'ServiceFailure', message: '', httpStatus: 500 }, IAM_NS, 'r'),
    `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Receiver</Type><Code>ServiceFailure</Code></Error>` +
    '<RequestId>r</RequestId></ErrorResponse>');
  assert.match(encodeQueryError({ code: 'X', message: 'a<b', httpStatus: 500, senderFault: true }, IAM_NS, 'r'),
    /<Type>Sender<\/Type><Code>X<\/Code><Message>a&lt;b<\/Message>/);
});
