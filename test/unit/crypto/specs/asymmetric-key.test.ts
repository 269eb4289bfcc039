// Key generation, import, inference and GetPublicKey's SPKI for every asymmetric key spec.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { SECRET_ACCESS, SecretMaterial } from '../../../../src/crypto/secret.js';
import {
  ASYMMETRIC_KEY_SPECS,
  generatePrivateKey,
  generatePrivateKeyAsync,
  importPrivateKey,
  inferKeySpec,
  InvalidKeyMaterialError,
  isAsymmetricKeySpec,
  publicKeySpki,
  type AsymmetricKeySpec,
} from '../../../../src/crypto/specs/asymmetric-key.js';
import { openssl, skipWithoutOpenssl, spkiKey } from './_support.js';

const bytesOf = (secret: SecretMaterial): Buffer => secret.exposeSecret(SECRET_ACCESS);

// One key per spec for the whole file (RSA-4096 generation is slow), generated concurrently.
const keys = new Map<AsymmetricKeySpec, SecretMaterial>(
  await Promise.all(ASYMMETRIC_KEY_SPECS.map(async (spec) => [spec, await generatePrivateKeyAsync(spec)] as const)),
);
const keyOf = (spec: AsymmetricKeySpec): SecretMaterial => keys.get(spec)!;

const NODE_SPECS = ASYMMETRIC_KEY_SPECS.filter((spec) => !spec.startsWith('ML_DSA'));
const ML_DSA = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } as const;
type MlDsaSpec = keyof typeof ML_DSA;
const ML_DSA_SPECS = Object.keys(ML_DSA) as MlDsaSpec[];
const ML_DSA_OID_HEX: Record<MlDsaSpec, string> = {
  ML_DSA_44: '0609608648016503040311',
  ML_DSA_65: '0609608648016503040312',
  ML_DSA_87: '0609608648016503040313',
};

test('isAsymmetricKeySpec: the eleven specs, nothing else', () => {
  assert.equal(ASYMMETRIC_KEY_SPECS.length, 11);
  for (const spec of ASYMMETRIC_KEY_SPECS) assert.ok(isAsymmetricKeySpec(spec));
  for (const other of ['SYMMETRIC_DEFAULT', 'HMAC_256', 'SM2', 'ML_KEM_768', 'RSA_1024', 'rsa_2048', '']) assert.ok(!isAsymmetricKeySpec(other));
});

test('generated node keys are PKCS#8 of the right type, size and curve', () => {
  const expected: Record<string, [string, number | string | undefined]> = {
    RSA_2048: ['rsa', 2048],
    RSA_3072: ['rsa', 3072],
    RSA_4096: ['rsa', 4096],
    ECC_NIST_P256: ['ec', 'prime256v1'],
    ECC_NIST_P384: ['ec', 'secp384r1'],
    ECC_NIST_P521: ['ec', 'secp521r1'],
    ECC_SECG_P256K1: ['ec', 'secp256k1'],
    ECC_NIST_EDWARDS25519: ['ed25519', undefined],
  };
  for (const spec of NODE_SPECS) {
    const key = createPrivateKey({ key: bytesOf(keyOf(spec)), format: 'der', type: 'pkcs8' });
    const [type, detail] = expected[spec]!;
    assert.equal(key.asymmetricKeyType, type, spec);
    const details = key.asymmetricKeyDetails ?? {};
    assert.equal(details.modulusLength ?? details.namedCurve, detail, spec);
    if (type === 'rsa') assert.equal(details.publicExponent, 65537n);
  }
});

test('generatePrivateKey (sync) works for a fast spec of each family', () => {
  for (const spec of ['RSA_2048', 'ECC_NIST_P256', 'ECC_NIST_EDWARDS25519', 'ML_DSA_44'] as const) {
    const key = generatePrivateKey(spec);
    assert.equal(inferKeySpec(bytesOf(key)), spec);
  }
});

