// Table-driven authorization cases: principal, action, key policy, identity policies, grant,
// request context -> decision. Rows marked `source` follow a policy example of the AWS
// documentation (KMS Developer Guide; IAM User Guide); the others pin the semantics written in
// src/policy (see the comments there).
/* eslint-disable no-template-curly-in-string -- ${...} here is policy-variable text, not a template */

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicy } from '../../../src/policy/compile.js';
import { describeDecision, evaluate, evaluateIdentity, type DecisionKind } from '../../../src/policy/evaluate.js';
import {
  A, ALICE, B, BOB, CAROL, DEFAULT_KEY_POLICY, KEY, OTHER_KEY, ROLE, ROOT_A, ROOT_B, SESSION,
  allow, deny, doc, request, type Json, type Req,
} from './fixtures.js';

interface Case extends Req {
  name: string;
  source?: string;
  key: Json;
  iam?: Json[];
  /** Session policies of a role session (AssumeRole Policy / PolicyArns). */
  sessionPolicies?: Json[];
  grant?: boolean;
  expect: DecisionKind;
}

const KMS_DEFAULT = 'KMS Developer Guide, "Default key policy"';
const KMS_XACCOUNT = 'KMS Developer Guide, "Allowing users in other accounts to use a KMS key"';
const KMS_COND = 'KMS Developer Guide, "AWS KMS condition keys"';
const IAM_OPS = 'IAM User Guide, "IAM JSON policy elements: Condition operators"';
const IAM_MULTI = 'IAM User Guide, "Multivalued context key examples"';
const IAM_VARS = 'IAM User Guide, "IAM policy elements: Variables and tags"';
const IAM_NOTPRINCIPAL = 'IAM User Guide, "AWS JSON policy elements: NotPrincipal"';
const IAM_SESSION = 'IAM User Guide, "Policies and permissions in IAM", session policies';

const ALLOW = 'Allow';
const DENY = 'ExplicitDeny';
const NONE = 'ImplicitDeny';

/** The IAM policy that lets a caller do everything in KMS. */
const IAM_ALL = doc(allow({}));
/** Key policy naming alice directly, with a condition. */
const aliceIf = (Condition: Json): Json => doc(allow({ Principal: { AWS: ALICE }, Condition }));

