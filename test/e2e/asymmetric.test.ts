// Every asymmetric, HMAC and key-agreement key spec through @aws-sdk/client-kms, each result
// checked outside the server: node:crypto and the openssl command with the public key from
// GetPublicKey, @noble for what Node 20 lacks (Ed25519ph, ML-DSA).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  constants,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  verify as nodeVerify,
} from 'node:crypto';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { shake256 } from '@noble/hashes/sha3.js';
import {
  CreateKeyCommand,
  DecryptCommand,
  DeriveSharedSecretCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  KMSClient,
  ReEncryptCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
  type KeySpec,
  type KeyUsageType,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
let kms: KMSClient;
const keys = new Map<string, { KeyId: string; Arn: string; publicKey?: Buffer }>();

async function key(spec: string, usage: string): Promise<{ KeyId: string; Arn: string; publicKey: Buffer }> {
  const name = `${spec}/${usage}`;
  let entry = keys.get(name);
  if (!entry) {
    const m = (await kms.send(new CreateKeyCommand({ KeySpec: spec as KeySpec, KeyUsage: usage as KeyUsageType }))).KeyMetadata!;
    entry = { KeyId: m.KeyId!, Arn: m.Arn! };
    keys.set(name, entry);
  }
  if (!entry.publicKey && usage !== 'GENERATE_VERIFY_MAC') {
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: entry.KeyId }));
    entry.publicKey = Buffer.from(pub.PublicKey!);
  }
  return entry as { KeyId: string; Arn: string; publicKey: Buffer };
}

before(async () => {
  server = await startServer();
  kms = server.client();
});
after(async () => {
  kms?.destroy();
  await server?.stop();
});

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