test('SPKI: node keys — exactly the SPKI node derives from the private key, parseable from the SPKI alone', () => {
  for (const spec of NODE_SPECS) {
    const spki = publicKeySpki(spec, keyOf(spec));
    const fromPrivate = createPublicKey(createPrivateKey({ key: bytesOf(keyOf(spec)), format: 'der', type: 'pkcs8' }));
    assert.deepEqual(spki, fromPrivate.export({ format: 'der', type: 'spki' }), spec);
    assert.deepEqual(spkiKey(spki).export({ format: 'der', type: 'spki' }), spki, `${spec} re-encodes identically`);
  }
});

test('SPKI: RSA is rsaEncryption with NULL parameters', () => {
  const rsaAlgorithm = '300d06092a864886f70d0101010500';
  for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const) {
    const spki = publicKeySpki(spec, keyOf(spec));
    assert.equal(spki.subarray(4, 4 + 15).toString('hex'), rsaAlgorithm, spec);
    assert.equal(spkiKey(spki).asymmetricKeyDetails?.modulusLength, Number(spec.slice(4)));
  }
});

test('SPKI: EC is id-ecPublicKey + named curve + uncompressed point', () => {
  const shapes: Record<string, { curveOid: string; length: number; pointLength: number }> = {
    ECC_NIST_P256: { curveOid: '06082a8648ce3d030107', length: 91, pointLength: 65 },
    ECC_NIST_P384: { curveOid: '06052b81040022', length: 120, pointLength: 97 },
    ECC_NIST_P521: { curveOid: '06052b81040023', length: 158, pointLength: 133 },
    ECC_SECG_P256K1: { curveOid: '06052b8104000a', length: 88, pointLength: 65 },
  };
  for (const [spec, shape] of Object.entries(shapes)) {
    const spki = publicKeySpki(spec as AsymmetricKeySpec, keyOf(spec as AsymmetricKeySpec));
    assert.equal(spki.length, shape.length, spec);
    const hex = spki.toString('hex');
    assert.ok(hex.includes('06072a8648ce3d0201' + shape.curveOid), `${spec}: algorithm identifier`);
    // BIT STRING with no unused bits, then 0x04 ‖ X ‖ Y.
    assert.equal(spki.subarray(spki.length - shape.pointLength - 1, spki.length - shape.pointLength + 1).toString('hex'), '0004', `${spec}: uncompressed point`);
  }
});

test('SPKI: Ed25519 is OID 1.3.101.112 and the 32-byte key', () => {
  const spki = publicKeySpki('ECC_NIST_EDWARDS25519', keyOf('ECC_NIST_EDWARDS25519'));
  assert.equal(spki.length, 44);
  assert.equal(spki.subarray(0, 12).toString('hex'), '302a300506032b6570032100');
});

test('ML-DSA: PKCS#8 is the RFC 9881 seed-only form, byte for byte', () => {
  for (const spec of ML_DSA_SPECS) {
    const pkcs8 = bytesOf(keyOf(spec));
    assert.equal(pkcs8.length, 54, spec);
    // SEQUENCE { INTEGER 0, SEQUENCE { OID }, OCTET STRING { [0] IMPLICIT OCTET STRING (32) } }
    assert.equal(pkcs8.subarray(0, 22).toString('hex'), '3034020100300b' + ML_DSA_OID_HEX[spec] + '04228020', spec);
  }
});

test('ML-DSA: SPKI header, OID without parameters, and the public key noble derives from the seed', () => {
  const shapes: Record<MlDsaSpec, { header: string; publicKeyBytes: number }> = {
    ML_DSA_44: { header: '30820532300b' + ML_DSA_OID_HEX.ML_DSA_44 + '0382052100', publicKeyBytes: 1312 },
    ML_DSA_65: { header: '308207b2300b' + ML_DSA_OID_HEX.ML_DSA_65 + '038207a100', publicKeyBytes: 1952 },
    ML_DSA_87: { header: '30820a32300b' + ML_DSA_OID_HEX.ML_DSA_87 + '03820a2100', publicKeyBytes: 2592 },
  };
  for (const spec of ML_DSA_SPECS) {
    const spki = publicKeySpki(spec, keyOf(spec));
    const { header, publicKeyBytes } = shapes[spec];
    assert.equal(spki.subarray(0, 22).toString('hex'), header, spec);
    assert.equal(spki.length, 22 + publicKeyBytes, spec);
    const seed = bytesOf(keyOf(spec)).subarray(22);
    assert.deepEqual(new Uint8Array(spki.subarray(22)), ML_DSA[spec].keygen(seed).publicKey, spec);
  }
});

