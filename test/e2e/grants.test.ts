// Grants through @aws-sdk/client-kms against the real server (--dev): CreateGrant, ListGrants,
// ListRetirableGrants, RetireGrant, RevokeGrant. Stored and managed as AWS does (the access they
// give: grant-access.test.ts).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  KMSClient,
  ListGrantsCommand,
  ListRetirableGrantsCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  ScheduleKeyDeletionCommand,
  type GrantListEntry,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

const ACCOUNT = '777788889999';
const REGION = 'ap-south-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
const RETIRER = `arn:aws:iam::${ACCOUNT}:role/retirer`;

let server: TestServer;
let kms: KMSClient;

before(async () => {
  server = await startServer();
  kms = server.client({ region: REGION, accessKeyId: ACCOUNT });
});
after(async () => {
  kms?.destroy();
  await server?.stop();
});

async function newKey(input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}) {
  return (await kms.send(new CreateKeyCommand(input))).KeyMetadata!;
}

test('CreateGrant, then ListGrants shows every field; RetireGrant by token and RevokeGrant remove grants', async () => {
  const key = await newKey();
  const before = Date.now();
  const created = await kms.send(
    new CreateGrantCommand({
      KeyId: key.KeyId,
      GranteePrincipal: ROLE,
      RetiringPrincipal: RETIRER,
      Operations: ['Encrypt', 'Decrypt', 'GenerateDataKey'],
      Name: 'app-grant',
    }),
  );
  assert.match(created.GrantId!, /^[0-9a-f]{64}$/);
  assert.match(created.GrantToken!, /^[A-Za-z0-9_-]{384}$/);

  const { Grants, Truncated, NextMarker } = await kms.send(new ListGrantsCommand({ KeyId: key.Arn }));
  assert.equal(Truncated, false);
  assert.equal(NextMarker, undefined);
  assert.equal(Grants!.length, 1);
  const entry = Grants![0]!;
  assert.ok(entry.CreationDate!.getTime() >= before - 1000 && entry.CreationDate!.getTime() <= Date.now() + 1000);
  assert.deepEqual({ ...entry, CreationDate: undefined }, {
    KeyId: key.Arn,
    GrantId: created.GrantId,
    Name: 'app-grant',
    CreationDate: undefined,
    GranteePrincipal: ROLE,
    RetiringPrincipal: RETIRER,
    IssuingAccount: `arn:aws:iam::${ACCOUNT}:root`,
    Operations: ['Encrypt', 'Decrypt', 'GenerateDataKey'],
  });

  const second = await kms.send(new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: RETIRER, Operations: ['DescribeKey'] }));
  const listed = (await kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants!;
  assert.deepEqual(listed.map((g) => g.GrantId), [created.GrantId, second.GrantId]);
  const bare = listed[1]!;
  assert.equal(bare.Name, undefined);
  assert.equal(bare.RetiringPrincipal, undefined);
  assert.equal(bare.Constraints, undefined);

  await kms.send(new RetireGrantCommand({ GrantToken: created.GrantToken }));
  await kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: second.GrantId }));
  assert.deepEqual((await kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants, []);
});

