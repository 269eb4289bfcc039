// A minimal, strict DER reader and writer for the few small ASN.1 structures this directory
// builds or inspects by hand (ML-DSA key wrappers, RSASSA-PSS parameters, PKCS#8 headers).
// Encoding only: no cryptography here. Anything not in canonical DER is refused.

export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_NULL = 0x05;
export const TAG_OID = 0x06;
export const TAG_SEQUENCE = 0x30;

export class DerError extends Error {}

/** One TLV: `tag`, its content bytes, and `end`, the offset just past it in the parsed buffer. */
export interface Tlv {
  readonly tag: number;
  readonly content: Buffer;
  readonly end: number;
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/**
 * Encodes one TLV whose content is the concatenation of `parts`. The intermediate copy is zeroed,
 * since parts are sometimes key material; zeroing the parts and the result is the caller's job.
 */
export function der(tag: number, ...parts: Uint8Array[]): Buffer {
  const content = Buffer.concat(parts);
  try {
    return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
  } finally {
    content.fill(0);
  }
}

/** Reads the TLV at `offset`; only single-byte tags, definite minimal lengths, within bounds. */
export function readTlv(buf: Uint8Array, offset = 0): Tlv {
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (offset + 2 > bytes.length) throw new DerError('truncated DER');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not supported');
  let length = bytes[offset + 1]!;
  let pos = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) throw new DerError('indefinite length is not DER');
    if (count > 4) throw new DerError('DER length too large');
    if (pos + count > bytes.length) throw new DerError('truncated DER length');
    if (bytes[pos] === 0) throw new DerError('non-minimal DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[pos + i]!;
    if (length < 0x80) throw new DerError('non-minimal DER length');
    pos += count;
  }
  if (pos + length > bytes.length) throw new DerError('truncated DER content');
  return { tag, content: bytes.subarray(pos, pos + length), end: pos + length };
}

/** Reads exactly one TLV spanning the whole of `buf`, with the expected tag. */
export function readWhole(buf: Uint8Array, tag: number): Buffer {
  const tlv = readTlv(buf, 0);
  if (tlv.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)}, got 0x${tlv.tag.toString(16)}`);
  if (tlv.end !== buf.length) throw new DerError('trailing bytes after DER value');
  return tlv.content;
}

/** The TLVs that make up a constructed value's content, in order. */
export function readChildren(content: Uint8Array): Tlv[] {
  const children: Tlv[] = [];
  for (let offset = 0; offset < content.length; ) {
    const tlv = readTlv(content, offset);
    children.push(tlv);
    offset = tlv.end;
  }
  return children;
}

/** A decoded PEM block: its label ("PRIVATE KEY", "EC PRIVATE KEY", ...) and DER body. */
export interface PemBlock {
  readonly label: string;
  readonly der: Buffer;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order (e.g. an "EC PARAMETERS" block ahead of the key). */
export function decodePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const body = match[2]!;
    // Encrypted legacy PEM ("Proc-Type: 4,ENCRYPTED") carries headers; we never accept those.
    if (body.includes(':')) throw new DerError('PEM headers (encrypted legacy PEM) are not supported');
    const base64 = body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new DerError('PEM body is not base64');
    blocks.push({ label: match[1]!, der: Buffer.from(base64, 'base64') });
  }
  return blocks;
}
