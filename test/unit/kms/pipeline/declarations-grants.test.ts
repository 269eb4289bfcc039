// What the grant and custom key store operations declare to the pipeline: the key members, IAM
// actions, identifier forms and key-state rows, whether they write and take DryRun; and the two
// behaviours the declarations carry: RetireGrant locating its key from the grant token, and
// CreateGrant's Name idempotency decided inside the retried attempt.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Caller, KmsServices } from '../../../../src/kms/context.js';
import { ANY_STATE, CREATE_GRANT_RULE } from '../../../../src/kms/model/key-state.js';
import type { Scope } from '../../../../src/kms/model/key.js';
import { OPERATIONS } from '../../../../src/kms/operations/index.js';
import type { KeyDeclaration, OperationEvent, OperationSpec } from '../../../../src/kms/pipeline/operation-spec.js';
import { interfereBeforeCommit } from '../../../helpers/interfering-store.js';
import { failureName } from '../../../helpers/failure.js';
import { servicesFactory } from '../../../helpers/services.js';
import { wireCaller, type WireBody } from '../../../helpers/wire.js';

const { makeServices, cleanup } = servicesFactory('kms-decl-grants-');
after(cleanup);

function specOf(name: string): OperationSpec {
  const spec = OPERATIONS.get(name)?.spec;
  assert.ok(spec, `${name} runs on the pipeline`);
  return spec;
}

/** A declaration as data: its members, with `locate` reduced to whether there is one. */
function shape(declaration: KeyDeclaration): Record<string, unknown> {
  const { locate, identifier, ...rest } = declaration;
  return { ...rest, locate: locate !== undefined, ...(identifier ? { identifier: true } : {}) };
}

describe('grant operations declare', () => {
  test('CreateGrant: KeyId (key id or ARN) for kms:CreateGrant, CreateGrant row, customer managed only; writes, DryRun', () => {
    const spec = specOf('CreateGrant');
    assert.deepEqual([spec.readOnly, spec.dryRun, spec.keys.length], [false, true, 1]);
    assert.deepEqual(shape(spec.keys[0]!), {
      member: 'KeyId',
      action: 'kms:CreateGrant',
      forms: 'key',
      state: CREATE_GRANT_RULE,
      customerManagedOnly: true,
      locate: false,
    });
    assert.equal(spec.keys[0]!.state, CREATE_GRANT_RULE);
    assert.equal(typeof spec.check, 'function');
  });

  test('ListGrants: KeyId (key id or ARN) for kms:ListGrants in any state, AWS managed keys too; reads', () => {
    const spec = specOf('ListGrants');
    assert.deepEqual([spec.readOnly, spec.dryRun, spec.keys.length], [true, false, 1]);
    assert.deepEqual(shape(spec.keys[0]!), { member: 'KeyId', action: 'kms:ListGrants', forms: 'key', state: ANY_STATE, locate: false });
    assert.equal(spec.keys[0]!.state, ANY_STATE);
  });

  test('ListRetirableGrants: no key; reads', () => {
    const spec = specOf('ListRetirableGrants');
    assert.deepEqual([spec.readOnly, spec.dryRun, spec.keys], [true, false, []]);
  });

  test('RetireGrant: an optional KeyId for kms:RetireGrant in any state, located from the grant token (which then decides); writes, DryRun', () => {
    const spec = specOf('RetireGrant');
    assert.deepEqual([spec.readOnly, spec.dryRun, spec.keys.length], [false, true, 1]);
    assert.deepEqual(shape(spec.keys[0]!), {
      member: 'KeyId',
      action: 'kms:RetireGrant',
      forms: 'key',
      state: ANY_STATE,
      optional: true,
      locate: true,
      identifier: true,
      authorizedBy: 'grant',
    });
    const identifier = spec.keys[0]!.identifier!;
    assert.equal(identifier({ KeyId: 'k' }), 'k');
    assert.equal(identifier({ KeyId: 'k', GrantToken: 't' }), undefined);
    assert.equal(spec.keys[0]!.state, ANY_STATE);
    assert.equal(spec.keys[0]!.customerManagedOnly, undefined, 'a grant on an AWS managed key can be retired');
  });

  test('RevokeGrant: KeyId (key id or ARN) for kms:RevokeGrant in any state, customer managed only; writes, DryRun', () => {
    const spec = specOf('RevokeGrant');
    assert.deepEqual([spec.readOnly, spec.dryRun, spec.keys.length], [false, true, 1]);
    assert.deepEqual(shape(spec.keys[0]!), {
      member: 'KeyId',
      action: 'kms:RevokeGrant',
      forms: 'key',
      state: ANY_STATE,
      customerManagedOnly: true,
      locate: false,
    });
    assert.equal(spec.keys[0]!.state, ANY_STATE);
  });
});

