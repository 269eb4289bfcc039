// --seed: our format and local-kms's v3 format, idempotence, deterministic material, rotation
// history, PendingImport, keys of every spec (given private keys and HMAC keys, or generated),
// and the validation messages.

import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { parse as parseYaml } from 'yaml';
import { SECRET_ACCESS, SecretMaterial } from '../../../src/crypto/secret.js';
import { publicKeySpki, type AsymmetricKeySpec } from '../../../src/crypto/specs/asymmetric-key.js';
import { decodePem } from '../../../src/crypto/specs/der.js';
import { encodeMlDsaPkcs8, encodeMlDsaSpki, mlDsa, parseMlDsaPkcs8, type MlDsaSpec } from '../../../src/crypto/specs/ml-dsa-keys.js';
import { decodeBlob, openSymmetric, sealSymmetric } from '../../../src/crypto/symmetric-default.js';
import type { KmsServices } from '../../../src/kms/context.js';
import { defaultKeyPolicy } from '../../../src/kms/model/key-policy.js';
import type { KeyRecord, Scope } from '../../../src/kms/model/key.js';
import { applySeed, applySeedFile } from '../../../src/seed/apply-seed.js';
import { readMaterial, readPrivateKeyPem, SeedContext } from '../../../src/seed/seed-plan.js';
import { servicesFactory } from '../../helpers/services.js';

const { dir, makeServices, cleanup } = servicesFactory('kms-seed-');
after(cleanup);

const defaults: Scope = { accountId: '111122223333', region: 'us-east-1' };

let counter = 0;

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

/** The DER SubjectPublicKeyInfo of a key's current material, as GetPublicKey returns it. */
async function publicKeyOf(services: KmsServices, key: KeyRecord): Promise<Buffer> {
  const materials = await materialsOf(services, key);
  assert.equal(materials.length, 1, 'an asymmetric key has one material version');
  return publicKeySpki(key.keySpec as AsymmetricKeySpec, new SecretMaterial(materials[0]!));
}

/** What node (OpenSSL) says the public key of a PEM private key is. */
function spkiOf(pem: string): Buffer {
  return createPublicKey(pem).export({ type: 'spki', format: 'der' });
}

