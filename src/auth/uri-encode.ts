// RFC 3986 percent-encoding as SigV4 defines it: only A-Z a-z 0-9 - . _ ~ stay literal, every other
// byte becomes %XX with upper-case hex. Works on UTF-8 bytes so decoded-then-re-encoded values survive
// byte for byte, even when they are not valid UTF-8.

const HEX = '0123456789ABCDEF';

const UNRESERVED = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') {
  UNRESERVED[c.charCodeAt(0)] = 1;
}

const SLASH = 0x2f;
const PERCENT = 0x25;
const PLUS = 0x2b;
const SPACE = 0x20;

export function uriEncodeBytes(bytes: Uint8Array, keepSlash = false): string {
  let out = '';
  for (const b of bytes) {
    if (UNRESERVED[b] === 1 || (keepSlash && b === SLASH)) out += String.fromCharCode(b);
    else out += '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

export function uriEncode(value: string, keepSlash = false): string {
  return uriEncodeBytes(Buffer.from(value, 'utf8'), keepSlash);
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  return -1;
}

/**
 * Decodes %XX escapes to raw bytes. A malformed escape is kept as a literal '%' rather than rejected:
 * it then re-encodes as %25 and the signature simply fails to match, which is the safe outcome.
 * `plusAsSpace` follows form decoding (as AWS's Java front ends do for query strings); SDKs always
 * send a real '+' as %2B, so this only affects hand-built URLs.
 */
export function percentDecode(value: string, plusAsSpace: boolean): Buffer {
  const src = Buffer.from(value, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === PERCENT && i + 2 < src.length) {
      const hi = hexValue(src[i + 1]!);
      const lo = hexValue(src[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[n++] = plusAsSpace && b === PLUS ? SPACE : b;
  }
  return out.subarray(0, n);
}
