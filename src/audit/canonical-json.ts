// Canonical JSON bytes for hashing and signing: object keys sorted by UTF-16 code unit, no
// whitespace, `undefined` properties dropped (as JSON.stringify does). The same value always gives
// the same bytes, however its properties were ordered when it was built or after a JSON round trip
// through the store. (The sorting rule follows RFC 8785 section 3.2.3; numbers use ECMAScript's
// shortest round-trip form, which is RFC 8785's too.)

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined) throw new TypeError(`not JSON-serializable: ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((v: unknown) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