test('RetireGrant by KeyId and GrantId; ListGrants filters and pages; ListRetirableGrants across keys', async () => {
  const k1 = await newKey();
  const k2 = await newKey();
  const retiree = `arn:aws:iam::${ACCOUNT}:user/retiree-${Date.now()}`;
  const made: string[] = [];
  for (let i = 0; i < 5; i++) {
    const out = await kms.send(
      new CreateGrantCommand({ KeyId: k1.KeyId, GranteePrincipal: i % 2 ? RETIRER : ROLE, RetiringPrincipal: retiree, Operations: ['Decrypt'] }),
    );
    made.push(out.GrantId!);
  }
  const onK2 = (await kms.send(new CreateGrantCommand({ KeyId: k2.KeyId, GranteePrincipal: ROLE, RetiringPrincipal: retiree, Operations: ['Encrypt'] }))).GrantId!;

  const seen: string[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await kms.send(new ListGrantsCommand({ KeyId: k1.KeyId, Limit: 2, Marker: marker }));
    assert.ok(page.Grants!.length <= 2);
    seen.push(...page.Grants!.map((g) => g.GrantId!));
    if (!page.Truncated) break;
    marker = page.NextMarker;
  }
  assert.deepEqual(seen, made);
  assert.deepEqual((await kms.send(new ListGrantsCommand({ KeyId: k1.KeyId, GrantId: made[2] }))).Grants!.map((g) => g.GrantId), [made[2]]);
  assert.deepEqual(
    (await kms.send(new ListGrantsCommand({ KeyId: k1.KeyId, GranteePrincipal: RETIRER }))).Grants!.map((g) => g.GrantId),
    [made[1], made[3]],
  );

  const retirable = (await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree }))).Grants!;
  assert.deepEqual(retirable.map((g) => g.GrantId), [...made, onK2]);
  assert.deepEqual(retirable.map((g) => g.KeyId), [...made.map(() => k1.Arn), k2.Arn]);
  const firstPage = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree, Limit: 4 }));
  assert.equal(firstPage.Truncated, true);
  const rest = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree, Limit: 4, Marker: firstPage.NextMarker }));
  assert.deepEqual([...firstPage.Grants!, ...rest.Grants!].map((g) => g.GrantId), [...made, onK2]);
  assert.equal(rest.Truncated, false);

  await kms.send(new RetireGrantCommand({ KeyId: k1.Arn, GrantId: made[0] }));
  const after = (await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree }))).Grants!;
  assert.deepEqual(after.map((g) => g.GrantId), [...made.slice(1), onK2]);
  // Another Region of the same account sees none of them.
  const other = server.client({ region: 'eu-north-1', accessKeyId: ACCOUNT });
  try {
    assert.deepEqual((await other.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree }))).Grants, []);
  } finally {
    other.destroy();
  }
});

test('Name: the same name and parameters give the same GrantId (a new, interchangeable token); other parameters a new grant', async () => {
  const key = await newKey();
  const params = {
    KeyId: key.KeyId,
    GranteePrincipal: ROLE,
    Operations: ['Decrypt', 'Encrypt'] as const,
    Constraints: { EncryptionContextSubset: { app: 'x', env: 'prod' } },
    Name: 'idempotent',
  };
  const first = await kms.send(new CreateGrantCommand({ ...params, Operations: [...params.Operations] }));
  const retry = await kms.send(
    new CreateGrantCommand({ ...params, Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { env: 'prod', app: 'x' } } }),
  );
  assert.equal(retry.GrantId, first.GrantId);
  assert.notEqual(retry.GrantToken, first.GrantToken);
  const otherParams = await kms.send(new CreateGrantCommand({ ...params, Operations: ['Decrypt'] }));
  assert.notEqual(otherParams.GrantId, first.GrantId);
  const unnamed1 = await kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: ROLE, Operations: ['Decrypt'] }));
  const unnamed2 = await kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: ROLE, Operations: ['Decrypt'] }));
  assert.notEqual(unnamed1.GrantId, unnamed2.GrantId);
  const grants = (await kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants!;
  assert.deepEqual(grants.map((g) => g.GrantId), [first.GrantId, otherParams.GrantId, unnamed1.GrantId, unnamed2.GrantId]);
  assert.deepEqual(grants.map((g) => g.Name), ['idempotent', 'idempotent', undefined, undefined]);

  // Either token of the same grant retires it; then the other token no longer names anything.
  await kms.send(new RetireGrantCommand({ GrantToken: retry.GrantToken }));
  const gone = await awsError(() => kms.send(new RetireGrantCommand({ GrantToken: first.GrantToken })));
  assert.deepEqual(gone, { name: 'InvalidGrantTokenException', message: 'Invalid grant token', status: 400 });
});

