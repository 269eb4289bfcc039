// The one request pipeline: its steps in AWS's order, the retry of writing operations from a fresh
// read, and observers told of every outcome, on synthetic operations over an in-memory store.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Caller, KmsServices } from '../../../../src/kms/context.js';
import { commitKey } from '../../../../src/kms/key-mutation.js';
import { CRYPTO_RULE, ANY_STATE } from '../../../../src/kms/model/key-state.js';
import type { KeyRecord, Scope } from '../../../../src/kms/model/key.js';
import type { OperationEvent, OperationSpec } from '../../../../src/kms/pipeline/operation-spec.js';
import { runPipeline } from '../../../../src/kms/pipeline/pipeline.js';
import { keyRecord } from '../../../helpers/records.js';
import { failure, rootCaller } from '../../../helpers/failure.js';
import { servicesFactory } from '../../../helpers/services.js';

const { makeServices, cleanup } = servicesFactory('kms-pipeline-');
after(cleanup);

const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };
const caller: Caller = rootCaller(scope);
const KEY_A = '11111111-1111-1111-1111-111111111111';
const KEY_B = '22222222-2222-2222-2222-222222222222';
const MISSING = '33333333-3333-3333-3333-333333333333';

async function servicesWith(keys: KeyRecord[], events: OperationEvent[] = []): Promise<KmsServices> {
  const base = await makeServices();
  await base.store.commit(keys.map((key) => ({ kind: 'putKey' as const, key })));
  return { ...base, observers: [(event) => events.push(event)] };
}

function spec(overrides: Partial<OperationSpec>): OperationSpec {
  return {
    name: 'Synthetic',
    readOnly: true,
    dryRun: true,
    keys: [{ member: 'KeyId', action: 'kms:Encrypt', forms: 'key-or-alias', state: CRYPTO_RULE }],
    run: async ({ key }) => ({ KeyId: key('KeyId').arn }),
    ...overrides,
  };
}

describe('the steps, in AWS order', () => {
  test('every key is resolved before any is authorized: a missing second key is NotFound even when the first is AWS managed', async () => {
    const services = await servicesWith([keyRecord(scope, KEY_A, { keyManager: 'AWS' })]);
    const twoKeys = spec({
      keys: [
        { member: 'KeyId', action: 'kms:DisableKey', forms: 'key', state: ANY_STATE, customerManagedOnly: true },
        { member: 'OtherKeyId', action: 'kms:DisableKey', forms: 'key', state: ANY_STATE },
      ],
    });
    const missing = await failure(runPipeline(twoKeys, { KeyId: KEY_A, OtherKeyId: MISSING }, caller, services));
    assert.equal(missing.name, 'NotFoundException');
    const denied = await failure(runPipeline(twoKeys, { KeyId: KEY_A, OtherKeyId: KEY_A }, caller, services));
    assert.deepEqual(denied, {
      name: 'AccessDeniedException',
      message: `User: ${caller.principalArn} is not authorized to perform: kms:DisableKey on resource: arn:aws:kms:us-east-1:111122223333:key/${KEY_A} because no resource-based policy allows the kms:DisableKey action`,
    });
  });

  test('authorization before key state, key state before the checks, the checks before DryRun, DryRun before run', async () => {
    const services = await servicesWith([keyRecord(scope, KEY_A, { keyManager: 'AWS', state: 'Disabled' }), keyRecord(scope, KEY_B, { state: 'Disabled' })]);
    const steps: string[] = [];
    const traced = spec({
      keys: [{ member: 'KeyId', action: 'kms:Encrypt', forms: 'key', state: CRYPTO_RULE, customerManagedOnly: true }],
      check: () => {
        steps.push('check');
        throw new Error('check failed');
      },
      run: async () => {
        steps.push('run');
        return {};
      },
    });
    assert.equal((await failure(runPipeline(traced, { KeyId: KEY_A }, caller, services))).name, 'AccessDeniedException');
    assert.deepEqual(await failure(runPipeline(traced, { KeyId: KEY_B }, caller, services)), {
      name: 'DisabledException',
      message: `arn:aws:kms:us-east-1:111122223333:key/${KEY_B} is disabled.`,
    });
    assert.equal(steps.length, 0, 'neither check nor run for a refused key');

    const enabled = await servicesWith([keyRecord(scope, KEY_A)]);
    assert.equal((await failure(runPipeline(traced, { KeyId: KEY_A, DryRun: true }, caller, enabled))).message, 'check failed');
    const passing: OperationSpec = { ...traced, check: () => void steps.push('check') };
    assert.equal((await failure(runPipeline(passing, { KeyId: KEY_A, DryRun: true }, caller, enabled))).name, 'DryRunOperationException');
    assert.deepEqual(steps, ['check', 'check'], 'DryRun never runs the operation');
    assert.deepEqual(await runPipeline(passing, { KeyId: KEY_A }, caller, enabled), {});
    assert.deepEqual(steps, ['check', 'check', 'check', 'run']);
  });

  test('validate runs first, before any key is looked up, and once even for a writing operation', async () => {
    const services = await servicesWith([]);
    let validated = 0;
    const validating = spec({
      readOnly: false,
      validate: () => {
        validated += 1;
        throw new Error('input refused');
      },
    });
    assert.equal((await failure(runPipeline(validating, { KeyId: MISSING }, caller, services))).message, 'input refused');
    assert.equal(validated, 1);
    const passing = spec({ validate: () => void (validated += 1) });
    assert.equal((await failure(runPipeline(passing, { KeyId: MISSING }, caller, services))).name, 'NotFoundException');
    assert.equal(validated, 2);
  });

  test('an alias where only keys are allowed is InvalidArnException, or NotFound for key-or-not-found members', async () => {
    const services = await servicesWith([keyRecord(scope, KEY_A)]);
    const keyOnly = spec({ keys: [{ member: 'KeyId', action: 'kms:DescribeKey', forms: 'key', state: ANY_STATE }] });
    assert.deepEqual(await failure(runPipeline(keyOnly, { KeyId: 'alias/x' }, caller, services)), {
      name: 'InvalidArnException',
      message: 'Key Aliases are not supported for this operation.',
    });
    const notFound = spec({ keys: [{ member: 'KeyId', action: 'kms:DescribeKey', forms: 'key-or-not-found', state: ANY_STATE }] });
    assert.deepEqual(await failure(runPipeline(notFound, { KeyId: 'alias/x' }, caller, services)), { name: 'NotFoundException', message: "Invalid keyId 'alias/x'" });
  });

  test('an optional member names no key unless a locator finds one', async () => {
    const services = await servicesWith([keyRecord(scope, KEY_A)]);
    const optional = spec({ keys: [{ member: 'KeyId', action: 'kms:Decrypt', forms: 'key-or-alias', state: CRYPTO_RULE, optional: true }], run: async ({ keys }) => ({ n: keys.size }) });
    assert.deepEqual(await runPipeline(optional, {}, caller, services), { n: 0 });
    const located = spec({
      keys: [{ member: 'KeyId', action: 'kms:Decrypt', forms: 'key-or-alias', state: CRYPTO_RULE, locate: async ({ services: s }) => s.store.getKey(scope, KEY_A) }],
    });
    assert.deepEqual(await runPipeline(located, {}, caller, services), { KeyId: `arn:aws:kms:us-east-1:111122223333:key/${KEY_A}` });
  });
});

