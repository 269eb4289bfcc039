// AWS JSON 1.1 encoding of operation output: blobs as base64, timestamps as epoch seconds.

export const JSON11_CONTENT_TYPE = 'application/x-amz-json-1.1';

export function encodeOutput(output: unknown): string {
  return JSON.stringify(toWire(output));
}

function toWire(value: unknown): unknown {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value;
}