const cases: Case[] = [
  // --- The key policy as the root of access; root delegation ---
  { name: 'default key policy: the account root may use the key', source: KMS_DEFAULT, caller: 'rootA', key: DEFAULT_KEY_POLICY, expect: ALLOW },
  { name: 'default key policy: the root may do any kms action', source: KMS_DEFAULT, caller: 'rootA', action: 'kms:ScheduleKeyDeletion', key: DEFAULT_KEY_POLICY, expect: ALLOW },
  { name: 'default key policy: a user without IAM policy is denied', source: KMS_DEFAULT, caller: 'alice', key: DEFAULT_KEY_POLICY, expect: NONE },
  { name: 'default key policy: a user with an IAM Allow is allowed', source: KMS_DEFAULT, caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [IAM_ALL], expect: ALLOW },
  { name: 'default key policy: IAM allows another action only', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Action: 'kms:Decrypt' }))], expect: NONE },
  { name: 'default key policy: IAM allows another key only', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: OTHER_KEY }))], expect: NONE },
  { name: 'default key policy: IAM allows this key by ARN', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: KEY }))], expect: ALLOW },
  { name: 'default key policy: the second IAM policy allows', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Action: 'kms:Decrypt' })), IAM_ALL], expect: ALLOW },
  { name: 'account id form delegates like the root ARN', caller: 'alice', key: doc(allow({ Principal: { AWS: A } })), iam: [IAM_ALL], expect: ALLOW },
  { name: 'account id form without IAM policy: denied', caller: 'alice', key: doc(allow({ Principal: { AWS: A } })), expect: NONE },
  { name: 'account id form: the root itself is allowed', caller: 'rootA', key: doc(allow({ Principal: { AWS: [A] } })), expect: ALLOW },
  { name: 'key policy names the user: no IAM policy needed', source: KMS_DEFAULT, caller: 'alice', key: doc(allow({ Principal: { AWS: ALICE } })), expect: ALLOW },
  { name: 'key policy names another user', caller: 'alice', key: doc(allow({ Principal: { AWS: BOB } })), iam: [IAM_ALL], expect: NONE },
  { name: 'key policy without the root statement: IAM Allow is ineffective', source: KMS_DEFAULT, caller: 'alice', key: doc(allow({ Principal: { AWS: BOB } })), iam: [IAM_ALL], expect: NONE },
  { name: 'key policy without the root statement: even the root is denied', source: KMS_DEFAULT, caller: 'rootA', key: doc(allow({ Principal: { AWS: ALICE } })), expect: NONE },
  { name: 'key policy names the user for Decrypt only', caller: 'alice', key: doc(allow({ Principal: { AWS: ALICE }, Action: 'kms:Decrypt' })), expect: NONE },
  { name: 'key policy names the user, IAM denies', source: KMS_DEFAULT, caller: 'alice', key: doc(allow({ Principal: { AWS: ALICE } })), iam: [doc(deny({ Action: 'kms:Encrypt' }))], expect: DENY },
  { name: 'IAM Deny beats IAM Allow', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({}), deny({ Action: 'kms:Encrypt' }))], expect: DENY },
  { name: 'IAM Deny in a second policy', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [IAM_ALL, doc(deny({}))], expect: DENY },
  { name: 'IAM Deny of another action does not deny', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [IAM_ALL, doc(deny({ Action: 'kms:Decrypt' }))], expect: ALLOW },
  { name: 'IAM Deny applies even when the key policy does not allow', caller: 'alice', key: doc(allow({ Principal: { AWS: BOB } })), iam: [doc(deny({}))], expect: DENY },
  { name: 'key policy Deny beats its own Allow', caller: 'alice', key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: { AWS: ALICE } })), expect: DENY },
  { name: 'key policy Deny "*" denies the root too', caller: 'rootA', key: doc(allow({ Principal: { AWS: ROOT_A } }), deny({ Principal: '*', Action: 'kms:Encrypt' })), expect: DENY },
  { name: 'key policy Deny naming the account covers its users', caller: 'alice', key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: { AWS: ROOT_A } })), expect: DENY },
  { name: 'key policy Deny of another action', caller: 'alice', key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: '*', Action: 'kms:ScheduleKeyDeletion' })), expect: ALLOW },
  { name: 'Deny statement order does not matter', caller: 'alice', key: doc(deny({ Principal: { AWS: ALICE }, Action: 'kms:Encrypt' }), allow({ Principal: { AWS: ALICE } })), expect: DENY },
  { name: 'Principal "*": a same-account user is allowed by the key policy alone', caller: 'alice', key: doc(allow({ Principal: '*' })), expect: ALLOW },
  { name: 'Principal {"AWS":"*"}: a same-account user is allowed', caller: 'alice', key: doc(allow({ Principal: { AWS: '*' } })), expect: ALLOW },
  { name: 'no statement at all matches: implicit deny', caller: 'alice', key: doc(allow({ Principal: { AWS: BOB }, Action: 'kms:Decrypt' })), expect: NONE },

  // --- Grants ---
  { name: 'a grant allows when no policy does', caller: 'alice', key: DEFAULT_KEY_POLICY, grant: true, expect: ALLOW },
  { name: 'a grant allows even a key policy that trusts nobody', caller: 'bob', key: doc(allow({ Principal: { AWS: ALICE } })), grant: true, expect: ALLOW },
  { name: 'key policy Deny beats a grant', caller: 'alice', key: doc(deny({ Principal: '*' })), grant: true, expect: DENY },
  { name: 'IAM Deny beats a grant', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(deny({}))], grant: true, expect: DENY },
  { name: 'no grant, no policy: implicit deny', caller: 'bob', key: doc(allow({ Principal: { AWS: ALICE } })), grant: false, expect: NONE },

  // --- Cross-account ---
  { name: 'cross-account: key policy trusts the other account and its IAM allows', source: KMS_XACCOUNT, caller: 'carol', key: doc(allow({ Principal: { AWS: [ROOT_A, ROOT_B] } })), iam: [doc(allow({ Resource: KEY }))], expect: ALLOW },
  { name: 'cross-account: key policy trusts the account, no IAM policy', source: KMS_XACCOUNT, caller: 'carol', key: doc(allow({ Principal: { AWS: ROOT_B } })), expect: NONE },
  { name: 'cross-account: IAM allows, key policy does not trust the account', source: KMS_XACCOUNT, caller: 'carol', key: DEFAULT_KEY_POLICY, iam: [IAM_ALL], expect: NONE },
  { name: 'cross-account: key policy names the user, no IAM policy', source: KMS_XACCOUNT, caller: 'carol', key: doc(allow({ Principal: { AWS: CAROL } })), expect: NONE },
  { name: 'cross-account: key policy names the user and its IAM allows', source: KMS_XACCOUNT, caller: 'carol', key: doc(allow({ Principal: { AWS: CAROL } })), iam: [IAM_ALL], expect: ALLOW },
  { name: 'cross-account: the other account id form', caller: 'carol', key: doc(allow({ Principal: { AWS: B } })), iam: [IAM_ALL], expect: ALLOW },
  { name: 'cross-account: the other root has all IAM permissions of its account', caller: 'rootB', key: doc(allow({ Principal: { AWS: ROOT_B } })), expect: ALLOW },
  { name: 'cross-account: the other root, not trusted', caller: 'rootB', key: DEFAULT_KEY_POLICY, expect: NONE },
  { name: 'cross-account: Principal "*" still needs the caller\'s IAM Allow', caller: 'carol', key: doc(allow({ Principal: '*' })), expect: NONE },
  { name: 'cross-account: Principal "*" and the caller\'s IAM Allow', caller: 'carol', key: doc(allow({ Principal: '*' })), iam: [IAM_ALL], expect: ALLOW },
  { name: 'cross-account: IAM allows another key only', caller: 'carol', key: doc(allow({ Principal: { AWS: ROOT_B } })), iam: [doc(allow({ Resource: OTHER_KEY }))], expect: NONE },
  { name: 'cross-account: IAM allows the key by region wildcard', caller: 'carol', key: doc(allow({ Principal: { AWS: ROOT_B } })), iam: [doc(allow({ Resource: `arn:aws:kms:*:${A}:key/*` }))], expect: ALLOW },
  { name: 'cross-account: the key policy trusts the account for Decrypt only', source: KMS_XACCOUNT, caller: 'carol', key: doc(allow({ Principal: { AWS: ROOT_B }, Action: ['kms:Decrypt', 'kms:DescribeKey'] })), iam: [IAM_ALL], expect: NONE },
  { name: 'cross-account: an IAM Deny of the caller\'s own account', caller: 'carol', key: doc(allow({ Principal: { AWS: ROOT_B } })), iam: [IAM_ALL, doc(deny({ Resource: `arn:aws:kms:*:${A}:key/*` }))], expect: DENY },
  { name: 'cross-account: a grant allows without IAM policy', caller: 'carol', key: DEFAULT_KEY_POLICY, grant: true, expect: ALLOW },
  {
    name: 'Principal "*" limited by kms:CallerAccount: same account',
    source: KMS_COND,
    caller: 'alice',
    key: doc(allow({ Principal: { AWS: '*' }, Condition: { StringEquals: { 'kms:CallerAccount': A } } })),
    expect: ALLOW,
  },
  {
    name: 'Principal "*" limited by kms:CallerAccount: another account',
    source: KMS_COND,
    caller: 'carol',
    key: doc(allow({ Principal: { AWS: '*' }, Condition: { StringEquals: { 'kms:CallerAccount': A } } })),
    iam: [IAM_ALL],
    expect: NONE,
  },
  {
    name: 'kms:ViaService with kms:CallerAccount (AWS managed key policy): through EBS',
    source: KMS_COND,
    caller: 'alice',
    key: doc(allow({ Principal: { AWS: '*' }, Action: ['kms:Encrypt', 'kms:Decrypt'], Condition: { StringEquals: { 'kms:CallerAccount': A, 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } } })),
    ctx: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' },
    expect: ALLOW,
  },
  {
    name: 'kms:ViaService with kms:CallerAccount: called directly',
    source: KMS_COND,
    caller: 'alice',
    key: doc(allow({ Principal: { AWS: '*' }, Action: ['kms:Encrypt', 'kms:Decrypt'], Condition: { StringEquals: { 'kms:CallerAccount': A, 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } } })),
    expect: NONE,
  },

  // --- Roles, services, unique ids ---
  { name: 'key policy names the role: its session is allowed', caller: 'session', key: doc(allow({ Principal: { AWS: ROLE } })), expect: ALLOW },
  { name: 'key policy names the session ARN', caller: 'session', key: doc(allow({ Principal: { AWS: SESSION } })), expect: ALLOW },
  { name: 'key policy names another role', caller: 'session', key: doc(allow({ Principal: { AWS: `arn:aws:iam::${A}:role/Other` } })), expect: NONE },
  { name: 'role session: root delegation and an IAM Allow', caller: 'session', key: DEFAULT_KEY_POLICY, iam: [IAM_ALL], expect: ALLOW },
  { name: 'role with a path named by its full ARN', caller: 'pathSession', key: doc(allow({ Principal: { AWS: `arn:aws:iam::${A}:role/teams/Ops` } })), expect: ALLOW },
  { name: 'service principal named in the key policy', source: 'KMS Developer Guide, key policy for CloudTrail', caller: 'cloudtrail', key: doc(allow({ Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*' })), action: 'kms:GenerateDataKey', expect: ALLOW },
  { name: 'service principal not named', caller: 'cloudtrail', key: doc(allow({ Principal: { Service: 'logs.amazonaws.com' } })), expect: NONE },
  { name: 'service caller is not an AWS principal: {"AWS":"*"} does not cover it', caller: 'cloudtrail', key: doc(allow({ Principal: { AWS: '*' } })), expect: NONE },
  { name: 'Principal "*" covers a service', caller: 'cloudtrail', key: doc(allow({ Principal: '*' })), expect: ALLOW },
  { name: 'a unique id in the key policy matches the user it names', caller: 'alice', key: doc(allow({ Principal: { AWS: 'AIDAALICEEXAMPLE0001' } })), expect: ALLOW },
  { name: 'a unique id of a role matches its session', caller: 'session', key: doc(allow({ Principal: { AWS: 'AROAKEYUSEREXAMPLE01' } })), expect: ALLOW },

  // --- Actions ---
  { name: 'Action "*"', caller: 'alice', key: doc(allow({ Principal: { AWS: ALICE }, Action: '*' })), expect: ALLOW },
  { name: 'Action kms:Describe* matches kms:DescribeKey', caller: 'alice', action: 'kms:DescribeKey', key: doc(allow({ Principal: { AWS: ALICE }, Action: 'kms:Describe*' })), expect: ALLOW },
  { name: 'Action kms:Describe* does not match kms:Decrypt', caller: 'alice', action: 'kms:Decrypt', key: doc(allow({ Principal: { AWS: ALICE }, Action: 'kms:Describe*' })), expect: NONE },
  { name: 'Action kms:GenerateDataKey* matches ...WithoutPlaintext', caller: 'alice', action: 'kms:GenerateDataKeyWithoutPlaintext', key: doc(allow({ Principal: { AWS: ALICE }, Action: 'kms:GenerateDataKey*' })), expect: ALLOW },
  { name: 'action names are case-insensitive in the policy', caller: 'alice', key: doc(allow({ Principal: { AWS: ALICE }, Action: 'KMS:encrypt' })), expect: ALLOW },
  { name: 'action names are case-insensitive in the request', caller: 'alice', action: 'KMS:ENCRYPT', key: doc(allow({ Principal: { AWS: ALICE }, Action: 'kms:Encrypt' })), expect: ALLOW },
  { name: 'Action with ? wildcard', caller: 'alice', key: doc(allow({ Principal: { AWS: ALICE }, Action: 'kms:?ncrypt' })), expect: ALLOW },
  { name: 'Action of another service', caller: 'alice', key: doc(allow({ Principal: { AWS: ALICE }, Action: 's3:*' })), expect: NONE },
  { name: 'Action list: one of them', caller: 'alice', action: 'kms:Decrypt', key: doc(allow({ Principal: { AWS: ALICE }, Action: ['kms:Encrypt', 'kms:Decrypt'] })), expect: ALLOW },
  { name: 'NotAction: an action not listed is allowed', caller: 'alice', key: doc(allow({ Principal: { AWS: ALICE }, Action: undefined, NotAction: 'kms:Decrypt' })), expect: ALLOW },
  { name: 'NotAction: the listed action is not allowed', caller: 'alice', action: 'kms:Decrypt', key: doc(allow({ Principal: { AWS: ALICE }, Action: undefined, NotAction: 'kms:Decrypt' })), expect: NONE },
  { name: 'NotAction with a wildcard in a Deny', caller: 'alice', action: 'kms:ScheduleKeyDeletion', key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: '*', Action: undefined, NotAction: ['kms:Encrypt', 'kms:Decrypt', 'kms:Describe*'] })), expect: DENY },
  { name: 'NotAction Deny leaves the listed actions', caller: 'alice', action: 'kms:DescribeKey', key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: '*', Action: undefined, NotAction: ['kms:Encrypt', 'kms:Decrypt', 'kms:Describe*'] })), expect: ALLOW },
  {
    name: 'key administrators statement: may schedule deletion',
    source: KMS_DEFAULT,
    caller: 'alice',
    action: 'kms:ScheduleKeyDeletion',
    key: doc(allow({ Sid: 'Allow access for Key Administrators', Principal: { AWS: ALICE }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'] })),
    expect: ALLOW,
  },
  {
    name: 'key administrators statement: may not encrypt',
    source: KMS_DEFAULT,
    caller: 'alice',
    action: 'kms:Encrypt',
    key: doc(allow({ Sid: 'Allow access for Key Administrators', Principal: { AWS: ALICE }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'] })),
    expect: NONE,
  },
  {
    name: 'key users statement: kms:ReEncryptFrom through kms:ReEncrypt*',
    source: KMS_DEFAULT,
    caller: 'session',
    action: 'kms:ReEncryptFrom',
    key: doc(allow({ Sid: 'Allow use of the key', Principal: { AWS: ROLE }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'] })),
    expect: ALLOW,
  },
  {
    name: 'key users statement: no key deletion',
    source: KMS_DEFAULT,
    caller: 'session',
    action: 'kms:ScheduleKeyDeletion',
    key: doc(allow({ Sid: 'Allow use of the key', Principal: { AWS: ROLE }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'] })),
    expect: NONE,
  },
  {
    name: 'grants for AWS resources statement: CreateGrant with kms:GrantIsForAWSResource',
    source: KMS_DEFAULT,
    caller: 'session',
    action: 'kms:CreateGrant',
    ctx: { 'kms:GrantIsForAWSResource': true },
    key: doc(allow({ Sid: 'Allow attachment of persistent resources', Principal: { AWS: ROLE }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })),
    expect: ALLOW,
  },
  {
    name: 'grants for AWS resources statement: CreateGrant by the user directly',
    source: KMS_DEFAULT,
    caller: 'session',
    action: 'kms:CreateGrant',
    key: doc(allow({ Sid: 'Allow attachment of persistent resources', Principal: { AWS: ROLE }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })),
    expect: NONE,
  },

  // --- Resources ---
  { name: 'IAM Resource with an account wildcard', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: 'arn:aws:kms:us-east-1:*:key/*' }))], expect: ALLOW },
  { name: 'IAM Resource in another region', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: `arn:aws:kms:us-west-2:${A}:key/*` }))], expect: NONE },
  { name: 'IAM Resource "arn:aws:kms:*": a trailing * spans the colons', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: 'arn:aws:kms:*' }))], expect: ALLOW },
  { name: 'IAM Resource of aliases does not cover the key', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: `arn:aws:kms:us-east-1:${A}:alias/*` }))], expect: NONE },
  { name: 'IAM Resource with ? wildcards', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: `arn:aws:kms:us-east-1:${A}:key/1234abcd-????-*` }))], expect: ALLOW },
  { name: 'resource ARNs are case-sensitive', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: KEY.replace('1234abcd', '1234ABCD') }))], expect: NONE },
  { name: 'a * inside one ARN part does not cross a colon', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: 'arn:aws:k*s:us-east-1:111122223333:key/*' }))], expect: ALLOW },
  { name: 'a mid-part * cannot eat the region', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: `arn:aws:k*1:${A}:key/*` }))], expect: NONE },
  { name: 'NotResource of another key', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: undefined, NotResource: OTHER_KEY }))], expect: ALLOW },
  { name: 'NotResource of this key', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: undefined, NotResource: KEY }))], expect: NONE },
  { name: 'Deny with NotResource of another key denies this one', caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [IAM_ALL, doc(deny({ Resource: undefined, NotResource: OTHER_KEY }))], expect: DENY },
  { name: 'key policy Resource naming the key ARN', caller: 'alice', key: doc(allow({ Principal: { AWS: ALICE }, Resource: KEY })), expect: ALLOW },
  { name: 'Resource with ${aws:PrincipalAccount}', source: IAM_VARS, caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [doc(allow({ Resource: 'arn:aws:kms:*:${aws:PrincipalAccount}:key/*' }))], expect: ALLOW },
  { name: 'Resource with ${aws:PrincipalAccount}: another account\'s caller', caller: 'carol', key: doc(allow({ Principal: { AWS: ROOT_B } })), iam: [doc(allow({ Resource: 'arn:aws:kms:*:${aws:PrincipalAccount}:key/*' }))], expect: NONE },
  { name: 'Resource variables are literal under Version 2008-10-17', source: IAM_VARS, caller: 'alice', key: DEFAULT_KEY_POLICY, iam: [{ Version: '2008-10-17', Statement: [allow({ Resource: 'arn:aws:kms:*:${aws:PrincipalAccount}:key/*' })] }], expect: NONE },

  // --- String operators ---
  { name: 'StringEquals kms:EncryptionContext: match', source: KMS_COND, caller: 'alice', ec: { Department: 'IT' }, key: aliceIf({ StringEquals: { 'kms:EncryptionContext:Department': 'IT' } }), expect: ALLOW },
  { name: 'StringEquals is case-sensitive in the value', caller: 'alice', ec: { Department: 'it' }, key: aliceIf({ StringEquals: { 'kms:EncryptionContext:Department': 'IT' } }), expect: NONE },
  { name: 'StringEquals: key missing', caller: 'alice', key: aliceIf({ StringEquals: { 'kms:EncryptionContext:Department': 'IT' } }), expect: NONE },
  { name: 'condition key names are case-insensitive (encryption context part too)', caller: 'alice', ec: { Department: 'IT' }, key: aliceIf({ StringEquals: { 'KMS:ENCRYPTIONCONTEXT:department': 'IT' } }), expect: ALLOW },
  { name: 'StringEquals: several values are ORed', source: IAM_OPS, caller: 'alice', ec: { Department: 'HR' }, key: aliceIf({ StringEquals: { 'kms:EncryptionContext:Department': ['IT', 'HR'] } }), expect: ALLOW },
  { name: 'StringNotEquals: a value listed', caller: 'alice', ec: { Department: 'HR' }, key: aliceIf({ StringNotEquals: { 'kms:EncryptionContext:Department': ['IT', 'HR'] } }), expect: NONE },
  { name: 'StringNotEquals: a value not listed (values act as AND)', source: IAM_OPS, caller: 'alice', ec: { Department: 'Sales' }, key: aliceIf({ StringNotEquals: { 'kms:EncryptionContext:Department': ['IT', 'HR'] } }), expect: ALLOW },
  { name: 'StringNotEquals: key missing is true', source: IAM_OPS, caller: 'alice', key: aliceIf({ StringNotEquals: { 'kms:EncryptionContext:Department': 'IT' } }), expect: ALLOW },
  { name: 'StringEqualsIgnoreCase', caller: 'alice', ec: { Department: 'iT' }, key: aliceIf({ StringEqualsIgnoreCase: { 'kms:EncryptionContext:Department': 'It' } }), expect: ALLOW },
  { name: 'StringNotEqualsIgnoreCase: differs only by case', caller: 'alice', ec: { Department: 'IT' }, key: aliceIf({ StringNotEqualsIgnoreCase: { 'kms:EncryptionContext:Department': 'it' } }), expect: NONE },
  { name: 'StringNotEqualsIgnoreCase: another value', caller: 'alice', ec: { Department: 'HR' }, key: aliceIf({ StringNotEqualsIgnoreCase: { 'kms:EncryptionContext:Department': 'it' } }), expect: ALLOW },
  { name: 'StringLike with *', caller: 'alice', ec: { Project: 'Project-1' }, key: aliceIf({ StringLike: { 'kms:EncryptionContext:Project': 'Proj*' } }), expect: ALLOW },
  { name: 'StringLike with ?', caller: 'alice', ec: { Project: 'Proj1' }, key: aliceIf({ StringLike: { 'kms:EncryptionContext:Project': 'Proj?' } }), expect: ALLOW },
  { name: 'StringLike: ? is exactly one character', caller: 'alice', ec: { Project: 'Proj12' }, key: aliceIf({ StringLike: { 'kms:EncryptionContext:Project': 'Proj?' } }), expect: NONE },
  { name: 'StringLike is case-sensitive', caller: 'alice', ec: { Project: 'proj1' }, key: aliceIf({ StringLike: { 'kms:EncryptionContext:Project': 'Proj*' } }), expect: NONE },
  { name: 'StringLike with * in the middle', caller: 'alice', ec: { Path: 'a/b/c.txt' }, key: aliceIf({ StringLike: { 'kms:EncryptionContext:Path': 'a/*.txt' } }), expect: ALLOW },
  { name: 'StringNotLike: no match is true', caller: 'alice', ec: { Stage: 'prod-1' }, key: aliceIf({ StringNotLike: { 'kms:EncryptionContext:Stage': 'test-*' } }), expect: ALLOW },
  { name: 'StringNotLike: a match is false', caller: 'alice', ec: { Stage: 'test-1' }, key: aliceIf({ StringNotLike: { 'kms:EncryptionContext:Stage': 'test-*' } }), expect: NONE },
  { name: 'StringNotLike: key missing is true', source: IAM_OPS, caller: 'alice', key: aliceIf({ StringNotLike: { 'kms:EncryptionContext:Stage': 'test-*' } }), expect: ALLOW },
  { name: 'StringEqualsIfExists: key missing is true', source: IAM_OPS, caller: 'alice', key: aliceIf({ StringEqualsIfExists: { 'kms:EncryptionContext:Department': 'IT' } }), expect: ALLOW },
  { name: 'StringEqualsIfExists: present and different', caller: 'alice', ec: { Department: 'HR' }, key: aliceIf({ StringEqualsIfExists: { 'kms:EncryptionContext:Department': 'IT' } }), expect: NONE },
  { name: 'StringLikeIfExists: present and matching', caller: 'alice', ec: { Project: 'Proj1' }, key: aliceIf({ StringLikeIfExists: { 'kms:EncryptionContext:Project': 'Proj*' } }), expect: ALLOW },
  { name: 'two keys under one operator are ANDed: both match', caller: 'alice', ec: { Department: 'IT', Project: 'X' }, key: aliceIf({ StringEquals: { 'kms:EncryptionContext:Department': 'IT', 'kms:EncryptionContext:Project': 'X' } }), expect: ALLOW },
  { name: 'two keys under one operator are ANDed: one fails', caller: 'alice', ec: { Department: 'IT', Project: 'Y' }, key: aliceIf({ StringEquals: { 'kms:EncryptionContext:Department': 'IT', 'kms:EncryptionContext:Project': 'X' } }), expect: NONE },
  { name: 'two operators are ANDed', caller: 'alice', ec: { Department: 'IT', Project: 'Proj-9' }, key: aliceIf({ StringEquals: { 'kms:EncryptionContext:Department': 'IT' }, StringNotLike: { 'kms:EncryptionContext:Project': 'Proj-*' } }), expect: NONE },
  { name: 'StringLike: ${*} is a literal *', source: IAM_VARS, caller: 'alice', ec: { Name: 'a*' }, key: aliceIf({ StringLike: { 'kms:EncryptionContext:Name': 'a${*}' } }), expect: ALLOW },
  { name: 'StringLike: ${*} does not match other text', source: IAM_VARS, caller: 'alice', ec: { Name: 'ab' }, key: aliceIf({ StringLike: { 'kms:EncryptionContext:Name': 'a${*}' } }), expect: NONE },
  { name: 'StringLike: ${?} is a literal ?', caller: 'alice', ec: { Name: 'ab' }, key: aliceIf({ StringLike: { 'kms:EncryptionContext:Name': 'a${?}' } }), expect: NONE },
  { name: 'StringEquals: ${$} is a literal $', caller: 'alice', ec: { Name: 'cost$' }, key: aliceIf({ StringEquals: { 'kms:EncryptionContext:Name': 'cost${$}' } }), expect: ALLOW },
  { name: 'StringEquals on a number-valued key compares its text', caller: 'alice', ctx: { 'test:count': 5 }, key: aliceIf({ StringEquals: { 'test:count': '5' } }), expect: ALLOW },
  { name: 'StringEquals with a JSON number in the policy', caller: 'alice', ctx: { 'test:count': '5' }, key: aliceIf({ StringEquals: { 'test:count': 5 } }), expect: ALLOW },
  {
    name: 'key policy Deny on an encryption context value',
    source: KMS_COND,
    caller: 'alice',
    ec: { Department: 'HR' },
    key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: '*', Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'HR' } } })),
    expect: DENY,
  },
  {
    name: 'IAM Allow conditioned on an encryption context value (delegated)',
    source: KMS_COND,
    caller: 'alice',
    ec: { AppName: 'ExampleApp' },
    key: DEFAULT_KEY_POLICY,
    iam: [doc(allow({ Action: 'kms:Decrypt', Resource: KEY, Condition: { StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' } } }))],
    action: 'kms:Decrypt',
    expect: ALLOW,
  },
  {
    name: 'IAM Allow conditioned on an encryption context value: another value',
    source: KMS_COND,
    caller: 'alice',
    ec: { AppName: 'OtherApp' },
    key: DEFAULT_KEY_POLICY,
    iam: [doc(allow({ Action: 'kms:Decrypt', Resource: KEY, Condition: { StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' } } }))],
    action: 'kms:Decrypt',
    expect: NONE,
  },

  // --- Numeric ---
  { name: 'NumericLessThan aws:MultiFactorAuthAge: recent MFA', source: IAM_OPS, caller: 'alice', ctx: { 'aws:MultiFactorAuthAge': 100 }, key: aliceIf({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }), expect: ALLOW },
  { name: 'NumericLessThan: too old', source: IAM_OPS, caller: 'alice', ctx: { 'aws:MultiFactorAuthAge': '4000' }, key: aliceIf({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }), expect: NONE },
  { name: 'NumericLessThan: key missing', caller: 'alice', key: aliceIf({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }), expect: NONE },
  { name: 'NumericLessThan: a non-number never matches', caller: 'alice', ctx: { 'aws:MultiFactorAuthAge': 'abc' }, key: aliceIf({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }), expect: NONE },
  { name: 'NumericEquals: "10" and 10.0', caller: 'alice', ctx: { 'test:n': '10.0' }, key: aliceIf({ NumericEquals: { 'test:n': 10 } }), expect: ALLOW },
  { name: 'NumericNotEquals: another number', caller: 'alice', ctx: { 'test:n': 11 }, key: aliceIf({ NumericNotEquals: { 'test:n': '10' } }), expect: ALLOW },
  { name: 'NumericNotEquals: the number', caller: 'alice', ctx: { 'test:n': 10 }, key: aliceIf({ NumericNotEquals: { 'test:n': '10' } }), expect: NONE },
  { name: 'NumericNotEquals: key missing is true', caller: 'alice', key: aliceIf({ NumericNotEquals: { 'test:n': '10' } }), expect: ALLOW },
  { name: 'NumericNotEquals: a non-number is not "not equal"', caller: 'alice', ctx: { 'test:n': 'x' }, key: aliceIf({ NumericNotEquals: { 'test:n': '10' } }), expect: NONE },
  { name: 'NumericLessThanEquals: equal', caller: 'alice', ctx: { 'test:n': 10 }, key: aliceIf({ NumericLessThanEquals: { 'test:n': '10' } }), expect: ALLOW },
  { name: 'NumericGreaterThan: equal is not greater', caller: 'alice', ctx: { 'test:n': 10 }, key: aliceIf({ NumericGreaterThan: { 'test:n': '10' } }), expect: NONE },
  { name: 'NumericGreaterThan: greater', caller: 'alice', ctx: { 'test:n': 10.5 }, key: aliceIf({ NumericGreaterThan: { 'test:n': '10' } }), expect: ALLOW },
  { name: 'NumericGreaterThanEquals: equal', caller: 'alice', ctx: { 'test:n': '10' }, key: aliceIf({ NumericGreaterThanEquals: { 'test:n': '10' } }), expect: ALLOW },
  { name: 'NumericLessThanIfExists: key missing', caller: 'alice', key: aliceIf({ NumericLessThanIfExists: { 'test:n': '10' } }), expect: ALLOW },
  { name: 'NumericLessThan with several values: any of them', caller: 'alice', ctx: { 'test:n': 15 }, key: aliceIf({ NumericLessThan: { 'test:n': ['10', '20'] } }), expect: ALLOW },

  // --- Date ---
  { name: 'DateGreaterThan aws:CurrentTime: after', source: IAM_OPS, caller: 'alice', time: '2021-06-01T00:00:00Z', key: aliceIf({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }), expect: ALLOW },
  { name: 'DateGreaterThan aws:CurrentTime: before', source: IAM_OPS, caller: 'alice', time: '2019-06-01T00:00:00Z', key: aliceIf({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }), expect: NONE },
  { name: 'DateLessThan with epoch seconds in the policy', caller: 'alice', time: '2020-06-01T00:00:00Z', key: aliceIf({ DateLessThan: { 'aws:CurrentTime': '1609459200' } }), expect: ALLOW },
  { name: 'DateLessThan aws:EpochTime against an ISO date', caller: 'alice', time: '2021-06-01T00:00:00Z', key: aliceIf({ DateLessThan: { 'aws:EpochTime': '2021-01-01T00:00:00Z' } }), expect: NONE },
  { name: 'DateEquals: ISO against epoch seconds', caller: 'alice', ctx: { 'test:t': 1577836800 }, key: aliceIf({ DateEquals: { 'test:t': '2020-01-01T00:00:00Z' } }), expect: ALLOW },
  { name: 'DateEquals: a time without zone is UTC', caller: 'alice', ctx: { 'test:t': '1577836800' }, key: aliceIf({ DateEquals: { 'test:t': '2020-01-01T00:00:00' } }), expect: ALLOW },
  { name: 'DateEquals: a date alone is midnight UTC', caller: 'alice', ctx: { 'test:t': '2020-01-01T00:00:00.000Z' }, key: aliceIf({ DateEquals: { 'test:t': '2020-01-01' } }), expect: ALLOW },
  { name: 'DateEquals: a zone offset', caller: 'alice', ctx: { 'test:t': '2020-01-01T02:00:00+02:00' }, key: aliceIf({ DateEquals: { 'test:t': '2020-01-01T00:00:00Z' } }), expect: ALLOW },
  { name: 'DateNotEquals: the same instant', caller: 'alice', ctx: { 'test:t': 1577836800 }, key: aliceIf({ DateNotEquals: { 'test:t': '2020-01-01T00:00:00Z' } }), expect: NONE },
  { name: 'DateNotEquals: key missing is true', caller: 'alice', key: aliceIf({ DateNotEquals: { 'test:t': '2020-01-01T00:00:00Z' } }), expect: ALLOW },
  { name: 'DateLessThanEquals: equal', caller: 'alice', ctx: { 'test:t': '2020-01-01T00:00:00Z' }, key: aliceIf({ DateLessThanEquals: { 'test:t': '2020-01-01T00:00:00Z' } }), expect: ALLOW },
  { name: 'DateGreaterThanEquals: earlier', caller: 'alice', ctx: { 'test:t': '2019-12-31T23:59:59Z' }, key: aliceIf({ DateGreaterThanEquals: { 'test:t': '2020-01-01T00:00:00Z' } }), expect: NONE },
  { name: 'DateGreaterThan: key missing', caller: 'alice', key: aliceIf({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }), expect: NONE },
  { name: 'DateLessThanIfExists: key missing', caller: 'alice', key: aliceIf({ DateLessThanIfExists: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' } }), expect: ALLOW },
  { name: 'DateGreaterThan: a request value that is not a date', caller: 'alice', ctx: { 'test:t': 'yesterday' }, key: aliceIf({ DateGreaterThan: { 'test:t': '2020-01-01T00:00:00Z' } }), expect: NONE },

  // --- Bool ---
  { name: 'Bool aws:SecureTransport true', source: IAM_OPS, caller: 'alice', ctx: { 'aws:SecureTransport': true }, key: aliceIf({ Bool: { 'aws:SecureTransport': 'true' } }), expect: ALLOW },
  { name: 'Bool: false is not true', caller: 'alice', ctx: { 'aws:SecureTransport': false }, key: aliceIf({ Bool: { 'aws:SecureTransport': 'true' } }), expect: NONE },
  { name: 'Bool: the string "true" in the request', caller: 'alice', ctx: { 'aws:SecureTransport': 'true' }, key: aliceIf({ Bool: { 'aws:SecureTransport': true } }), expect: ALLOW },
  { name: 'Bool: key missing', caller: 'alice', key: aliceIf({ Bool: { 'aws:SecureTransport': 'true' } }), expect: NONE },
  {
    name: 'BoolIfExists aws:MultiFactorAuthPresent false in a Deny: no MFA key at all is denied',
    source: IAM_OPS,
    caller: 'alice',
    key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })),
    expect: DENY,
  },
  {
    name: 'BoolIfExists aws:MultiFactorAuthPresent false in a Deny: MFA present',
    source: IAM_OPS,
    caller: 'alice',
    ctx: { 'aws:MultiFactorAuthPresent': true },
    key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })),
    expect: ALLOW,
  },
  {
    name: 'Bool (not IfExists) in a Deny: no MFA key means no deny',
    source: IAM_OPS,
    caller: 'alice',
    key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })),
    expect: ALLOW,
  },
  { name: 'Bool with a variable (variables are supported for Bool)', caller: 'alice', ctx: { 'test:flag': true, 'test:want': 'true' }, key: aliceIf({ Bool: { 'test:flag': '${test:want}' } }), expect: ALLOW },

  // --- Binary ---
  { name: 'BinaryEquals: the same bytes', source: IAM_OPS, caller: 'alice', ctx: { 'test:bin': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' }, key: aliceIf({ BinaryEquals: { 'test:bin': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }), expect: ALLOW },
  { name: 'BinaryEquals: other bytes', caller: 'alice', ctx: { 'test:bin': 'b3RoZXI=' }, key: aliceIf({ BinaryEquals: { 'test:bin': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }), expect: NONE },
  { name: 'BinaryEqualsIfExists: key missing', caller: 'alice', key: aliceIf({ BinaryEqualsIfExists: { 'test:bin': 'AA==' } }), expect: ALLOW },

  // --- IP address ---
  { name: 'IpAddress aws:SourceIp in the CIDR', source: IAM_OPS, caller: 'alice', ctx: { 'aws:SourceIp': '203.0.113.7' }, key: aliceIf({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), expect: ALLOW },
  { name: 'IpAddress outside the CIDR', source: IAM_OPS, caller: 'alice', ctx: { 'aws:SourceIp': '198.51.100.1' }, key: aliceIf({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), expect: NONE },
  { name: 'IpAddress IPv6 CIDR', source: IAM_OPS, caller: 'alice', ctx: { 'aws:SourceIp': '2001:db8:1234:5678::1' }, key: aliceIf({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } }), expect: ALLOW },
  { name: 'IpAddress IPv6 outside', caller: 'alice', ctx: { 'aws:SourceIp': '2001:db8:1234:9999::1' }, key: aliceIf({ IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } }), expect: NONE },
  { name: 'IpAddress: a single address', caller: 'alice', ctx: { 'aws:SourceIp': '203.0.113.9' }, key: aliceIf({ IpAddress: { 'aws:SourceIp': '203.0.113.9' } }), expect: ALLOW },
  { name: 'IpAddress: an IPv4 caller against IPv6 blocks only', caller: 'alice', ctx: { 'aws:SourceIp': '203.0.113.9' }, key: aliceIf({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }), expect: NONE },
  { name: 'IpAddress: not an address', caller: 'alice', ctx: { 'aws:SourceIp': 'garbage' }, key: aliceIf({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }), expect: NONE },
  { name: 'NotIpAddress: outside is true', caller: 'alice', ctx: { 'aws:SourceIp': '198.51.100.1' }, key: aliceIf({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), expect: ALLOW },
  { name: 'NotIpAddress: inside is false', caller: 'alice', ctx: { 'aws:SourceIp': '203.0.113.5' }, key: aliceIf({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), expect: NONE },
  { name: 'NotIpAddress: key missing is true', caller: 'alice', key: aliceIf({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), expect: ALLOW },
  {
    name: 'Deny NotIpAddress: a request from outside the company range',
    source: 'IAM User Guide, "AWS: Denies access to AWS based on the source IP"',
    caller: 'alice',
    ctx: { 'aws:SourceIp': '198.51.100.1' },
    key: DEFAULT_KEY_POLICY,
    iam: [IAM_ALL, doc(deny({ Action: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } } }))],
    expect: DENY,
  },
  {
    name: 'Deny NotIpAddress: a request from inside the company range',
    source: 'IAM User Guide, "AWS: Denies access to AWS based on the source IP"',
    caller: 'alice',
    ctx: { 'aws:SourceIp': '192.0.2.44' },
    key: DEFAULT_KEY_POLICY,
    iam: [IAM_ALL, doc(deny({ Action: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } } }))],
    expect: ALLOW,
  },

  // --- ARN ---
  { name: 'ArnEquals aws:PrincipalArn (derived from the caller)', caller: 'alice', key: doc(allow({ Principal: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': ALICE } } })), expect: ALLOW },
  { name: 'ArnEquals aws:PrincipalArn: another user', caller: 'bob', key: doc(allow({ Principal: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': ALICE } } })), expect: NONE },
  { name: 'aws:PrincipalArn of a role session is the role ARN', caller: 'session', key: doc(allow({ Principal: '*', Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/Key*` } } })), expect: ALLOW },
  {
    name: 'ArnLike aws:SourceArn: the trail of this account',
    source: 'KMS Developer Guide, key policy for CloudTrail (aws:SourceArn)',
    caller: 'cloudtrail',
    action: 'kms:GenerateDataKey',
    ctx: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${A}:trail/main` },
    key: doc(allow({ Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${A}:trail/*` } } })),
    expect: ALLOW,
  },
  {
    name: 'ArnLike aws:SourceArn: a trail of another account',
    source: 'KMS Developer Guide, key policy for CloudTrail (aws:SourceArn)',
    caller: 'cloudtrail',
    action: 'kms:GenerateDataKey',
    ctx: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${B}:trail/main` },
    key: doc(allow({ Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${A}:trail/*` } } })),
    expect: NONE,
  },
  { name: 'ArnNotEquals: another principal', caller: 'bob', key: doc(allow({ Principal: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': ALICE } } })), expect: ALLOW },
  { name: 'ArnNotLike: matching principal', caller: 'alice', key: doc(allow({ Principal: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:user/a*` } } })), expect: NONE },
  { name: 'ArnNotLike: key missing is true', caller: 'alice', key: aliceIf({ ArnNotLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } }), expect: ALLOW },
  { name: 'ArnLike: a request value that is not an ARN', caller: 'alice', ctx: { 'aws:SourceArn': 'not-an-arn' }, key: aliceIf({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } }), expect: NONE },
  { name: 'ArnLike: a * stays in its ARN part', caller: 'alice', ctx: { 'aws:SourceArn': `arn:aws:iam::${A}:role/Admin` }, key: aliceIf({ ArnLike: { 'aws:SourceArn': 'arn:aws:iam::*:role/Admin' } }), expect: ALLOW },
  { name: 'ArnLikeIfExists: key missing', caller: 'alice', key: aliceIf({ ArnLikeIfExists: { 'aws:SourceArn': 'arn:aws:s3:::*' } }), expect: ALLOW },

  // --- Null ---
  { name: 'Null aws:TokenIssueTime true: long-term credentials', source: IAM_OPS, caller: 'alice', key: aliceIf({ Null: { 'aws:TokenIssueTime': 'true' } }), expect: ALLOW },
  { name: 'Null aws:TokenIssueTime true: temporary credentials', source: IAM_OPS, caller: 'alice', ctx: { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }, key: aliceIf({ Null: { 'aws:TokenIssueTime': 'true' } }), expect: NONE },
  { name: 'Null kms:EncryptionContextKeys false: a context is required', source: KMS_COND, caller: 'alice', ec: { A: '1' }, key: aliceIf({ Null: { 'kms:EncryptionContextKeys': 'false' } }), expect: ALLOW },
  { name: 'Null kms:EncryptionContextKeys false: no context', source: KMS_COND, caller: 'alice', key: aliceIf({ Null: { 'kms:EncryptionContextKeys': 'false' } }), expect: NONE },
  { name: 'Null false: an empty multivalued key counts as absent', caller: 'alice', ctx: { 'kms:EncryptionContextKeys': [] }, key: aliceIf({ Null: { 'kms:EncryptionContextKeys': 'false' } }), expect: NONE },

  // --- ForAllValues / ForAnyValue ---
  { name: 'ForAnyValue:StringEquals kms:EncryptionContextKeys: one key matches', source: KMS_COND, caller: 'alice', ec: { Dept: 'x', Proj: 'y' }, key: aliceIf({ 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'Dept' } }), expect: ALLOW },
  { name: 'ForAnyValue:StringEquals: no key matches', caller: 'alice', ec: { Proj: 'y' }, key: aliceIf({ 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'Dept' } }), expect: NONE },
  { name: 'ForAnyValue: key missing is false', source: IAM_MULTI, caller: 'alice', key: aliceIf({ 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'Dept' } }), expect: NONE },
  { name: 'ForAnyValue:StringEquals is case-sensitive in the key names', caller: 'alice', ec: { dept: 'x' }, key: aliceIf({ 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'Dept' } }), expect: NONE },
  { name: 'ForAllValues:StringEquals: every key is allowed', source: KMS_COND, caller: 'alice', ec: { Dept: 'x' }, key: aliceIf({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Dept', 'Proj'] } }), expect: ALLOW },
  { name: 'ForAllValues:StringEquals: one key is not', source: KMS_COND, caller: 'alice', ec: { Dept: 'x', Other: 'z' }, key: aliceIf({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Dept', 'Proj'] } }), expect: NONE },
  { name: 'ForAllValues: key missing is true', source: IAM_MULTI, caller: 'alice', key: aliceIf({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Dept', 'Proj'] } }), expect: ALLOW },
  { name: 'ForAllValues: an empty set is true', source: IAM_MULTI, caller: 'alice', ctx: { 'kms:EncryptionContextKeys': [] }, key: aliceIf({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'Dept' } }), expect: ALLOW },
  { name: 'ForAllValues with Null false: key missing is now false', source: IAM_MULTI, caller: 'alice', key: aliceIf({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'Dept' }, Null: { 'kms:EncryptionContextKeys': 'false' } }), expect: NONE },
  {
    name: 'Deny ForAllValues:StringNotLike aws:TagKeys key1*: key1:legal',
    source: IAM_MULTI,
    caller: 'alice',
    action: 'kms:TagResource',
    ctx: { 'aws:TagKeys': ['key1:legal'] },
    key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: '*', Action: ['kms:TagResource', 'kms:UntagResource'], Condition: { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } } })),
    expect: ALLOW,
  },
  {
    name: 'Deny ForAllValues:StringNotLike aws:TagKeys key1*: key1:hr and key1:personnel',
    source: IAM_MULTI,
    caller: 'alice',
    action: 'kms:TagResource',
    ctx: { 'aws:TagKeys': ['key1:hr', 'key1:personnel'] },
    key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: '*', Action: ['kms:TagResource', 'kms:UntagResource'], Condition: { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } } })),
    expect: ALLOW,
  },
  {
    name: 'Deny ForAllValues:StringNotLike aws:TagKeys key1*: key2:audit',
    source: IAM_MULTI,
    caller: 'alice',
    action: 'kms:TagResource',
    ctx: { 'aws:TagKeys': ['key2:audit'] },
    key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: '*', Action: ['kms:TagResource', 'kms:UntagResource'], Condition: { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } } })),
    expect: DENY,
  },
  {
    name: 'Deny ForAllValues:StringNotLike aws:TagKeys key1*: no aws:TagKeys in the request',
    source: IAM_MULTI,
    caller: 'alice',
    action: 'kms:TagResource',
    key: doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: '*', Action: ['kms:TagResource', 'kms:UntagResource'], Condition: { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } } })),
    expect: DENY,
  },
  { name: 'ForAnyValue:StringNotEquals: one value differs', caller: 'alice', ctx: { 'test:set': ['a', 'b'] }, key: aliceIf({ 'ForAnyValue:StringNotEquals': { 'test:set': 'a' } }), expect: ALLOW },
  { name: 'ForAllValues:StringNotEquals: one value is listed', caller: 'alice', ctx: { 'test:set': ['a', 'b'] }, key: aliceIf({ 'ForAllValues:StringNotEquals': { 'test:set': 'a' } }), expect: NONE },
  { name: 'ForAllValues:StringLike with wildcards', caller: 'alice', ctx: { 'test:set': ['app-1', 'app-2'] }, key: aliceIf({ 'ForAllValues:StringLike': { 'test:set': 'app-*' } }), expect: ALLOW },
  { name: 'ForAnyValue:StringEqualsIfExists: key missing is true', caller: 'alice', key: aliceIf({ 'ForAnyValue:StringEqualsIfExists': { 'test:set': 'a' } }), expect: ALLOW },
  { name: 'ForAllValues:NumericLessThan: every value below', caller: 'alice', ctx: { 'test:nums': [1, 2, 3] }, key: aliceIf({ 'ForAllValues:NumericLessThan': { 'test:nums': '4' } }), expect: ALLOW },
  { name: 'ForAnyValue:IpAddress over several addresses', caller: 'alice', ctx: { 'test:ips': ['198.51.100.1', '10.1.2.3'] }, key: aliceIf({ 'ForAnyValue:IpAddress': { 'test:ips': '10.0.0.0/8' } }), expect: ALLOW },
  { name: 'ForAnyValue on a single-valued key: a set of one', caller: 'alice', ec: { Department: 'IT' }, key: aliceIf({ 'ForAnyValue:StringEquals': { 'kms:EncryptionContext:Department': 'IT' } }), expect: ALLOW },
  { name: 'no set qualifier on a multivalued key: any value matching', caller: 'alice', ctx: { 'test:set': ['a', 'b'] }, key: aliceIf({ StringEquals: { 'test:set': 'b' } }), expect: ALLOW },
  { name: 'no set qualifier, negated, on a multivalued key: one value listed', caller: 'alice', ctx: { 'test:set': ['a', 'b'] }, key: aliceIf({ StringNotEquals: { 'test:set': 'b' } }), expect: NONE },
  {
    name: 'Deny with NotPrincipal and ForAnyValue:StringLike kms:EncryptionContextKeys',
    caller: 'alice',
    ec: { 'aws:ebs:id': 'vol-1' },
    key: doc(allow({ Principal: { AWS: ALICE } }), deny({ NotPrincipal: { AWS: [ROOT_A, BOB] }, Condition: { 'ForAnyValue:StringLike': { 'kms:EncryptionContextKeys': 'aws:ebs:*' } } })),
    expect: DENY,
  },

  // --- Policy variables ---
  { name: '${aws:username} in a condition value', source: IAM_VARS, caller: 'alice', ec: { Owner: 'alice' }, key: doc(allow({ Principal: { AWS: [ALICE, BOB] }, Condition: { StringEquals: { 'kms:EncryptionContext:Owner': '${aws:username}' } } })), expect: ALLOW },
  { name: '${aws:username}: another user\'s data', source: IAM_VARS, caller: 'bob', ec: { Owner: 'alice' }, key: doc(allow({ Principal: { AWS: [ALICE, BOB] }, Condition: { StringEquals: { 'kms:EncryptionContext:Owner': '${aws:username}' } } })), expect: NONE },
  { name: '${aws:username} is missing for a role session: no match', source: IAM_VARS, caller: 'session', ec: { Owner: '' }, key: doc(allow({ Principal: { AWS: ROLE }, Condition: { StringEquals: { 'kms:EncryptionContext:Owner': '${aws:username}' } } })), expect: NONE },
  { name: 'a missing variable has no equal value: StringNotEquals is true', source: IAM_VARS, caller: 'session', ec: { Owner: 'x' }, key: doc(allow({ Principal: { AWS: ROLE }, Condition: { StringNotEquals: { 'kms:EncryptionContext:Owner': '${aws:username}' } } })), expect: ALLOW },
  { name: '${aws:PrincipalTag/team} (tag key case-insensitive)', source: IAM_VARS, caller: 'alice', ec: { team: 'blue' }, key: aliceIf({ StringEquals: { 'kms:EncryptionContext:team': '${aws:PrincipalTag/team}' } }), expect: ALLOW },
  { name: '${aws:PrincipalTag/team}: another team', caller: 'session', ec: { team: 'blue' }, key: doc(allow({ Principal: { AWS: ROLE }, Condition: { StringEquals: { 'kms:EncryptionContext:team': '${aws:PrincipalTag/team}' } } })), expect: NONE },
  { name: 'aws:PrincipalTag/team as a condition key', caller: 'alice', key: aliceIf({ StringEquals: { 'aws:PrincipalTag/Team': 'blue' } }), expect: ALLOW },
  { name: '${aws:userid} with a wildcard around it', caller: 'session', ec: { Creator: 'AROAKEYUSEREXAMPLE01:session-1' }, key: doc(allow({ Principal: { AWS: ROLE }, Condition: { StringLike: { 'kms:EncryptionContext:Creator': '${aws:userid}*' } } })), expect: ALLOW },
  { name: 'a variable in StringLike: its value holds no wildcards', caller: 'alice', ec: { Prefix: 'alice-data' }, key: aliceIf({ StringLike: { 'kms:EncryptionContext:Prefix': '${aws:username}-*' } }), expect: ALLOW },
  { name: 'a default value when the variable is missing', source: IAM_VARS, caller: 'bob', ec: { team: 'none' }, key: doc(allow({ Principal: { AWS: BOB }, Condition: { StringEquals: { 'kms:EncryptionContext:team': "${aws:PrincipalTag/team, 'none'}" } } })), expect: ALLOW },
  { name: 'a default value is not used when the variable has a value', caller: 'alice', ec: { team: 'none' }, key: aliceIf({ StringEquals: { 'kms:EncryptionContext:team': "${aws:PrincipalTag/team, 'none'}" } }), expect: NONE },
  { name: 'variables are literal under 2008-10-17', source: IAM_VARS, caller: 'alice', ec: { Owner: '${aws:username}' }, key: { Version: '2008-10-17', Statement: [allow({ Principal: { AWS: ALICE }, Condition: { StringEquals: { 'kms:EncryptionContext:Owner': '${aws:username}' } } })] }, expect: ALLOW },
  { name: 'variables are literal without a Version', source: IAM_VARS, caller: 'alice', ec: { Owner: 'alice' }, key: { Statement: [allow({ Principal: { AWS: ALICE }, Condition: { StringEquals: { 'kms:EncryptionContext:Owner': '${aws:username}' } } })] }, expect: NONE },
  { name: 'a multivalued key cannot be a variable', source: IAM_VARS, caller: 'alice', ec: { K: 'K' }, key: aliceIf({ StringEquals: { 'kms:EncryptionContext:K': '${kms:EncryptionContextKeys}' } }), expect: NONE },
  { name: '${aws:PrincipalAccount} in ArnLike', caller: 'alice', ctx: { 'aws:SourceArn': `arn:aws:s3:::bucket-${A}` }, key: aliceIf({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::bucket-${aws:PrincipalAccount}' } }), expect: ALLOW },

  // --- NotPrincipal ---
  {
    name: 'Deny NotPrincipal [user, account]: the user is spared',
    source: IAM_NOTPRINCIPAL,
    caller: 'alice',
    key: doc(allow({ Principal: '*' }), deny({ NotPrincipal: { AWS: [ALICE, ROOT_A] } })),
    expect: ALLOW,
  },
  {
    name: 'Deny NotPrincipal [user, account]: another user is denied',
    source: IAM_NOTPRINCIPAL,
    caller: 'bob',
    key: doc(allow({ Principal: '*' }), deny({ NotPrincipal: { AWS: [ALICE, ROOT_A] } })),
    expect: DENY,
  },
  {
    name: 'Deny NotPrincipal [user, account]: the account root is spared',
    source: IAM_NOTPRINCIPAL,
    caller: 'rootA',
    key: doc(allow({ Principal: '*' }), deny({ NotPrincipal: { AWS: [ALICE, ROOT_A] } })),
    expect: ALLOW,
  },
  {
    name: 'Deny NotPrincipal [user] without the account: the user is denied too',
    source: IAM_NOTPRINCIPAL,
    caller: 'alice',
    key: doc(allow({ Principal: '*' }), deny({ NotPrincipal: { AWS: ALICE } })),
    expect: DENY,
  },
  {
    name: 'Deny NotPrincipal [role, account]: the role\'s session is spared',
    source: IAM_NOTPRINCIPAL,
    caller: 'session',
    key: doc(allow({ Principal: '*' }), deny({ NotPrincipal: { AWS: [ROLE, A] } })),
    expect: ALLOW,
  },
  {
    name: 'Deny NotPrincipal [account] only: a role session is denied',
    source: IAM_NOTPRINCIPAL,
    caller: 'session',
    key: doc(allow({ Principal: '*' }), deny({ NotPrincipal: { AWS: ROOT_A } })),
    expect: DENY,
  },
  { name: 'Deny NotPrincipal of another account\'s users: cross-account caller denied', caller: 'carol', key: doc(allow({ Principal: '*' }), deny({ NotPrincipal: { AWS: [ROOT_A] } })), iam: [IAM_ALL], expect: DENY },
  { name: 'Deny NotPrincipal {"AWS":"*"} spares every AWS principal', caller: 'bob', key: doc(allow({ Principal: '*' }), deny({ NotPrincipal: { AWS: '*' } })), expect: ALLOW },
  { name: 'Deny NotPrincipal of a service: the service is spared', caller: 'cloudtrail', key: doc(allow({ Principal: '*' }), deny({ NotPrincipal: { Service: 'cloudtrail.amazonaws.com' } })), expect: ALLOW },
  { name: 'Deny NotPrincipal of a service: a user is denied', caller: 'alice', key: doc(allow({ Principal: '*' }), deny({ NotPrincipal: { Service: 'cloudtrail.amazonaws.com' } })), expect: DENY },

  // --- Session policies: they limit what the role's policies allow ---
  { name: 'session policy allows too: allowed', source: IAM_SESSION, caller: 'session', key: DEFAULT_KEY_POLICY, iam: [IAM_ALL], sessionPolicies: [doc(allow({ Action: 'kms:Encrypt' }))], expect: ALLOW },
  { name: 'session policy allows another action: denied', source: IAM_SESSION, caller: 'session', key: DEFAULT_KEY_POLICY, iam: [IAM_ALL], sessionPolicies: [doc(allow({ Action: 'kms:Decrypt' }))], expect: NONE },
  { name: 'session policy alone grants nothing', source: IAM_SESSION, caller: 'session', key: DEFAULT_KEY_POLICY, sessionPolicies: [IAM_ALL], expect: NONE },
  { name: 'session policy Deny is an explicit deny', caller: 'session', key: DEFAULT_KEY_POLICY, iam: [IAM_ALL], sessionPolicies: [doc(allow({}), deny({ Action: 'kms:Encrypt' }))], expect: DENY },
  { name: 'session policy limits a key policy naming the role too (stricter than AWS for session ARNs)', caller: 'session', key: doc(allow({ Principal: { AWS: ROLE } })), sessionPolicies: [doc(allow({ Action: 'kms:Decrypt' }))], expect: NONE },
  { name: 'empty session policy list (role gone): nothing allowed', caller: 'session', key: doc(allow({ Principal: { AWS: ROLE } })), iam: [IAM_ALL], sessionPolicies: [], expect: NONE },
  { name: 'session policy on another key: denied', caller: 'session', key: DEFAULT_KEY_POLICY, iam: [IAM_ALL], sessionPolicies: [doc(allow({ Resource: OTHER_KEY }))], expect: NONE },
  { name: 'session policy with a principal-tag condition', source: IAM_VARS, caller: 'session', key: DEFAULT_KEY_POLICY, iam: [IAM_ALL], sessionPolicies: [doc(allow({ Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } }))], expect: ALLOW },
  { name: 'a grant does not reach past a narrow session policy', caller: 'session', key: DEFAULT_KEY_POLICY, iam: [IAM_ALL], sessionPolicies: [doc(allow({ Action: 'kms:Decrypt' }))], grant: true, expect: NONE },
  { name: 'a grant within the session policy allows', caller: 'session', key: DEFAULT_KEY_POLICY, sessionPolicies: [doc(allow({ Action: 'kms:Encrypt' }))], grant: true, expect: ALLOW },
];

describe('authorization table', () => {
  for (const c of cases) {
    test(`${c.name}${c.source ? ` [${c.source}]` : ''}`, () => {
      const keyPolicy = loadPolicy(JSON.stringify(c.key), 'resource');
      const identityPolicies = (c.iam ?? []).map((p, i) => loadPolicy(JSON.stringify(p), 'identity', `iam-${i}`));
      const sessionPolicies = c.sessionPolicies?.map((p, i) => loadPolicy(JSON.stringify(p), 'identity', `session-${i}`));
      const d = evaluate(request(c), { keyPolicy, identityPolicies, ...(sessionPolicies && { sessionPolicies }), grantAllows: c.grant ?? false });
      assert.equal(d.decision, c.expect, describeDecision(d));
    });
  }
  test('the table has at least 150 cases, a quarter of them from AWS documentation', () => {
    assert.ok(cases.length >= 150, `${cases.length} cases`);
    assert.ok(cases.filter((c) => c.source).length * 4 >= cases.length);
  });
});

describe('what a decision says', () => {
  test('an Allow through root delegation names the key policy statement and the IAM statement', () => {
    const d = evaluate(request({ caller: 'alice' }), {
      keyPolicy: loadPolicy(JSON.stringify(DEFAULT_KEY_POLICY), 'resource'),
      identityPolicies: [loadPolicy(JSON.stringify(doc(allow({ Sid: 'UseKeys' }))), 'identity', 'alice-inline')],
    });
    assert.deepEqual(d, {
      decision: 'Allow',
      reason: 'KeyPolicyAndIdentity',
      statements: [{ policy: 'key policy', index: 0, sid: 'Enable IAM User Permissions' }, { policy: 'alice-inline', index: 0, sid: 'UseKeys' }],
    });
    assert.equal(describeDecision(d), 'Allow (KeyPolicyAndIdentity): key policy Statement[0] (Sid "Enable IAM User Permissions") + alice-inline Statement[0] (Sid "UseKeys")');
  });

  test('an explicit deny names the Deny statement, by index when it has no Sid', () => {
    const d = evaluate(request({ caller: 'alice' }), {
      keyPolicy: loadPolicy(JSON.stringify(doc(allow({ Principal: { AWS: ALICE } }), deny({ Principal: '*' }))), 'resource'),
    });
    assert.deepEqual(d, { decision: 'ExplicitDeny', reason: 'Deny', statements: [{ policy: 'key policy', index: 1 }] });
    assert.equal(describeDecision(d), 'ExplicitDeny (Deny): key policy Statement[1]');
  });

  test('implicit denies say whether the key policy or the identity policies were missing', () => {
    const keyPolicy = loadPolicy(JSON.stringify(DEFAULT_KEY_POLICY), 'resource');
    assert.deepEqual(evaluate(request({ caller: 'alice' }), { keyPolicy }), {
      decision: 'ImplicitDeny',
      reason: 'IdentityPolicyDoesNotAllow',
      statements: [{ policy: 'key policy', index: 0, sid: 'Enable IAM User Permissions' }],
    });
    assert.deepEqual(evaluate(request({ caller: 'carol' }), { keyPolicy }), { decision: 'ImplicitDeny', reason: 'KeyPolicyDoesNotAllow', statements: [] });
    assert.equal(evaluate(request({ caller: 'alice' }), { keyPolicy, grantAllows: true }).reason, 'Grant');
  });

  test('a grant is limited by the session policies of a role session (none: a deleted role, nothing)', () => {
    const keyPolicy = loadPolicy(JSON.stringify(DEFAULT_KEY_POLICY), 'resource');
    const onlyS3 = [loadPolicy(JSON.stringify(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })), 'identity', 'session policy')];
    const kmsToo = [loadPolicy(JSON.stringify(doc(allow({}))), 'identity', 'session policy')];
    const iamAll = [loadPolicy(JSON.stringify(IAM_ALL), 'identity')];
    const session = request({ caller: 'session' });
    assert.equal(evaluate(session, { keyPolicy, grantAllows: true }).decision, ALLOW);
    for (const sessionPolicies of [onlyS3, []]) {
      assert.equal(evaluate(session, { keyPolicy, sessionPolicies, grantAllows: true }).reason, 'SessionPolicyDoesNotAllow');
      assert.equal(evaluate(session, { keyPolicy: loadPolicy(JSON.stringify(doc(allow({ Principal: { AWS: ROOT_B } }))), 'resource'), identityPolicies: iamAll, sessionPolicies, grantAllowsAccount: true }).decision, NONE);
    }
    assert.equal(evaluate(session, { keyPolicy, sessionPolicies: kmsToo, grantAllows: true }).reason, 'Grant');
  });

  test('a same-account direct Allow needs no identity policy and says so', () => {
    const d = evaluate(request({ caller: 'alice' }), { keyPolicy: loadPolicy(JSON.stringify(doc(allow({ Principal: { AWS: ALICE } }))), 'resource') });
    assert.deepEqual(d, { decision: 'Allow', reason: 'KeyPolicy', statements: [{ policy: 'key policy', index: 0 }] });
  });

  test('policies of the wrong kind are refused', () => {
    const identity = loadPolicy(JSON.stringify(IAM_ALL), 'identity');
    assert.throws(() => evaluate(request({ caller: 'alice' }), { keyPolicy: identity }), TypeError);
  });
});

/** Permissions no resource policy governs (CreateKey, ListKeys, aliases, IAM actions). */
describe('identity-only decisions', () => {
  const rows: { name: string; caller: 'rootA' | 'alice' | 'session'; iam: Json[]; session?: Json[]; action?: string; expect: DecisionKind }[] = [
    { name: 'the root needs no policy', caller: 'rootA', iam: [], expect: ALLOW },
    { name: 'an explicit Deny applies to the root', caller: 'rootA', iam: [doc(deny({}))], expect: DENY },
    { name: 'a user needs an Allow', caller: 'alice', iam: [], expect: NONE },
    { name: 'a user with an Allow', caller: 'alice', iam: [IAM_ALL], expect: ALLOW },
    { name: 'an Allow of another action', caller: 'alice', iam: [doc(allow({ Action: 'kms:ListKeys' }))], expect: NONE },
    { name: 'NotAction Allow', caller: 'alice', iam: [doc({ Effect: 'Allow', NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' })], expect: ALLOW },
    { name: 'a session: role policy and session policy', caller: 'session', iam: [IAM_ALL], session: [IAM_ALL], expect: ALLOW },
    { name: 'a session: session policy does not allow', caller: 'session', iam: [IAM_ALL], session: [doc(allow({ Action: 'kms:ListKeys' }))], expect: NONE },
  ];
  for (const r of rows) {
    test(r.name, () => {
      const identityPolicies = r.iam.map((p, i) => loadPolicy(JSON.stringify(p), 'identity', `iam-${i}`));
      const sessionPolicies = r.session?.map((p, i) => loadPolicy(JSON.stringify(p), 'identity', `session-${i}`));
      const d = evaluateIdentity(request({ caller: r.caller }), { identityPolicies, ...(sessionPolicies && { sessionPolicies }) });
      assert.equal(d.decision, r.expect, describeDecision(d));
    });
  }
});

/** Trust policies: the role's resource policy for sts:AssumeRole (Resource may be left out). */
describe('trust policies', () => {
  const role = `arn:aws:iam::${A}:role/KeyUser`;
  const trust = (principal: Json): Json => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });
  const assume = (caller: 'alice' | 'carol') => ({ ...request({ caller }), action: 'sts:AssumeRole', resource: role });
  const rows: { name: string; caller: 'alice' | 'carol'; trust: Json; iam: Json[]; expect: DecisionKind }[] = [
    { name: 'same account, trust names the user: no IAM policy needed', caller: 'alice', trust: trust({ AWS: ALICE }), iam: [], expect: ALLOW },
    { name: 'same account, trust names the account: IAM policy needed', caller: 'alice', trust: trust({ AWS: ROOT_A }), iam: [], expect: NONE },
    { name: 'same account, trust names the account, IAM allows', caller: 'alice', trust: trust({ AWS: ROOT_A }), iam: [doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: role })], expect: ALLOW },
    { name: 'cross account, trust names the user, no IAM policy: denied', caller: 'carol', trust: trust({ AWS: CAROL }), iam: [], expect: NONE },
    { name: 'cross account, trust names the account and IAM allows', caller: 'carol', trust: trust({ AWS: ROOT_B }), iam: [doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' })], expect: ALLOW },
    { name: 'cross account, IAM allows but the trust names another account', caller: 'carol', trust: trust({ AWS: ROOT_A }), iam: [doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' })], expect: NONE },
  ];
  for (const r of rows) {
    test(r.name, () => {
      const keyPolicy = loadPolicy(JSON.stringify(r.trust), 'trust', 'trust policy');
      const identityPolicies = r.iam.map((p, i) => loadPolicy(JSON.stringify(p), 'identity', `iam-${i}`));
      const d = evaluate(assume(r.caller), { keyPolicy, identityPolicies });
      assert.equal(d.decision, r.expect, describeDecision(d));
    });
  }
});
