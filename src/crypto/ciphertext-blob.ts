// The self-describing symmetric ciphertext blob (format documented in docs/ciphertext-format.md).
//
//   version(1)=0x01 | keyIdLength(1) | keyId(ASCII) | materialId(32) | salt(16) | nonce(12) | ciphertext | tag(16)
//
// Everything before the ciphertext is the header; the header is authenticated as part of the AAD,
// so no byte of the blob can change without decryption failing.

export const BLOB_VERSION = 1;
export const MATERIAL_ID_BYTES = 32;
export const SALT_BYTES = 16;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export interface CiphertextBlob {
  readonly keyId: string;
  /** 64 lower-case hex characters. */
  readonly materialId: string;
  readonly salt: Buffer;
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
  /** The exact header bytes, bound as AAD. */
  readonly header: Buffer;
}

export function encodeHeader(keyId: string, materialId: string, salt: Buffer, nonce: Buffer): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  if (id.length === 0 || id.length > 255) throw new RangeError('key id length out of range');
  const material = Buffer.from(materialId, 'hex');
  if (material.length !== MATERIAL_ID_BYTES) throw new RangeError('material id must be 32 bytes');
  if (salt.length !== SALT_BYTES || nonce.length !== NONCE_BYTES) throw new RangeError('bad salt or nonce length');
  return Buffer.concat([Buffer.from([BLOB_VERSION, id.length]), id, material, salt, nonce]);
}

/** Parses a blob; returns undefined for anything that is not a well-formed version-1 blob. */
export function decodeBlob(blob: Uint8Array): CiphertextBlob | undefined {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 2 || buf[0] !== BLOB_VERSION) return undefined;
  const idLength = buf[1]!;
  const headerLength = 2 + idLength + MATERIAL_ID_BYTES + SALT_BYTES + NONCE_BYTES;
  if (idLength === 0 || buf.length < headerLength + TAG_BYTES) return undefined;
  const keyId = buf.subarray(2, 2 + idLength).toString('ascii');
  if (!/^[A-Za-z0-9-]+$/.test(keyId)) return undefined;
  let at = 2 + idLength;
  const materialId = buf.subarray(at, (at += MATERIAL_ID_BYTES)).toString('hex');
  const salt = buf.subarray(at, (at += SALT_BYTES));
  const nonce = buf.subarray(at, (at += NONCE_BYTES));
  const ciphertext = buf.subarray(headerLength, buf.length - TAG_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  return { keyId, materialId, salt, nonce, ciphertext, tag, header: buf.subarray(0, headerLength) };
}
