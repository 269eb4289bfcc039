// Which grants allow a request (src/kms/authorization/grants.ts): operations, grantee forms,
// constraints (EncryptionContextEquals / EncryptionContextSubset, names not case sensitive, values
// case sensitive), ReEncrypt's two contexts, CreateGrant from a grant, and how evaluate() weighs
// a grant to the caller against one to its account only.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  constraintsAllow,
  constraintsNarrow,
  grantAllowsRequest,
  granteeCandidates,
  granteeMatch,
  grantOperationOf,
  grantVerdict,
} from '../../../src/kms/authorization/grants.js';
import type { Caller } from '../../../src/kms/context.js';
import type { GrantConstraints, GrantRecord, KeyRecord } from '../../../src/kms/model/key.js';
import { loadPolicy } from '../../../src/policy/compile.js';
import { describeDecision, evaluate } from '../../../src/policy/evaluate.js';
import { DEFAULT_KEY_POLICY, allow, doc, request } from '../policy/fixtures.js';

const A = '111122223333';
const B = '444455556666';
const KEY_ARN = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROOT_B = `arn:aws:iam::${B}:root`;
const USER_B = `arn:aws:iam::${B}:user/carol`;
const ROLE_B = `arn:aws:iam::${B}:role/app`;
const SESSION_B = `arn:aws:sts::${B}:assumed-role/app/s1`;

function grant(operations: string[], granteePrincipal = ROOT_B, constraints?: GrantConstraints, grantId = 'g'.repeat(64)): GrantRecord {
  return {
    grantId,
    keyArn: KEY_ARN,
    accountId: A,
    region: 'us-east-1',
    granteePrincipal,
    operations,
    ...(constraints && { constraints }),
    issuingAccount: `arn:aws:iam::${A}:root`,
    createdAt: 0,
    token: 't'.repeat(384),
  };
}

