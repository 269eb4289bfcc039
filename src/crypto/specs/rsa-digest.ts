// RSA signatures over a precomputed digest (KMS MessageType DIGEST). Node 20 has no "sign this
// digest" call: crypto.sign always hashes its input.
//
// PKCS#1 v1.5: EMSA-PKCS1-v1_5 is T = DigestInfo(hash OID) ‖ digest, then type-1 padding. The
// DigestInfo prefixes are the constant byte strings of RFC 8017 §9.2 note 1; OpenSSL pads and
// signs T (privateEncrypt, RSA_PKCS1_PADDING) and unpads on verification (publicDecrypt).
//
// PSS, signing: OpenSSL signs a digest itself (EVP_PKEY_sign) when the signature digest is set on
// the context. Node's privateEncrypt reaches EVP_PKEY_sign but cannot set that digest, except
// through the key: an id-RSASSA-PSS key carrying RSASSA-PSS-params makes OpenSSL take the hash,
// the MGF1 hash and the salt length from the key. So the rsaEncryption key is re-wrapped as an
// RSASSA-PSS-restricted PKCS#8 (same RSAPrivateKey, only the AlgorithmIdentifier differs) and
// OpenSSL does all of EMSA-PSS. Tests check the result against crypto.verify and `openssl`.
//
// PSS, verification: NO OpenSSL path exists in Node 20 (publicDecrypt = EVP_PKEY_verify_recover,
// which refuses PSS). *** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) IS IMPLEMENTED BY HAND BELOW *** on
// top of OpenSSL's raw RSA public operation (RSA_NO_PADDING) and node's hashes. It only decides
// accept/reject on public data; it is differentially tested against node's crypto.verify.

import { createHash, createPrivateKey, constants, privateEncrypt, publicDecrypt, type KeyObject } from 'node:crypto';
import { der, TAG_INTEGER, TAG_NULL, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE } from './der.js';

export type RsaHash = 'sha256' | 'sha384' | 'sha512';

/** Output length in bytes of each hash. */
export const HASH_LENGTH: Readonly<Record<RsaHash, number>> = { sha256: 32, sha384: 48, sha512: 64 };

// id-sha256/384/512 (2.16.840.1.101.3.4.2.1/2/3), id-mgf1 (1.2.840.113549.1.1.8),
// id-RSASSA-PSS (1.2.840.113549.1.1.10): DER content octets.
const HASH_OID: Record<RsaHash, Buffer> = {
  sha256: Buffer.from('608648016503040201', 'hex'),
  sha384: Buffer.from('608648016503040202', 'hex'),
  sha512: Buffer.from('608648016503040203', 'hex'),
};
const OID_MGF1 = Buffer.from('2a864886f70d010108', 'hex');
const OID_RSASSA_PSS = Buffer.from('2a864886f70d01010a', 'hex');

function hashAlgorithm(hash: RsaHash): Buffer {
  return der(TAG_SEQUENCE, der(TAG_OID, HASH_OID[hash]), der(TAG_NULL));
}

/** DigestInfo ::= SEQUENCE { AlgorithmIdentifier (hash, NULL), OCTET STRING digest } (RFC 8017 §9.2). */
export function digestInfo(hash: RsaHash, digest: Uint8Array): Buffer {
  return der(TAG_SEQUENCE, hashAlgorithm(hash), der(TAG_OCTET_STRING, digest));
}

/**
 * AlgorithmIdentifier { id-RSASSA-PSS, RSASSA-PSS-params { hashAlgorithm [0], maskGenAlgorithm [1]
 * MGF1(hash), saltLength [2] = hash length } } (RFC 8017 A.2.3); trailerField is left at its default.
 */
export function pssAlgorithmIdentifier(hash: RsaHash): Buffer {
  const params = der(
    TAG_SEQUENCE,
    der(0xa0, hashAlgorithm(hash)),
    der(0xa1, der(TAG_SEQUENCE, der(TAG_OID, OID_MGF1), hashAlgorithm(hash))),
    der(0xa2, der(TAG_INTEGER, Uint8Array.of(HASH_LENGTH[hash]))),
  );
  return der(TAG_SEQUENCE, der(TAG_OID, OID_RSASSA_PSS), params);
}

function checkDigest(hash: RsaHash, digest: Uint8Array): void {
  if (digest.length !== HASH_LENGTH[hash]) throw new Error(`a ${hash} digest is ${HASH_LENGTH[hash]} bytes, not ${digest.length}`);
}

