// The authorize step fails closed: condition keys AWS always supplies are supplied, defaults are the
// effective values, the key's tags and aliases are read when a policy looks at them, names that
// differ only in case cannot slip past a condition, and UpdatePrimaryRegion asks the replica too.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Scope } from '../../../src/kms/model/key.js';
import { interfereBeforeCommit } from '../../helpers/interfering-store.js';
import { servicesFactory } from '../../helpers/services.js';
import { wireCaller, type WireBody, type WireCall } from '../../helpers/wire.js';

const { makeServices, cleanup } = servicesFactory('kms-authz-');
after(cleanup);

const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };
const ADMIN = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };

function policyWith(deny: Record<string, unknown>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [ADMIN, { Sid: 'Deny', Effect: 'Deny', Principal: '*', Resource: '*', ...deny }] });
}

async function denied(call: WireCall, operation: string, body: WireBody): Promise<boolean> {
  try {
    await call(operation, body);
    return false;
  } catch (err) {
    if ((err as Error).name === 'AccessDeniedException') return true;
    throw err;
  }
}

test('a Deny on aws:ResourceTag, aws:ResourceAccount, aws:PrincipalIsAWSService or kms:ResourceAliases applies', async () => {
  const call = wireCaller(await makeServices(), scope);
  const cases: Array<[Record<string, unknown>, WireBody]> = [
    [{ StringEquals: { 'aws:ResourceTag/confidential': 'true' } }, { Tags: [{ TagKey: 'confidential', TagValue: 'true' }] }],
    [{ StringEquals: { 'aws:ResourceAccount': '111122223333' } }, {}],
    [{ Bool: { 'aws:PrincipalIsAWSService': 'false' } }, {}],
    [{ 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/secret' } }, {}],
  ];
  for (const [condition, create] of cases) {
    const key = (await call('CreateKey', { ...create, Policy: policyWith({ Action: 'kms:Encrypt', Condition: condition }) })).KeyMetadata as WireBody;
    await call('CreateAlias', { AliasName: `alias/secret`, TargetKeyId: key.KeyId }).catch(() => call('UpdateAlias', { AliasName: 'alias/secret', TargetKeyId: key.KeyId }));
    assert.equal(await denied(call, 'Encrypt', { KeyId: key.KeyId, Plaintext: 'aGk=' }), true, JSON.stringify(condition));
    assert.equal(await denied(call, 'DescribeKey', { KeyId: key.KeyId }), false, 'the Deny names Encrypt only');
  }
});

test('a Deny on a default value applies when the member is left out (EncryptionAlgorithm, MessageType)', async () => {
  const call = wireCaller(await makeServices(), scope);
  const sym = (await call('CreateKey', { Policy: policyWith({ Action: 'kms:Encrypt', Condition: { StringEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } } }) })).KeyMetadata as WireBody;
  assert.equal(await denied(call, 'Encrypt', { KeyId: sym.KeyId, Plaintext: 'aGk=' }), true);
  const signing = (
    await call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Policy: policyWith({ Action: 'kms:Sign', Condition: { StringEquals: { 'kms:MessageType': 'RAW' } } }) })
  ).KeyMetadata as WireBody;
  assert.equal(await denied(call, 'Sign', { KeyId: signing.KeyId, Message: 'aGk=', SigningAlgorithm: 'ECDSA_SHA_256' }), true);
  assert.equal(await denied(call, 'Sign', { KeyId: signing.KeyId, Message: Buffer.alloc(32).toString('base64'), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }), false);
});

