// Property tests (fast-check): random policies never crash the parser, compiler or evaluator, and
// the decision is monotone where AWS's model says it must be: another Deny statement never turns a
// deny into an allow, and removing an Allow statement never does either.
/* eslint-disable no-template-curly-in-string -- ${...} here is policy-variable text, not a template */

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MalformedPolicyDocumentException } from '../../../src/errors/aws-errors.js';
import { loadPolicy, type CompiledPolicy } from '../../../src/policy/compile.js';
import type { ContextValue } from '../../../src/policy/context.js';
import { evaluate, type Decision } from '../../../src/policy/evaluate.js';
import type { PolicyKind } from '../../../src/policy/document.js';
import { A, ALICE, B, BOB, CAROL, KEY, OTHER_KEY, ROLE, ROOT_A, ROOT_B, SESSION, callers, request, type CallerName, type Json, type Req } from './fixtures.js';

const RUNS = 300;

// --- Policy pieces: mostly well-formed, so that properties about decisions get real policies ---

const principalArb = fc.constantFrom<unknown>(
  '*', { AWS: '*' }, { AWS: ROOT_A }, { AWS: A }, { AWS: ALICE }, { AWS: [ALICE, BOB] }, { AWS: ROLE }, { AWS: SESSION },
  { AWS: ROOT_B }, { AWS: B }, { AWS: CAROL }, { AWS: [ROOT_A, ROOT_B] }, { Service: 'cloudtrail.amazonaws.com' }, { AWS: 'AIDAALICEEXAMPLE0001' },
);
const actionArb = fc.oneof(
  fc.constantFrom('kms:*', '*', 'kms:Encrypt', 'kms:Decrypt', 'kms:Describe*', 'kms:?ncrypt', 'KMS:ENCRYPT', 's3:*', 'kms:GenerateDataKey*'),
  fc.uniqueArray(fc.constantFrom('kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Create*'), { minLength: 1, maxLength: 3 }),
);
const resourceArb = fc.constantFrom<unknown>('*', KEY, OTHER_KEY, `arn:aws:kms:*:${A}:key/*`, 'arn:aws:kms:*:${aws:PrincipalAccount}:key/*', 'arn:aws:kms:*', [KEY, OTHER_KEY]);

const KEYS = ['kms:EncryptionContext:Dept', 'kms:EncryptionContextKeys', 'aws:SourceIp', 'aws:CurrentTime', 'test:n', 'test:b', 'aws:PrincipalArn', 'aws:username', 'aws:PrincipalTag/Team', 'kms:CallerAccount', 'test:bin', 'test:set'];

/** Policy values that each family accepts. */
const familyValues: Record<string, fc.Arbitrary<unknown>> = {
  String: fc.oneof(fc.constantFrom('IT', 'it', 'HR', 'I*', '?T', '${aws:username}', "${aws:PrincipalTag/team, 'blue'}", 'a${*}', A, 'Dept'), fc.string({ maxLength: 6 })),
  Numeric: fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constantFrom('3.5', '10', '1e1')),
  Date: fc.constantFrom('2020-01-01T00:00:00Z', '2030-01-01', '1577836800', '2020-06-01T12:00:00+02:00'),
  Bool: fc.constantFrom('true', 'false', true, false),
  Binary: fc.constantFrom('AAEC', 'QUJD', ''),
  Ip: fc.constantFrom('10.0.0.0/8', '203.0.113.0/24', '2001:db8::/32', '192.0.2.1', '::/0'),
  Arn: fc.constantFrom(ALICE, `arn:aws:iam::${A}:*`, 'arn:aws:iam::*:user/a*', '*', 'arn:aws:iam::${aws:PrincipalAccount}:role/*'),
  Null: fc.constantFrom('true', 'false'),
};
const operators: [string, string][] = [
  ...['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'].map((o): [string, string] => [o, 'String']),
  ...['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'].map((o): [string, string] => [o, 'Numeric']),
  ...['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'].map((o): [string, string] => [o, 'Date']),
  ['Bool', 'Bool'], ['BinaryEquals', 'Binary'], ['IpAddress', 'Ip'], ['NotIpAddress', 'Ip'],
  ...['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'].map((o): [string, string] => [o, 'Arn']),
];
const conditionEntryArb = fc.oneof(
  fc.tuple(fc.constantFrom(...operators), fc.constantFrom('', 'ForAllValues:', 'ForAnyValue:'), fc.boolean(), fc.constantFrom(...KEYS)).chain(([[op, family], q, ifExists, key]) =>
    fc.array(familyValues[family]!, { minLength: 1, maxLength: 3 }).map((values) => [`${q}${op}${ifExists ? 'IfExists' : ''}`, key, values.length === 1 ? values[0] : values] as const),
  ),
  fc.tuple(fc.constantFrom(...KEYS), familyValues['Null']!).map(([key, v]) => ['Null', key, v] as const),
);
const conditionArb = fc.array(conditionEntryArb, { minLength: 1, maxLength: 3 }).map((entries) => {
  const block: Record<string, Record<string, unknown>> = {};
  for (const [op, key, v] of entries) (block[op] ??= {})[key] = v;
  return block;
});