test('ML-DSA: openssl asn1parse reads our SPKI and PKCS#8 as well-formed DER with the NIST OIDs', { skip: skipWithoutOpenssl }, () => {
  for (const spec of ML_DSA_SPECS) {
    const oid = `2.16.840.1.101.3.4.3.${{ ML_DSA_44: 17, ML_DSA_65: 18, ML_DSA_87: 19 }[spec]}`;
    const spki = openssl(['asn1parse', '-inform', 'DER', '-in', 'spki.der'], { 'spki.der': publicKeySpki(spec, keyOf(spec)) });
    assert.equal(spki.status, 0, spki.output);
    assert.match(spki.output, /OBJECT\s+:(ML-DSA|id-ml-dsa|2\.16\.840\.1\.101\.3\.4\.3\.1[789])/i);
    assert.ok(spki.output.includes(oid) || /ML-DSA/i.test(spki.output));
    assert.match(spki.output, /BIT STRING/);
    const pkcs8 = openssl(['asn1parse', '-inform', 'DER', '-in', 'key.der'], { 'key.der': bytesOf(keyOf(spec)) });
    assert.equal(pkcs8.status, 0, pkcs8.output);
    assert.match(pkcs8.output, /OCTET STRING/);
    // Inside the privateKey OCTET STRING (at offset 18): the [0] IMPLICIT seed, 32 bytes.
    const seed = openssl(['asn1parse', '-inform', 'DER', '-in', 'key.der', '-strparse', '18'], { 'key.der': bytesOf(keyOf(spec)) });
    assert.equal(seed.status, 0, seed.output);
    assert.match(seed.output, /^\s*0:d=0\s+hl=2 l=\s*32 prim: cont \[ 0 \]\s*$/m);
  }
});

test('importPrivateKey: canonical PKCS#8 in, the same bytes out, for every spec', () => {
  for (const spec of ASYMMETRIC_KEY_SPECS) {
    assert.deepEqual(bytesOf(importPrivateKey(spec, bytesOf(keyOf(spec)))), bytesOf(keyOf(spec)), spec);
  }
});