describe('writing operations', () => {
  test('a commit that meets a concurrent change runs every step again on a fresh read', async () => {
    const services = await servicesWith([keyRecord(scope, KEY_A)]);
    let attempts = 0;
    const writing = spec({
      readOnly: false,
      dryRun: false,
      async run({ services: s, key }) {
        attempts += 1;
        const read = key('KeyId');
        // On the first attempt someone else disables the key between our read and our commit.
        if (attempts === 1) await s.store.commit([{ kind: 'putKey', key: { ...read, state: 'Disabled', version: read.version + 1 }, expectedVersion: read.version }]);
        await commitKey(s, read, { ...read, description: 'written' });
        return {};
      },
    });
    // The second attempt reads the key Disabled: the key-state step refuses it, nothing is written.
    assert.equal((await failure(runPipeline(writing, { KeyId: KEY_A }, caller, services))).name, 'DisabledException');
    assert.equal(attempts, 1);
    const stored = (await services.store.getKey(scope, KEY_A))!;
    assert.deepEqual([stored.state, stored.description], ['Disabled', '']);
  });
});

describe('observers', () => {
  test('are told of success and failure, with the keys resolved, the request id and the outcome', async () => {
    const events: OperationEvent[] = [];
    const services = await servicesWith([keyRecord(scope, KEY_A), keyRecord(scope, KEY_B, { state: 'Disabled' })], events);
    const twoKeys = spec({
      keys: [
        { member: 'SourceKeyId', action: 'kms:ReEncryptFrom', forms: 'key', state: CRYPTO_RULE },
        { member: 'DestinationKeyId', action: 'kms:ReEncryptTo', forms: 'key', state: CRYPTO_RULE },
      ],
      run: async () => ({ done: true }),
    });
    await runPipeline(twoKeys, { SourceKeyId: KEY_A, DestinationKeyId: KEY_A }, caller, services, 'req-1');
    await failure(runPipeline(twoKeys, { SourceKeyId: KEY_A, DestinationKeyId: KEY_B }, caller, services, 'req-2'));
    await failure(runPipeline(twoKeys, { SourceKeyId: MISSING, DestinationKeyId: KEY_A }, caller, services, 'req-3'));
    assert.deepEqual(
      events.map((e) => ({ op: e.operation, keys: e.keys.map((k) => k.keyId), id: e.requestId, ok: e.outcome.ok })),
      [
        { op: 'Synthetic', keys: [KEY_A], id: 'req-1', ok: true },
        { op: 'Synthetic', keys: [KEY_A, KEY_B], id: 'req-2', ok: false },
        { op: 'Synthetic', keys: [], id: 'req-3', ok: false },
      ],
    );
    const first = events[0]!.outcome;
    assert.ok(first.ok && first.output.done === true);
    const second = events[1]!.outcome;
    assert.ok(!second.ok && (second.error as Error).name === 'DisabledException');
  });

  test('an observer that throws changes no answer', async () => {
    const base = await servicesWith([keyRecord(scope, KEY_A)]);
    const services: KmsServices = { ...base, observers: [() => { throw new Error('observer bug'); }] };
    assert.deepEqual(await runPipeline(spec({}), { KeyId: KEY_A }, caller, services), { KeyId: `arn:aws:kms:us-east-1:111122223333:key/${KEY_A}` });
    assert.equal((await failure(runPipeline(spec({}), { KeyId: MISSING }, caller, services))).name, 'NotFoundException');
  });
});