describe('grant operations', () => {
  test('every GrantOperation is its kms: action; other actions no grant can allow', () => {
    for (const op of ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'GetPublicKey', 'DescribeKey', 'CreateGrant', 'RetireGrant', 'DeriveSharedSecret']) {
      assert.equal(grantOperationOf(`kms:${op}`), op);
    }
    for (const action of ['kms:ListGrants', 'kms:RevokeGrant', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:TagResource', 'Decrypt']) assert.equal(grantOperationOf(action), undefined);
  });

  test('a grant allows the operations it lists and no other', () => {
    const g = grant(['Decrypt', 'DescribeKey']);
    assert.equal(grantAllowsRequest(g, 'kms:Decrypt', {}), true);
    assert.equal(grantAllowsRequest(g, 'kms:DescribeKey', {}), true);
    assert.equal(grantAllowsRequest(g, 'kms:Encrypt', {}), false);
    assert.equal(grantAllowsRequest(g, 'kms:ReEncryptFrom', {}), false);
    assert.equal(grantAllowsRequest(g, 'kms:RevokeGrant', {}), false);
  });
});

describe('grantee', () => {
  test('the exact ARN, the role of a session, or only the account', () => {
    assert.equal(granteeMatch(USER_B, USER_B), 'principal');
    assert.equal(granteeMatch(ROOT_B, ROOT_B), 'principal');
    assert.equal(granteeMatch(ROLE_B, SESSION_B), 'principal');
    assert.equal(granteeMatch(SESSION_B, SESSION_B), 'principal');
    assert.equal(granteeMatch(ROOT_B, USER_B), 'account');
    assert.equal(granteeMatch(ROOT_B, SESSION_B), 'account');
  });

  test('no match: another principal, another role, another account, a session for its role, case', () => {
    assert.equal(granteeMatch(USER_B, `arn:aws:iam::${B}:user/dave`), undefined);
    assert.equal(granteeMatch(`arn:aws:iam::${B}:role/other`, SESSION_B), undefined);
    assert.equal(granteeMatch(`arn:aws:iam::${A}:root`, USER_B), undefined);
    assert.equal(granteeMatch(`arn:aws:iam::${A}:root`, ROOT_B), undefined);
    // A grant to one session is not a grant to the role.
    assert.equal(granteeMatch(SESSION_B, `arn:aws:sts::${B}:assumed-role/app/s2`), undefined);
    assert.equal(granteeMatch(`arn:aws:iam::${B}:user/Carol`, USER_B), undefined);
  });

  test('the ARNs looked up for a caller', () => {
    assert.deepEqual(granteeCandidates(ROOT_B), [ROOT_B]);
    assert.deepEqual(granteeCandidates(USER_B), [USER_B, ROOT_B]);
    assert.deepEqual(granteeCandidates(SESSION_B), [SESSION_B, ROLE_B, ROOT_B]);
  });
});

describe('constraints', () => {
  const equals = { EncryptionContextEquals: { purpose: 'billing', env: 'prod' } };
  const subset = { EncryptionContextSubset: { purpose: 'billing' } };

  test('EncryptionContextEquals: exactly the pairs, in any order', () => {
    assert.equal(constraintsAllow(equals, { env: 'prod', purpose: 'billing' }), true);
    assert.equal(constraintsAllow(equals, { purpose: 'billing' }), false);
    assert.equal(constraintsAllow(equals, { purpose: 'billing', env: 'prod', extra: 'x' }), false);
    assert.equal(constraintsAllow(equals, { purpose: 'billing', env: 'dev' }), false);
    assert.equal(constraintsAllow(equals, {}), false);
  });

  test('EncryptionContextSubset: every pair present, others allowed', () => {
    assert.equal(constraintsAllow(subset, { purpose: 'billing' }), true);
    assert.equal(constraintsAllow(subset, { purpose: 'billing', env: 'prod' }), true);
    assert.equal(constraintsAllow(subset, { env: 'prod' }), false);
    assert.equal(constraintsAllow(subset, {}), false);
    assert.equal(constraintsAllow({ EncryptionContextSubset: {} }, {}), true);
  });

  test('both members: both must hold', () => {
    const both = { EncryptionContextEquals: { a: '1', b: '2' }, EncryptionContextSubset: { a: '1' } };
    assert.equal(constraintsAllow(both, { a: '1', b: '2' }), true);
    assert.equal(constraintsAllow({ EncryptionContextEquals: { a: '1' }, EncryptionContextSubset: { b: '2' } }, { a: '1' }), false);
  });

  test('names are not case sensitive, values are (GrantConstraints); names folding together match nothing', () => {
    assert.equal(constraintsAllow(subset, { Purpose: 'billing' }), true);
    assert.equal(constraintsAllow(equals, { PURPOSE: 'billing', Env: 'prod' }), true);
    assert.equal(constraintsAllow(subset, { purpose: 'Billing' }), false);
    assert.equal(constraintsAllow(equals, { purpose: 'billing', env: 'PROD' }), false);
    assert.equal(constraintsAllow(subset, { purpose: 'billing', Purpose: 'other' }), false);
  });

  test('constraints apply to operations that take an encryption context only', () => {
    const g = grant(['Encrypt', 'DescribeKey', 'RetireGrant'], ROOT_B, subset);
    assert.equal(grantAllowsRequest(g, 'kms:Encrypt', { EncryptionContext: { purpose: 'billing' } }), true);
    assert.equal(grantAllowsRequest(g, 'kms:Encrypt', {}), false);
    assert.equal(grantAllowsRequest(g, 'kms:DescribeKey', {}), true);
  });

  test('ReEncrypt: ReEncryptFrom looks at the source context, ReEncryptTo at the destination context', () => {
    const g = grant(['ReEncryptFrom', 'ReEncryptTo'], ROOT_B, subset);
    const input = { SourceEncryptionContext: { purpose: 'billing' }, DestinationEncryptionContext: { purpose: 'other' } };
    assert.equal(grantAllowsRequest(g, 'kms:ReEncryptFrom', input), true);
    assert.equal(grantAllowsRequest(g, 'kms:ReEncryptTo', input), false);
  });
});

describe('CreateGrant from a grant', () => {
  test('the new grant lists only operations of the grant', () => {
    const g = grant(['Decrypt', 'Encrypt', 'CreateGrant']);
    assert.equal(grantAllowsRequest(g, 'kms:CreateGrant', { Operations: ['Decrypt'] }), true);
    assert.equal(grantAllowsRequest(g, 'kms:CreateGrant', { Operations: ['Decrypt', 'CreateGrant'] }), true);
    assert.equal(grantAllowsRequest(g, 'kms:CreateGrant', { Operations: ['Decrypt', 'GenerateDataKey'] }), false);
    assert.equal(grantAllowsRequest(grant(['Decrypt']), 'kms:CreateGrant', { Operations: ['Decrypt'] }), false);
  });

  test('the new grant is constrained at least as strictly', () => {
    const subset = { EncryptionContextSubset: { dept: 'IT' } };
    const equals = { EncryptionContextEquals: { dept: 'IT', app: 'x' } };
    assert.equal(constraintsNarrow(undefined, undefined), true);
    assert.equal(constraintsNarrow(subset, undefined), true);
    assert.equal(constraintsNarrow(undefined, subset), false);
    assert.equal(constraintsNarrow(subset, subset), true);
    assert.equal(constraintsNarrow({ EncryptionContextSubset: { dept: 'IT', app: 'x' } }, subset), true);
    assert.equal(constraintsNarrow({ EncryptionContextSubset: { Dept: 'IT' } }, subset), true);
    assert.equal(constraintsNarrow({ EncryptionContextSubset: { dept: 'it' } }, subset), false);
    assert.equal(constraintsNarrow({ EncryptionContextSubset: { app: 'x' } }, subset), false);
    assert.equal(constraintsNarrow(equals, subset), true);
    assert.equal(constraintsNarrow({ EncryptionContextEquals: { app: 'x' } }, subset), false);
    assert.equal(constraintsNarrow(equals, equals), true);
    assert.equal(constraintsNarrow({ EncryptionContextEquals: { dept: 'IT' } }, equals), false);
    assert.equal(constraintsNarrow({ EncryptionContextSubset: { dept: 'IT', app: 'x' } }, equals), false);
    const g = grant(['Decrypt', 'CreateGrant'], ROOT_B, subset);
    assert.equal(grantAllowsRequest(g, 'kms:CreateGrant', { Operations: ['Decrypt'], Constraints: equals }), true);
    assert.equal(grantAllowsRequest(g, 'kms:CreateGrant', { Operations: ['Decrypt'] }), false);
  });
});

describe('verdict and decision', () => {
  const key = { arn: KEY_ARN } as KeyRecord;
  const caller = (principalArn: string): Caller => ({ scope: { accountId: B, region: 'us-east-1' }, principalArn, accessKeyId: B, devMode: true });

  test('grants of other keys, other grantees or without the operation do not count', () => {
    const grants = [
      grant(['Decrypt'], ROOT_B, undefined, '1'.repeat(64)),
      { ...grant(['Decrypt'], ROOT_B, undefined, '2'.repeat(64)), keyArn: KEY_ARN.replace('1234abcd', '9999abcd') },
      grant(['Decrypt'], USER_B, undefined, '3'.repeat(64)),
      grant(['Encrypt'], ROOT_B, undefined, '4'.repeat(64)),
      grant(['Decrypt'], ROOT_B, undefined, '1'.repeat(64)),
    ];
    assert.deepEqual(grantVerdict(grants, caller(ROOT_B), key, 'kms:Decrypt', {}), { considered: 2, principal: ['1'.repeat(64)], account: [] });
    assert.deepEqual(grantVerdict(grants, caller(USER_B), key, 'kms:Decrypt', {}), { considered: 3, principal: ['3'.repeat(64)], account: ['1'.repeat(64)] });
  });

  test('a grant to the caller allows without IAM, past a key policy naming nobody; a Deny still wins', () => {
    const keyPolicy = loadPolicy(JSON.stringify(DEFAULT_KEY_POLICY), 'resource');
    const d = evaluate(request({ caller: 'carol', action: 'kms:Decrypt' }), { keyPolicy, grantAllows: true, grantIds: ['1'.repeat(64)] });
    assert.equal(describeDecision(d), `Allow (Grant): grant ${'1'.repeat(64)}`);
    const denying = loadPolicy(JSON.stringify(doc({ Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' })), 'resource');
    assert.equal(evaluate(request({ caller: 'carol', action: 'kms:Decrypt' }), { keyPolicy: denying, grantAllows: true }).decision, 'ExplicitDeny');
  });

  test('a grant to the account only: the root uses it; another principal needs an identity policy Allow', () => {
    const keyPolicy = loadPolicy(JSON.stringify(DEFAULT_KEY_POLICY), 'resource');
    const r = request({ caller: 'carol', action: 'kms:Decrypt' });
    assert.equal(evaluate(r, { keyPolicy, grantAllowsAccount: true }).decision, 'ImplicitDeny');
    const iam = loadPolicy(JSON.stringify(doc(allow({ Sid: 'UseKeys' }))), 'identity', 'carol-inline');
    const d = evaluate(r, { keyPolicy, identityPolicies: [iam], grantAllowsAccount: true, grantIds: ['5'.repeat(64)] });
    assert.equal(describeDecision(d), `Allow (Grant): carol-inline Statement[0] (Sid "UseKeys") + grant ${'5'.repeat(64)}`);
    assert.equal(evaluate(request({ caller: 'rootB', action: 'kms:Decrypt' }), { keyPolicy, grantAllowsAccount: true }).decision, 'Allow');
  });
});