describe('CreateKey and DescribeKey for every key spec', () => {
  const cases: [string, string, Record<string, string[]>][] = [
    ['RSA_2048', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }],
    ['RSA_3072', 'SIGN_VERIFY', { SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'] }],
    ['ECC_NIST_P256', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }],
    ['ECC_NIST_P384', 'KEY_AGREEMENT', { KeyAgreementAlgorithms: ['ECDH'] }],
    ['ECC_NIST_P521', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_512'] }],
    ['ECC_SECG_P256K1', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }],
    ['ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', { SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] }],
    ['ML_DSA_65', 'SIGN_VERIFY', { SigningAlgorithms: ['ML_DSA_SHAKE_256'] }],
    ['HMAC_384', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_384'] }],
  ];
  for (const [spec, usage, lists] of cases) {
    test(`${spec} / ${usage} lists its algorithms`, async () => {
      const k = await key(spec, usage);
      const m = (await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!;
      assert.equal(m.KeySpec, spec);
      assert.equal(m.CustomerMasterKeySpec, spec);
      assert.equal(m.KeyUsage, usage);
      for (const field of ['EncryptionAlgorithms', 'SigningAlgorithms', 'MacAlgorithms', 'KeyAgreementAlgorithms'] as const) {
        assert.deepEqual(m[field], lists[field], field);
      }
      assert.equal(m.CurrentKeyMaterialId, undefined);
    });
  }

  test('a spec/usage pair AWS refuses is a ValidationException; SM2 is refused outside China', async () => {
    const refused = [
      ['RSA_2048', 'KEY_AGREEMENT'], ['ECC_NIST_P256', 'ENCRYPT_DECRYPT'], ['ECC_SECG_P256K1', 'KEY_AGREEMENT'],
      ['HMAC_256', 'SIGN_VERIFY'], ['SYMMETRIC_DEFAULT', 'SIGN_VERIFY'], ['ML_DSA_44', 'ENCRYPT_DECRYPT'],
    ];
    for (const [spec, usage] of refused) {
      const err = await awsError(() => kms.send(new CreateKeyCommand({ KeySpec: spec as KeySpec, KeyUsage: usage as KeyUsageType })));
      // AWS: "KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048" (no period).
      assert.deepEqual(err, { name: 'ValidationException', message: `KeyUsage ${usage} is not compatible with KeySpec ${spec}`, status: 400 }, `${spec}/${usage}`);
    }
    for (const spec of ['HMAC_256', 'RSA_2048', 'ECC_NIST_P256'] as const) {
      const noUsage = await awsError(() => kms.send(new CreateKeyCommand({ KeySpec: spec })));
      assert.deepEqual(noUsage, { name: 'ValidationException', message: 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.', status: 400 }, spec);
    }
    const sm2 = await awsError(() => kms.send(new CreateKeyCommand({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' })));
    assert.equal(sm2.name, 'UnsupportedOperationException');
  });

  test('the deprecated CustomerMasterKeySpec is accepted', async () => {
    const m = (await kms.send(new CreateKeyCommand({ CustomerMasterKeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    assert.equal(m.KeySpec, 'ECC_NIST_P256');
  });
});

describe('GetPublicKey', () => {
  test('returns DER SPKI with the spec, usage and algorithm lists', async () => {
    const k = await key('RSA_2048', 'ENCRYPT_DECRYPT');
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: k.Arn }));
    const parsed = createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' });
    assert.equal(parsed.asymmetricKeyType, 'rsa');
    assert.equal(parsed.asymmetricKeyDetails!.modulusLength, 2048);
    assert.equal(pub.KeySpec, 'RSA_2048');
    assert.equal(pub.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.deepEqual(pub.EncryptionAlgorithms, ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    assert.equal(pub.KeyId, k.Arn);
  });

  test('is refused for symmetric and HMAC keys', async () => {
    const sym = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const hmac = await key('HMAC_256', 'GENERATE_VERIFY_MAC');
    for (const id of [sym.KeyId!, hmac.KeyId]) {
      const err = await awsError(() => kms.send(new GetPublicKeyCommand({ KeyId: id })));
      assert.equal(err.name, 'UnsupportedOperationException');
    }
  });
});

describe('Sign and Verify, checked with the public key outside the server', () => {
  const message = Buffer.from('release artifact v1.2.3');
  const rsaAndEcdsa: [string, SigningAlgorithmSpec][] = [
    ['RSA_2048', 'RSASSA_PSS_SHA_256'],
    ['RSA_2048', 'RSASSA_PSS_SHA_384'],
    ['RSA_2048', 'RSASSA_PSS_SHA_512'],
    ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256'],
    ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_384'],
    ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_512'],
    ['ECC_NIST_P256', 'ECDSA_SHA_256'],
    ['ECC_NIST_P384', 'ECDSA_SHA_384'],
    ['ECC_NIST_P521', 'ECDSA_SHA_512'],
    ['ECC_SECG_P256K1', 'ECDSA_SHA_256'],
  ];
  for (const [spec, algorithm] of rsaAndEcdsa) {
    for (const messageType of ['RAW', 'DIGEST'] as const) {
      test(`${spec} ${algorithm} ${messageType}`, async () => {
        const k = await key(spec, 'SIGN_VERIFY');
        const hash = HASH[algorithm.slice(-3)]!;
        const input = messageType === 'RAW' ? message : createHash(hash).update(message).digest();
        const out = await kms.send(new SignCommand({ KeyId: k.KeyId, Message: input, MessageType: messageType, SigningAlgorithm: algorithm }));
        assert.equal(out.KeyId, k.Arn);
        assert.equal(out.SigningAlgorithm, algorithm);
        const signature = Buffer.from(out.Signature!);
        const publicKey = createPublicKey({ key: k.publicKey, format: 'der', type: 'spki' });
        // DIGEST input is signed as given, never hashed again: it verifies as a signature of the message.
        const options = algorithm.startsWith('RSASSA_PSS')
          ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: createHash(hash).digest().length }
          : algorithm.startsWith('RSASSA_PKCS1')
            ? { key: publicKey, padding: constants.RSA_PKCS1_PADDING }
            : { key: publicKey, dsaEncoding: 'der' as const };
        assert.ok(nodeVerify(hash, message, options, signature), 'node:crypto verifies');
        const verified = await kms.send(new VerifyCommand({ KeyId: k.KeyId, Message: input, MessageType: messageType, Signature: signature, SigningAlgorithm: algorithm }));
        assert.equal(verified.SignatureValid, true);
        const tampered = Buffer.from(signature);
        tampered[tampered.length - 5] = tampered[tampered.length - 5]! ^ 0x01;
        const bad = await awsError(() => kms.send(new VerifyCommand({ KeyId: k.KeyId, Message: input, MessageType: messageType, Signature: tampered, SigningAlgorithm: algorithm })));
        assert.equal(bad.name, 'KMSInvalidSignatureException');
      });
    }
  }

  test('RSA-PSS salt is as long as the digest: openssl verifies with -pkeyopt rsa_pss_saltlen:32', async () => {
    const k = await key('RSA_2048', 'SIGN_VERIFY');
    const out = await kms.send(new SignCommand({ KeyId: k.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
    const dir = mkdtempSync(join(tmpdir(), 'ossl-'));
    writeFileSync(join(dir, 'pub.pem'), createPublicKey({ key: k.publicKey, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'msg'), message);
    writeFileSync(join(dir, 'sig'), out.Signature!);
    const result = execFileSync('openssl', ['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-signature', join(dir, 'sig'), join(dir, 'msg')]).toString();
    assert.match(result, /Verified OK/);
    // ECDSA through openssl too.
    const ec = await key('ECC_NIST_P384', 'SIGN_VERIFY');
    const ecSig = await kms.send(new SignCommand({ KeyId: ec.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' }));
    writeFileSync(join(dir, 'ec.pem'), createPublicKey({ key: ec.publicKey, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'ecsig'), ecSig.Signature!);
    assert.match(execFileSync('openssl', ['dgst', '-sha384', '-verify', join(dir, 'ec.pem'), '-signature', join(dir, 'ecsig'), join(dir, 'msg')]).toString(), /Verified OK/);
  });

  test('Ed25519: ED25519_SHA_512 (RAW, pure) verifies with node:crypto; ED25519_PH_SHA_512 (DIGEST) is Ed25519ph over the digest', async () => {
    const k = await key('ECC_NIST_EDWARDS25519', 'SIGN_VERIFY');
    const publicKey = createPublicKey({ key: k.publicKey, format: 'der', type: 'spki' });
    const pure = await kms.send(new SignCommand({ KeyId: k.KeyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' }));
    assert.ok(nodeVerify(null, message, publicKey, Buffer.from(pure.Signature!)));
    const digest = createHash('sha512').update(message).digest();
    const ph = await kms.send(new SignCommand({ KeyId: k.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_PH_SHA_512' }));
    const raw = publicKey.export({ format: 'jwk' }).x!;
    assert.ok(ed25519ph.verify(Buffer.from(ph.Signature!), digest, Buffer.from(raw, 'base64url')), 'noble Ed25519ph verifies over the digest');
    for (const [messageType, algorithm] of [['DIGEST', 'ED25519_SHA_512'], ['RAW', 'ED25519_PH_SHA_512']] as const) {
      const err = await awsError(() => kms.send(new SignCommand({ KeyId: k.KeyId, Message: digest, MessageType: messageType, SigningAlgorithm: algorithm })));
      assert.deepEqual(err, { name: 'ValidationException', message: `Message type ${messageType} is incompatible with algorithm ${algorithm}.`, status: 400 });
    }
  });

  for (const [spec, noble] of [['ML_DSA_44', ml_dsa44], ['ML_DSA_65', ml_dsa65], ['ML_DSA_87', ml_dsa87]] as const) {
    test(`${spec} ML_DSA_SHAKE_256 RAW verifies with @noble/post-quantum from the SPKI`, async () => {
      const k = await key(spec, 'SIGN_VERIFY');
      const out = await kms.send(new SignCommand({ KeyId: k.KeyId, Message: message, SigningAlgorithm: 'ML_DSA_SHAKE_256' }));
      const rawPublic = k.publicKey.subarray(k.publicKey.length - noble.lengths.publicKey!);
      assert.ok(noble.verify(Buffer.from(out.Signature!), message, rawPublic));
      const ok = await kms.send(new VerifyCommand({ KeyId: k.KeyId, Message: message, Signature: out.Signature, SigningAlgorithm: 'ML_DSA_SHAKE_256' }));
      assert.equal(ok.SignatureValid, true);
      const digestErr = await awsError(() => kms.send(new SignCommand({ KeyId: k.KeyId, Message: randomBytes(32), MessageType: 'DIGEST', SigningAlgorithm: 'ML_DSA_SHAKE_256' })));
      assert.equal(digestErr.name, 'ValidationException');
      // EXTERNAL_MU: the caller computes mu = SHAKE256(tr || 0x00 || 0x00 || M), tr = SHAKE256(pk, 64) (FIPS 204, empty context).
      const tr = shake256(rawPublic, { dkLen: 64 });
      const mu = shake256(Buffer.concat([tr, Buffer.from([0, 0]), message]), { dkLen: 64 });
      const fromMu = await kms.send(new SignCommand({ KeyId: k.KeyId, Message: mu, MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ML_DSA_SHAKE_256' }));
      assert.ok(noble.verify(Buffer.from(fromMu.Signature!), message, rawPublic), 'an EXTERNAL_MU signature verifies as a signature of the message');
      const shortMu = await awsError(() => kms.send(new SignCommand({ KeyId: k.KeyId, Message: mu.subarray(0, 32), MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ML_DSA_SHAKE_256' })));
      assert.equal(shortMu.name, 'ValidationException');
    });
  }

  test('errors: wrong algorithm, wrong digest length, oversized message, wrong usage', async () => {
    const ec = await key('ECC_NIST_P256', 'SIGN_VERIFY');
    const wrongAlg = await awsError(() => kms.send(new SignCommand({ KeyId: ec.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' })));
    assert.deepEqual(wrongAlg, { name: 'InvalidKeyUsageException', message: 'Algorithm RSASSA_PSS_SHA_256 is incompatible with key spec ECC_NIST_P256.', status: 400 });
    const shortDigest = await awsError(() => kms.send(new SignCommand({ KeyId: ec.KeyId, Message: randomBytes(31), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' })));
    assert.deepEqual(shortDigest, { name: 'ValidationException', message: 'Digest is invalid length for algorithm ECDSA_SHA_256.', status: 400 });
    const big = await awsError(() => kms.send(new SignCommand({ KeyId: ec.KeyId, Message: Buffer.alloc(4097), SigningAlgorithm: 'ECDSA_SHA_256' })));
    assert.equal(big.name, 'ValidationException');
    const rsaEnc = await key('RSA_2048', 'ENCRYPT_DECRYPT');
    const usage = await awsError(() => kms.send(new SignCommand({ KeyId: rsaEnc.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' })));
    assert.deepEqual(usage, { name: 'InvalidKeyUsageException', message: `${rsaEnc.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Sign.`, status: 400 });
    const sym = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const symSign = await awsError(() => kms.send(new SignCommand({ KeyId: sym.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })));
    assert.equal(symSign.name, 'InvalidKeyUsageException');
    const signEnc = await awsError(() => kms.send(new EncryptCommand({ KeyId: ec.KeyId, Plaintext: message })));
    assert.deepEqual(signEnc, { name: 'InvalidKeyUsageException', message: `${ec.Arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`, status: 400 });
  });
});

describe('RSA encryption', () => {
  for (const [algorithm, hash, max] of [['RSAES_OAEP_SHA_1', 'sha1', 214], ['RSAES_OAEP_SHA_256', 'sha256', 190]] as const) {
    test(`${algorithm}: offline ciphertext decrypts in the service; limit ${max} bytes for RSA_2048`, async () => {
      const k = await key('RSA_2048', 'ENCRYPT_DECRYPT');
      const plaintext = randomBytes(max);
      const offline = publicEncrypt({ key: createPublicKey({ key: k.publicKey, format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, plaintext);
      const dec = await kms.send(new DecryptCommand({ KeyId: k.KeyId, CiphertextBlob: offline, EncryptionAlgorithm: algorithm }));
      assert.deepEqual(Buffer.from(dec.Plaintext!), plaintext);
      assert.equal(dec.EncryptionAlgorithm, algorithm);
      const enc = await kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: plaintext, EncryptionAlgorithm: algorithm }));
      assert.equal(enc.CiphertextBlob!.length, 256);
      assert.equal(enc.EncryptionAlgorithm, algorithm);
      const back = await kms.send(new DecryptCommand({ KeyId: k.Arn, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: algorithm }));
      assert.deepEqual(Buffer.from(back.Plaintext!), plaintext);
      const tooLong = await awsError(() => kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: randomBytes(max + 1), EncryptionAlgorithm: algorithm })));
      assert.deepEqual(tooLong, { name: 'ValidationException', message: `Algorithm ${algorithm} and key spec RSA_2048 cannot encrypt data larger than ${max} bytes.`, status: 400 });
    });
  }

  test('errors: missing algorithm, tampered ciphertext, Decrypt without KeyId, context', async () => {
    const k = await key('RSA_2048', 'ENCRYPT_DECRYPT');
    const noAlg = await awsError(() => kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from('x') })));
    assert.deepEqual(noAlg, { name: 'InvalidKeyUsageException', message: 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.', status: 400 });
    const enc = await kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    const tampered = Buffer.from(enc.CiphertextBlob!);
    tampered[10] = tampered[10]! ^ 1;
    const bad = await awsError(() => kms.send(new DecryptCommand({ KeyId: k.KeyId, CiphertextBlob: tampered, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })));
    assert.equal(bad.name, 'InvalidCiphertextException');
    const wrongAlg = await awsError(() => kms.send(new DecryptCommand({ KeyId: k.KeyId, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })));
    assert.equal(wrongAlg.name, 'InvalidCiphertextException');
    const noKey = await awsError(() => kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })));
    assert.equal(noKey.name, 'InvalidCiphertextException');
    const withContext = await awsError(() => kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } })));
    assert.equal(withContext.name, 'ValidationException');
    const dataKey = await awsError(() => kms.send(new GenerateDataKeyCommand({ KeyId: k.KeyId, KeySpec: 'AES_256' })));
    assert.equal(dataKey.name, 'InvalidKeyUsageException');
  });

  test('ReEncrypt from a symmetric key to an RSA key', async () => {
    const sym = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const rsa = await key('RSA_2048', 'ENCRYPT_DECRYPT');
    const enc = await kms.send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: Buffer.from('cross'), EncryptionContext: { a: 'b' } }));
    const re = await kms.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: { a: 'b' }, DestinationKeyId: rsa.KeyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    assert.equal(re.DestinationEncryptionAlgorithm, 'RSAES_OAEP_SHA_256');
    const dec = await kms.send(new DecryptCommand({ KeyId: rsa.KeyId, CiphertextBlob: re.CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'cross');
  });
});

describe('HMAC', () => {
  for (const [spec, algorithm, hash, length] of [['HMAC_224', 'HMAC_SHA_224', 'sha224', 28], ['HMAC_256', 'HMAC_SHA_256', 'sha256', 32], ['HMAC_384', 'HMAC_SHA_384', 'sha384', 48], ['HMAC_512', 'HMAC_SHA_512', 'sha512', 64]] as const) {
    test(`${spec}: GenerateMac equals node's createHmac under the known key; VerifyMac`, async () => {
      const material = randomBytes(length);
      // --dev honours LocalStack's _custom_key_material_ tag, so the test knows the key.
      const m = (await kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC', Tags: [{ TagKey: '_custom_key_material_', TagValue: material.toString('base64') }] }))).KeyMetadata!;
      const message = Buffer.from('token payload');
      const out = await kms.send(new GenerateMacCommand({ KeyId: m.KeyId, Message: message, MacAlgorithm: algorithm }));
      assert.deepEqual(Buffer.from(out.Mac!), createHmac(hash, material).update(message).digest());
      assert.equal(out.MacAlgorithm, algorithm);
      assert.equal(out.KeyId, m.Arn);
      const ok = await kms.send(new VerifyMacCommand({ KeyId: m.KeyId, Message: message, Mac: out.Mac, MacAlgorithm: algorithm }));
      assert.equal(ok.MacValid, true);
      const wrong = Buffer.from(out.Mac!);
      wrong[0] = wrong[0]! ^ 1;
      const bad = await awsError(() => kms.send(new VerifyMacCommand({ KeyId: m.KeyId, Message: message, Mac: wrong, MacAlgorithm: algorithm })));
      assert.equal(bad.name, 'KMSInvalidMacException');
    });
  }

  test('errors: algorithm not matching the spec, a non-HMAC key', async () => {
    const k = await key('HMAC_256', 'GENERATE_VERIFY_MAC');
    const wrong = await awsError(() => kms.send(new GenerateMacCommand({ KeyId: k.KeyId, Message: Buffer.from('x'), MacAlgorithm: 'HMAC_SHA_512' })));
    assert.deepEqual(wrong, { name: 'InvalidKeyUsageException', message: 'Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256.', status: 400 });
    const sym = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const usage = await awsError(() => kms.send(new GenerateMacCommand({ KeyId: sym.KeyId, Message: Buffer.from('x'), MacAlgorithm: 'HMAC_SHA_256' })));
    assert.equal(usage.name, 'InvalidKeyUsageException');
    // Decrypt naming an HMAC key for another key's ciphertext: AWS answers IncorrectKeyException first.
    const enc = await kms.send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: Buffer.from('x') }));
    const incorrect = await awsError(() => kms.send(new DecryptCommand({ KeyId: k.KeyId, CiphertextBlob: enc.CiphertextBlob })));
    assert.equal(incorrect.name, 'IncorrectKeyException');
    const hmacSign = await awsError(() => kms.send(new SignCommand({ KeyId: k.KeyId, Message: Buffer.from('x'), SigningAlgorithm: 'ECDSA_SHA_256' })));
    assert.equal(hmacSign.name, 'InvalidKeyUsageException');
  });
});

describe('DeriveSharedSecret', () => {
  for (const [spec, curve] of [['ECC_NIST_P256', 'prime256v1'], ['ECC_NIST_P384', 'secp384r1'], ['ECC_NIST_P521', 'secp521r1']] as const) {
    test(`${spec}: the secret equals what the peer computes with node:crypto`, async () => {
      const k = await key(spec, 'KEY_AGREEMENT');
      const peer = generateKeyPairSync('ec', { namedCurve: curve });
      const peerSpki = peer.publicKey.export({ type: 'spki', format: 'der' });
      const out = await kms.send(new DeriveSharedSecretCommand({ KeyId: k.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peerSpki }));
      const expected = diffieHellman({ privateKey: peer.privateKey, publicKey: createPublicKey({ key: k.publicKey, format: 'der', type: 'spki' }) });
      assert.deepEqual(Buffer.from(out.SharedSecret!), expected);
      assert.equal(out.KeyAgreementAlgorithm, 'ECDH');
      assert.equal(out.KeyOrigin, 'AWS_KMS');
      assert.equal(out.KeyId, k.Arn);
    });
  }

  test('a peer key on another curve or a SIGN_VERIFY key is refused', async () => {
    const k = await key('ECC_NIST_P256', 'KEY_AGREEMENT');
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'der' });
    const wrongCurve = await awsError(() => kms.send(new DeriveSharedSecretCommand({ KeyId: k.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: other })));
    assert.equal(wrongCurve.name, 'ValidationException');
    const signKey = await key('ECC_NIST_P256', 'SIGN_VERIFY');
    const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    const usage = await awsError(() => kms.send(new DeriveSharedSecretCommand({ KeyId: signKey.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer })));
    assert.equal(usage.name, 'InvalidKeyUsageException');
  });
});

describe('GenerateDataKeyPair', () => {
  for (const [spec, type] of [['RSA_2048', 'rsa'], ['ECC_NIST_P256', 'ec'], ['ECC_NIST_P384', 'ec'], ['ECC_NIST_P521', 'ec'], ['ECC_SECG_P256K1', 'ec'], ['ECC_NIST_EDWARDS25519', 'ed25519']] as const) {
    test(`${spec}: PKCS#8 private key encrypted under the symmetric key with the context; SPKI public key`, async () => {
      const sym = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      const out = await kms.send(new GenerateDataKeyPairCommand({ KeyId: sym.KeyId, KeyPairSpec: spec, EncryptionContext: { use: 'jwt' } }));
      assert.equal(out.KeyPairSpec, spec);
      assert.equal(out.KeyId, sym.Arn);
      const privateKey = createPrivateKey({ key: Buffer.from(out.PrivateKeyPlaintext!), format: 'der', type: 'pkcs8' });
      const publicKey = createPublicKey({ key: Buffer.from(out.PublicKey!), format: 'der', type: 'spki' });
      assert.equal(privateKey.asymmetricKeyType, type);
      assert.deepEqual(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }), publicKey.export({ type: 'spki', format: 'der' }));
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: { use: 'jwt' } }));
      assert.deepEqual(Buffer.from(dec.Plaintext!), Buffer.from(out.PrivateKeyPlaintext!));
    });
  }

  test('WithoutPlaintext returns no private key; an asymmetric KeyId is refused', async () => {
    const sym = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const out = await kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_P256' }));
    assert.equal((out as unknown as Record<string, unknown>).PrivateKeyPlaintext, undefined);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob }));
    createPrivateKey({ key: Buffer.from(dec.Plaintext!), format: 'der', type: 'pkcs8' });
    const rsa = await key('RSA_2048', 'ENCRYPT_DECRYPT');
    const err = await awsError(() => kms.send(new GenerateDataKeyPairCommand({ KeyId: rsa.KeyId, KeyPairSpec: 'ECC_NIST_P256' })));
    assert.equal(err.name, 'InvalidKeyUsageException');
  });
});
