// RSA signing: every RSA key spec × RSASSA-PSS / PKCS#1 v1.5 × SHA-256/384/512 × RAW / DIGEST,
// checked with node:crypto holding only the SPKI, and with the openssl command line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createPrivateKey, privateEncrypt, publicDecrypt, randomBytes, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { SECRET_ACCESS, type SecretMaterial } from '../../../../src/crypto/secret.js';
import { generatePrivateKeyAsync, publicKeySpki, type RsaKeySpec } from '../../../../src/crypto/specs/asymmetric-key.js';
import { pssAlgorithmIdentifier, verifyPssDigest } from '../../../../src/crypto/specs/rsa-digest.js';
import { digestLengthOf, InvalidSigningInputError, sign, signingAlgorithmsFor, verify, type SigningAlgorithm } from '../../../../src/crypto/specs/signing.js';
import { digest, flipBit, openssl, skipWithoutOpenssl, spkiKey, spkiPem } from './_support.js';

const SPECS: RsaKeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];
const keys = new Map<RsaKeySpec, SecretMaterial>(await Promise.all(SPECS.map(async (spec) => [spec, await generatePrivateKeyAsync(spec)] as const)));
const spkis = new Map(SPECS.map((spec) => [spec, publicKeySpki(spec, keys.get(spec)!)]));

const ALGORITHMS = [
  ['RSASSA_PKCS1_V1_5_SHA_256', 'sha256', false],
  ['RSASSA_PKCS1_V1_5_SHA_384', 'sha384', false],
  ['RSASSA_PKCS1_V1_5_SHA_512', 'sha512', false],
  ['RSASSA_PSS_SHA_256', 'sha256', true],
  ['RSASSA_PSS_SHA_384', 'sha384', true],
  ['RSASSA_PSS_SHA_512', 'sha512', true],
] as const;
const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;

/** Node's verifier, given only the SPKI; PSS salt length is checked exactly. */
function nodeAccepts(spki: Buffer | KeyObject, hash: string, pss: boolean, message: Uint8Array, signature: Uint8Array, saltLength?: number): boolean {
  const key = Buffer.isBuffer(spki) ? spkiKey(spki) : spki;
  const options = pss
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: saltLength ?? HASH_BYTES[hash as keyof typeof HASH_BYTES] }
    : { key, padding: constants.RSA_PKCS1_PADDING };
  return nodeVerify(hash, message, options, signature);
}

test('signingAlgorithmsFor: RSA keys list PKCS#1 v1.5 then PSS, as AWS DescribeKey does', () => {
  for (const spec of SPECS) assert.deepEqual(signingAlgorithmsFor(spec), ALGORITHMS.map(([name]) => name));
});

test('digestLengthOf: RSA algorithms take the hash length', () => {
  for (const [algorithm, hash] of ALGORITHMS) assert.equal(digestLengthOf(algorithm), HASH_BYTES[hash]);
});

for (const spec of SPECS) {
  for (const [algorithm, hash, pss] of ALGORITHMS) {
    test(`${spec} ${algorithm}: RAW and DIGEST verify with node from the SPKI alone`, () => {
      const key = keys.get(spec)!;
      const spki = spkis.get(spec)!;
      const message = randomBytes(100);
      const raw = sign(spec, key, algorithm, 'RAW', message);
      const fromDigest = sign(spec, key, algorithm, 'DIGEST', digest(hash, message));
      for (const signature of [raw, fromDigest]) {
        assert.equal(signature.length, Number(spec.slice(4)) / 8);
        assert.ok(nodeAccepts(spki, hash, pss, message, signature));
        if (pss) {
          // AWS: the salt is as long as the digest; a verifier insisting on another length refuses.
          assert.ok(!nodeAccepts(spki, hash, pss, message, signature, HASH_BYTES[hash] + 1));
          assert.ok(!nodeAccepts(spki, hash, pss, message, signature, 20));
        }
        // Our own verifier, both ways round.
        assert.ok(verify(spec, key, algorithm, 'RAW', message, signature));
        assert.ok(verify(spec, key, algorithm, 'DIGEST', digest(hash, message), signature));
        // Tampering.
        assert.ok(!verify(spec, key, algorithm, 'RAW', Buffer.concat([message, Buffer.of(0)]), signature));
        assert.ok(!verify(spec, key, algorithm, 'DIGEST', flipBit(digest(hash, message), 5), signature));
        assert.ok(!verify(spec, key, algorithm, 'RAW', message, flipBit(signature, 77)));
        assert.ok(!verify(spec, key, algorithm, 'DIGEST', digest(hash, message), flipBit(signature, 1000)));
      }
      if (!pss) assert.deepEqual(raw, fromDigest, 'PKCS#1 v1.5 is deterministic: DIGEST equals RAW');
    });
  }
}

