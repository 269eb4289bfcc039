// Every kind of malformed policy document gives MalformedPolicyDocumentException, and its message
// says what is wrong and where (statement index and Sid).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedPolicyDocumentException } from '../../../src/errors/aws-errors.js';
import { loadPolicy } from '../../../src/policy/compile.js';
import type { PolicyKind } from '../../../src/policy/document.js';
import { parsePolicy } from '../../../src/policy/parse.js';
import { ALICE, DEFAULT_KEY_POLICY, allow, doc, type Json } from './fixtures.js';

const key = (o: Json): Json => doc(allow({ Principal: { AWS: ALICE }, ...o }));
const iam = (o: Json): Json => doc(allow(o));

const malformed: [name: string, text: string | Json, kind: PolicyKind, message: RegExp][] = [
  ['not JSON', '{"Statement": [', 'resource', /^The policy document is not valid JSON\.$/],
  ['a JSON array', '[]', 'resource', /^Policy: the document must be a JSON object, found an array\.$/],
  ['a JSON string', '"policy"', 'resource', /^Policy: the document must be a JSON object/],
  ['no Statement', { Version: '2012-10-17' }, 'resource', /^Policy: Statement is required\.$/],
  ['an empty Statement array', { Version: '2012-10-17', Statement: [] }, 'resource', /^Policy: Statement must not be an empty array\.$/],
  ['an unknown top-level element', { Version: '2012-10-17', Statements: [], Statement: [allow({ Principal: '*' })] }, 'resource', /^Policy: unknown element "Statements"\.$/],
  ['element names are case-sensitive', { version: '2012-10-17', Statement: allow({ Principal: '*' }) }, 'resource', /^Policy: unknown element "version"\.$/],
  ['an unknown Version', { Version: '2012-10-18', Statement: allow({ Principal: '*' }) }, 'resource', /^Policy: Version must be "2012-10-17" or "2008-10-17", found "2012-10-18"\.$/],
  ['a Version that is a number', { Version: 2012, Statement: allow({ Principal: '*' }) }, 'resource', /Version must be .* found number 2012/],
  ['an Id that is not a string', { Id: 1, Statement: allow({ Principal: '*' }) }, 'resource', /^Policy: Id must be a string/],
  ['a statement that is a string', doc('x' as unknown as Json), 'resource', /^Statement\[0\]: a statement must be an object, found "x"\.$/],
  ['a Sid that is not a string', key({ Sid: 7 }), 'resource', /^Statement\[0\]: Sid must be a string, found number 7\.$/],
  ['an unknown statement element, with its Sid', key({ Sid: 'Admins', Actions: 'kms:*' }), 'resource', /^Statement\[0\] \(Sid "Admins"\): unknown element "Actions"\.$/],
  ['the index of the bad statement', doc(allow({ Principal: '*' }), allow({ Principal: '*', Effect: 'allow' })), 'resource', /^Statement\[1\]: Effect must be "Allow" or "Deny", found "allow"\.$/],
  ['no Effect', doc({ Principal: '*', Action: 'kms:*', Resource: '*' }), 'resource', /^Statement\[0\]: Effect is required\.$/],
  ['Effect of another type', key({ Effect: true }), 'resource', /Effect must be "Allow" or "Deny", found boolean true/],
  ['a key policy statement without Principal', doc(allow({})), 'resource', /^Statement\[0\]: a statement must have Principal or NotPrincipal\.$/],
  ['both Principal and NotPrincipal', key({ Effect: 'Deny', NotPrincipal: '*' }), 'resource', /must not have both Principal and NotPrincipal/],
  ['NotPrincipal with Allow', doc(allow({ NotPrincipal: { AWS: ALICE } })), 'resource', /NotPrincipal is only supported with "Effect": "Deny"/],
  ['Principal in an identity policy', key({}), 'identity', /^Statement\[0\]: Principal is not allowed in an identity-based policy\.$/],
  ['NotPrincipal in an identity policy', iam({ Effect: 'Deny', NotPrincipal: '*' }), 'identity', /NotPrincipal is not allowed in an identity-based policy/],
  ['Principal of a wrong type', key({ Principal: 5 }), 'resource', /Principal must be "\*" or an object such as \{"AWS": \.\.\.\}, found number 5/],
  ['Principal that is an empty object', key({ Principal: {} }), 'resource', /Principal must name at least one principal/],
  ['an unknown principal type', key({ Principal: { IAM: ALICE } }), 'resource', /Principal has an unknown principal type "IAM"/],
  ['principal type names are case-sensitive', key({ Principal: { aws: ALICE } }), 'resource', /unknown principal type "aws"/],
  ['an empty principal list', key({ Principal: { AWS: [] } }), 'resource', /Principal\.AWS must not be an empty array/],
  ['an invalid AWS principal', key({ Principal: { AWS: 'alice' } }), 'resource', /Principal\.AWS has an invalid principal "alice"/],
  ['a wildcard inside a principal ARN', key({ Principal: { AWS: 'arn:aws:iam::111122223333:user/*' } }), 'resource', /invalid principal "arn:aws:iam::111122223333:user\/\*"/],
  ['an IAM group as principal', key({ Principal: { AWS: 'arn:aws:iam::111122223333:group/admins' } }), 'resource', /invalid principal/],
  ['a short account id', key({ Principal: { AWS: '12345' } }), 'resource', /invalid principal "12345"/],
  ['a principal that is not a string', key({ Principal: { AWS: [ALICE, 1] } }), 'resource', /Principal\.AWS must be a string or an array of strings, found number 1/],
  ['a service principal with spaces', key({ Principal: { Service: 'cloud trail' } }), 'resource', /Principal\.Service has an invalid principal "cloud trail"/],
  ['no Action', doc({ Effect: 'Allow', Principal: '*', Resource: '*' }), 'resource', /must have Action or NotAction/],
  ['both Action and NotAction', key({ NotAction: 'kms:Decrypt' }), 'resource', /must not have both Action and NotAction/],
  ['an empty Action array', key({ Action: [] }), 'resource', /Action must not be an empty array/],
  ['an empty action string', key({ Action: '' }), 'resource', /Action must not contain an empty string/],
  ['an Action without a service prefix', key({ Action: 'Encrypt' }), 'resource', /Action has an invalid action "Encrypt"/],
  ['a NotAction with spaces', key({ Action: undefined, NotAction: 'kms:Encrypt Decrypt' }), 'resource', /NotAction has an invalid action "kms:Encrypt Decrypt"/],
  ['an Action that is an object', key({ Action: { kms: 'Encrypt' } }), 'resource', /Action must be a string or an array of strings, found an object/],
  ['no Resource in an identity policy', doc({ Effect: 'Allow', Action: 'kms:*' }), 'identity', /must have Resource or NotResource/],
  ['no Resource in a key policy either', doc({ Effect: 'Allow', Principal: '*', Action: 'kms:*' }), 'resource', /must have Resource or NotResource/],
  ['both Resource and NotResource', iam({ NotResource: '*' }), 'identity', /must not have both Resource and NotResource/],
  ['an empty Resource array', iam({ Resource: [] }), 'identity', /Resource must not be an empty array/],
  ['a Resource that is not an ARN', iam({ Resource: 'my-key' }), 'identity', /Resource has an invalid resource "my-key"/],
  ['a Condition that is a string', key({ Condition: 'x' }), 'resource', /Condition must be an object of operator -> \{key: value\}, found "x"/],
  ['an unknown condition operator', key({ Sid: 'S', Condition: { StringEqualz: { 'aws:username': 'a' } } }), 'resource', /^Statement\[0\] \(Sid "S"\): Condition has an unknown operator "StringEqualz"\.$/],
  ['condition operators are case-sensitive', key({ Condition: { stringEquals: { 'aws:username': 'a' } } }), 'resource', /unknown operator "stringEquals"/],
  ['an unknown set qualifier', key({ Condition: { 'ForSomeValues:StringEquals': { 'aws:TagKeys': 'a' } } }), 'resource', /unknown operator "ForSomeValues:StringEquals"/],
  ['NullIfExists does not exist', key({ Condition: { NullIfExists: { 'aws:TokenIssueTime': 'true' } } }), 'resource', /unknown operator "NullIfExists"/],
  ['IfExists twice', key({ Condition: { StringEqualsIfExistsIfExists: { 'aws:username': 'a' } } }), 'resource', /unknown operator/],
  ['an operator without keys', key({ Condition: { StringEquals: {} } }), 'resource', /Condition operator "StringEquals" names no condition key/],
  ['an operator mapped to a string', key({ Condition: { StringEquals: 'a' } }), 'resource', /Condition operator "StringEquals" must map condition keys to values, found "a"/],
  ['an empty condition key', key({ Condition: { StringEquals: { '': 'a' } } }), 'resource', /has an empty condition key/],
  ['an empty condition value array', key({ Condition: { StringEquals: { 'aws:username': [] } } }), 'resource', /Condition "StringEquals" "aws:username" must not be an empty array/],
  ['a condition value that is an object', key({ Condition: { StringEquals: { 'aws:username': { a: 1 } } } }), 'resource', /values must be strings, numbers or booleans, found an object/],
  ['a condition value that is null', key({ Condition: { StringEquals: { 'aws:username': null } } }), 'resource', /found null/],
  ['a Numeric value that is not a number', key({ Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 'an hour' } } }), 'resource', /Condition "NumericLessThan" "aws:MultiFactorAuthAge": NumericLessThan takes numbers, found "an hour"/],
  ['a Date value that is not a date', key({ Condition: { DateGreaterThan: { 'aws:CurrentTime': 'tomorrow' } } }), 'resource', /DateGreaterThan takes ISO 8601 dates or epoch seconds, found "tomorrow"/],
  ['a Date value with an impossible month', key({ Condition: { DateLessThan: { 'aws:CurrentTime': '2020-13-01T00:00:00Z' } } }), 'resource', /takes ISO 8601 dates/],
  ['a Bool value other than true/false', key({ Condition: { Bool: { 'aws:SecureTransport': 'yes' } } }), 'resource', /Bool takes "true" or "false", found "yes"/],
  ['a Null value other than true/false', key({ Condition: { Null: { 'aws:TokenIssueTime': 'maybe' } } }), 'resource', /Null takes "true" or "false", found "maybe" for "aws:TokenIssueTime"/],
  ['BinaryEquals with bad base64', key({ Condition: { BinaryEquals: { 'test:b': 'not base64!' } } }), 'resource', /BinaryEquals takes base64, found "not base64!"/],
  ['IpAddress with a bad address', key({ Condition: { IpAddress: { 'aws:SourceIp': '300.1.1.1/8' } } }), 'resource', /IpAddress takes an IPv4 or IPv6 address or CIDR block, found "300.1.1.1\/8"/],
  ['IpAddress with a bad prefix length', key({ Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } }), 'resource', /found "10.0.0.0\/33"/],
  ['IPv6 with a bad prefix length', key({ Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/129' } } }), 'resource', /found "2001:db8::\/129"/],
  // Duplicate member names: JSON.parse would silently keep the last one.
  ['a duplicate Effect (Deny, then Allow)', '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Effect":"Allow"}]}', 'resource', /^Statement\[0\]: duplicate member "Effect"\.$/],
  ['a duplicate Effect in a lone statement object', '{"Statement":{"Effect":"Deny","Action":"kms:*","Resource":"*","Effect":"Allow"}}', 'identity', /^Statement\[0\]: duplicate member "Effect"\.$/],
  ['a duplicate Effect in the second statement', `{"Statement":[${JSON.stringify(allow({ Principal: '*' }))},{"Effect":"Deny","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}`, 'resource', /^Statement\[1\]: duplicate member "Effect"\.$/],
  ['a duplicate Statement', `{"Version":"2012-10-17","Statement":[${JSON.stringify(allow({ Effect: 'Deny', Principal: '*' }))}],"Statement":[${JSON.stringify(allow({ Principal: '*' }))}]}`, 'resource', /^Policy: duplicate member "Statement"\.$/],
  ['a duplicate Condition', `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}},"Condition":{}}]}`, 'resource', /^Statement\[0\]: duplicate member "Condition"\.$/],
  ['a duplicate operator in a Condition', `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"aws:username":"a"},"StringEquals":{"aws:username":"b"}}}]}`, 'resource', /^Statement\[0\]\.Condition: duplicate member "StringEquals"\.$/],
  ['a duplicate key in a condition block', `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:Dept":"IT","kms:EncryptionContext:Dept":"*"}}}]}`, 'resource', /^Statement\[0\]\.Condition\.StringEquals: duplicate member "kms:EncryptionContext:Dept"\.$/],
  ['a duplicate written with a JSON escape', '{"Statement":{"Effect":"Deny","Action":"kms:*","Resource":"*","Eff\\u0065ct":"Allow"}}', 'identity', /^Statement\[0\]: duplicate member "Effect"\.$/],
  ['a duplicate principal type', `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"${ALICE}","AWS":"*"},"Action":"kms:*","Resource":"*"}]}`, 'resource', /^Statement\[0\]\.Principal: duplicate member "AWS"\.$/],
];

describe('malformed policy documents', () => {
  for (const [name, input, kind, message] of malformed) {
    test(name, () => {
      const text = typeof input === 'string' ? input : JSON.stringify(input);
      assert.throws(
        () => loadPolicy(text, kind),
        (e: unknown) => {
          assert.ok(e instanceof MalformedPolicyDocumentException, `got ${String(e)}`);
          assert.equal(e.name, 'MalformedPolicyDocumentException');
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }
});

describe('well-formed policy documents', () => {
  test('the default key policy', () => {
    const d = parsePolicy(JSON.stringify(DEFAULT_KEY_POLICY), 'resource');
    assert.equal(d.version, '2012-10-17');
    assert.equal(d.statements.length, 1);
    assert.deepEqual(d.statements[0]!.principal, { AWS: ['arn:aws:iam::111122223333:root'] });
  });

  test('Statement as a single object, values as single strings, no Version', () => {
    const d = parsePolicy(JSON.stringify({ Statement: { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' } }), 'identity');
    assert.equal(d.version, undefined);
    assert.deepEqual(d.statements[0]!.action, ['kms:Decrypt']);
    assert.deepEqual(d.statements[0]!.resource, ['*']);
  });

  test('condition keys are lower-cased, operators split, JSON numbers and booleans become text', () => {
    const d = parsePolicy(
      JSON.stringify(key({ Condition: { 'ForAnyValue:StringLikeIfExists': { 'kms:EncryptionContextKeys': ['a*', 1, true] } } })),
      'resource',
    );
    assert.deepEqual(d.statements[0]!.conditions, [
      { operator: 'ForAnyValue:StringLikeIfExists', base: 'StringLike', qualifier: 'ForAnyValue', ifExists: true, key: 'kms:encryptioncontextkeys', rawKey: 'kms:EncryptionContextKeys', values: ['a*', '1', 'true'] },
    ]);
  });

  test('every principal form AWS documents', () => {
    const principals = [
      '*', '111122223333', 'arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:user/path/alice',
      'arn:aws:iam::111122223333:role/teams/Ops', 'arn:aws:sts::111122223333:assumed-role/Ops/session',
      'arn:aws:sts::111122223333:federated-user/fed', 'arn:aws-cn:iam::111122223333:root', 'AIDAEXAMPLEEXAMPLE01',
    ];
    const text = JSON.stringify(key({ Principal: { AWS: principals, Service: ['ec2.amazonaws.com'], Federated: 'cognito-identity.amazonaws.com' } }));
    assert.doesNotThrow(() => loadPolicy(text, 'resource'));
    assert.doesNotThrow(() => loadPolicy(JSON.stringify(key({ Principal: '*' })), 'resource'));
  });

  test('every operator family, IfExists and set qualifiers compile', () => {
    const Condition = {
      StringEquals: { 'a:s': 'x' }, StringNotEqualsIgnoreCase: { 'a:s': 'x' }, StringLikeIfExists: { 'a:s': 'x*' },
      NumericGreaterThanEquals: { 'a:n': ['1', 2.5, '-3', '1e3'] }, DateLessThanEquals: { 'a:d': ['2020-01-01', '2020-01-01T10:00:00+0100', '1577836800'] },
      BoolIfExists: { 'a:b': false }, BinaryEquals: { 'a:bin': 'AAEC' }, NotIpAddressIfExists: { 'a:ip': ['10.0.0.0/8', '::1', '2001:db8::/32'] },
      ArnNotLike: { 'a:arn': 'arn:aws:s3:::*' }, Null: { 'a:z': 'TRUE' }, 'ForAllValues:StringEquals': { 'a:set': 'x' }, 'ForAnyValue:ArnLikeIfExists': { 'a:arns': 'arn:*' },
    };
    assert.doesNotThrow(() => loadPolicy(JSON.stringify(key({ Condition })), 'resource'));
  });

  test('the same member name in different objects is no duplicate; strings that look like JSON are skipped', () => {
    const text = JSON.stringify(
      doc(
        allow({ Sid: 'A', Principal: { AWS: ALICE }, Condition: { StringEquals: { 'aws:username': '{"Effect":"x","Effect":"y"}' }, StringLike: { 'aws:username': 'a\\"*' } } }),
        allow({ Sid: 'B', Principal: { AWS: [ALICE, ALICE] }, Condition: { StringEquals: { 'aws:username': ['a', 'a'] } } }),
      ),
    );
    const d = parsePolicy(text, 'resource');
    assert.equal(d.statements.length, 2);
    assert.equal(d.statements[1]!.sid, 'B');
    assert.doesNotThrow(() => loadPolicy(JSON.stringify(DEFAULT_KEY_POLICY, null, 2), 'resource'));
  });

  test('deeply nested JSON is refused without a stack overflow', () => {
    const text = `{"Statement":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    assert.throws(() => parsePolicy(text, 'resource'), MalformedPolicyDocumentException);
  });

  test('an identity policy without Principal', () => {
    assert.equal(loadPolicy(JSON.stringify(iam({ Resource: 'arn:aws:kms:*:111122223333:key/*' })), 'identity', 'p').name, 'p');
  });
});
