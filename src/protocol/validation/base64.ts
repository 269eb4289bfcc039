// Strict base64 for blob members. Buffer.from(s, 'base64') silently skips bad characters and
// accepts missing padding; AWS rejects both with a SerializationException, so check first.
// The reasons are Coral's wording (including its "dectected" typo).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Sextet value by character code, -1 outside the alphabet: one lookup per character on the hot path. */
const SEXTET: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

function sextet(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code < 128 ? (SEXTET[code] as number) : -1;
}

export type Base64Result = { ok: true; bytes: Buffer } | { ok: false; reason: string };

export function decodeStrictBase64(text: string): Base64Result {
  if (text.length % 4 !== 0) {
    return { ok: false, reason: `Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}` };
  }
  let padding = 0;
  if (text.endsWith('==')) padding = 2;
  else if (text.endsWith('=')) padding = 1;
  const dataLength = text.length - padding;
  for (let i = 0; i < dataLength; i++) {
    if (sextet(text, i) < 0) return { ok: false, reason: `Invalid Base64 character: '${text[i] as string}'` };
  }
  if (padding > 0) {
    // The bits the last data character carries beyond the final byte must be zero.
    const last = sextet(text, dataLength - 1);
    const unusedBitsMask = padding === 2 ? 0b1111 : 0b11;
    if ((last & unusedBitsMask) !== 0) return { ok: false, reason: 'Invalid last non-pad Base64 character dectected' };
  }
  return { ok: true, bytes: Buffer.from(text, 'base64') };
}
