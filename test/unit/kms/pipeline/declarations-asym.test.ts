// What the asymmetric, MAC, key agreement, tag and key policy operations declare to the pipeline:
// the keys they name (member, IAM action, identifier forms, key-state row, AWS managed refusal),
// whether they write and take DryRun; and the orders of errors that follow from the pipeline's
// steps (input checks before the key, authorization before the operation's checks), and the retry of their writes.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Caller, KmsServices } from '../../../../src/kms/context.js';
import { ANY_STATE, CRYPTO_RULE, NOT_PENDING_DELETION, type StateRule } from '../../../../src/kms/model/key-state.js';
import type { Scope, Tag } from '../../../../src/kms/model/key.js';
import { OPERATIONS } from '../../../../src/kms/operations/index.js';
import type { IdentifierForms, OperationSpec } from '../../../../src/kms/pipeline/operation-spec.js';
import { interfereBeforeCommit, putsKey } from '../../../helpers/interfering-store.js';
import { keyRecord } from '../../../helpers/records.js';
import { failure, rootCaller } from '../../../helpers/failure.js';
import { servicesFactory } from '../../../helpers/services.js';

const { makeServices, cleanup } = servicesFactory('kms-decl-asym-');
after(cleanup);

interface Expected {
  readonly readOnly: boolean;
  readonly dryRun: boolean;
  readonly action: `kms:${string}`;
  readonly forms: IdentifierForms;
  readonly state: StateRule;
  readonly customerManagedOnly: boolean;
}

const CRYPTO = { forms: 'key-or-alias', state: CRYPTO_RULE, customerManagedOnly: false } as const;

const EXPECTED: Record<string, Expected> = {
  GetPublicKey: { readOnly: true, dryRun: false, action: 'kms:GetPublicKey', ...CRYPTO },
  Sign: { readOnly: true, dryRun: true, action: 'kms:Sign', ...CRYPTO },
  Verify: { readOnly: true, dryRun: true, action: 'kms:Verify', ...CRYPTO },
  GenerateMac: { readOnly: true, dryRun: true, action: 'kms:GenerateMac', ...CRYPTO },
  VerifyMac: { readOnly: true, dryRun: true, action: 'kms:VerifyMac', ...CRYPTO },
  DeriveSharedSecret: { readOnly: true, dryRun: true, action: 'kms:DeriveSharedSecret', ...CRYPTO },
  TagResource: { readOnly: false, dryRun: false, action: 'kms:TagResource', forms: 'key', state: NOT_PENDING_DELETION, customerManagedOnly: true },
  UntagResource: { readOnly: false, dryRun: false, action: 'kms:UntagResource', forms: 'key', state: NOT_PENDING_DELETION, customerManagedOnly: true },
  GetKeyPolicy: { readOnly: true, dryRun: false, action: 'kms:GetKeyPolicy', forms: 'key', state: ANY_STATE, customerManagedOnly: false },
  PutKeyPolicy: { readOnly: false, dryRun: false, action: 'kms:PutKeyPolicy', forms: 'key', state: ANY_STATE, customerManagedOnly: true },
  ListKeyPolicies: { readOnly: true, dryRun: false, action: 'kms:ListKeyPolicies', forms: 'key', state: ANY_STATE, customerManagedOnly: false },
};

function specOf(name: string): OperationSpec {
  const spec = OPERATIONS.get(name)?.spec;
  assert.ok(spec, `${name} is defined with defineOperation`);
  return spec;
}

describe('declarations', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    test(`${name}: KeyId with ${expected.action}, ${expected.forms}, its key-state row`, () => {
      const spec = specOf(name);
      assert.equal(spec.name, name);
      assert.equal(spec.readOnly, expected.readOnly, 'readOnly');
      assert.equal(spec.dryRun, expected.dryRun, 'dryRun');
      assert.equal(spec.keys.length, 1, 'one key');
      const [declaration] = spec.keys;
      assert.equal(declaration!.member, 'KeyId');
      assert.equal(declaration!.action, expected.action);
      assert.equal(declaration!.forms, expected.forms);
      // The very row of the key-state table (not merely an equal one), and equal to it.
      assert.equal(declaration!.state, expected.state);
      assert.deepEqual(declaration!.state, expected.state);
      assert.equal(declaration!.customerManagedOnly === true, expected.customerManagedOnly, 'customerManagedOnly');
      assert.equal(declaration!.optional, undefined, 'KeyId is required');
      assert.equal(declaration!.locate, undefined, 'no locate');
    });
  }
});

const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };
const caller: Caller = rootCaller(scope);
const KEY = '11111111-1111-1111-1111-111111111111';
const MISSING = '33333333-3333-3333-3333-333333333333';