test('RSA: signatures made by node are accepted by verify (RAW and DIGEST)', () => {
  const spec = 'RSA_3072';
  const key = createPrivateKey({ key: keys.get(spec)!.exposeSecret(SECRET_ACCESS), format: 'der', type: 'pkcs8' });
  for (const [algorithm, hash, pss] of ALGORITHMS) {
    const message = randomBytes(33);
    const options = pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[hash] } : { key, padding: constants.RSA_PKCS1_PADDING };
    const signature = nodeSign(hash, message, options);
    assert.ok(verify(spec, keys.get(spec)!, algorithm, 'RAW', message, signature), algorithm);
    assert.ok(verify(spec, keys.get(spec)!, algorithm, 'DIGEST', digest(hash, message), signature), algorithm);
  }
});

test('RSA: PSS and PKCS#1 signatures are not interchangeable, nor are hashes', () => {
  const spec = 'RSA_2048';
  const key = keys.get(spec)!;
  const message = randomBytes(10);
  const pss = sign(spec, key, 'RSASSA_PSS_SHA_256', 'RAW', message);
  const pkcs1 = sign(spec, key, 'RSASSA_PKCS1_V1_5_SHA_256', 'RAW', message);
  assert.ok(!verify(spec, key, 'RSASSA_PKCS1_V1_5_SHA_256', 'RAW', message, pss));
  assert.ok(!verify(spec, key, 'RSASSA_PSS_SHA_256', 'RAW', message, pkcs1));
  assert.ok(!verify(spec, key, 'RSASSA_PSS_SHA_256', 'DIGEST', digest('sha256', message), pkcs1));
  assert.ok(!verify(spec, key, 'RSASSA_PKCS1_V1_5_SHA_384', 'RAW', message, pkcs1));
  assert.ok(!verify(spec, key, 'RSASSA_PSS_SHA_384', 'RAW', message, pss));
});

test('RSA: malformed signatures are false, never an exception', () => {
  const spec = 'RSA_2048';
  const key = keys.get(spec)!;
  const d = digest('sha256', Buffer.from('x'));
  for (const signature of [Buffer.alloc(0), Buffer.alloc(255, 1), Buffer.alloc(256, 0xff), Buffer.alloc(257, 1), Buffer.alloc(256)]) {
    for (const algorithm of ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'] as const) {
      assert.equal(verify(spec, key, algorithm, 'RAW', Buffer.from('x'), signature), false);
      assert.equal(verify(spec, key, algorithm, 'DIGEST', d, signature), false);
    }
  }
});

test('RSA: a digest of the wrong length, another spec\'s algorithm or EXTERNAL_MU is refused', () => {
  const spec = 'RSA_2048';
  const key = keys.get(spec)!;
  for (const [algorithm, hash] of ALGORITHMS) {
    for (const length of [0, HASH_BYTES[hash] - 1, HASH_BYTES[hash] + 1, 20]) {
      assert.throws(() => sign(spec, key, algorithm, 'DIGEST', Buffer.alloc(length)), InvalidSigningInputError, `${algorithm} ${length}`);
      assert.throws(() => verify(spec, key, algorithm, 'DIGEST', Buffer.alloc(length), Buffer.alloc(256)), InvalidSigningInputError);
    }
    assert.throws(() => sign(spec, key, algorithm, 'EXTERNAL_MU', Buffer.alloc(64)), InvalidSigningInputError);
  }
  for (const algorithm of ['ECDSA_SHA_256', 'ED25519_SHA_512', 'ML_DSA_SHAKE_256'] as SigningAlgorithm[]) {
    assert.throws(() => sign(spec, key, algorithm, 'RAW', Buffer.from('m')), InvalidSigningInputError);
  }
});