function toPem(label: string, der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** A fresh private key in PEM: PKCS#8 unless another encoding is asked for. */
function pemOf(type: 'rsa' | 'ec' | 'ed25519', options: object = {}, encoding: 'pkcs8' | 'pkcs1' | 'sec1' = 'pkcs8'): string {
  const generate = generateKeyPairSync as (t: string, o: object) => { privateKey: string };
  return generate(type, { ...options, privateKeyEncoding: { type: encoding, format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
}

/** An ML-DSA private key in RFC 9881's seed-only PKCS#8, and the public key it must give. */
function mlDsaKey(spec: MlDsaSpec, seedByte: number): { pem: string; spki: Buffer } {
  const seed = Buffer.alloc(32, seedByte);
  return { pem: toPem('PRIVATE KEY', encodeMlDsaPkcs8(spec, seed)), spki: encodeMlDsaSpki(spec, mlDsa(spec).keygen(seed).publicKey) };
}

/** YAML text of a string (a JSON string is a YAML double-quoted scalar), for multi-line PEMs. */
const q = (text: string): string => JSON.stringify(text);

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
    const services = await makeServices();
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
    const services = await makeServices();
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
    const services = await makeServices();
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
    const services = await makeServices();
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
    const services = await makeServices();
    await applySeed(services, { keys: [{ keyId: K3 }] }, defaults);
    const summary = await applySeed(services, { aliases: [{ aliasName: 'alias/late', targetKeyId: K3 }] }, defaults);
    assert.equal(summary.aliasesCreated, 1);
    assert.equal(await aliasTarget(services, 'alias/late'), K3);
  });

  test('given material is deterministic: a second server seeded from the same file decrypts', async () => {
    const path = seedFile(OUR_SEED);
    const a = await makeServices({ rootKeyName: 'root-a.key' });
    const b = await makeServices({ rootKeyName: 'root-b.key' }); // another server: its own root key and database
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
    const services = await makeServices();
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
    const services = await makeServices();
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

  test('a key spec other than SYMMETRIC_DEFAULT is created, with its aliases (formerly skipped with a warning)', async () => {
    const services = await makeServices();
    const summary = await applySeed(
      services,
      { keys: [{ keyId: K1, keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', aliases: ['alias/rsa'] }], aliases: [{ aliasName: 'alias/rsa-2', targetKeyId: K1 }] },
      defaults,
    );
    assert.deepEqual(summary, { keysCreated: 1, keysSkipped: 0, aliasesCreated: 2, aliasesSkipped: 0, warnings: [] });
    const key = await getKey(services, K1);
    assert.equal(key.keySpec, 'RSA_2048');
    assert.equal(key.keyUsage, 'SIGN_VERIFY');
    assert.equal((await publicKeyOf(services, key))[0], 0x30, 'a generated RSA key pair');
    assert.equal(await aliasTarget(services, 'alias/rsa'), K1);
    assert.equal(await aliasTarget(services, 'alias/rsa-2'), K1);
  });

  test('unquoted numbers keep their text: account ids with leading zeros, all-digit hex material', async () => {
    const services = await makeServices();
    const digits = '1234567890123456789012345678901234567890123456789012345678901234';
    await applySeedFile(services, seedFile(`accountId: 012345678901\nkeys:\n  - keyId: ${K1}\n    material: ${digits}\n`), defaults);
    const key = await getKey(services, K1, { accountId: '012345678901', region: 'us-east-1' });
    assert.deepEqual(await materialsOf(services, key), [Buffer.from(digits, 'hex')]);
  });

  test('an empty file seeds nothing', async () => {
    const services = await makeServices();
    const summary = await applySeedFile(services, seedFile('# nothing yet\n'), defaults);
    assert.deepEqual(summary, { keysCreated: 0, keysSkipped: 0, aliasesCreated: 0, aliasesSkipped: 0, warnings: [`${join(dir, `seed-${counter}.yaml`)}: the seed file is empty`] });
  });

  test('a key created concurrently by another process is counted as skipped', async () => {
    const services = await makeServices();
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
    const services = await makeServices();
    const path = findUp('examples/seed.yaml');
    const summary = await applySeedFile(services, path, defaults);
    assert.equal(summary.keysCreated, 11);
    assert.equal(summary.aliasesCreated, 7);
    assert.deepEqual(summary.warnings, []);

    // Its fixed private keys give the public keys they should, and its HMAC key is the one written.
    const doc = parseYaml(readFileSync(path, 'utf8')) as { keys: { keyId: string; keySpec?: string; privateKeyPem?: string; material?: string }[] };
    const specs: string[] = [];
    for (const entry of doc.keys) {
      const key = await getKey(services, entry.keyId, entry.keyId.startsWith('mrk-') ? { ...defaults, region: 'eu-west-1' } : defaults);
      specs.push(key.keySpec);
      if (entry.privateKeyPem !== undefined) {
        const expected = key.keySpec.startsWith('ML_DSA')
          ? encodeMlDsaSpki(key.keySpec as MlDsaSpec, mlDsa(key.keySpec as MlDsaSpec).keygen(parseMlDsaPkcs8(decodePem(entry.privateKeyPem)[0]!.der).seed).publicKey)
          : spkiOf(entry.privateKeyPem);
        assert.deepEqual(await publicKeyOf(services, key), expected, `public key of ${entry.keyId}`);
      } else if (key.keySpec.startsWith('HMAC') && entry.material !== undefined) {
        assert.deepEqual(await materialsOf(services, key), [Buffer.from(entry.material, 'hex')]);
      }
    }
    for (const family of ['SYMMETRIC_DEFAULT', 'RSA_2048', 'ECC_NIST_P256', 'ECC_NIST_EDWARDS25519', 'ML_DSA_44', 'HMAC_256']) {
      assert.ok(specs.includes(family), `the example has a ${family} key`);
    }
  });
});

describe('keys of every spec', () => {
  const RSA_PEM = pemOf('rsa', { modulusLength: 2048 });
  const RSA_PKCS1_PEM = pemOf('rsa', { modulusLength: 2048 }, 'pkcs1');
  const RSA_3072_PEM = pemOf('rsa', { modulusLength: 3072 });
  const P256_SEC1_PEM = pemOf('ec', { namedCurve: 'P-256' }, 'sec1');
  const P384_PEM = pemOf('ec', { namedCurve: 'P-384' });
  const P521_PEM = pemOf('ec', { namedCurve: 'P-521' });
  const K256_PEM = pemOf('ec', { namedCurve: 'secp256k1' });
  const ED25519_PEM = pemOf('ed25519');
  const ML_DSA = { ML_DSA_44: mlDsaKey('ML_DSA_44', 1), ML_DSA_65: mlDsaKey('ML_DSA_65', 2), ML_DSA_87: mlDsaKey('ML_DSA_87', 3) };
  const ids = Array.from({ length: 16 }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);

  const ASYMMETRIC: { keySpec: string; keyUsage: string; pem: string; spki: Buffer }[] = [
    { keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', pem: RSA_PEM, spki: spkiOf(RSA_PEM) },
    { keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT', pem: RSA_PKCS1_PEM, spki: spkiOf(RSA_PKCS1_PEM) },
    { keySpec: 'RSA_3072', keyUsage: 'ENCRYPT_DECRYPT', pem: RSA_3072_PEM, spki: spkiOf(RSA_3072_PEM) },
    { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', pem: P256_SEC1_PEM, spki: spkiOf(P256_SEC1_PEM) },
    { keySpec: 'ECC_NIST_P384', keyUsage: 'KEY_AGREEMENT', pem: P384_PEM, spki: spkiOf(P384_PEM) },
    { keySpec: 'ECC_NIST_P521', keyUsage: 'SIGN_VERIFY', pem: P521_PEM, spki: spkiOf(P521_PEM) },
    { keySpec: 'ECC_SECG_P256K1', keyUsage: 'SIGN_VERIFY', pem: K256_PEM, spki: spkiOf(K256_PEM) },
    { keySpec: 'ECC_NIST_EDWARDS25519', keyUsage: 'SIGN_VERIFY', pem: ED25519_PEM, spki: spkiOf(ED25519_PEM) },
    ...Object.entries(ML_DSA).map(([keySpec, { pem, spki }]) => ({ keySpec, keyUsage: 'SIGN_VERIFY', pem, spki })),
  ];

  test('a given private key of each asymmetric spec gives the expected public key', async () => {
    const services = await makeServices();
    const keys = ASYMMETRIC.map(({ keySpec, keyUsage, pem }, i) => ({ keyId: ids[i]!, keySpec, keyUsage, privateKeyPem: pem }));
    const summary = await applySeed(services, { keys }, defaults);
    assert.equal(summary.keysCreated, ASYMMETRIC.length);
    for (const [i, { keySpec, keyUsage, spki }] of ASYMMETRIC.entries()) {
      const key = await getKey(services, ids[i]!);
      assert.equal(key.keySpec, keySpec);
      assert.equal(key.keyUsage, keyUsage);
      assert.equal(key.state, 'Enabled');
      assert.equal(key.origin, 'AWS_KMS');
      assert.deepEqual(await publicKeyOf(services, key), spki, `public key of the ${keySpec} key`);
    }
  });

  test('written in YAML with a block scalar, as in the examples', async () => {
    const services = await makeServices();
    const block = P384_PEM.trimEnd().split('\n').map((line) => `      ${line}`).join('\n');
    const path = seedFile(`keys:\n  - keyId: ${K1}\n    keySpec: ECC_NIST_P384\n    keyUsage: SIGN_VERIFY\n    privateKeyPem: |\n${block}\n`);
    await applySeedFile(services, path, defaults);
    assert.deepEqual(await publicKeyOf(services, await getKey(services, K1)), spkiOf(P384_PEM));
  });

  test('keySpec may be left out when a private key is given: the key says which spec it is', async () => {
    const services = await makeServices();
    await applySeed(
      services,
      {
        keys: [
          { keyId: K1, keyUsage: 'SIGN_VERIFY', privateKeyPem: ED25519_PEM },
          { keyId: K2, privateKeyPem: RSA_PEM },
          { keyId: K3, keyUsage: 'SIGN_VERIFY', privateKeyPem: ML_DSA.ML_DSA_65.pem },
        ],
      },
      defaults,
    );
    const ed = await getKey(services, K1);
    assert.equal(ed.keySpec, 'ECC_NIST_EDWARDS25519');
    assert.deepEqual(await publicKeyOf(services, ed), spkiOf(ED25519_PEM));
    const rsa = await getKey(services, K2);
    assert.equal(rsa.keySpec, 'RSA_2048');
    assert.equal(rsa.keyUsage, 'ENCRYPT_DECRYPT', "CreateKey's default usage");
    assert.equal((await getKey(services, K3)).keySpec, 'ML_DSA_65');
  });

  test('HMAC material unwraps to the seeded bytes, for each HMAC spec, in hex or base64', async () => {
    const services = await makeServices();
    // From the digest length (what AWS generates) to the hash's block size, as AWS imports them.
    const specs = [
      { keySpec: 'HMAC_224', bytes: Buffer.alloc(28, 0x22), base64: false },
      { keySpec: 'HMAC_224', bytes: Buffer.alloc(64, 0x23), base64: true },
      { keySpec: 'HMAC_256', bytes: Buffer.from(M1, 'hex'), base64: true },
      { keySpec: 'HMAC_256', bytes: Buffer.from(M1 + M2, 'hex'), base64: false },
      { keySpec: 'HMAC_384', bytes: Buffer.alloc(48, 0xa5), base64: true },
      { keySpec: 'HMAC_384', bytes: Buffer.alloc(100, 0xa6), base64: false },
      { keySpec: 'HMAC_512', bytes: Buffer.alloc(64, 0x5a), base64: false },
      { keySpec: 'HMAC_512', bytes: Buffer.alloc(128, 0x5b), base64: true },
    ];
    const keys = specs.map(({ keySpec, bytes, base64 }, i) => ({
      keyId: ids[i]!,
      keySpec,
      keyUsage: 'GENERATE_VERIFY_MAC',
      material: base64 ? bytes.toString('base64url') : bytes.toString('hex').toUpperCase(),
    }));
    await applySeed(services, { keys }, defaults);
    for (const [i, { keySpec, bytes }] of specs.entries()) {
      const key = await getKey(services, ids[i]!);
      assert.equal(key.keySpec, keySpec);
      assert.equal(key.keyUsage, 'GENERATE_VERIFY_MAC');
      assert.deepEqual(await materialsOf(services, key), [bytes]);
    }
  });

  test('without material, material of the spec is generated', async () => {
    const services = await makeServices();
    const keys = [
      { keyId: ids[0]!, keySpec: 'RSA_2048' },
      { keyId: ids[1]!, keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT' },
      { keyId: ids[2]!, keySpec: 'ECC_NIST_EDWARDS25519', keyUsage: 'SIGN_VERIFY' },
      { keyId: ids[3]!, keySpec: 'ML_DSA_44', keyUsage: 'SIGN_VERIFY' },
      { keyId: ids[4]!, keySpec: 'HMAC_384', keyUsage: 'GENERATE_VERIFY_MAC' },
      { keyId: ids[5]!, keySpec: 'ECC_SECG_P256K1', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL' },
      { keyId: ids[6]!, keySpec: 'HMAC_224', keyUsage: 'GENERATE_VERIFY_MAC', origin: 'EXTERNAL', enabled: false },
    ];
    assert.equal((await applySeed(services, { keys }, defaults)).keysCreated, keys.length);
    for (const id of ids.slice(0, 4)) {
      const key = await getKey(services, id);
      assert.equal(key.state, 'Enabled');
      assert.ok((await publicKeyOf(services, key)).length > 0);
    }
    assert.equal((await materialsOf(services, await getKey(services, ids[4]!)))[0]!.length, 48);
    for (const id of [ids[5]!, ids[6]!]) {
      const pending = await getKey(services, id);
      assert.equal(pending.state, 'PendingImport');
      assert.deepEqual(await services.store.listMaterials(pending.arn), []);
    }
  });

  test('an EXTERNAL key with a given private key is created as if it had been imported', async () => {
    const services = await makeServices();
    await applySeed(services, { keys: [{ keyId: K1, origin: 'EXTERNAL', keyUsage: 'SIGN_VERIFY', privateKeyPem: P256_SEC1_PEM }] }, defaults);
    const key = await getKey(services, K1);
    assert.equal(key.origin, 'EXTERNAL');
    assert.equal(key.state, 'Enabled');
    assert.deepEqual(await publicKeyOf(services, key), spkiOf(P256_SEC1_PEM));
  });

  test('idempotent, and deterministic across servers: the same public keys and HMAC keys everywhere', async () => {
    const file = seedFile(
      [
        'keys:',
        `  - { keyId: ${K1}, keySpec: RSA_2048, keyUsage: SIGN_VERIFY, privateKeyPem: ${q(RSA_PEM)} }`,
        `  - { keyId: ${K2}, keySpec: ECC_NIST_P256, keyUsage: SIGN_VERIFY, privateKeyPem: ${q(P256_SEC1_PEM)}, aliases: [alias/ec] }`,
        `  - { keyId: ${K3}, keySpec: HMAC_256, keyUsage: GENERATE_VERIFY_MAC, material: ${M2} }`,
        `  - { keyId: ${K4}, keySpec: ML_DSA_87, keyUsage: SIGN_VERIFY, privateKeyPem: ${q(ML_DSA.ML_DSA_87.pem)} }`,
        '',
      ].join('\n'),
    );
    const a = await makeServices({ rootKeyName: 'root-a.key' });
    const b = await makeServices({ rootKeyName: 'root-b.key' });
    assert.equal((await applySeedFile(a, file, defaults)).keysCreated, 4);
    assert.equal((await applySeedFile(b, file, defaults)).keysCreated, 4);
    const before = await Promise.all([K1, K2, K3, K4].map(async (id) => ({ key: await getKey(a, id), materials: await a.store.listMaterials((await getKey(a, id)).arn) })));

    const again = await applySeedFile(a, file, defaults);
    assert.deepEqual(again, { keysCreated: 0, keysSkipped: 4, aliasesCreated: 0, aliasesSkipped: 1, warnings: [] });
    for (const { key, materials } of before) {
      assert.deepEqual(await getKey(a, key.keyId), key);
      assert.deepEqual(await a.store.listMaterials(key.arn), materials, `material of ${key.keyId} untouched`);
    }

    for (const id of [K1, K2, K4]) {
      assert.deepEqual(await publicKeyOf(a, await getKey(a, id)), await publicKeyOf(b, await getKey(b, id)));
    }
    assert.deepEqual(await publicKeyOf(a, await getKey(a, K4)), ML_DSA.ML_DSA_87.spki);
    assert.deepEqual(await materialsOf(b, await getKey(b, K3)), [Buffer.from(M2, 'hex')]);
  });

  test('a validation error zeroes the material the file had yielded so far', () => {
    const ctx = new SeedContext('seed');
    const symmetric = readMaterial(ctx, M1, 'a');
    const { pkcs8 } = readPrivateKeyPem(ctx, P384_PEM, 'b');
    assert.ok(symmetric.some((byte) => byte !== 0) && pkcs8.some((byte) => byte !== 0));
    assert.throws(() => ctx.fail('c', 'wrong'), { name: 'SeedError', message: 'seed: c: wrong' });
    assert.ok(symmetric.every((byte) => byte === 0));
    assert.ok(pkcs8.every((byte) => byte === 0));
  });

  test('errors about private keys never echo them', async () => {
    const services = await makeServices();
    const body = decodePem(RSA_PEM)[0]!.der.toString('base64');
    // A truncated key: valid base64, not a key.
    const broken = `-----BEGIN PRIVATE KEY-----\n${body.slice(0, 400)}\n-----END PRIVATE KEY-----\n`;
    for (const privateKeyPem of [broken, RSA_PEM]) {
      await assert.rejects(applySeed(services, { keys: [{ keyId: K1, keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', privateKeyPem }] }, defaults), (err: Error) => {
        assert.ok(!err.message.includes(body.slice(64, 100)), err.message);
        return true;
      });
    }
  });
});

describe("local-kms's v3 seed format", () => {
  const L1 = 'bc436485-5092-42b8-92a3-0aa8b93536dc';
  const L2 = '49c5492b-b1bc-42a8-9a5c-b2015e810c1c';
  const L3 = '5d05267f-bb87-4d0b-8594-295a4371d414';
  const RSA = 'ff275b92-0def-4dfc-b0f6-87c96b26c6c7';
  const ECC = '800d5768-3fd7-4edd-a4b8-4c81c3e4c147';
  const K256 = '0f39fd6e-51aa-4d88-86f4-ce6ab8827279';
  const HMAC = '3f1e2d3c-4b5a-4968-8776-655443322110';
  const UPPER = M1.toUpperCase();
  const RSA_PEM = pemOf('rsa', { modulusLength: 2048 });
  const EC_PEM = pemOf('ec', { namedCurve: 'P-256' }, 'sec1');
  // Hardhat's first test account: the secp256k1 key of local-kms's README, address 0xf39f…2266.
  const K256_HEX = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
  const K256_ADDRESS = 'f39fd6e51aad88f6f4ce6ab8827279cfffb92266';
  const block = (pem: string): string => pem.trimEnd().split('\n').map((line) => `          ${line}`).join('\n');
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
          KeyUsage: GENERATE_VERIFY_MAC
        BackingKeys: [${M1}]
  Asymmetric:
    Rsa:
      - Metadata:
          KeyId: ${RSA}
          KeyUsage: SIGN_VERIFY
          Description: RSA key with 2048 bits
        PrivateKeyPem: |
${block(RSA_PEM)}
    Ecc:
      - Metadata:
          KeyId: ${ECC}
          KeyUsage: SIGN_VERIFY
        PrivateKeyPem: |
${block(EC_PEM)}
      - Metadata:
          KeyId: ${K256}
          KeyUsage: SIGN_VERIFY
        PrivateKeyHex: ${K256_HEX}
Aliases:
  - AliasName: alias/dev
    TargetKeyId: ${L1}
  - AliasName: alias/signing
    TargetKeyId: ${RSA}
`;

  test('Aes, Hmac, Rsa and Ecc keys, EXTERNAL pending import, aliases', async () => {
    const services = await makeServices();
    const path = seedFile(LOCAL_KMS, 'local-kms.yaml');
    const summary = await applySeedFile(services, path, defaults);
    assert.deepEqual(summary, {
      keysCreated: 7,
      keysSkipped: 0,
      aliasesCreated: 2,
      aliasesSkipped: 0,
      warnings: [`${path}: Keys.Symmetric.Aes[1].NextKeyRotation: ignored for key ${L2}: scheduled rotation from seed files is not supported yet`],
    });

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

    const hmac = await getKey(services, HMAC);
    assert.equal(hmac.keySpec, 'HMAC_256');
    assert.equal(hmac.keyUsage, 'GENERATE_VERIFY_MAC');
    assert.deepEqual(await materialsOf(services, hmac), [Buffer.from(M1, 'hex')]);

    const rsa = await getKey(services, RSA);
    assert.equal(rsa.keySpec, 'RSA_2048', 'the size comes from the key');
    assert.equal(rsa.keyUsage, 'SIGN_VERIFY');
    assert.equal(rsa.description, 'RSA key with 2048 bits');
    assert.deepEqual(await publicKeyOf(services, rsa), spkiOf(RSA_PEM));
    assert.equal(await aliasTarget(services, 'alias/signing'), RSA);

    const ecc = await getKey(services, ECC);
    assert.equal(ecc.keySpec, 'ECC_NIST_P256', 'the curve comes from the key');
    assert.deepEqual(await publicKeyOf(services, ecc), spkiOf(EC_PEM));

    const k256 = await getKey(services, K256);
    assert.equal(k256.keySpec, 'ECC_SECG_P256K1');
    const spki = await publicKeyOf(services, k256);
    const point = spki.subarray(spki.length - 65);
    assert.equal(point[0], 0x04, 'uncompressed point');
    assert.equal(Buffer.from(keccak_256(point.subarray(1))).subarray(12).toString('hex'), K256_ADDRESS, 'the Ethereum address of the README key');

    const again = await applySeedFile(services, path, defaults);
    assert.equal(again.keysCreated, 0);
    assert.equal(again.keysSkipped, 7);
    assert.equal(again.aliasesCreated, 0);
    assert.equal(again.aliasesSkipped, 2);
    assert.deepEqual(await publicKeyOf(services, await getKey(services, RSA)), spkiOf(RSA_PEM), 'untouched');
  });

  test('Hmac: several backing keys keep the first, a missing KeySpec means HMAC_256, NextKeyRotation is ignored', async () => {
    const services = await makeServices();
    const summary = await applySeed(
      services,
      {
        Keys: {
          Symmetric: {
            Hmac: [
              { Metadata: { KeyId: L1, KeySpec: 'HMAC_224' }, BackingKeys: [M1.slice(0, 56), M2.slice(0, 56)], NextKeyRotation: '2030-01-01T00:00:00Z' },
              { Metadata: { KeyId: L2 }, BackingKeys: [M2] },
              { Metadata: { KeyId: L3, KeySpec: 'HMAC_512', Origin: 'EXTERNAL' } },
            ],
          },
        },
      },
      defaults,
    );
    assert.equal(summary.keysCreated, 3);
    assert.deepEqual(summary.warnings, [
      `seed: Keys.Symmetric.Hmac[0].BackingKeys: key ${L1}: only the first backing key is used (the one local-kms computes MACs with)`,
      `seed: Keys.Symmetric.Hmac[0].NextKeyRotation: ignored for key ${L1}: HMAC keys are not rotated`,
      `seed: Keys.Symmetric.Hmac[1].Metadata.KeySpec: missing for key ${L2}: HMAC_256 assumed, as local-kms then makes a 32-byte HMAC_SHA_256 key`,
    ]);
    const first = await getKey(services, L1);
    assert.equal(first.keySpec, 'HMAC_224');
    assert.deepEqual(await materialsOf(services, first), [Buffer.from(M1.slice(0, 56), 'hex')]);
    const assumed = await getKey(services, L2);
    assert.equal(assumed.keySpec, 'HMAC_256');
    assert.deepEqual(await materialsOf(services, assumed), [Buffer.from(M2, 'hex')]);
    const pending = await getKey(services, L3);
    assert.equal(pending.keySpec, 'HMAC_512');
    assert.equal(pending.state, 'PendingImport');
  });

  test('Rsa takes PKCS#1 too; Ecc takes PKCS#8 and Ed25519 keys; PrivateKeyPem wins over PrivateKeyHex', async () => {
    const services = await makeServices();
    const pkcs1 = pemOf('rsa', { modulusLength: 2048 }, 'pkcs1');
    const p521 = pemOf('ec', { namedCurve: 'P-521' });
    const ed25519 = pemOf('ed25519');
    const summary = await applySeed(
      services,
      {
        Keys: {
          Asymmetric: {
            Rsa: [{ Metadata: { KeyId: L1, KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'RSA_2048' }, PrivateKeyPem: pkcs1 }],
            Ecc: [
              { Metadata: { KeyId: L2, KeyUsage: 'SIGN_VERIFY' }, PrivateKeyPem: p521, PrivateKeyHex: K256_HEX },
              { Metadata: { KeyId: L3, KeyUsage: 'SIGN_VERIFY' }, PrivateKeyPem: ed25519 },
            ],
          },
        },
      },
      defaults,
    );
    assert.equal(summary.keysCreated, 3);
    assert.deepEqual(summary.warnings, [`seed: Keys.Asymmetric.Ecc[0].PrivateKeyHex: ignored for key ${L2}: PrivateKeyPem is given too, and is the one read`]);
    const rsa = await getKey(services, L1);
    assert.equal(rsa.keyUsage, 'ENCRYPT_DECRYPT');
    assert.deepEqual(await publicKeyOf(services, rsa), spkiOf(pkcs1));
    const ecc = await getKey(services, L2);
    assert.equal(ecc.keySpec, 'ECC_NIST_P521');
    assert.deepEqual(await publicKeyOf(services, ecc), spkiOf(p521));
    const ed = await getKey(services, L3);
    assert.equal(ed.keySpec, 'ECC_NIST_EDWARDS25519');
    assert.deepEqual(await publicKeyOf(services, ed), spkiOf(ed25519));
  });

  test('the legacy flat Keys list is read as Aes entries', async () => {
    const services = await makeServices();
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
    const services = await makeServices();
    const summary = await applySeed(services, { Keys: { Symmetric: { Aes: [{ Metadata: { KeyId: L1, Colour: 'blue' }, BackingKeys: [M1] }] } } }, defaults);
    assert.equal(summary.keysCreated, 1);
    assert.deepEqual(summary.warnings, [
      'seed: Keys.Symmetric.Aes[0].Metadata.Colour: unknown field (expected one of KeyId, Description, Origin, KeyUsage, KeySpec, Enabled); ignored',
    ]);
  });

  test('the shipped example is valid', async () => {
    const services = await makeServices();
    const path = findUp('examples/local-kms-seed.yaml');
    const summary = await applySeedFile(services, path, defaults);
    assert.equal(summary.keysCreated, 7);
    assert.equal(summary.keysSkipped, 0);
    assert.equal(summary.aliasesCreated, 3);
    assert.equal(summary.aliasesSkipped, 0);
    assert.equal(summary.warnings.length, 1, 'NextKeyRotation');

    const doc = parseYaml(readFileSync(path, 'utf8')) as {
      Keys: { Symmetric: { Hmac: { Metadata: { KeyId: string }; BackingKeys: string[] }[] }; Asymmetric: Record<string, { Metadata: { KeyId: string }; PrivateKeyPem?: string }[]> };
    };
    const [hmac] = doc.Keys.Symmetric.Hmac;
    const hmacKey = await getKey(services, hmac!.Metadata.KeyId);
    assert.equal(hmacKey.keySpec, 'HMAC_512');
    assert.deepEqual(await materialsOf(services, hmacKey), [Buffer.from(hmac!.BackingKeys[0]!, 'hex')]);
    const specs: string[] = [];
    for (const entry of Object.values(doc.Keys.Asymmetric).flat()) {
      const key = await getKey(services, entry.Metadata.KeyId);
      specs.push(key.keySpec);
      if (entry.PrivateKeyPem !== undefined) assert.deepEqual(await publicKeyOf(services, key), spkiOf(entry.PrivateKeyPem));
    }
    assert.deepEqual(specs, ['RSA_2048', 'ECC_NIST_P256', 'ECC_SECG_P256K1']);
  });
});

describe('validation errors name the file and the entry', () => {
  const ok = (extra: string) => `keys:\n  - keyId: ${K1}\n  - keyId: ${K2}\n  - keyId: ${K3}\n${extra}`;
  const P256 = pemOf('ec', { namedCurve: 'P-256' });
  const P384 = pemOf('ec', { namedCurve: 'P-384' });
  const RSA = pemOf('rsa', { modulusLength: 2048 });
  const RSA_1024 = pemOf('rsa', { modulusLength: 1024 });
  const X25519 = (generateKeyPairSync('x25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  const lk = (kind: string, entry: string) => `Keys:\n  ${kind === 'Hmac' ? 'Symmetric' : 'Asymmetric'}:\n    ${kind}:\n      - ${entry}\n`;
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
    { name: 'unknown top-level field', yaml: ok('kees: []\n'), message: 'kees: unknown field (expected one of accountId, region, keys, aliases, identities)' },
    {
      name: 'unknown key field',
      yaml: ok('    descripton: typo'),
      message:
        'keys[2].descripton: unknown field (expected one of keyId, accountId, region, description, enabled, keySpec, keyUsage, origin, multiRegion, material, materials, privateKeyPem, tags, aliases, policy)',
    },
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
    // Keys of every spec
    {
      name: 'SM2',
      yaml: ok('    keySpec: SM2\n    keyUsage: SIGN_VERIFY'),
      message: 'keys[2].keySpec: SM2 is not supported: AWS offers it only in the China Regions, and this server does not implement it',
    },
    { name: 'ECC key without keyUsage', yaml: ok('    keySpec: ECC_NIST_P256'), message: 'keys[2].keyUsage: required for ECC_NIST_P256 keys: SIGN_VERIFY or KEY_AGREEMENT' },
    { name: 'HMAC key without keyUsage', yaml: ok('    keySpec: HMAC_256'), message: 'keys[2].keyUsage: required for HMAC_256 keys: GENERATE_VERIFY_MAC' },
    { name: 'ML-DSA key without keyUsage', yaml: ok('    keySpec: ML_DSA_65'), message: 'keys[2].keyUsage: required for ML_DSA_65 keys: SIGN_VERIFY' },
    {
      name: 'wrong usage for an RSA key',
      yaml: ok('    keySpec: RSA_4096\n    keyUsage: KEY_AGREEMENT'),
      message: 'keys[2].keyUsage: KEY_AGREEMENT is not a usage of RSA_4096 (expected ENCRYPT_DECRYPT or SIGN_VERIFY)',
    },
    {
      name: 'wrong usage for an Ed25519 key',
      yaml: ok('    keySpec: ECC_NIST_EDWARDS25519\n    keyUsage: KEY_AGREEMENT'),
      message: 'keys[2].keyUsage: KEY_AGREEMENT is not a usage of ECC_NIST_EDWARDS25519 (expected SIGN_VERIFY)',
    },
    {
      name: 'a P-384 private key for ECC_NIST_P256',
      yaml: ok(`    keySpec: ECC_NIST_P256\n    keyUsage: SIGN_VERIFY\n    privateKeyPem: ${q(P384)}`),
      message: 'keys[2].privateKeyPem: the private key is ECC_NIST_P384, but keySpec is ECC_NIST_P256',
    },
    {
      name: 'an RSA private key for an ECC key',
      yaml: ok(`    keySpec: ECC_SECG_P256K1\n    keyUsage: SIGN_VERIFY\n    privateKeyPem: ${q(RSA)}`),
      message: 'keys[2].privateKeyPem: the private key is RSA_2048, but keySpec is ECC_SECG_P256K1',
    },
    {
      name: 'a private key inferred as a spec the usage does not fit',
      yaml: ok(`    keyUsage: GENERATE_VERIFY_MAC\n    privateKeyPem: ${q(P256)}`),
      message: 'keys[2].keyUsage: GENERATE_VERIFY_MAC is not a usage of ECC_NIST_P256 (expected SIGN_VERIFY or KEY_AGREEMENT)',
    },
    {
      name: 'privateKeyPem not PEM',
      yaml: ok('    keySpec: RSA_2048\n    privateKeyPem: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'),
      message: 'keys[2].privateKeyPem: not a usable private key: expected exactly one PEM "PRIVATE KEY", "RSA PRIVATE KEY" or "EC PRIVATE KEY" block',
    },
    {
      name: 'privateKeyPem an unsupported RSA size',
      yaml: ok(`    privateKeyPem: ${q(RSA_1024)}`),
      message: 'keys[2].privateKeyPem: not a usable private key: unsupported private key type (rsa 1024)',
    },
    {
      name: 'privateKeyPem an unsupported key type',
      yaml: ok(`    privateKeyPem: ${q(X25519)}`),
      message: 'keys[2].privateKeyPem: not a usable private key: unsupported private key type (x25519)',
    },
    { name: 'privateKeyPem not a string', yaml: ok('    privateKeyPem: true'), message: 'keys[2].privateKeyPem: expected a PEM private key, got a boolean' },
    {
      name: 'material for an asymmetric key',
      yaml: ok(`    keySpec: RSA_2048\n    material: ${M1}`),
      message: 'keys[2].material: RSA_2048 keys take their private key in privateKeyPem, not material',
    },
    {
      name: 'materials for an asymmetric key',
      yaml: ok(`    keySpec: ML_DSA_44\n    keyUsage: SIGN_VERIFY\n    materials: [${M1}]`),
      message: 'keys[2].materials: ML_DSA_44 keys take their private key in privateKeyPem, not materials',
    },
    {
      name: 'a private key for an HMAC key',
      yaml: ok(`    keySpec: HMAC_256\n    keyUsage: GENERATE_VERIFY_MAC\n    privateKeyPem: ${q(P256)}`),
      message: 'keys[2].privateKeyPem: HMAC_256 keys take material (raw key bytes), not a private key',
    },
    {
      name: 'a private key for a SYMMETRIC_DEFAULT key',
      yaml: ok(`    keySpec: SYMMETRIC_DEFAULT\n    privateKeyPem: ${q(P256)}`),
      message: 'keys[2].privateKeyPem: SYMMETRIC_DEFAULT keys take material (32 bytes), not a private key',
    },
    {
      name: 'HMAC material shorter than the digest',
      yaml: ok(`    keySpec: HMAC_384\n    keyUsage: GENERATE_VERIFY_MAC\n    material: ${M1}`),
      message: 'keys[2].material: expected 96 to 256 hex characters or base64 of 48 to 128 bytes (got 64 characters)',
    },
    {
      name: 'HMAC material longer than the block',
      yaml: ok(`    keySpec: HMAC_256\n    keyUsage: GENERATE_VERIFY_MAC\n    material: ${M1}${M2}ab`),
      message: 'keys[2].material: expected 64 to 128 hex characters or base64 of 32 to 64 bytes (got 130 characters)',
    },
    {
      name: 'HMAC material in base64 too short',
      yaml: ok(`    keySpec: HMAC_224\n    keyUsage: GENERATE_VERIFY_MAC\n    material: ${Buffer.alloc(16, 7).toString('base64')}`),
      message: 'keys[2].material: expected 56 to 128 hex characters or base64 of 28 to 64 bytes (got 24 characters)',
    },
    {
      name: 'HMAC material of an odd number of hex digits',
      yaml: ok(`    keySpec: HMAC_256\n    keyUsage: GENERATE_VERIFY_MAC\n    material: ${M1}a`),
      message: 'keys[2].material: expected 64 to 128 hex characters or base64 of 32 to 64 bytes (got 65 characters)',
    },
    {
      name: 'an HMAC rotation history',
      yaml: ok(`    keySpec: HMAC_256\n    keyUsage: GENERATE_VERIFY_MAC\n    materials: [${M1}, ${M2}]`),
      message: 'keys[2].materials: a rotation history is for SYMMETRIC_DEFAULT keys only; give the one HMAC_256 key in material',
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
      name: 'local-kms Hmac backing key of another length',
      yaml: lk('Hmac', `Metadata: { KeyId: ${K1}, KeySpec: HMAC_512 }\n        BackingKeys: [${M1}]`),
      message: 'Keys.Symmetric.Hmac[0].BackingKeys[0]: expected 128 hex characters (64 bytes) (got 64 characters)',
    },
    {
      name: 'local-kms Hmac without backing keys',
      yaml: lk('Hmac', `Metadata: { KeyId: ${K1}, KeySpec: HMAC_384 }`),
      message: 'Keys.Symmetric.Hmac[0].BackingKeys: at least one backing key (96 hex characters) is required unless Metadata.Origin is EXTERNAL',
    },
    {
      name: 'local-kms Hmac EXTERNAL with two backing keys',
      yaml: lk('Hmac', `Metadata: { KeyId: ${K1}, KeySpec: HMAC_256, Origin: EXTERNAL }\n        BackingKeys: [${M1}, ${M2}]`),
      message: 'Keys.Symmetric.Hmac[0].BackingKeys: an EXTERNAL key takes at most one backing key',
    },
    {
      name: 'local-kms Hmac with a KeySpec that is not HMAC',
      yaml: lk('Hmac', `Metadata: { KeyId: ${K1}, KeySpec: SYMMETRIC_DEFAULT }\n        BackingKeys: [${M1}]`),
      message: 'Keys.Symmetric.Hmac[0].Metadata.KeySpec: Hmac keys are HMAC_224, HMAC_256, HMAC_384, HMAC_512, got SYMMETRIC_DEFAULT',
    },
    {
      name: 'local-kms Hmac with another KeyUsage',
      yaml: lk('Hmac', `Metadata: { KeyId: ${K1}, KeySpec: HMAC_256, KeyUsage: SIGN_VERIFY }\n        BackingKeys: [${M1}]`),
      message: 'Keys.Symmetric.Hmac[0].Metadata.KeyUsage: Hmac keys are GENERATE_VERIFY_MAC, got SIGN_VERIFY',
    },
    {
      name: 'local-kms Rsa without KeyUsage',
      yaml: lk('Rsa', `Metadata: { KeyId: ${K1} }\n        PrivateKeyPem: ${q(RSA)}`),
      message: 'Keys.Asymmetric.Rsa[0].Metadata.KeyUsage: required for RSA_2048 keys: ENCRYPT_DECRYPT or SIGN_VERIFY',
    },
    {
      name: 'local-kms Rsa without a private key',
      yaml: lk('Rsa', `Metadata: { KeyId: ${K1}, KeyUsage: SIGN_VERIFY }`),
      message: 'Keys.Asymmetric.Rsa[0].PrivateKeyPem: required: the RSA private key in PEM',
    },
    {
      name: 'local-kms Rsa with an EC key',
      yaml: lk('Rsa', `Metadata: { KeyId: ${K1}, KeyUsage: SIGN_VERIFY }\n        PrivateKeyPem: ${q(P256)}`),
      message: 'Keys.Asymmetric.Rsa[0].PrivateKeyPem: Rsa entries take RSA private keys; this one is ECC_NIST_P256',
    },
    {
      name: 'local-kms Ecc with an RSA key',
      yaml: lk('Ecc', `Metadata: { KeyId: ${K1}, KeyUsage: SIGN_VERIFY }\n        PrivateKeyPem: ${q(RSA)}`),
      message: 'Keys.Asymmetric.Ecc[0].PrivateKeyPem: Ecc entries take elliptic-curve private keys; this one is RSA_2048',
    },
    {
      name: 'local-kms Ecc KeySpec not the key',
      yaml: lk('Ecc', `Metadata: { KeyId: ${K1}, KeyUsage: SIGN_VERIFY, KeySpec: ECC_NIST_P256 }\n        PrivateKeyPem: ${q(P384)}`),
      message: 'Keys.Asymmetric.Ecc[0].Metadata.KeySpec: the private key is ECC_NIST_P384, not ECC_NIST_P256',
    },
    {
      name: 'local-kms Ecc with a usage ECC keys do not have',
      yaml: lk('Ecc', `Metadata: { KeyId: ${K1}, KeyUsage: ENCRYPT_DECRYPT }\n        PrivateKeyPem: ${q(P256)}`),
      message: 'Keys.Asymmetric.Ecc[0].Metadata.KeyUsage: ENCRYPT_DECRYPT is not a usage of ECC_NIST_P256 (expected SIGN_VERIFY or KEY_AGREEMENT)',
    },
    {
      name: 'local-kms Ecc without a private key',
      yaml: lk('Ecc', `Metadata: { KeyId: ${K1}, KeyUsage: SIGN_VERIFY }`),
      message: 'Keys.Asymmetric.Ecc[0].PrivateKeyPem: required: the private key in PEM, or a secp256k1 key in PrivateKeyHex',
    },
    {
      name: 'local-kms PrivateKeyHex of another length',
      yaml: lk('Ecc', `Metadata: { KeyId: ${K1}, KeyUsage: SIGN_VERIFY }\n        PrivateKeyHex: ${M1.slice(2)}`),
      message: 'Keys.Asymmetric.Ecc[0].PrivateKeyHex: expected 64 hex characters (32 bytes) (got 62 characters)',
    },
    {
      name: 'local-kms PrivateKeyHex zero',
      yaml: lk('Ecc', `Metadata: { KeyId: ${K1}, KeyUsage: SIGN_VERIFY }\n        PrivateKeyHex: "${'0'.repeat(64)}"`),
      message: 'Keys.Asymmetric.Ecc[0].PrivateKeyHex: not a secp256k1 private key (it must be above zero and below the curve order)',
    },
    {
      name: 'local-kms PrivateKeyHex not below the curve order',
      yaml: lk('Ecc', `Metadata: { KeyId: ${K1}, KeyUsage: SIGN_VERIFY }\n        PrivateKeyHex: fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141`),
      message: 'Keys.Asymmetric.Ecc[0].PrivateKeyHex: not a secp256k1 private key (it must be above zero and below the curve order)',
    },
    {
      name: 'local-kms alias target unknown',
      yaml: `Aliases:\n  - AliasName: alias/x\n    TargetKeyId: ${K4}\n`,
      message: `Aliases[0]: alias alias/x targets key ${K4}, which is neither defined in this file nor present in account 111122223333 region us-east-1`,
    },
  ];

  for (const { name, yaml, message } of cases) {
    test(name, async () => {
      const services = await makeServices();
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
    const services = await makeServices();
    const path = seedFile('keys: [\n');
    await assert.rejects(applySeedFile(services, path, defaults), (err: Error) => err.message.startsWith(`${path}: invalid YAML: `));
  });

  test('a missing file names the file', async () => {
    const services = await makeServices();
    const path = join(dir, 'nope.yaml');
    await assert.rejects(applySeedFile(services, path, defaults), (err: Error) => err.message.startsWith(`${path}: cannot read the seed file: `));
  });

  test('wrong types in a parsed document are named too', async () => {
    const services = await makeServices();
    await assert.rejects(applySeed(services, { keys: [{ keyId: K1, description: 5 }] }, defaults), {
      message: 'seed: keys[0].description: expected a string, got a number',
    });
  });

  test('errors never echo key material', async () => {
    const services = await makeServices();
    const secret = M1.slice(0, 63) + 'g';
    await assert.rejects(applySeed(services, { keys: [{ keyId: K1, material: secret }] }, defaults), (err: Error) => {
      assert.ok(!err.message.includes(secret.slice(0, 20)));
      return true;
    });
  });
});