test('operations must fit the key type (ValidationException)', async () => {
  const symmetric = await newKey();
  const signing = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  const hmac = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  const rsa = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
  const agreement = await newKey({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT' });
  const ok = async (keyId: string, Operations: string[]) =>
    kms.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: ROLE, Operations: Operations as never }));
  await ok(symmetric.KeyId!, ['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'CreateGrant', 'RetireGrant', 'DescribeKey']);
  await ok(signing.KeyId!, ['Sign', 'Verify', 'GetPublicKey', 'DescribeKey']);
  await ok(hmac.KeyId!, ['GenerateMac', 'VerifyMac', 'CreateGrant']);
  await ok(rsa.KeyId!, ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey']);
  await ok(agreement.KeyId!, ['DeriveSharedSecret', 'GetPublicKey', 'RetireGrant']);

  // [key, requested operations, the ones the error names]
  for (const [key, ops, invalid] of [
    [symmetric, ['Decrypt', 'Sign'], 'Sign'],
    [symmetric, ['GetPublicKey'], 'GetPublicKey'],
    [signing, ['GenerateDataKey', 'Verify', 'Encrypt'], 'GenerateDataKey, Encrypt'],
    [hmac, ['Encrypt'], 'Encrypt'],
    [rsa, ['GenerateDataKey'], 'GenerateDataKey'],
    [agreement, ['Sign'], 'Sign'],
  ] as const) {
    const err = await awsError(() => ok(key.KeyId!, [...ops]));
    assert.deepEqual(err, {
      name: 'ValidationException',
      message: `Grant operations [${invalid}] are not supported on ${key.Arn} (KeySpec ${key.KeySpec}, KeyUsage ${key.KeyUsage}).`,
      status: 400,
    });
  }
});

test('constraints round-trip; refused with operations that take no encryption context', async () => {
  const key = await newKey();
  const constraints = { EncryptionContextEquals: { Department: 'Finance', Classification: 'Public' } };
  const out = await kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: ROLE, Operations: ['Decrypt', 'RetireGrant'], Constraints: constraints }));
  const subset = await kms.send(
    new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: ROLE, Operations: ['GenerateDataKey'], Constraints: { EncryptionContextSubset: { a: 'b' } } }),
  );
  const grants = (await kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants!;
  const byId = new Map<string | undefined, GrantListEntry>(grants.map((g) => [g.GrantId, g]));
  assert.deepEqual(byId.get(out.GrantId)!.Constraints, constraints);
  assert.deepEqual(byId.get(subset.GrantId)!.Constraints, { EncryptionContextSubset: { a: 'b' } });

  const signing = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
  const err = await awsError(() =>
    kms.send(new CreateGrantCommand({ KeyId: signing.KeyId, GranteePrincipal: ROLE, Operations: ['Sign', 'DescribeKey'], Constraints: { EncryptionContextSubset: { a: 'b' } } })),
  );
  assert.equal(err.name, 'ValidationException');
  assert.match(err.message, /\[Sign\]/);
  // DescribeKey and RetireGrant take a constraint on any key (it does not apply to them).
  await kms.send(new CreateGrantCommand({ KeyId: signing.KeyId, GranteePrincipal: ROLE, Operations: ['DescribeKey'], Constraints: { EncryptionContextSubset: { a: 'b' } } }));
  const tooMany = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']));
  const nine = await awsError(() =>
    kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: ROLE, Operations: ['Decrypt'], Constraints: { EncryptionContextEquals: tooMany } })),
  );
  assert.equal(nine.name, 'ValidationException');
});