describe('custom key store operations declare', () => {
  for (const [name, readOnly] of [
    ['CreateCustomKeyStore', false],
    ['DescribeCustomKeyStores', true],
    ['ConnectCustomKeyStore', false],
    ['DisconnectCustomKeyStore', false],
    ['UpdateCustomKeyStore', false],
    ['DeleteCustomKeyStore', false],
  ] as const) {
    test(`${name}: no key, no DryRun${readOnly ? '; reads' : ''}`, () => {
      const spec = specOf(name);
      assert.equal(spec.name, name);
      assert.deepEqual([spec.readOnly, spec.dryRun, spec.keys], [readOnly, false, []]);
    });
  }
});

const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };
const otherAccount: Scope = { accountId: '444455556666', region: 'us-east-1' };
const ROLE = `arn:aws:iam::${scope.accountId}:role/app`;

function observed(services: KmsServices, events: OperationEvent[]): KmsServices {
  return { ...services, observers: [(event) => events.push(event)] };
}

describe('RetireGrant locates its key', () => {
  test('by GrantToken: the grant key, also from another account of its Region; nothing without a token', async () => {
    const base = await makeServices();
    const plain = wireCaller(base, scope);
    const key = (await plain('CreateKey', {})).KeyMetadata as WireBody;
    // The other account may retire it as its retiring principal (AWS: the retiring principal, the
    // grantee with RetireGrant, or the grant's account); a third account may not.
    const grant = await plain('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ROLE, Operations: ['Decrypt'], RetiringPrincipal: `arn:aws:iam::${otherAccount.accountId}:root` });
    const third: Caller = { scope: { accountId: '777788889999', region: otherAccount.region }, principalArn: 'arn:aws:iam::777788889999:root', accessKeyId: 'AKIATHIRD', devMode: false };
    assert.equal(await failureName(OPERATIONS.get('RetireGrant')!.run({ GrantToken: grant.GrantToken }, third, base)), 'AccessDeniedException');
    assert.equal(await failureName(OPERATIONS.get('RetireGrant')!.run({ KeyId: key.Arn, GrantId: grant.GrantId, DryRun: true }, third, base)), 'AccessDeniedException');

    const events: OperationEvent[] = [];
    const services = observed(base, events);
    const caller: Caller = { scope: otherAccount, principalArn: `arn:aws:iam::${otherAccount.accountId}:root`, accessKeyId: 'AKIAOTHER', devMode: false };
    const retire = OPERATIONS.get('RetireGrant')!;
    assert.equal(await failureName(retire.run({ GrantToken: grant.GrantToken, DryRun: true }, caller, services)), 'DryRunOperationException');
    assert.deepEqual(await retire.run({ GrantToken: grant.GrantToken }, caller, services), {});
    assert.equal(await failureName(retire.run({}, caller, services)), 'ValidationException');
    assert.equal(await failureName(retire.run({ GrantToken: grant.GrantToken }, caller, services)), 'InvalidGrantTokenException');
    assert.deepEqual(
      events.map((e) => [e.outcome.ok, e.keys.map((k) => k.arn)]),
      [
        [false, [key.Arn]],
        [true, [key.Arn]],
        [false, []],
        [false, []],
      ],
    );
    assert.deepEqual((await plain('ListGrants', { KeyId: key.KeyId })).Grants, []);
  });
});

describe('CreateGrant with a Name', () => {
  test('the same-Name grant revoked just before its token is added: the attempt looks again and makes a new grant', async () => {
    const services = await makeServices();
    const plain = wireCaller(services, scope);
    const key = (await plain('CreateKey', {})).KeyMetadata as WireBody;
    const request = { KeyId: key.KeyId, Name: 'again', GranteePrincipal: ROLE, Operations: ['Encrypt'] };
    const first = await plain('CreateGrant', request);
    const interference = interfereBeforeCommit(
      services,
      async () => void (await plain('RevokeGrant', { KeyId: key.KeyId, GrantId: first.GrantId })),
      (changes) => changes.some((c) => c.kind === 'insertGrantToken'),
    );
    const second = await wireCaller(interference.services, scope)('CreateGrant', request);
    assert.ok(interference.happened());
    assert.equal(interference.commits(), 2, 'the token commit met the revocation; the next look made a grant');
    assert.notEqual(second.GrantId, first.GrantId);
    assert.deepEqual(((await plain('ListGrants', { KeyId: key.KeyId })).Grants as WireBody[]).map((g) => g.GrantId), [second.GrantId]);
  });
});
