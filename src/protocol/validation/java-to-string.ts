// AWS's validation messages quote values with Java's toString() of the service-side object:
// lists as "[a, b]", maps as "{k=v, k2=v2}", strings and numbers bare, ByteBuffers as
// "java.nio.HeapByteBuffer[pos=0 lim=N cap=N]", and structures with Object's default
// "<class>@<identity hash>". We cannot know Java's identity hash, so structures get a stable
// content hash in the same shape; the class prefix is our guess at KMS's model package.
import type { ShapeResolver } from '../kms-model.js';

const STRUCTURE_CLASS_PREFIX = 'com.amazonaws.kms.';

function hash8(text: string): string {
  // FNV-1a, 32-bit: short, deterministic, dependency-free.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

export function javaToString(value: unknown, shapeName: string, resolve: ShapeResolver): string {
  const shape = resolve(shapeName);
  switch (shape.type) {
    case 'list':
      return `[${(value as unknown[]).map((item) => javaToString(item, shape.member, resolve)).join(', ')}]`;
    case 'map':
      return `{${Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${javaToString(k, shape.key, resolve)}=${javaToString(v, shape.value, resolve)}`)
        .join(', ')}}`;
    case 'structure':
      return `${STRUCTURE_CLASS_PREFIX}${shapeName}@${hash8(JSON.stringify(value))}`;
    case 'blob': {
      const length = (value as Buffer).length;
      return `java.nio.HeapByteBuffer[pos=0 lim=${length} cap=${length}]`;
    }
    case 'timestamp':
      return (value as Date).toISOString();
    default:
      return String(value);
  }
}