test('deleting a key removes its grants: ListRetirableGrants no longer lists them', async () => {
  const key = await newKey();
  const kept = await newKey();
  const retiree = `arn:aws:iam::${ACCOUNT}:role/deletion-${Date.now()}`;
  const doomed = await kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: ROLE, RetiringPrincipal: retiree, Operations: ['Decrypt'] }));
  const survivor = await kms.send(new CreateGrantCommand({ KeyId: kept.KeyId, GranteePrincipal: ROLE, RetiringPrincipal: retiree, Operations: ['Decrypt'] }));
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
  // While pending deletion the grants stay, can be listed and revoked, but no grant can be created.
  assert.equal((await kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants!.length, 1);
  const pending = await awsError(() => kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: ROLE, Operations: ['Decrypt'] })));
  assert.deepEqual(pending, { name: 'KMSInvalidStateException', message: `${key.Arn} is pending deletion.`, status: 400 });
  assert.deepEqual((await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree }))).Grants!.map((g) => g.GrantId), [doomed.GrantId, survivor.GrantId]);

  await server.devPost('/_kms/clock', { advanceDays: 8 });
  assert.deepEqual((await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree }))).Grants!.map((g) => g.GrantId), [survivor.GrantId]);
  const token = await awsError(() => kms.send(new RetireGrantCommand({ GrantToken: doomed.GrantToken })));
  assert.equal(token.name, 'InvalidGrantTokenException');
  const gone = await awsError(() => kms.send(new ListGrantsCommand({ KeyId: key.KeyId })));
  assert.equal(gone.name, 'NotFoundException');
});

