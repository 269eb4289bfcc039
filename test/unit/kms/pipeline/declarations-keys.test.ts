// What the key-management and alias operations declare to the pipeline: for each, the keys it names
// (member, kms: action, identifier forms, key-state row, the AWS managed key refusal, how the key
// is found), whether it writes, and whether it takes DryRun. Then the alias operations' located
// key at work: the alias name answers first, the alias's key is found in every attempt.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Caller, KmsServices } from '../../../../src/kms/context.js';
import * as keyStates from '../../../../src/kms/model/key-state.js';
import type { KeyRecord, Scope } from '../../../../src/kms/model/key.js';
import { ALIAS_TARGET } from '../../../../src/kms/operations/aliases/common.js';
import { OPERATIONS } from '../../../../src/kms/operations/index.js';
import type { KeyDeclaration, OperationSpec } from '../../../../src/kms/pipeline/operation-spec.js';
import { decodeAndValidateInput } from '../../../../src/protocol/validate.js';
import { interfereBeforeCommit } from '../../../helpers/interfering-store.js';
import { keyRecord } from '../../../helpers/records.js';
import { failure, rootCaller } from '../../../helpers/failure.js';
import { servicesFactory } from '../../../helpers/services.js';

const { makeServices, cleanup } = servicesFactory('kms-declarations-keys-');
after(cleanup);

const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };
const caller: Caller = rootCaller(scope);
const KEY_A = '11111111-1111-1111-1111-111111111111';
const KEY_B = '22222222-2222-2222-2222-222222222222';
const KEY_C = '33333333-3333-3333-3333-333333333333';
const MISSING = '44444444-4444-4444-4444-444444444444';

function specOf(name: string): OperationSpec {
  const spec = OPERATIONS.get(name)?.spec;
  assert.ok(spec, `${name} runs on the pipeline`);
  return spec;
}

/** The name under which model/key-state.ts exports the rule (by identity: an equal copy is not the row). */
function ruleName(rule: keyStates.StateRule): string {
  const found = Object.entries(keyStates).find(([, value]) => value === rule);
  return found ? found[0] : 'an unnamed rule';
}

interface Declared {
  member: string;
  action: string;
  forms: string;
  state: string;
  optional: boolean;
  customerManagedOnly: boolean;
  located: boolean;
}

function declared(d: KeyDeclaration): Declared {
  return {
    member: d.member,
    action: d.action,
    forms: d.forms,
    state: ruleName(d.state),
    optional: d.optional === true,
    customerManagedOnly: d.customerManagedOnly === true,
    located: d.locate !== undefined,
  };
}

const key = (member: string, action: string, forms: string, state: string, more: Partial<Declared> = {}): Declared => ({
  member,
  action,
  forms,
  state,
  optional: false,
  customerManagedOnly: false,
  located: false,
  ...more,
});

const EXPECTED: Record<string, { readOnly: boolean; dryRun: boolean; keys: Declared[] }> = {
  CancelKeyDeletion: { readOnly: false, dryRun: false, keys: [key('KeyId', 'kms:CancelKeyDeletion', 'key', 'CANCEL_DELETION_RULE')] },
  CreateKey: { readOnly: false, dryRun: false, keys: [] },
  EnableKey: {
    readOnly: false,
    dryRun: false,
    keys: [key('KeyId', 'kms:EnableKey', 'key', 'ENABLE_DISABLE_RULE', { customerManagedOnly: true })],
  },
  GetKeyLastUsage: { readOnly: true, dryRun: false, keys: [key('KeyId', 'kms:GetKeyLastUsage', 'key', 'ANY_STATE')] },
  ListKeys: { readOnly: true, dryRun: false, keys: [] },
  ListResourceTags: { readOnly: true, dryRun: false, keys: [key('KeyId', 'kms:ListResourceTags', 'key', 'ANY_STATE')] },
  ScheduleKeyDeletion: {
    readOnly: false,
    dryRun: false,
    keys: [key('KeyId', 'kms:ScheduleKeyDeletion', 'key', 'SCHEDULE_DELETION_RULE', { customerManagedOnly: true })],
  },
  UpdateKeyDescription: {
    readOnly: false,
    dryRun: false,
    keys: [key('KeyId', 'kms:UpdateKeyDescription', 'key', 'NOT_PENDING_DELETION', { customerManagedOnly: true })],
  },
  CreateAlias: {
    readOnly: false,
    dryRun: false,
    keys: [key('TargetKeyId', 'kms:CreateAlias', 'key-or-not-found', 'NOT_PENDING_DELETION', { customerManagedOnly: true })],
  },
  DeleteAlias: {
    readOnly: false,
    dryRun: false,
    keys: [key(ALIAS_TARGET, 'kms:DeleteAlias', 'key', 'ANY_STATE', { customerManagedOnly: true, located: true })],
  },
  ListAliases: { readOnly: true, dryRun: false, keys: [key('KeyId', 'kms:ListAliases', 'key', 'ANY_STATE', { optional: true })] },
  UpdateAlias: {
    readOnly: false,
    dryRun: false,
    keys: [
      // The alias's current key first: the alias is found (and its name checked) before TargetKeyId.
      key(ALIAS_TARGET, 'kms:UpdateAlias', 'key', 'ANY_STATE', { customerManagedOnly: true, located: true }),
      key('TargetKeyId', 'kms:UpdateAlias', 'key-or-not-found', 'NOT_PENDING_DELETION', { customerManagedOnly: true }),
    ],
  },
};