function statementArb(kind: PolicyKind, effect?: 'Allow' | 'Deny'): fc.Arbitrary<Json> {
  return fc
    .record({
      sid: fc.option(fc.constantFrom('S1', 'Admins', 'Enable IAM User Permissions'), { nil: undefined }),
      effect: effect ? fc.constant(effect) : fc.constantFrom('Allow', 'Deny'),
      notPrincipal: fc.boolean(),
      principal: principalArb,
      notAction: fc.boolean(),
      action: actionArb,
      notResource: fc.boolean(),
      resource: resourceArb,
      condition: fc.option(conditionArb, { nil: undefined, freq: 2 }),
    })
    .map((r) => {
      const s: Json = { Effect: r.effect };
      if (r.sid !== undefined) s['Sid'] = r.sid;
      if (kind === 'resource') s[r.notPrincipal && r.effect === 'Deny' ? 'NotPrincipal' : 'Principal'] = r.principal;
      s[r.notAction ? 'NotAction' : 'Action'] = r.action;
      s[r.notResource ? 'NotResource' : 'Resource'] = r.resource;
      if (r.condition) s['Condition'] = r.condition;
      return s;
    });
}

const policyArb = (kind: PolicyKind) =>
  fc.tuple(fc.constantFrom<string | undefined>('2012-10-17', '2008-10-17', undefined), fc.array(statementArb(kind), { minLength: 1, maxLength: 4 })).map(([v, st]) => (v ? { Version: v, Statement: st } : { Statement: st }));

// --- Requests ---

const ctxValueArb: fc.Arbitrary<ContextValue> = fc.oneof(
  fc.constantFrom('IT', 'HR', 'alice', '10.1.2.3', '203.0.113.9', '2001:db8::1', '2025-01-01T00:00:00Z', '1577836800', 'true', 'AAEC', ALICE, A, ''),
  fc.integer({ min: -5, max: 20 }),
  fc.boolean(),
  fc.string({ maxLength: 5 }),
  fc.array(fc.constantFrom('Dept', 'Proj', 'IT', 'a*', '10.0.0.1'), { maxLength: 3 }),
);
const requestArb = fc.record({
  caller: fc.constantFrom(...(Object.keys(callers) as CallerName[])),
  action: fc.constantFrom('kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion'),
  resource: fc.constantFrom(KEY, OTHER_KEY, `arn:aws:kms:eu-west-1:${B}:key/x`),
  ctx: fc.dictionary(fc.constantFrom(...KEYS.filter((k) => !k.startsWith('kms:EncryptionContext'))), ctxValueArb, { maxKeys: 4 }),
  ec: fc.dictionary(fc.constantFrom('Dept', 'Proj', 'dept'), fc.constantFrom('IT', 'HR', 'x'), { maxKeys: 2 }),
  time: fc.constantFrom('2019-01-01T00:00:00Z', '2025-06-01T00:00:00Z'),
});

function tryLoad(p: Json, kind: PolicyKind, name?: string): CompiledPolicy | undefined {
  try {
    return loadPolicy(JSON.stringify(p), kind, name);
  } catch (e) {
    if (e instanceof MalformedPolicyDocumentException) return undefined;
    throw e;
  }
}

interface Scenario {
  key: Json;
  iam: Json[];
  grant: boolean;
  req: Req;
}
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  key: policyArb('resource'),
  iam: fc.array(policyArb('identity'), { maxLength: 2 }),
  grant: fc.boolean(),
  req: requestArb,
});