test('RSA PSS: the restricted-key AlgorithmIdentifier matches what OpenSSL writes for RSASSA-PSS keys', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
    const options = { modulusLength: 1024, hashAlgorithm: hash, mgf1HashAlgorithm: hash, saltLength: HASH_BYTES[hash] };
    const { privateKey } = (generateKeyPairSync as (type: string, o: object) => { privateKey: KeyObject })('rsa-pss', options);
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    const ours = pssAlgorithmIdentifier(hash);
    assert.deepEqual(pkcs8.subarray(7, 7 + ours.length), ours, hash);
  }
});

test('RSA via openssl: PSS and PKCS#1 v1.5, RAW (dgst -verify) and DIGEST (pkeyutl -verify)', { skip: skipWithoutOpenssl }, () => {
  for (const spec of ['RSA_2048', 'RSA_4096'] as const) {
    const key = keys.get(spec)!;
    const pem = spkiPem(spkis.get(spec)!);
    for (const [algorithm, hash, pss] of ALGORITHMS) {
      const message = randomBytes(200);
      const padding = pss ? ['rsa_padding_mode:pss', `rsa_pss_saltlen:${HASH_BYTES[hash]}`, `rsa_mgf1_md:${hash}`] : ['rsa_padding_mode:pkcs1'];
      const raw = sign(spec, key, algorithm, 'RAW', message);
      const dgst = openssl(['dgst', `-${hash}`, '-verify', 'pub.pem', ...padding.flatMap((o) => ['-sigopt', o]), '-signature', 'sig.bin', 'msg.bin'], {
        'pub.pem': pem,
        'sig.bin': raw,
        'msg.bin': message,
      });
      assert.equal(dgst.status, 0, `${spec} ${algorithm} RAW: ${dgst.output}`);
      assert.match(dgst.output, /Verified OK/);
      const fromDigest = sign(spec, key, algorithm, 'DIGEST', digest(hash, message));
      const pkeyutl = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-in', 'digest.bin', '-sigfile', 'sig.bin', '-pkeyopt', `digest:${hash}`, ...padding.flatMap((o) => ['-pkeyopt', o])], {
        'pub.pem': pem,
        'sig.bin': fromDigest,
        'digest.bin': digest(hash, message),
      });
      assert.equal(pkeyutl.status, 0, `${spec} ${algorithm} DIGEST: ${pkeyutl.output}`);
      assert.match(pkeyutl.output, /Signature Verified Successfully/);
      // And openssl refuses a tampered one.
      const bad = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-in', 'digest.bin', '-sigfile', 'sig.bin', '-pkeyopt', `digest:${hash}`, ...padding.flatMap((o) => ['-pkeyopt', o])], {
        'pub.pem': pem,
        'sig.bin': flipBit(fromDigest, 3),
        'digest.bin': digest(hash, message),
      });
      assert.notEqual(bad.status, 0);
    }
  }
});

// The PSS DIGEST verifier is hand-written (rsa-digest.ts); these compare its verdict with node's
// (OpenSSL's) on the same inputs, over many valid and deliberately broken encodings.

function rawPublic(key: KeyObject, signature: Uint8Array): Buffer {
  return publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
}
function rawPrivate(key: KeyObject, encoded: Uint8Array): Buffer | undefined {
  try {
    return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, encoded);
  } catch {
    return undefined; // encoded ≥ n
  }
}