test('encryption-context names that differ only in case are refused by a policy with context conditions, not decided by one of them', async () => {
  const call = wireCaller(await makeServices(), scope);
  const key = (await call('CreateKey', { Policy: policyWith({ Action: 'kms:Encrypt', Condition: { StringEquals: { 'kms:EncryptionContext:classification': 'secret' } } }) })).KeyMetadata as WireBody;
  assert.equal(await denied(call, 'Encrypt', { KeyId: key.KeyId, Plaintext: 'aGk=', EncryptionContext: { classification: 'secret' } }), true);
  assert.equal(await denied(call, 'Encrypt', { KeyId: key.KeyId, Plaintext: 'aGk=', EncryptionContext: { classification: 'secret', Classification: 'public' } }), true);
  assert.equal(await denied(call, 'Encrypt', { KeyId: key.KeyId, Plaintext: 'aGk=', EncryptionContext: { classification: 'public' } }), false);
  // A key whose policy has no such condition takes the same context.
  const plain = (await call('CreateKey', {})).KeyMetadata as WireBody;
  assert.equal(await denied(call, 'Encrypt', { KeyId: plain.KeyId, Plaintext: 'aGk=', EncryptionContext: { classification: 'secret', Classification: 'public' } }), false);
});

test('UpdatePrimaryRegion needs kms:UpdatePrimaryRegion on the replica too', async () => {
  const services = await makeServices();
  const east = wireCaller(services, scope);
  const west = wireCaller(services, { ...scope, region: 'us-west-2' });
  const primary = (await east('CreateKey', { MultiRegion: true })).KeyMetadata as WireBody;
  await east('ReplicateKey', { KeyId: primary.KeyId, ReplicaRegion: 'us-west-2', Policy: policyWith({ Action: 'kms:UpdatePrimaryRegion' }) });
  assert.equal(await denied(east, 'UpdatePrimaryRegion', { KeyId: primary.KeyId, PrimaryRegion: 'us-west-2' }), true);
  const replica = ((await west('DescribeKey', { KeyId: primary.KeyId })).KeyMetadata as WireBody).MultiRegionConfiguration as WireBody;
  assert.equal(replica.MultiRegionKeyType, 'REPLICA');
});

test('a RevokeGrant racing a PutKeyPolicy that denies it is decided again on the new policy', async () => {
  const base = await makeServices();
  const plain = wireCaller(base, scope);
  const key = (await plain('CreateKey', {})).KeyMetadata as WireBody;
  const grant = await plain('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: 'arn:aws:iam::111122223333:role/app', Operations: ['Decrypt'] });
  // Just before RevokeGrant's commit, the key's policy changes to deny RevokeGrant.
  const interference = interfereBeforeCommit(
    base,
    async () => {
      await plain('PutKeyPolicy', { KeyId: key.KeyId, Policy: policyWith({ Action: 'kms:RevokeGrant' }) });
    },
    (changes) => changes.some((c) => c.kind === 'deleteGrant'),
  );
  const racing = wireCaller(interference.services, scope);
  assert.equal(await denied(racing, 'RevokeGrant', { KeyId: key.KeyId, GrantId: grant.GrantId }), true);
  assert.ok(interference.happened());
  assert.equal(((await plain('ListGrants', { KeyId: key.KeyId })).Grants as WireBody[]).length, 1, 'the grant is still there');
});

test('an UpdateAlias racing a PutKeyPolicy of the alias\'s current key that denies it is decided again on the new policy', async () => {
  const base = await makeServices();
  const plain = wireCaller(base, scope);
  const current = (await plain('CreateKey', {})).KeyMetadata as WireBody;
  const next = (await plain('CreateKey', {})).KeyMetadata as WireBody;
  await plain('CreateAlias', { AliasName: 'alias/raced', TargetKeyId: current.KeyId });
  // Just before UpdateAlias's commit, the current key's policy changes to deny UpdateAlias.
  const interference = interfereBeforeCommit(
    base,
    async () => {
      await plain('PutKeyPolicy', { KeyId: current.KeyId, Policy: policyWith({ Action: 'kms:UpdateAlias' }) });
    },
    (changes) => changes.some((c) => c.kind === 'updateAlias'),
  );
  const racing = wireCaller(interference.services, scope);
  assert.equal(await denied(racing, 'UpdateAlias', { AliasName: 'alias/raced', TargetKeyId: next.KeyId }), true);
  assert.ok(interference.happened());
  const alias = ((await plain('ListAliases', {})).Aliases as WireBody[]).find((a) => a.AliasName === 'alias/raced')!;
  assert.equal(alias.TargetKeyId, current.KeyId, 'the alias still names its key');
});