describe('declarations of the key and alias operations', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    test(`${name} declares ${expected.keys.length === 0 ? 'no key' : expected.keys.map((k) => `${k.member} (${k.action}, ${k.state})`).join(' and ')}`, () => {
      const spec = specOf(name);
      assert.equal(spec.name, name);
      assert.deepEqual({ readOnly: spec.readOnly, dryRun: spec.dryRun }, { readOnly: expected.readOnly, dryRun: expected.dryRun });
      assert.deepEqual(spec.keys.map(declared), expected.keys);
    });
  }

  test('the alias\'s key is declared under a member the wire never carries, so it is always located', () => {
    for (const name of ['UpdateAlias', 'DeleteAlias']) {
      const input = decodeAndValidateInput(name, { AliasName: 'alias/app', TargetKeyId: KEY_B, [ALIAS_TARGET]: KEY_A });
      assert.equal(input[ALIAS_TARGET], undefined, name);
    }
  });
});

async function servicesWith(keys: KeyRecord[], aliases: Record<string, string> = {}): Promise<KmsServices> {
  const services = await makeServices();
  await services.store.commit([
    ...keys.map((k) => ({ kind: 'putKey' as const, key: k })),
    ...Object.entries(aliases).map(([aliasName, targetKeyId]) => ({
      kind: 'insertAlias' as const,
      alias: { accountId: scope.accountId, region: scope.region, aliasName, targetKeyId, createdAt: 1, updatedAt: 1 },
    })),
  ]);
  return services;
}

const run = (name: string, input: Record<string, unknown>, services: KmsServices) => OPERATIONS.get(name)!.run(input, caller, services);

describe('the alias operations\' located key', () => {
  test('the alias name answers before any key: alias/aws/ is NotAuthorized even for an AWS managed key, a bad prefix is a ValidationException', async () => {
    const services = await servicesWith([keyRecord(scope, KEY_A, { keyManager: 'AWS' })], { 'alias/aws/s3': KEY_A });
    for (const name of ['UpdateAlias', 'DeleteAlias']) {
      assert.equal((await failure(run(name, { AliasName: 'alias/aws/s3', TargetKeyId: MISSING }, services))).name, 'NotAuthorizedException', name);
      const noPrefix = await failure(run(name, { AliasName: 'app', TargetKeyId: MISSING }, services));
      assert.equal(noPrefix.name, 'ValidationException', name);
    }
  });

  test('a missing alias is NotFound, before UpdateAlias looks at TargetKeyId', async () => {
    const services = await servicesWith([]);
    const notFound = { name: 'NotFoundException', message: `Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found.` };
    assert.deepEqual(await failure(run('UpdateAlias', { AliasName: 'alias/nope', TargetKeyId: MISSING }, services)), notFound);
    assert.deepEqual(await failure(run('DeleteAlias', { AliasName: 'alias/nope' }, services)), notFound);
  });

  test('UpdateAlias may move an alias away from a key pending deletion, not onto one', async () => {
    const services = await servicesWith(
      [keyRecord(scope, KEY_A, { state: 'PendingDeletion', deletionDate: Date.now() + 86_400_000 }), keyRecord(scope, KEY_B), keyRecord(scope, KEY_C, { state: 'PendingDeletion', deletionDate: Date.now() + 86_400_000 })],
      { 'alias/app': KEY_A },
    );
    assert.equal((await failure(run('UpdateAlias', { AliasName: 'alias/app', TargetKeyId: KEY_C }, services))).name, 'KMSInvalidStateException');
    assert.deepEqual(await run('UpdateAlias', { AliasName: 'alias/app', TargetKeyId: KEY_B }, services), {});
    assert.equal((await services.store.getAlias(scope, 'alias/app'))?.targetKeyId, KEY_B);
  });

  test('DeleteAlias deletes the alias only while it names the key it was decided on: re-pointed meanwhile, it starts over', async () => {
    const services = await servicesWith([keyRecord(scope, KEY_A), keyRecord(scope, KEY_B)], { 'alias/app': KEY_A });
    const interference = interfereBeforeCommit(
      services,
      async () => {
        const alias = (await services.store.getAlias(scope, 'alias/app'))!;
        await services.store.commit([{ kind: 'updateAlias', alias: { ...alias, targetKeyId: KEY_B } }]);
      },
      (changes) => changes.some((c) => c.kind === 'deleteAlias'),
    );
    assert.deepEqual(await run('DeleteAlias', { AliasName: 'alias/app' }, interference.services), {});
    assert.ok(interference.happened());
    assert.equal(interference.commits(), 2, 'the first commit met the repointing; the retry committed');
    assert.equal(await services.store.getAlias(scope, 'alias/app'), undefined);
  });
});
