// The caller's side of importing key material, outside the server, with nothing but node:crypto.

import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';

/**
 * Wraps `material` under a wrapping public key (DER SPKI, as GetParametersForImport returns it) as
 * AWS's OpenSSL examples do: RSAES_OAEP_* is RSA-OAEP of the material; RSA_AES_KEY_WRAP_* is RSA-OAEP
 * of a fresh AES-256 key, followed by the material under AES key wrap with padding (RFC 5649).
 * The hash is SHA-1 for the *_SHA_1 algorithms and SHA-256 otherwise.
 */
export function wrapLikeAClient(publicKeySpki: Uint8Array, algorithm: string, material: Buffer): Buffer {
  const key = createPublicKey({ key: Buffer.from(publicKeySpki), format: 'der', type: 'spki' });
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const oaep = (data: Buffer) => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (algorithm.startsWith('RSAES_OAEP')) return oaep(material);
  const aesKey = randomBytes(32);
  const kwp = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('a65959a6', 'hex'));
  return Buffer.concat([oaep(aesKey), kwp.update(material), kwp.final()]);
}
