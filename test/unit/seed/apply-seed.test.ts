// --seed: our format and local-kms's v3 format, idempotence, deterministic material, rotation
// history, PendingImport, and the validation messages.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { openFileRootKey } from '../../../src/crypto/root-key/file-root-key.js';
import { SECRET_ACCESS } from '../../../src/crypto/secret.js';
import { decodeBlob, openSymmetric, sealSymmetric } from '../../../src/crypto/symmetric-default.js';
import type { KmsServices } from '../../../src/kms/context.js';
import { MaterialCache } from '../../../src/kms/material-cache.js';
import { OffsetClock } from '../../../src/kms/model/clock.js';
import { defaultKeyPolicy } from '../../../src/kms/model/key-policy.js';
import type { KeyRecord, Scope } from '../../../src/kms/model/key.js';
import { applySeed, applySeedFile } from '../../../src/seed/apply-seed.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'kms-seed-'));
const opened: KmsServices[] = [];
after(async () => {
  for (const services of opened) {
    await services.store.close();
    await services.rootKey.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

const defaults: Scope = { accountId: '111122223333', region: 'us-east-1' };

let counter = 0;
/** Fresh in-memory store; `rootKeyName` picks the root key file (two servers may share one or not). */
async function newServices(rootKeyName = 'root.key'): Promise<KmsServices> {
  const rootKey = await openFileRootKey(join(dir, rootKeyName));
  const store = await openSqliteStore(':memory:');
  const services: KmsServices = { store, rootKey, clock: new OffsetClock(), materials: new MaterialCache(rootKey) };
  opened.push(services);
  return services;
}

function seedFile(text: string, name = `seed-${++counter}.yaml`): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function getKey(services: KmsServices, keyId: string, scope: Scope = defaults): Promise<KeyRecord> {
  const key = await services.store.getKey(scope, keyId);
  assert.ok(key, `key ${keyId} exists`);
  return key;
}

/** The plaintext material versions of a key, oldest first. */
async function materialsOf(services: KmsServices, key: KeyRecord): Promise<Buffer[]> {
  const records = await services.store.listMaterials(key.arn);
  const result: Buffer[] = [];
  for (const record of records) result.push(Buffer.from((await services.materials.unwrap(record)).exposeSecret(SECRET_ACCESS)));
  return result;
}

async function aliasTarget(services: KmsServices, aliasName: string, scope: Scope = defaults): Promise<string | undefined> {
  return (await services.store.getAlias(scope, aliasName))?.targetKeyId;
}

function findUp(relative: string): string {
  let here = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(here, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(here);
    if (parent === here) throw new Error(`${relative} not found above the test`);
    here = parent;
  }
}

const K1 = '0d6bc6ab-4a8b-4bb4-9e46-1c2b1e5d3f10';
const K2 = '6a2f0b4e-61c7-4d38-9a55-0b1f2d3c4e5f';
const K3 = 'c0ffee00-1111-4222-8333-944455566677';
const K4 = 'deadbeef-aaaa-4bbb-8ccc-dddddddddddd';
const MRK = 'mrk-1234567890abcdef1234567890abcdef';
const M1 = '739cc05334253fecf0fb354ce53ee355288d27a03dbbd44848e32629562ac61b';
const M2 = '7a52c7fe23492339014a96663dc830b2f46939b91d9e9a7d4751708412d0c0dc';
const M3 = '631e51e32235c0173dddf44a6863138bf1efad3fbbf4f40dc6567e5bff473e75';
const M3_BASE64 = Buffer.from(M3, 'hex').toString('base64');

const OUR_SEED = `
accountId: "111122223333"
region: us-east-1
keys:
  - keyId: ${K1}
    description: App data
    material: ${M1}
    tags: { Project: demo, Team: core }
    aliases: [alias/app, alias/app-2]
  - keyId: ${K2}
    description: Rotated
    materials: [${M1}, ${M2}, ${M3_BASE64}]
    tags:
      - TagKey: Owner
        TagValue: platform
  - keyId: ${K3}
    enabled: false
  - keyId: ${K4}
    origin: EXTERNAL
    description: pending
  - keyId: ${MRK}
    region: eu-west-1
    material: ${M2}
    aliases: [alias/global]
    policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}'
aliases:
  - aliasName: alias/extra
    targetKeyId: ${K2}
  - aliasName: alias/by-arn
    targetKeyId: arn:aws:kms:us-east-1:111122223333:key/${K3}
`;

describe('our seed format', () => {
  test('creates keys and aliases with exact ids, descriptions, states, tags and policies', async () => {
    const services = await newServices();
    const summary = await applySeedFile(services, seedFile(OUR_SEED), defaults);
    assert.deepEqual(summary, { keysCreated: 5, keysSkipped: 0, aliasesCreated: 5, aliasesSkipped: 0, warnings: [] });

    const k1 = await getKey(services, K1);
    assert.equal(k1.arn, `arn:aws:kms:us-east-1:111122223333:key/${K1}`);
    assert.equal(k1.description, 'App data');
    assert.equal(k1.state, 'Enabled');
    assert.equal(k1.keySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(k1.keyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(k1.origin, 'AWS_KMS');
    assert.equal(k1.keyManager, 'CUSTOMER');
    assert.equal(k1.multiRegion, false);
    assert.equal(k1.policy, defaultKeyPolicy(defaults));
    assert.deepEqual(await services.store.listTags(k1.arn), [
      { TagKey: 'Project', TagValue: 'demo' },
      { TagKey: 'Team', TagValue: 'core' },
    ]);
    assert.equal(await aliasTarget(services, 'alias/app'), K1);
    assert.equal(await aliasTarget(services, 'alias/app-2'), K1);

    const k2 = await getKey(services, K2);
    assert.deepEqual(await services.store.listTags(k2.arn), [{ TagKey: 'Owner', TagValue: 'platform' }]);
    assert.equal(await aliasTarget(services, 'alias/extra'), K2);

    const k3 = await getKey(services, K3);
    assert.equal(k3.state, 'Disabled');
    assert.equal(k3.description, '');
    assert.equal((await services.store.listMaterials(k3.arn)).length, 1, 'generated material');
    assert.equal(await aliasTarget(services, 'alias/by-arn'), K3);

    const mrkScope = { accountId: '111122223333', region: 'eu-west-1' };
    assert.equal(await services.store.getKey(defaults, MRK), undefined, 'the mrk key lives in eu-west-1 only');
    const mrk = await getKey(services, MRK, mrkScope);
    assert.equal(mrk.multiRegion, true);
    assert.equal(mrk.arn, `arn:aws:kms:eu-west-1:111122223333:key/${MRK}`);
    assert.match(mrk.policy, /"Principal":\{"AWS":"\*"\}/);
    assert.equal(await aliasTarget(services, 'alias/global', mrkScope), MRK);
    assert.equal(await aliasTarget(services, 'alias/global'), undefined);
  });

  test('applying twice creates nothing new and overwrites nothing', async () => {
    const services = await newServices();
    const path = seedFile(OUR_SEED);
    await applySeedFile(services, path, defaults);
    const before = await getKey(services, K1);
    const materialsBefore = await services.store.listMaterials(before.arn);

    const again = await applySeedFile(services, path, defaults);
    assert.deepEqual(again, { keysCreated: 0, keysSkipped: 5, aliasesCreated: 0, aliasesSkipped: 5, warnings: [] });

    // Even a changed file does not touch an existing key.
    const changed = await applySeedFile(services, seedFile(OUR_SEED.replace('description: App data', 'description: Changed')), defaults);
    assert.equal(changed.keysCreated, 0);
    const afterKey = await getKey(services, K1);
    assert.deepEqual(afterKey, before);
    assert.deepEqual(await services.store.listMaterials(afterKey.arn), materialsBefore);
    assert.equal((await services.store.listKeys(defaults, { limit: 100 })).items.length, 4);
  });

  test('an alias added to the file later is created for an existing key; a taken alias is left alone', async () => {
    const services = await newServices();
    await applySeed(services, { keys: [{ keyId: K1, material: M1 }, { keyId: K2 }] }, defaults);
    await applySeed(services, { aliases: [{ aliasName: 'alias/taken', targetKeyId: K2 }] }, defaults);
    const summary = await applySeed(services, { keys: [{ keyId: K1, material: M1, aliases: ['alias/new', 'alias/taken'] }] }, defaults);
    assert.equal(summary.keysSkipped, 1);
    assert.equal(summary.aliasesCreated, 1);
    assert.equal(summary.aliasesSkipped, 1);
    assert.equal(await aliasTarget(services, 'alias/new'), K1);
    assert.equal(await aliasTarget(services, 'alias/taken'), K2);
    assert.deepEqual(summary.warnings, [`seed: keys[0].aliases[1]: alias alias/taken already exists and points at key ${K2}, not ${K1}; left unchanged`]);
  });

  test('a new key whose alias is already taken is created without it', async () => {
    const services = await newServices();
    await applySeed(services, { keys: [{ keyId: K2, aliases: ['alias/x'] }] }, defaults);
    const summary = await applySeed(services, { keys: [{ keyId: K1, aliases: ['alias/x', 'alias/y'] }] }, defaults);
    assert.equal(summary.keysCreated, 1);
    assert.equal(summary.aliasesCreated, 1);
    assert.equal(summary.aliasesSkipped, 1);
    assert.equal(summary.warnings.length, 1);
    assert.equal(await aliasTarget(services, 'alias/x'), K2);
    assert.equal(await aliasTarget(services, 'alias/y'), K1);
  });

  test('a standalone alias may target a key already in the store', async () => {
    const services = await newServices();
    await applySeed(services, { keys: [{ keyId: K3 }] }, defaults);
    const summary = await applySeed(services, { aliases: [{ aliasName: 'alias/late', targetKeyId: K3 }] }, defaults);
    assert.equal(summary.aliasesCreated, 1);
    assert.equal(await aliasTarget(services, 'alias/late'), K3);
  });

  test('given material is deterministic: a second server seeded from the same file decrypts', async () => {
    const path = seedFile(OUR_SEED);
    const a = await newServices('root-a.key');
    const b = await newServices('root-b.key'); // another server: its own root key and database
    await applySeedFile(a, path, defaults);
    await applySeedFile(b, path, defaults);

    const keyA = await getKey(a, K1);
    const keyB = await getKey(b, K1);
    const [materialA] = await materialsOf(a, keyA);
    const [materialB] = await materialsOf(b, keyB);
    assert.deepEqual(materialA, Buffer.from(M1, 'hex'));
    assert.deepEqual(materialB, Buffer.from(M1, 'hex'));

    const recordA = (await a.store.getMaterial(keyA.arn, keyA.currentMaterialId!))!;
    const blob = sealSymmetric({
      keyId: K1,
      materialId: recordA.materialId,
      backingKey: await a.materials.unwrap(recordA),
      plaintext: Buffer.from('hello'),
      context: { purpose: 'test' },
    });
    const recordB = (await b.store.getMaterial(keyB.arn, keyB.currentMaterialId!))!;
    const decoded = decodeBlob(blob);
    assert.ok(decoded);
    const opened = openSymmetric(decoded, await b.materials.unwrap(recordB), { purpose: 'test' });
    assert.equal(opened?.toString(), 'hello');
  });

  test('a rotation history gives one material version per entry, the last one current', async () => {
    const services = await newServices();
    await applySeedFile(services, seedFile(OUR_SEED), defaults);
    const key = await getKey(services, K2);
    const records = await services.store.listMaterials(key.arn);
    assert.equal(records.length, 3);
    assert.deepEqual(
      records.map((r) => r.state),
      ['NON_CURRENT', 'NON_CURRENT', 'CURRENT'],
    );
    assert.equal(key.currentMaterialId, records[2]!.materialId);
    assert.deepEqual(await materialsOf(services, key), [Buffer.from(M1, 'hex'), Buffer.from(M2, 'hex'), Buffer.from(M3, 'hex')]);
  });

  test('EXTERNAL without material is PendingImport; with material it is Enabled', async () => {
    const services = await newServices();
    await applySeed(services, { keys: [{ keyId: K4, origin: 'EXTERNAL' }, { keyId: K1, origin: 'EXTERNAL', material: M3_BASE64 }] }, defaults);
    const pending = await getKey(services, K4);
    assert.equal(pending.state, 'PendingImport');
    assert.equal(pending.origin, 'EXTERNAL');
    assert.equal(pending.currentMaterialId, undefined);
    assert.deepEqual(await services.store.listMaterials(pending.arn), []);
    const imported = await getKey(services, K1);
    assert.equal(imported.state, 'Enabled');
    assert.deepEqual(await materialsOf(services, imported), [Buffer.from(M3, 'hex')]);
  });

  test('an unsupported key spec is skipped with a warning, and so are its aliases', async () => {
    const services = await newServices();
    const summary = await applySeed(
      services,
      { keys: [{ keyId: K1, keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', aliases: ['alias/rsa'] }], aliases: [{ aliasName: 'alias/rsa-2', targetKeyId: K1 }] },
      defaults,
    );
    assert.equal(summary.keysCreated, 0);
    assert.equal(summary.keysSkipped, 1);
    assert.equal(summary.aliasesSkipped, 2);
    assert.deepEqual(summary.warnings, [
      `seed: keys[0]: key ${K1} skipped: key spec RSA_2048 is not supported in seed files yet`,
      `seed: aliases[0]: alias alias/rsa-2 skipped: its key ${K1} is skipped (key spec RSA_2048 is not supported in seed files yet)`,
    ]);
    assert.equal(await services.store.getKey(defaults, K1), undefined);
  });

  test('unquoted numbers keep their text: account ids with leading zeros, all-digit hex material', async () => {
    const services = await newServices();
    const digits = '1234567890123456789012345678901234567890123456789012345678901234';
    await applySeedFile(services, seedFile(`accountId: 012345678901\nkeys:\n  - keyId: ${K1}\n    material: ${digits}\n`), defaults);
    const key = await getKey(services, K1, { accountId: '012345678901', region: 'us-east-1' });
    assert.deepEqual(await materialsOf(services, key), [Buffer.from(digits, 'hex')]);
  });

  test('an empty file seeds nothing', async () => {
    const services = await newServices();
    const summary = await applySeedFile(services, seedFile('# nothing yet\n'), defaults);
    assert.deepEqual(summary, { keysCreated: 0, keysSkipped: 0, aliasesCreated: 0, aliasesSkipped: 0, warnings: [`${join(dir, `seed-${counter}.yaml`)}: the seed file is empty`] });
  });

  test('a key created concurrently by another process is counted as skipped', async () => {
    const services = await newServices();
    await applySeed(services, { keys: [{ keyId: K1 }] }, defaults);
    // The next getKey misses, as if the other process had not committed yet: the commit collides.
    const real = services.store;
    let hidden = false;
    const racing = new Proxy(real, {
      get(target, prop) {
        if (prop === 'getKey' && !hidden) {
          return async () => {
            hidden = true;
            return undefined;
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const summary = await applySeed({ ...services, store: racing }, { keys: [{ keyId: K1, aliases: ['alias/a'] }] }, defaults);
    assert.equal(hidden, true);
    assert.equal(summary.keysCreated, 0);
    assert.equal(summary.keysSkipped, 1);
    assert.equal(summary.aliasesCreated, 1);
    assert.equal(await aliasTarget(services, 'alias/a'), K1);
  });

  test('the shipped example is valid', async () => {
    const services = await newServices();
    const summary = await applySeedFile(services, findUp('examples/seed.yaml'), defaults);
    assert.equal(summary.keysCreated, 5);
    assert.equal(summary.aliasesCreated, 5);
    assert.deepEqual(summary.warnings, []);
  });
});

describe("local-kms's v3 seed format", () => {
  const L1 = 'bc436485-5092-42b8-92a3-0aa8b93536dc';
  const L2 = '49c5492b-b1bc-42a8-9a5c-b2015e810c1c';
  const L3 = '5d05267f-bb87-4d0b-8594-295a4371d414';
  const RSA = 'ff275b92-0def-4dfc-b0f6-87c96b26c6c7';
  const HMAC = '3f1e2d3c-4b5a-4968-8776-655443322110';
  const UPPER = M1.toUpperCase();
  const LOCAL_KMS = `
Keys:
  Symmetric:
    Aes:
      - Metadata:
          KeyId: ${L1}
          Description: Rotated once
        BackingKeys:
          - ${UPPER}
          - ${M2}
      - Metadata:
          KeyId: ${L2}
        NextKeyRotation: "2019-09-12T15:19:21+00:00"
        BackingKeys:
          - ${M3}
      - Metadata:
          KeyId: ${L3}
          Origin: EXTERNAL
    Hmac:
      - Metadata:
          KeyId: ${HMAC}
          KeySpec: HMAC_256
        BackingKeys: [${M1}]
  Asymmetric:
    Rsa:
      - Metadata:
          KeyId: ${RSA}
          KeyUsage: SIGN_VERIFY
        PrivateKeyPem: |
          -----BEGIN PRIVATE KEY-----
          not read
          -----END PRIVATE KEY-----
Aliases:
  - AliasName: alias/dev
    TargetKeyId: ${L1}
  - AliasName: alias/signing
    TargetKeyId: ${RSA}
`;

  test('Aes keys with backing keys, EXTERNAL pending import, aliases; Rsa and Hmac skipped with warnings', async () => {
    const services = await newServices();
    const path = seedFile(LOCAL_KMS, 'local-kms.yaml');
    const summary = await applySeedFile(services, path, defaults);
    assert.equal(summary.keysCreated, 3);
    assert.equal(summary.keysSkipped, 2);
    assert.equal(summary.aliasesCreated, 1);
    assert.equal(summary.aliasesSkipped, 1);
    assert.deepEqual(summary.warnings, [
      `${path}: Keys.Symmetric.Aes[1].NextKeyRotation: ignored for key ${L2}: scheduled rotation from seed files is not supported yet`,
      `${path}: Keys.Symmetric.Hmac[0]: key ${HMAC} skipped: HMAC keys are not supported yet`,
      `${path}: Keys.Asymmetric.Rsa[0]: key ${RSA} skipped: RSA keys are not supported yet (they come with asymmetric key support)`,
      `${path}: Aliases[1]: alias alias/signing skipped: its key ${RSA} is skipped (RSA keys are not supported yet (they come with asymmetric key support))`,
    ]);

    const rotated = await getKey(services, L1);
    assert.equal(rotated.description, 'Rotated once');
    assert.equal(rotated.state, 'Enabled');
    const records = await services.store.listMaterials(rotated.arn);
    assert.equal(rotated.currentMaterialId, records[1]!.materialId);
    assert.deepEqual(await materialsOf(services, rotated), [Buffer.from(M1, 'hex'), Buffer.from(M2, 'hex')]);
    assert.equal(await aliasTarget(services, 'alias/dev'), L1);

    assert.deepEqual(await materialsOf(services, await getKey(services, L2)), [Buffer.from(M3, 'hex')]);
    const pending = await getKey(services, L3);
    assert.equal(pending.state, 'PendingImport');
    assert.equal(pending.origin, 'EXTERNAL');
    assert.equal(await services.store.getKey(defaults, RSA), undefined);
    assert.equal(await aliasTarget(services, 'alias/signing'), undefined);

    const again = await applySeedFile(services, path, defaults);
    assert.equal(again.keysCreated, 0);
    assert.equal(again.keysSkipped, 5);
    assert.equal(again.aliasesCreated, 0);
    assert.equal(again.aliasesSkipped, 2);
  });

  test('the legacy flat Keys list is read as Aes entries', async () => {
    const services = await newServices();
    const summary = await applySeed(
      services,
      { Keys: [{ Metadata: { KeyId: L1 }, BackingKeys: [M1] }], Aliases: [{ AliasName: 'alias/legacy', TargetKeyId: L1 }] },
      defaults,
    );
    assert.equal(summary.keysCreated, 1);
    assert.equal(summary.aliasesCreated, 1);
    assert.deepEqual(await materialsOf(services, await getKey(services, L1)), [Buffer.from(M1, 'hex')]);
  });

  test('fields local-kms ignores are warnings, not errors', async () => {
    const services = await newServices();
    const summary = await applySeed(services, { Keys: { Symmetric: { Aes: [{ Metadata: { KeyId: L1, Colour: 'blue' }, BackingKeys: [M1] }] } } }, defaults);
    assert.equal(summary.keysCreated, 1);
    assert.deepEqual(summary.warnings, [
      'seed: Keys.Symmetric.Aes[0].Metadata.Colour: unknown field (expected one of KeyId, Description, Origin, KeyUsage, KeySpec, Enabled); ignored',
    ]);
  });

  test('the shipped example is valid', async () => {
    const services = await newServices();
    const summary = await applySeedFile(services, findUp('examples/local-kms-seed.yaml'), defaults);
    assert.equal(summary.keysCreated, 3);
    assert.equal(summary.keysSkipped, 1);
    assert.equal(summary.aliasesCreated, 2);
    assert.equal(summary.aliasesSkipped, 1);
    assert.equal(summary.warnings.length, 3);
  });
});

describe('validation errors name the file and the entry', () => {
  const ok = (extra: string) => `keys:\n  - keyId: ${K1}\n  - keyId: ${K2}\n  - keyId: ${K3}\n${extra}`;
  const cases: { name: string; yaml: string; message: string }[] = [
    { name: 'bad material', yaml: ok('    material: 0123'), message: 'keys[2].material: expected 64 hex characters or base64 of 32 bytes (got 4 characters)' },
    {
      name: 'material not 32 bytes',
      yaml: ok(`    material: ${M1.slice(2)}`),
      message: 'keys[2].material: expected 64 hex characters or base64 of 32 bytes (got 62 characters)',
    },
    {
      name: 'base64 of 16 bytes',
      yaml: ok(`    materials: [${M1}, ${Buffer.alloc(16, 7).toString('base64')}]`),
      message: 'keys[2].materials[1]: expected 64 hex characters or base64 of 32 bytes (got 24 characters)',
    },
    { name: 'non-hex characters', yaml: ok(`    material: ${'z'.repeat(64)}`), message: 'keys[2].material: expected 64 hex characters or base64 of 32 bytes (got 64 characters)' },
    { name: 'both material and materials', yaml: ok(`    material: ${M1}\n    materials: [${M2}]`), message: 'keys[2].materials: give either material or materials, not both' },
    { name: 'empty materials', yaml: ok('    materials: []'), message: 'keys[2].materials: expected at least one material (omit the field to have one generated)' },
    { name: 'bad key id', yaml: 'keys:\n  - keyId: not-a-key\n', message: 'keys[0].keyId: not a key id (expected a UUID, or mrk- and 32 hex digits): not-a-key' },
    { name: 'missing key id', yaml: 'keys:\n  - description: x\n', message: 'keys[0].keyId: required: a key id (a UUID, or mrk- and 32 hex digits)' },
    { name: 'alias without alias/', yaml: ok('    aliases: [demo]'), message: 'keys[2].aliases[0]: alias names start with alias/: demo' },
    { name: 'alias/aws/ alias', yaml: ok('    aliases: [alias/aws/s3]'), message: 'keys[2].aliases[0]: alias/aws/ names are reserved for AWS managed keys: alias/aws/s3' },
    { name: 'alias with bad characters', yaml: ok('    aliases: ["alias/a b"]'), message: 'keys[2].aliases[0]: alias names may contain only letters, digits, /, _ and -: alias/a b' },
    {
      name: 'alias target unknown',
      yaml: ok(`aliases:\n  - aliasName: alias/x\n    targetKeyId: ${K4}\n`),
      message: `aliases[0]: alias alias/x targets key ${K4}, which is neither defined in this file nor present in account 111122223333 region us-east-1`,
    },
    {
      name: 'alias target ARN in another scope',
      yaml: ok(`aliases:\n  - aliasName: alias/x\n    targetKeyId: arn:aws:kms:eu-west-1:111122223333:key/${K1}\n`),
      message: `aliases[0].targetKeyId: key ARN arn:aws:kms:eu-west-1:111122223333:key/${K1} is not in account 111122223333 region us-east-1, where the alias is created`,
    },
    { name: 'unknown top-level field', yaml: ok('kees: []\n'), message: 'kees: unknown field (expected one of accountId, region, keys, aliases)' },
    { name: 'unknown key field', yaml: ok('    descripton: typo'), message: 'keys[2].descripton: unknown field (expected one of keyId, accountId, region, description, enabled, keySpec, keyUsage, origin, multiRegion, material, materials, tags, aliases, policy)' },
    { name: 'keys not a list', yaml: 'keys:\n  keyId: x\n', message: 'keys: expected a list, got a mapping' },
    { name: 'enabled not a boolean', yaml: ok('    enabled: "yes"'), message: 'keys[2].enabled: expected true or false, got a string' },
    { name: 'tag value not a string', yaml: ok('    tags: { On: true }'), message: 'keys[2].tags.On: expected a string, got a boolean' },
    { name: 'reserved tag', yaml: ok('    tags: { "aws:x": y }'), message: 'keys[2].tags: Tags beginning with aws: are reserved' },
    { name: 'bad account id', yaml: ok('    accountId: "1234"'), message: 'keys[2].accountId: expected 12 digits, got 1234' },
    { name: 'multiRegion with a UUID', yaml: ok('    multiRegion: true'), message: 'keys[2].multiRegion: a multi-Region key needs an mrk- key id' },
    {
      name: 'mrk id with multiRegion false',
      yaml: `keys:\n  - keyId: ${MRK}\n    multiRegion: false\n`,
      message: `keys[0].multiRegion: key id ${MRK} is a multi-Region id (mrk-): set multiRegion to true or omit it`,
    },
    { name: 'unknown key spec', yaml: ok('    keySpec: AES_256'), message: 'keys[2].keySpec: unknown key spec AES_256' },
    { name: 'wrong key usage', yaml: ok('    keyUsage: SIGN_VERIFY'), message: 'keys[2].keyUsage: SIGN_VERIFY is not a usage of SYMMETRIC_DEFAULT (expected ENCRYPT_DECRYPT)' },
    { name: 'unsupported origin', yaml: ok('    origin: AWS_CLOUDHSM'), message: 'keys[2].origin: expected AWS_KMS or EXTERNAL, got AWS_CLOUDHSM' },
    { name: 'bad policy', yaml: ok('    policy: "{not json"'), message: 'keys[2].policy: The policy document is not valid JSON.' },
    { name: 'duplicate key id', yaml: ok(`  - keyId: ${K1}`), message: `keys[3]: key ${K1} is already defined at keys[0]` },
    {
      name: 'duplicate alias',
      yaml: ok(`    aliases: [alias/d]\naliases:\n  - aliasName: alias/d\n    targetKeyId: ${K1}\n`),
      message: 'aliases[0]: alias alias/d is already defined at keys[2].aliases[0]',
    },
    { name: 'top level not a mapping', yaml: '- a\n- b\n', message: 'expected a mapping, got a list' },
    { name: 'mixed formats', yaml: `keys: []\nKeys: []\n`, message: "keys: this file mixes our fields with local-kms's (Keys, Aliases); write one format per file" },
    {
      name: 'local-kms bad backing key',
      yaml: `Keys:\n  Symmetric:\n    Aes:\n      - Metadata:\n          KeyId: ${K1}\n        BackingKeys: [${M1}, ${M3_BASE64}]\n`,
      message: 'Keys.Symmetric.Aes[0].BackingKeys[1]: expected 64 hex characters (32 bytes) (got 44 characters)',
    },
    {
      name: 'local-kms Aes without backing keys',
      yaml: `Keys:\n  Symmetric:\n    Aes:\n      - Metadata:\n          KeyId: ${K1}\n`,
      message: 'Keys.Symmetric.Aes[0].BackingKeys: at least one backing key (64 hex characters) is required unless Metadata.Origin is EXTERNAL',
    },
    {
      name: 'local-kms EXTERNAL with two backing keys',
      yaml: `Keys:\n  Symmetric:\n    Aes:\n      - Metadata: { KeyId: ${K1}, Origin: EXTERNAL }\n        BackingKeys: [${M1}, ${M2}]\n`,
      message: 'Keys.Symmetric.Aes[0].BackingKeys: an EXTERNAL key takes at most one backing key',
    },
    {
      name: 'local-kms Rsa without KeyId',
      yaml: `Keys:\n  Asymmetric:\n    Rsa:\n      - Metadata: { Description: x }\n`,
      message: 'Keys.Asymmetric.Rsa[0].Metadata.KeyId: required: a key id (a UUID, or mrk- and 32 hex digits)',
    },
    {
      name: 'local-kms alias target unknown',
      yaml: `Aliases:\n  - AliasName: alias/x\n    TargetKeyId: ${K4}\n`,
      message: `Aliases[0]: alias alias/x targets key ${K4}, which is neither defined in this file nor present in account 111122223333 region us-east-1`,
    },
  ];

  for (const { name, yaml, message } of cases) {
    test(name, async () => {
      const services = await newServices();
      const path = seedFile(yaml);
      await assert.rejects(applySeedFile(services, path, defaults), (err: Error) => {
        assert.equal(err.message, `${path}: ${message}`);
        return true;
      });
      // Validation runs before the first write: nothing of the file was created.
      assert.deepEqual((await services.store.listKeys(defaults, { limit: 10 })).items, []);
    });
  }

  test('a YAML syntax error names the file', async () => {
    const services = await newServices();
    const path = seedFile('keys: [\n');
    await assert.rejects(applySeedFile(services, path, defaults), (err: Error) => err.message.startsWith(`${path}: invalid YAML: `));
  });

  test('a missing file names the file', async () => {
    const services = await newServices();
    const path = join(dir, 'nope.yaml');
    await assert.rejects(applySeedFile(services, path, defaults), (err: Error) => err.message.startsWith(`${path}: cannot read the seed file: `));
  });

  test('wrong types in a parsed document are named too', async () => {
    const services = await newServices();
    await assert.rejects(applySeed(services, { keys: [{ keyId: K1, description: 5 }] }, defaults), {
      message: 'seed: keys[0].description: expected a string, got a number',
    });
  });

  test('errors never echo key material', async () => {
    const services = await newServices();
    const secret = M1.slice(0, 63) + 'g';
    await assert.rejects(applySeed(services, { keys: [{ keyId: K1, material: secret }] }, defaults), (err: Error) => {
      assert.ok(!err.message.includes(secret.slice(0, 20)));
      return true;
    });
  });
});