test('importPrivateKey: PEM "PRIVATE KEY" of every spec', () => {
  for (const spec of ASYMMETRIC_KEY_SPECS) {
    const pem = `-----BEGIN PRIVATE KEY-----\n${bytesOf(keyOf(spec)).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
    assert.deepEqual(bytesOf(importPrivateKey(spec, pem)), bytesOf(keyOf(spec)), spec);
    assert.deepEqual(bytesOf(importPrivateKey(spec, Buffer.from(pem))), bytesOf(keyOf(spec)), `${spec} as PEM bytes`);
  }
});

test('importPrivateKey: PKCS#1 "RSA PRIVATE KEY" PEM and DER', () => {
  for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const) {
    const key = createPrivateKey({ key: bytesOf(keyOf(spec)), format: 'der', type: 'pkcs8' });
    const pem = key.export({ format: 'pem', type: 'pkcs1' }).toString();
    assert.match(pem, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.deepEqual(bytesOf(importPrivateKey(spec, pem)), bytesOf(keyOf(spec)), spec);
    assert.deepEqual(bytesOf(importPrivateKey(spec, key.export({ format: 'der', type: 'pkcs1' }))), bytesOf(keyOf(spec)), spec);
  }
});

test('importPrivateKey: SEC1 "EC PRIVATE KEY" PEM (also after an "EC PARAMETERS" block) and DER', () => {
  for (const spec of ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1'] as const) {
    const key = createPrivateKey({ key: bytesOf(keyOf(spec)), format: 'der', type: 'pkcs8' });
    const pem = key.export({ format: 'pem', type: 'sec1' }).toString();
    assert.match(pem, /^-----BEGIN EC PRIVATE KEY-----/);
    assert.deepEqual(bytesOf(importPrivateKey(spec, pem)), bytesOf(keyOf(spec)), spec);
    const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
    assert.deepEqual(bytesOf(importPrivateKey(spec, params + pem)), bytesOf(keyOf(spec)), `${spec} with parameters block`);
    assert.deepEqual(bytesOf(importPrivateKey(spec, key.export({ format: 'der', type: 'sec1' }))), bytesOf(keyOf(spec)), spec);
  }
});

test('importPrivateKey: a SEC1 key with a compressed public key comes out uncompressed', { skip: skipWithoutOpenssl }, () => {
  const spec = 'ECC_NIST_P256';
  const sec1 = createPrivateKey({ key: bytesOf(keyOf(spec)), format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'sec1' });
  const compressed = openssl(['ec', '-in', 'key.pem', '-conv_form', 'compressed'], { 'key.pem': sec1 });
  assert.equal(compressed.status, 0, compressed.output);
  const pem = compressed.output.slice(compressed.output.indexOf('-----BEGIN'));
  // OpenSSL itself would now hand out a compressed SPKI for this key...
  assert.equal(createPublicKey(pem).export({ format: 'der', type: 'spki' }).length, 59);
  // ...but the imported key is the canonical one, and so is its SPKI.
  const imported = importPrivateKey(spec, pem);
  assert.deepEqual(bytesOf(imported), bytesOf(keyOf(spec)));
  assert.equal(publicKeySpki(spec, imported).length, 91);
});

test('importPrivateKey: ML-DSA "both" form is checked against its seed; expanded-only is refused', () => {
  const spec = 'ML_DSA_65';
  const seed = bytesOf(keyOf(spec)).subarray(22);
  const expanded = Buffer.from(ml_dsa65.keygen(seed).secretKey);
  const both = (expandedKey: Buffer): Buffer => {
    const inner = Buffer.concat([Buffer.from('0420', 'hex'), seed, Buffer.from('04820fc0', 'hex'), expandedKey]);
    assert.equal(expandedKey.length, 0xfc0);
    const octet = Buffer.concat([Buffer.from('04820fea', 'hex'), Buffer.from('30820fe6', 'hex'), inner]);
    assert.equal(inner.length, 0xfe6);
    const body = Buffer.concat([Buffer.from('020100300b' + ML_DSA_OID_HEX[spec], 'hex'), octet]);
    return Buffer.concat([Buffer.from('30820' + body.length.toString(16).padStart(3, '0'), 'hex'), body]);
  };
  assert.deepEqual(bytesOf(importPrivateKey(spec, both(expanded))), bytesOf(keyOf(spec)));
  const wrong = Buffer.from(expanded);
  wrong[100] = wrong[100]! ^ 1;
  assert.throws(() => importPrivateKey(spec, both(wrong)), InvalidKeyMaterialError);
  // 3 + 13 + (4 + 4 + 4032) = 4056 = 0xfd8 content octets.
  const expandedOnly = Buffer.concat([
    Buffer.from('30820fd8020100300b' + ML_DSA_OID_HEX[spec] + '04820fc4' + '04820fc0', 'hex'),
    expanded,
  ]);
  assert.equal(expandedOnly.length, 4 + 0xfd8);
  assert.throws(() => importPrivateKey(spec, expandedOnly), /seed is required/);
});

test('importPrivateKey: a key of another spec is refused', () => {
  const pairs: [AsymmetricKeySpec, AsymmetricKeySpec][] = [
    ['RSA_2048', 'RSA_3072'],
    ['RSA_4096', 'RSA_2048'],
    ['ECC_NIST_P256', 'ECC_SECG_P256K1'],
    ['ECC_NIST_P384', 'ECC_NIST_P521'],
    ['ECC_NIST_EDWARDS25519', 'ECC_NIST_P256'],
    ['ML_DSA_44', 'ML_DSA_87'],
    ['ML_DSA_65', 'ECC_NIST_EDWARDS25519'],
    ['RSA_2048', 'ML_DSA_44'],
  ];
  for (const [actual, claimed] of pairs) {
    assert.throws(() => importPrivateKey(claimed, bytesOf(keyOf(actual))), InvalidKeyMaterialError, `${actual} as ${claimed}`);
  }
});

test('importPrivateKey: unsupported keys and non-keys are refused', () => {
  const pkcs8 = (type: string, options: object): Buffer =>
    (generateKeyPairSync as (t: string, o: object) => { privateKey: Buffer })(type, { ...options, privateKeyEncoding: { type: 'pkcs8', format: 'der' }, publicKeyEncoding: { type: 'spki', format: 'der' } }).privateKey;
  const refused: [string, Uint8Array | string][] = [
    ['RSA-1024', pkcs8('rsa', { modulusLength: 1024 })],
    ['P-224', pkcs8('ec', { namedCurve: 'secp224r1' })],
    ['X25519', pkcs8('x25519', {})],
    ['Ed448', pkcs8('ed448', {})],
    ['garbage', randomBytes(100)],
    ['empty', new Uint8Array(0)],
    ['empty string', ''],
    ['public key PEM', createPublicKey(createPrivateKey({ key: bytesOf(keyOf('ECC_NIST_P256')), format: 'der', type: 'pkcs8' })).export({ format: 'pem', type: 'spki' }).toString()],
    ['encrypted PKCS#8', createPrivateKey({ key: bytesOf(keyOf('ECC_NIST_P256')), format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'x' }).toString()],
    ['two keys', `${createPrivateKey({ key: bytesOf(keyOf('ECC_NIST_P256')), format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' })}`.repeat(2)],
    ['truncated', bytesOf(keyOf('RSA_2048')).subarray(0, 300)],
  ];
  for (const [name, material] of refused) {
    for (const spec of ['RSA_2048', 'ECC_NIST_P256', 'ML_DSA_44'] as const) {
      assert.throws(() => importPrivateKey(spec, material), InvalidKeyMaterialError, `${name} as ${spec}`);
    }
    assert.equal(inferKeySpec(material), undefined, name);
  }
});

test('inferKeySpec: every spec, from DER and from PEM', () => {
  for (const spec of ASYMMETRIC_KEY_SPECS) {
    assert.equal(inferKeySpec(bytesOf(keyOf(spec))), spec);
    const pem = `-----BEGIN PRIVATE KEY-----\n${bytesOf(keyOf(spec)).toString('base64')}\n-----END PRIVATE KEY-----`;
    assert.equal(inferKeySpec(pem), spec);
  }
  const rsa = createPrivateKey({ key: bytesOf(keyOf('RSA_3072')), format: 'der', type: 'pkcs8' });
  assert.equal(inferKeySpec(rsa.export({ format: 'pem', type: 'pkcs1' }).toString()), 'RSA_3072');
  const k1 = createPrivateKey({ key: bytesOf(keyOf('ECC_SECG_P256K1')), format: 'der', type: 'pkcs8' });
  assert.equal(inferKeySpec(k1.export({ format: 'pem', type: 'sec1' }).toString()), 'ECC_SECG_P256K1');
});

test('publicKeySpki refuses material that is not of the spec', () => {
  assert.throws(() => publicKeySpki('RSA_2048', keyOf('RSA_3072')), InvalidKeyMaterialError);
  assert.throws(() => publicKeySpki('ML_DSA_44', keyOf('ML_DSA_65')), InvalidKeyMaterialError);
  assert.throws(() => publicKeySpki('ECC_NIST_P256', new SecretMaterial(randomBytes(40))), InvalidKeyMaterialError);
});