function decide(s: Scenario): Decision | undefined {
  const keyPolicy = tryLoad(s.key, 'resource');
  const identityPolicies = s.iam.map((p, i) => tryLoad(p, 'identity', `iam-${i}`));
  if (!keyPolicy || identityPolicies.some((p) => p === undefined)) return undefined;
  return evaluate(request(s.req), { keyPolicy, identityPolicies: identityPolicies as CompiledPolicy[], grantAllows: s.grant });
}

const withStatement = (p: Json, st: Json): Json => ({ ...p, Statement: [...(p['Statement'] as Json[]), st] });
const withoutStatement = (p: Json, i: number): Json => ({ ...p, Statement: (p['Statement'] as Json[]).filter((_, j) => j !== i) });

describe('policy properties', () => {
  test('any JSON text: parse/compile succeeds or throws MalformedPolicyDocumentException', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string()), fc.constantFrom<PolicyKind>('resource', 'identity'), (text, kind) => {
        try {
          loadPolicy(text, kind);
        } catch (e) {
          assert.ok(e instanceof MalformedPolicyDocumentException, String(e));
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('policy-shaped documents with random values in every element: succeed or MalformedPolicyDocumentException', () => {
    const anything = fc.oneof(fc.jsonValue({ maxDepth: 2 }), principalArb, actionArb, resourceArb, conditionArb);
    const elements = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Bogus'];
    const wild = fc.array(fc.dictionary(fc.constantFrom(...elements), anything, { maxKeys: 6 }), { minLength: 0, maxLength: 3 });
    fc.assert(
      fc.property(wild, fc.constantFrom<PolicyKind>('resource', 'identity'), (statements, kind) => {
        try {
          loadPolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), kind);
        } catch (e) {
          assert.ok(e instanceof MalformedPolicyDocumentException, String(e));
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('random policies and requests: the evaluator never throws and returns one of the three decisions', () => {
    let decided = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const d = decide(s);
        if (d === undefined) return;
        decided++;
        assert.ok(['Allow', 'ExplicitDeny', 'ImplicitDeny'].includes(d.decision));
        if (d.decision === 'ExplicitDeny') assert.equal(d.statements.length, 1);
      }),
      { numRuns: RUNS },
    );
    assert.ok(decided > RUNS / 2, `only ${decided} of ${RUNS} scenarios compiled`);
  });

  test('adding an explicit Deny statement never turns a deny into an allow', () => {
    fc.assert(
      fc.property(scenarioArb, statementArb('resource', 'Deny'), statementArb('identity', 'Deny'), fc.boolean(), (s, keyDeny, iamDeny, toKey) => {
        const before = decide(s);
        const after = toKey || s.iam.length === 0
          ? decide({ ...s, key: withStatement(s.key, keyDeny) })
          : decide({ ...s, iam: [withStatement(s.iam[0]!, iamDeny), ...s.iam.slice(1)] });
        if (before === undefined || after === undefined) return;
        if (before.decision !== 'Allow') assert.notEqual(after.decision, 'Allow');
        if (before.decision === 'ExplicitDeny') assert.equal(after.decision, 'ExplicitDeny');
      }),
      { numRuns: RUNS },
    );
  });

  test('removing an Allow statement never turns a deny into an allow', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), fc.boolean(), (s, pick, fromKey) => {
        const before = decide(s);
        if (before === undefined || before.decision === 'Allow') return;
        const target = fromKey || s.iam.length === 0 ? s.key : s.iam[0]!;
        const allows = (target['Statement'] as Json[]).flatMap((st, i) => (st['Effect'] === 'Allow' ? [i] : []));
        if (allows.length === 0 || (target['Statement'] as Json[]).length === 1) return;
        const smaller = withoutStatement(target, allows[pick % allows.length]!);
        const after = target === s.key ? decide({ ...s, key: smaller }) : decide({ ...s, iam: [smaller, ...s.iam.slice(1)] });
        if (after !== undefined) assert.notEqual(after.decision, 'Allow');
      }),
      { numRuns: RUNS },
    );
  });

  test('a grant only ever adds an Allow; it never overrides an explicit deny', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const without = decide({ ...s, grant: false });
        const withGrant = decide({ ...s, grant: true });
        if (without === undefined || withGrant === undefined) return;
        assert.equal(withGrant.decision, without.decision === 'ExplicitDeny' ? 'ExplicitDeny' : 'Allow');
      }),
      { numRuns: RUNS },
    );
  });
});
