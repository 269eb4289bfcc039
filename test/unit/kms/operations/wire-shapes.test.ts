// Response shapes as they go on the wire, against what AWS sends: which members are present, which
// are absent, and key id versus key ARN. The recorded AWS responses are LocalStack's
// tests/aws/services/kms/test_kms.snapshot.json (recorded against AWS); the rest is the API reference.

import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { expireImportedMaterial } from '../../../../src/kms/material-expiry-job.js';
import { DAY_MS } from '../../../../src/kms/model/clock.js';
import type { Scope } from '../../../../src/kms/model/key.js';
import { servicesFactory, type TestServices } from '../../../helpers/services.js';
import { b64, wireCaller, type WireBody, type WireCall } from '../../../helpers/wire.js';
import { wrapLikeAClient } from '../../../helpers/wrap-key-material.js';

const { makeServices, cleanup } = servicesFactory('kms-wire-');
after(cleanup);

const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };

async function setup(): Promise<{ services: TestServices; call: WireCall }> {
  const services = await makeServices();
  return { services, call: wireCaller(services, scope) };
}

async function createKey(call: WireCall, body: WireBody = {}): Promise<WireBody> {
  return (await call('CreateKey', body)).KeyMetadata as WireBody;
}

describe('RotateKeyOnDemand', () => {
  test('answers the key ARN as KeyId', async () => {
    const { call } = await setup();
    const key = await createKey(call);
    assert.deepEqual(await call('RotateKeyOnDemand', { KeyId: key.KeyId }), { KeyId: key.Arn });
  });
});

/** GetParametersForImport, the material wrapped as a client wraps it, ImportKeyMaterial. */
async function importMaterial(call: WireCall, keyId: string, material: Buffer, body: WireBody = { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }): Promise<WireBody> {
  const params = await call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
  const wrapped = wrapLikeAClient(Buffer.from(params.PublicKey as string, 'base64'), 'RSAES_OAEP_SHA_256', material);
  return call('ImportKeyMaterial', { KeyId: keyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: b64(wrapped), ...body });
}

async function describeKey(call: WireCall, keyId: unknown): Promise<WireBody> {
  return (await call('DescribeKey', { KeyId: keyId })).KeyMetadata as WireBody;
}

/** The members of an object, sorted (AWS JSON has no member order). */
function members(object: unknown): string[] {
  return Object.keys(object as object).sort();
}