test('PSS DIGEST verify agrees with node for many node-made signatures, and refuses other salt lengths', () => {
  const spec = 'RSA_2048';
  const key = createPrivateKey({ key: keys.get(spec)!.exposeSecret(SECRET_ACCESS), format: 'der', type: 'pkcs8' });
  for (const [algorithm, hash, pss] of ALGORITHMS) {
    if (!pss) continue;
    for (let i = 0; i < 60; i++) {
      const message = randomBytes(i);
      const saltLength: number = [HASH_BYTES[hash], 0, 20, HASH_BYTES[hash] - 1, HASH_BYTES[hash] + 1, constants.RSA_PSS_SALTLEN_MAX_SIGN][i % 6]!;
      const signature: Buffer = nodeSign(hash, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
      const expected = nodeAccepts(spkis.get(spec)!, hash, true, message, signature);
      assert.equal(expected, saltLength === HASH_BYTES[hash]);
      assert.equal(verify(spec, keys.get(spec)!, algorithm, 'DIGEST', digest(hash, message), signature), expected, `${algorithm} salt ${saltLength}`);
    }
  }
});

test('PSS DIGEST verify agrees with node on every single-bit change of a valid encoded message', () => {
  for (const spec of ['RSA_2048', 'RSA_3072'] as const) {
    const key = createPrivateKey({ key: keys.get(spec)!.exposeSecret(SECRET_ACCESS), format: 'der', type: 'pkcs8' });
    const spki = spkiKey(spkis.get(spec)!);
    for (const [algorithm, hash, pss] of ALGORITHMS) {
      if (!pss) continue;
      const message = randomBytes(50);
      const encoded = rawPublic(key, sign(spec, keys.get(spec)!, algorithm, 'DIGEST', digest(hash, message)));
      // Every bit for SHA-256 on RSA-2048; a stride elsewhere keeps the run short but still hits
      // the top bits, the padding string, the 0x01 separator, the salt, H and the 0xbc trailer.
      const stride = spec === 'RSA_2048' && hash === 'sha256' ? 1 : 13;
      let compared = 0;
      for (let bit = 0; bit < encoded.length * 8; bit += stride) {
        const signature = rawPrivate(key, flipBit(encoded, bit));
        if (signature === undefined) continue;
        const expected = nodeAccepts(spki, hash, true, message, signature);
        assert.equal(expected, false);
        assert.equal(verifyPssDigest(key, hash, digest(hash, message), signature), expected, `${spec} ${algorithm} bit ${bit}`);
        compared++;
      }
      assert.ok(compared > encoded.length * 8 / stride - 2);
      // The unmodified encoding still passes both.
      const original = rawPrivate(key, encoded)!;
      assert.ok(nodeAccepts(spki, hash, true, message, original));
      assert.ok(verifyPssDigest(key, hash, digest(hash, message), original));
    }
  }
});

test('PSS DIGEST verify agrees with node on random and structured garbage encodings', () => {
  const spec = 'RSA_2048';
  const key = createPrivateKey({ key: keys.get(spec)!.exposeSecret(SECRET_ACCESS), format: 'der', type: 'pkcs8' });
  const message = Buffer.from('structured garbage');
  const valid = rawPublic(key, sign(spec, keys.get(spec)!, 'RSASSA_PSS_SHA_256', 'DIGEST', digest('sha256', message)));
  const variants: Buffer[] = [];
  for (let i = 0; i < 50; i++) {
    const random = randomBytes(256);
    random[0] = random[0]! & 0x7f;
    variants.push(random);
    const withTrailer = Buffer.from(random);
    withTrailer[255] = 0xbc;
    variants.push(withTrailer);
  }
  variants.push(Buffer.concat([Buffer.alloc(255), Buffer.of(0xbc)]));
  variants.push(Buffer.concat([valid.subarray(0, 200), Buffer.alloc(56)]));
  variants.push(Buffer.concat([Buffer.alloc(1), valid.subarray(1, 223), Buffer.alloc(33, 0xbc)]));
  for (const encoded of variants) {
    const signature = rawPrivate(key, encoded);
    if (signature === undefined) continue;
    const expected = nodeAccepts(spkis.get(spec)!, 'sha256', true, message, signature);
    assert.equal(verify(spec, keys.get(spec)!, 'RSASSA_PSS_SHA_256', 'DIGEST', digest('sha256', message), signature), expected);
  }
});

test('PKCS#1 v1.5 DIGEST verify agrees with node on single-bit changes of a valid encoded message', () => {
  const spec = 'RSA_2048';
  const key = createPrivateKey({ key: keys.get(spec)!.exposeSecret(SECRET_ACCESS), format: 'der', type: 'pkcs8' });
  const spki = spkiKey(spkis.get(spec)!);
  for (const [algorithm, hash, pss] of ALGORITHMS) {
    if (pss) continue;
    const message = randomBytes(20);
    const encoded = rawPublic(key, sign(spec, keys.get(spec)!, algorithm, 'DIGEST', digest(hash, message)));
    for (let bit = 0; bit < encoded.length * 8; bit += 5) {
      const signature = rawPrivate(key, flipBit(encoded, bit));
      if (signature === undefined) continue;
      const expected = nodeAccepts(spki, hash, false, message, signature);
      assert.equal(verify(spec, keys.get(spec)!, algorithm, 'DIGEST', digest(hash, message), signature), expected, `${algorithm} bit ${bit}`);
    }
  }
});