async function servicesWithKey(overrides: Parameters<typeof keyRecord>[2] = {}): Promise<KmsServices> {
  const services = await makeServices();
  await services.store.commit([{ kind: 'putKey', key: keyRecord(scope, KEY, overrides) }]);
  return services;
}

function call(services: KmsServices, name: string, input: Record<string, unknown>) {
  return OPERATIONS.get(name)!.run(input, caller, services);
}

/** A well-formed key policy that lets the account manage the key (an empty Statement list is malformed). */
const ROOT_POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}';

describe('orders of errors from the pipeline steps', () => {
  test('PutKeyPolicy: the policy name and syntax are checked before the key is looked up (as before the pipeline)', async () => {
    const managed = await servicesWithKey({ keyManager: 'AWS' });
    assert.equal((await failure(call(managed, 'PutKeyPolicy', { KeyId: KEY, Policy: '{"Statement": [' }))).name, 'MalformedPolicyDocumentException');
    assert.equal((await failure(call(managed, 'PutKeyPolicy', { KeyId: MISSING, Policy: '{"Statement": [' }))).name, 'MalformedPolicyDocumentException');
    // A well-formed policy for an AWS managed key: the key's policy refuses the call.
    assert.equal((await failure(call(managed, 'PutKeyPolicy', { KeyId: KEY, Policy: ROOT_POLICY }))).name, 'AccessDeniedException');
    assert.equal((await failure(call(managed, 'PutKeyPolicy', { KeyId: MISSING, Policy: ROOT_POLICY }))).name, 'NotFoundException');
  });

  test('TagResource on a key pending deletion: the key state before the tags are checked', async () => {
    const services = await servicesWithKey({ state: 'PendingDeletion', deletionDate: Date.now() + 7 * 86_400_000 });
    const refused = await failure(call(services, 'TagResource', { KeyId: KEY, Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] }));
    assert.equal(refused.name, 'KMSInvalidStateException');
  });

  test('DeriveSharedSecret: a Recipient (this server cannot attest) is refused before the key is looked at, as for Decrypt', async () => {
    const services = await servicesWithKey();
    const refused = await failure(call(services, 'DeriveSharedSecret', { KeyId: KEY, KeyAgreementAlgorithm: 'ECDH', PublicKey: Buffer.alloc(1), Recipient: {} }));
    assert.equal(refused.name, 'UnsupportedOperationException');
    const missing = await failure(call(services, 'DeriveSharedSecret', { KeyId: MISSING, KeyAgreementAlgorithm: 'ECDH', PublicKey: Buffer.alloc(1), Recipient: {} }));
    assert.equal(missing.name, 'UnsupportedOperationException');
    const withoutRecipient = await failure(call(services, 'DeriveSharedSecret', { KeyId: KEY, KeyAgreementAlgorithm: 'ECDH', PublicKey: Buffer.alloc(1) }));
    assert.equal(withoutRecipient.name, 'InvalidKeyUsageException');
  });
});

describe('writes commit with the version read, and run again on a fresh read', () => {
  test('TagResource: tags added concurrently count towards the limit on the retry', async () => {
    const services = await servicesWithKey();
    const existing: Tag[] = Array.from({ length: 49 }, (_, i) => ({ TagKey: `t${i}`, TagValue: 'v' }));
    const keyArn = keyRecord(scope, KEY).arn;
    // Meanwhile another call adds a 50th tag (and bumps the key's version, as TagResource does).
    const interference = interfereBeforeCommit(
      services,
      async () => void (await call(services, 'TagResource', { KeyId: KEY, Tags: [...existing, { TagKey: 'other', TagValue: 'v' }] })),
      putsKey(keyArn),
    );
    const refused = await failure(OPERATIONS.get('TagResource')!.run({ KeyId: KEY, Tags: [{ TagKey: 'mine', TagValue: 'v' }] }, caller, interference.services));
    assert.ok(interference.happened());
    assert.equal(refused.name, 'TagException');
    assert.equal((await services.store.listTags(keyArn)).length, 50);
  });

  test('PutKeyPolicy: a concurrent change of the key is kept, and the policy is put on top of it', async () => {
    const services = await servicesWithKey();
    const keyArn = keyRecord(scope, KEY).arn;
    const interference = interfereBeforeCommit(
      services,
      async () => void (await call(services, 'UpdateKeyDescription', { KeyId: KEY, Description: 'meanwhile' })),
      putsKey(keyArn),
    );
    const policy = `${ROOT_POLICY} `;
    await OPERATIONS.get('PutKeyPolicy')!.run({ KeyId: KEY, Policy: policy }, caller, interference.services);
    assert.ok(interference.happened());
    const stored = await services.store.getKey(scope, KEY);
    assert.equal(stored!.policy, policy);
    assert.equal(stored!.description, 'meanwhile');
  });
});
