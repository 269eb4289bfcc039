// Canonical bytes of an encryption context, bound into every symmetric ciphertext as AAD.
// Pairs are sorted by the UTF-8 bytes of their keys (not by locale) and every key and value is
// length-prefixed, so {"a":"bc"} and {"ab":"c"} can never encode alike (a flaw of other emulators).

export type EncryptionContext = Readonly<Record<string, string>>;

export function canonicalEncryptionContext(context: EncryptionContext | undefined): Buffer {
  const pairs = Object.entries(context ?? {}).map(([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const);
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
  const parts: Buffer[] = [u32(pairs.length)];
  for (const [k, v] of pairs) parts.push(u32(k.length), k, u32(v.length), v);
  return Buffer.concat(parts);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