describe('KeyMetadata of an EXTERNAL key', () => {
  // AWS (test_import_key_symmetric): "created-key", "describe-key-before-import" and
  // "describe-key-after-deleted-import" have these members; "describe-key-after-import" adds
  // ExpirationModel. CurrentKeyMaterialId (added to KeyMetadata after that recording) is present
  // once a symmetric key has material.
  const PENDING_IMPORT_SYMMETRIC = [
    'AWSAccountId', 'Arn', 'CreationDate', 'CustomerMasterKeySpec', 'Description', 'Enabled', 'EncryptionAlgorithms',
    'KeyId', 'KeyManager', 'KeySpec', 'KeyState', 'KeyUsage', 'MultiRegion', 'Origin',
  ];

  test('symmetric: no ExpirationModel before the first import nor after DeleteImportedKeyMaterial', async () => {
    const { call } = await setup();
    const created = await createKey(call, { Origin: 'EXTERNAL' });
    assert.deepEqual(members(created), PENDING_IMPORT_SYMMETRIC);
    assert.deepEqual(members(await describeKey(call, created.KeyId)), PENDING_IMPORT_SYMMETRIC);

    await importMaterial(call, created.KeyId as string, randomBytes(32));
    const imported = await describeKey(call, created.KeyId);
    assert.deepEqual(members(imported), [...PENDING_IMPORT_SYMMETRIC, 'CurrentKeyMaterialId', 'ExpirationModel'].sort());
    assert.equal(imported.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    assert.equal(imported.KeyState, 'Enabled');

    await call('DeleteImportedKeyMaterial', { KeyId: created.KeyId });
    const deleted = await describeKey(call, created.KeyId);
    assert.equal(deleted.KeyState, 'PendingImport');
    assert.equal(deleted.Enabled, false);
    assert.ok(!('ExpirationModel' in deleted) && !('ValidTo' in deleted), 'no ExpirationModel or ValidTo while the key has no material');
  });

  test('a material that expired leaves no ExpirationModel or ValidTo either', async () => {
    const { services, call } = await setup();
    const key = await createKey(call, { Origin: 'EXTERNAL' });
    const validTo = services.clock.now() + 2 * DAY_MS;
    await importMaterial(call, key.KeyId as string, randomBytes(32), { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo / 1000 });
    const imported = await describeKey(call, key.KeyId);
    assert.deepEqual([imported.ExpirationModel, imported.ValidTo], ['KEY_MATERIAL_EXPIRES', validTo / 1000]);
    services.clock.advance(3 * DAY_MS);
    assert.equal(await expireImportedMaterial(services), 1);
    const expired = await describeKey(call, key.KeyId);
    assert.equal(expired.KeyState, 'PendingImport');
    assert.ok(!('ExpirationModel' in expired) && !('ValidTo' in expired));
  });

  test('asymmetric (ECC_NIST_P256, SIGN_VERIFY): the same, with SigningAlgorithms and no CurrentKeyMaterialId', async () => {
    // AWS (test_import_key_asymmetric): "created-key", "describe-key-before-import", "describe-key-after-deleted-import".
    const PENDING_IMPORT_ECC = [
      'AWSAccountId', 'Arn', 'CreationDate', 'CustomerMasterKeySpec', 'Description', 'Enabled', 'KeyId', 'KeyManager',
      'KeySpec', 'KeyState', 'KeyUsage', 'MultiRegion', 'Origin', 'SigningAlgorithms',
    ];
    const { call } = await setup();
    const created = await createKey(call, { Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    assert.deepEqual(members(created), PENDING_IMPORT_ECC);
    assert.deepEqual(created.SigningAlgorithms, ['ECDSA_SHA_256']);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await importMaterial(call, created.KeyId as string, privateKey.export({ format: 'der', type: 'pkcs8' }));
    assert.deepEqual(members(await describeKey(call, created.KeyId)), [...PENDING_IMPORT_ECC, 'ExpirationModel'].sort());
    await call('DeleteImportedKeyMaterial', { KeyId: created.KeyId });
    assert.deepEqual(members(await describeKey(call, created.KeyId)), PENDING_IMPORT_ECC);
  });
});

describe('ReplicateKey', () => {
  // AWS (test_replicate_key, "replicate-key"), less Enabled/KeyState: AWS answers Creating and this
  // server has copied the material by then.
  const REPLICA_METADATA = [
    'AWSAccountId', 'Arn', 'CreationDate', 'CustomerMasterKeySpec', 'Description', 'Enabled', 'EncryptionAlgorithms', 'KeyId',
    'KeyManager', 'KeySpec', 'KeyState', 'KeyUsage', 'MultiRegion', 'MultiRegionConfiguration', 'Origin',
  ];

  test('no ReplicaTags without Tags, no CurrentKeyMaterialId in ReplicaKeyMetadata', async () => {
    const { services, call } = await setup();
    const primary = await createKey(call, { MultiRegion: true, Description: 'test replicated key' });
    const replicaRegion = 'ap-southeast-1';
    const replicaArn = `arn:aws:kms:${replicaRegion}:${scope.accountId}:key/${primary.KeyId as string}`;
    const res = await call('ReplicateKey', { KeyId: primary.KeyId, ReplicaRegion: replicaRegion });
    assert.deepEqual(members(res), ['ReplicaKeyMetadata', 'ReplicaPolicy']);
    const m = res.ReplicaKeyMetadata as WireBody;
    assert.deepEqual(members(m), REPLICA_METADATA);
    assert.equal(m.Arn, replicaArn);
    assert.equal(m.Description, '', 'the description is not copied from the primary');
    assert.deepEqual(m.MultiRegionConfiguration, {
      MultiRegionKeyType: 'REPLICA',
      PrimaryKey: { Arn: primary.Arn, Region: scope.region },
      ReplicaKeys: [{ Arn: replicaArn, Region: replicaRegion }],
    });
    assert.equal(typeof res.ReplicaPolicy, 'string');
    // DescribeKey of the replica does show its current material, the primary's.
    const described = await describeKey(wireCaller(services, { ...scope, region: replicaRegion }), primary.KeyId);
    assert.equal(described.CurrentKeyMaterialId, primary.CurrentKeyMaterialId);
  });

  test('the requested Tags come back as ReplicaTags', async () => {
    const { call } = await setup();
    const primary = await createKey(call, { MultiRegion: true });
    const tags = [{ TagKey: 'copy', TagValue: 'eu' }];
    const res = await call('ReplicateKey', { KeyId: primary.KeyId, ReplicaRegion: 'eu-central-1', Tags: tags });
    assert.deepEqual(res.ReplicaTags, tags);
  });
});

describe('audited shapes (unchanged, kept as AWS sends them)', () => {
  const COMMON = ['AWSAccountId', 'Arn', 'CreationDate', 'CustomerMasterKeySpec', 'Description', 'Enabled', 'KeyId', 'KeyManager', 'KeySpec', 'KeyState', 'KeyUsage', 'MultiRegion', 'Origin'];

  test('KeyMetadata of each key family', async () => {
    const { call } = await setup();
    // AWS: test_create_key "describe-key", test_hmac_create_key, test_create_multi_region_key; the
    // algorithm list named for the key usage only; CurrentKeyMaterialId for symmetric encryption keys.
    const cases: [WireBody, string[]][] = [
      [{}, ['EncryptionAlgorithms', 'CurrentKeyMaterialId']],
      [{ MultiRegion: true }, ['EncryptionAlgorithms', 'CurrentKeyMaterialId', 'MultiRegionConfiguration']],
      [{ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, ['MacAlgorithms']],
      [{ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }, ['EncryptionAlgorithms']],
      [{ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }, ['SigningAlgorithms']],
      [{ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, ['SigningAlgorithms']],
      [{ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }, ['KeyAgreementAlgorithms']],
    ];
    for (const [body, extra] of cases) {
      const created = await createKey(call, body);
      assert.deepEqual(members(created), [...COMMON, ...extra].sort(), JSON.stringify(body));
      assert.deepEqual(await describeKey(call, created.KeyId), created);
    }
    const managed = await describeKey(call, 'alias/aws/s3');
    assert.deepEqual(members(managed), [...COMMON, 'EncryptionAlgorithms', 'CurrentKeyMaterialId'].sort());
    assert.equal(managed.KeyManager, 'AWS');
  });

  test('the cryptographic operations name the key by its ARN', async () => {
    const { call } = await setup();
    const sym = await createKey(call);
    const enc = await call('Encrypt', { KeyId: sym.KeyId, Plaintext: b64(Buffer.from('hi')) });
    assert.deepEqual(members(enc), ['CiphertextBlob', 'EncryptionAlgorithm', 'KeyId']);
    assert.equal(enc.KeyId, sym.Arn);
    const dec = await call('Decrypt', { CiphertextBlob: enc.CiphertextBlob });
    assert.deepEqual(members(dec), ['EncryptionAlgorithm', 'KeyId', 'KeyMaterialId', 'Plaintext']);
    assert.equal(dec.KeyId, sym.Arn);
    // AWS (TestKMSGenerateKeys): GenerateDataKeyPair answers KeyId (the ARN), KeyPairSpec, the three
    // key parts; KeyMaterialId joined the model since.
    const pair = await call('GenerateDataKeyPair', { KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_P256' });
    assert.deepEqual(members(pair), ['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PrivateKeyPlaintext', 'PublicKey']);
    assert.equal(pair.KeyId, sym.Arn);
    const ecc = await createKey(call, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const sig = await call('Sign', { KeyId: ecc.KeyId, Message: b64(Buffer.from('hi')), SigningAlgorithm: 'ECDSA_SHA_256' });
    assert.deepEqual(members(sig), ['KeyId', 'Signature', 'SigningAlgorithm']);
    assert.equal(sig.KeyId, ecc.Arn);
    const hmac = await createKey(call, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const mac = await call('GenerateMac', { KeyId: hmac.KeyId, Message: b64(Buffer.from('hi')), MacAlgorithm: 'HMAC_SHA_256' });
    assert.deepEqual(members(mac), ['KeyId', 'Mac', 'MacAlgorithm']);
    assert.equal(mac.KeyId, hmac.Arn);
  });

  test('ListAliases: predefined AWS aliases carry neither TargetKeyId nor dates until their key exists', async () => {
    const { call } = await setup();
    const key = await createKey(call);
    await call('CreateAlias', { AliasName: 'alias/mine', TargetKeyId: key.KeyId });
    await call('DescribeKey', { KeyId: 'alias/aws/s3' });
    const aliases = (await call('ListAliases', {})).Aliases as WireBody[];
    const byName = (name: string) => aliases.find((a) => a.AliasName === name)!;
    assert.deepEqual(members(byName('alias/aws/ebs')), ['AliasArn', 'AliasName']);
    for (const name of ['alias/aws/s3', 'alias/mine']) {
      assert.deepEqual(members(byName(name)), ['AliasArn', 'AliasName', 'CreationDate', 'LastUpdatedDate', 'TargetKeyId']);
    }
  });
});