export function signPkcs1Digest(key: KeyObject, hash: RsaHash, digest: Uint8Array): Buffer {
  checkDigest(hash, digest);
  return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(hash, digest));
}

export function verifyPkcs1Digest(key: KeyObject, hash: RsaHash, digest: Uint8Array, signature: Uint8Array): boolean {
  checkDigest(hash, digest);
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  // RFC 8017 §8.2.2 compares encodings rather than parsing the recovered DigestInfo.
  return recovered.equals(digestInfo(hash, digest));
}

/** RSASSA-PSS with MGF1(hash) and salt length = hash length, as AWS KMS signs, over `digest`. */
export function signPssDigest(key: KeyObject, hash: RsaHash, digest: Uint8Array): Buffer {
  checkDigest(hash, digest);
  const rsaPrivateKey = key.export({ format: 'der', type: 'pkcs1' });
  const wrapped = der(TAG_OCTET_STRING, rsaPrivateKey);
  const pkcs8 = der(TAG_SEQUENCE, der(TAG_INTEGER, Uint8Array.of(0)), pssAlgorithmIdentifier(hash), wrapped);
  try {
    const pssKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    return privateEncrypt({ key: pssKey, padding: constants.RSA_PKCS1_PSS_PADDING }, digest);
  } finally {
    for (const secret of [rsaPrivateKey, wrapped, pkcs8]) secret.fill(0);
  }
}

/**
 * RSASSA-PSS-VERIFY (RFC 8017 §8.1.2) with EMSA-PSS-VERIFY (§9.1.2), MGF1(hash), salt length
 * exactly the hash length. HAND-WRITTEN: see the note at the top of this file.
 */
export function verifyPssDigest(key: KeyObject, hash: RsaHash, digest: Uint8Array, signature: Uint8Array): boolean {
  checkDigest(hash, digest);
  const modBits = key.asymmetricKeyDetails?.modulusLength;
  if (modBits === undefined) throw new Error('not an RSA key');
  const k = Math.ceil(modBits / 8);
  // §8.1.2 step 1: the signature is exactly k octets.
  if (signature.length !== k) return false;
  // Step 2 (RSAVP1): m = s^e mod n, by OpenSSL, which also refuses s >= n.
  let m: Buffer;
  try {
    m = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  if (m.length !== k) return false;
  // Step 2c: EM = I2OSP(m, emLen), emLen = ceil((modBits - 1) / 8): one octet shorter when
  // modBits ≡ 1 (mod 8), and that octet must then be zero.
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (k > emLen && m[0] !== 0) return false;
  return emsaPssVerify(hash, digest, m.subarray(k - emLen), emBits);
}

function emsaPssVerify(hash: RsaHash, mHash: Uint8Array, em: Buffer, emBits: number): boolean {
  const hLen = HASH_LENGTH[hash];
  const sLen = hLen;
  const emLen = em.length;
  // Step 3.
  if (emLen < hLen + sLen + 2) return false;
  // Step 4: trailer field 0xbc.
  if (em[emLen - 1] !== 0xbc) return false;
  // Step 5.
  const maskedDB = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  // Step 6: the leftmost 8·emLen − emBits bits of maskedDB must be zero.
  const topMask = 0xff >>> (8 * emLen - emBits);
  if ((maskedDB[0]! & ~topMask & 0xff) !== 0) return false;
  // Steps 7–9.
  const dbMask = mgf1(hash, h, emLen - hLen - 1);
  const db = Buffer.alloc(maskedDB.length);
  for (let i = 0; i < db.length; i++) db[i] = maskedDB[i]! ^ dbMask[i]!;
  db[0] = db[0]! & topMask;
  // Step 10: PS (zeros) ‖ 0x01 ‖ salt.
  const separator = emLen - hLen - sLen - 2;
  for (let i = 0; i < separator; i++) if (db[i] !== 0) return false;
  if (db[separator] !== 0x01) return false;
  // Steps 11–14: H' = Hash(0x00 × 8 ‖ mHash ‖ salt) must equal H.
  const salt = db.subarray(db.length - sLen);
  const hPrime = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return hPrime.equals(h);
}

/** MGF1 (RFC 8017 B.2.1): Hash(seed ‖ C) for C = 0, 1, ... as 4-octet counters, truncated. */
function mgf1(hash: RsaHash, seed: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let produced = 0, c = 0; produced < length; c++, produced += HASH_LENGTH[hash]) {
    counter.writeUInt32BE(c);
    blocks.push(createHash(hash).update(seed).update(counter).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}