test('errors, on purpose', async () => {
  const key = await newKey();
  const grant = await kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: ROLE, Operations: ['Decrypt'] }));
  const missingId = 'f'.repeat(64);

  // Aliases are not accepted.
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/grants-e2e', TargetKeyId: key.KeyId }));
  assert.deepEqual(
    await awsError(() => kms.send(new CreateGrantCommand({ KeyId: 'alias/grants-e2e', GranteePrincipal: ROLE, Operations: ['Decrypt'] }))),
    { name: 'InvalidArnException', message: 'Key Aliases are not supported for this operation.', status: 400 },
  );
  assert.equal((await awsError(() => kms.send(new ListGrantsCommand({ KeyId: 'alias/grants-e2e' })))).name, 'InvalidArnException');
  // Unknown key.
  const unknownKey = '00000000-0000-0000-0000-000000000000';
  assert.deepEqual(
    await awsError(() => kms.send(new CreateGrantCommand({ KeyId: unknownKey, GranteePrincipal: ROLE, Operations: ['Decrypt'] }))),
    { name: 'NotFoundException', message: `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${unknownKey}' does not exist`, status: 400 },
  );
  // Disabled key: DisabledException for CreateGrant; listing and revoking still work.
  const disabled = await newKey();
  const onDisabled = await kms.send(new CreateGrantCommand({ KeyId: disabled.KeyId, GranteePrincipal: ROLE, Operations: ['Decrypt'] }));
  await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
  assert.deepEqual(
    await awsError(() => kms.send(new CreateGrantCommand({ KeyId: disabled.KeyId, GranteePrincipal: ROLE, Operations: ['Decrypt'] }))),
    { name: 'DisabledException', message: `${disabled.Arn} is disabled.`, status: 400 },
  );
  assert.equal((await kms.send(new ListGrantsCommand({ KeyId: disabled.KeyId }))).Grants!.length, 1);
  await kms.send(new RevokeGrantCommand({ KeyId: disabled.KeyId, GrantId: onDisabled.GrantId }));
  // PendingImport.
  const external = await newKey({ Origin: 'EXTERNAL' });
  assert.deepEqual(
    await awsError(() => kms.send(new CreateGrantCommand({ KeyId: external.KeyId, GranteePrincipal: ROLE, Operations: ['Decrypt'] }))),
    { name: 'KMSInvalidStateException', message: `${external.Arn} is pending import.`, status: 400 },
  );
  // AWS managed keys: no CreateGrant, no RevokeGrant for customers; ListGrants works.
  const managed = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/ebs' }))).KeyMetadata!;
  const denied = await awsError(() => kms.send(new CreateGrantCommand({ KeyId: managed.KeyId, GranteePrincipal: ROLE, Operations: ['Decrypt'] })));
  assert.equal(denied.name, 'AccessDeniedException');
  assert.match(denied.message, /kms:CreateGrant/);
  assert.deepEqual((await kms.send(new ListGrantsCommand({ KeyId: managed.Arn }))).Grants, []);
  assert.equal((await awsError(() => kms.send(new RevokeGrantCommand({ KeyId: managed.KeyId, GrantId: missingId })))).name, 'AccessDeniedException');

  // Grant ids and tokens.
  assert.deepEqual(
    await awsError(() => kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: missingId }))),
    { name: 'NotFoundException', message: `Grant ID ${missingId} not found`, status: 400 },
  );
  assert.deepEqual(
    await awsError(() => kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: 'not-a-grant-id' }))),
    { name: 'InvalidGrantIdException', message: 'Invalid grant ID', status: 400 },
  );
  assert.equal((await awsError(() => kms.send(new RetireGrantCommand({ KeyId: key.Arn, GrantId: 'xyz' })))).name, 'InvalidGrantIdException');
  assert.equal((await awsError(() => kms.send(new RetireGrantCommand({ KeyId: key.Arn, GrantId: missingId })))).name, 'NotFoundException');
  assert.equal((await awsError(() => kms.send(new ListGrantsCommand({ KeyId: key.KeyId, GrantId: 'xyz' })))).name, 'InvalidGrantIdException');
  assert.deepEqual(
    await awsError(() => kms.send(new RetireGrantCommand({ GrantToken: 'garbage' }))),
    { name: 'InvalidGrantTokenException', message: 'Invalid grant token', status: 400 },
  );
  assert.equal((await awsError(() => kms.send(new RetireGrantCommand({ GrantToken: 'A'.repeat(384) })))).name, 'InvalidGrantTokenException');
  assert.equal((await awsError(() => kms.send(new RetireGrantCommand({ KeyId: key.Arn })))).name, 'ValidationException');
  // A token works only in its key's Region.
  const west = server.client({ region: 'us-west-1', accessKeyId: ACCOUNT });
  try {
    assert.equal((await awsError(() => west.send(new RetireGrantCommand({ GrantToken: grant.GrantToken })))).name, 'InvalidGrantTokenException');
  } finally {
    west.destroy();
  }
  // Markers.
  assert.equal((await awsError(() => kms.send(new ListGrantsCommand({ KeyId: key.KeyId, Marker: 'bogus' })))).name, 'InvalidMarkerException');
  assert.equal((await awsError(() => kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: ROLE, Marker: 'bogus' })))).name, 'InvalidMarkerException');
  // A retiring principal of another account.
  assert.equal(
    (await awsError(() => kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: 'arn:aws:iam::111122223333:role/x' })))).name,
    'AccessDeniedException',
  );
  // Required members (the service model's validation).
  assert.equal((await awsError(() => kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: ROLE } as never)))).name, 'ValidationException');

  // DryRun: every check runs, nothing changes.
  for (const call of [
    () => kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: ROLE, Operations: ['Decrypt'], DryRun: true })),
    () => kms.send(new RetireGrantCommand({ GrantToken: grant.GrantToken, DryRun: true })),
    () => kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: grant.GrantId, DryRun: true })),
  ]) {
    assert.deepEqual(await awsError(call), {
      name: 'DryRunOperationException',
      message: 'The request would have succeeded, but the DryRun option is set.',
      status: 400,
    });
  }
  assert.deepEqual((await kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants!.map((g) => g.GrantId), [grant.GrantId]);
  // A dry run that would fail answers the failure.
  assert.equal((await awsError(() => kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: missingId, DryRun: true })))).name, 'NotFoundException');
  assert.equal(
    (await awsError(() => kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: ROLE, Operations: ['Sign'], DryRun: true })))).name,
    'ValidationException',
  );
  // Revoked twice.
  await kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: grant.GrantId }));
  assert.equal((await awsError(() => kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: grant.GrantId })))).name, 'NotFoundException');
});
