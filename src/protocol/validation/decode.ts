// Step 1 of request handling: turn the parsed JSON body into typed values following the input
// shape, the way AWS's JSON 1.1 deserializer does. Any type mismatch aborts with a
// SerializationException before constraints are looked at (AWS never reports both).
import { SerializationException } from '../../errors/aws-errors.js';
import { decodeStrictBase64 } from './base64.js';
import type { ListShape, MapShape, Shape, ShapeResolver, StructureShape } from '../kms-model.js';

type JsonToken = 'STRING_VALUE' | 'NUMBER_VALUE' | 'TRUE_VALUE' | 'FALSE_VALUE';

const LIST_FOUND = 'Start of list found where not expected';
const OBJECT_FOUND = 'Start of structure or map found where not expected.';

// Java's int range: Integer members are 32-bit on the service side.
export const INT_MIN = -(2 ** 31);
export const INT_MAX = 2 ** 31 - 1;

function scalarToken(value: unknown): JsonToken | undefined {
  switch (typeof value) {
    case 'string': return 'STRING_VALUE';
    case 'number': return 'NUMBER_VALUE';
    case 'boolean': return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
    default: return undefined;
  }
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Message AWS gives when a JSON value cannot become `target` (e.g. "an Integer"). */
function mismatch(value: unknown, target: string): SerializationException {
  if (Array.isArray(value)) return new SerializationException(LIST_FOUND);
  if (isJsonObject(value)) return new SerializationException(OBJECT_FOUND);
  const token = scalarToken(value);
  return new SerializationException(token === undefined ? '' : `${token} can not be converted to ${target}`);
}

/** Sets a key even when it is `__proto__`, keeping an ordinary object for callers. */
export function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function decodeBlob(value: unknown, shape: Shape): Buffer {
  if (typeof value !== 'string') throw mismatch(value, 'a Blob');
  const result = decodeStrictBase64(value);
  if (result.ok) return result.bytes;
  // Coral quotes the offending text; never echo a sensitive member's (e.g. Plaintext) content.
  const subject = shape.sensitive ? 'Value' : `'${value}'`;
  throw new SerializationException(`${subject} can not be converted to a Blob: ${result.reason}`);
}

function decodeInteger(value: unknown, target: string, fitsTarget: (n: number) => boolean): number {
  if (typeof value !== 'number') throw mismatch(value, target);
  // AWS truncates fractional numbers for integer members rather than rejecting them.
  const truncated = Math.trunc(value);
  if (!fitsTarget(truncated)) throw new SerializationException(`NUMBER_VALUE can not be converted to ${target}`);
  return truncated;
}

function decodeList(value: unknown, shape: ListShape, resolve: ShapeResolver): unknown[] {
  if (Array.isArray(value)) {
    // AWS skips null list elements instead of failing.
    return value.filter((item) => item !== null).map((item) => decodeValue(item, shape.member, resolve));
  }
  if (isJsonObject(value)) throw new SerializationException(OBJECT_FOUND);
  throw new SerializationException('Expected list or null');
}

function decodeMap(value: unknown, shape: MapShape, resolve: ShapeResolver): Record<string, unknown> {
  if (Array.isArray(value)) throw new SerializationException(LIST_FOUND);
  if (!isJsonObject(value)) throw new SerializationException('Expected map or null');
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null) continue; // treated like list elements: a null entry is no entry
    // Keys are always JSON strings; their constraints are checked with the rest.
    put(out, key, decodeValue(item, shape.value, resolve));
  }
  return out;
}

/** Decodes a structure: unknown members are dropped, JSON null means absent. */
export function decodeStructure(
  value: unknown,
  shape: StructureShape,
  resolve: ShapeResolver,
): Record<string, unknown> {
  if (Array.isArray(value)) throw new SerializationException(LIST_FOUND);
  if (!isJsonObject(value)) throw new SerializationException('Expected null');
  const out: Record<string, unknown> = {};
  for (const [name, memberShape] of Object.entries(shape.members)) {
    if (!Object.hasOwn(value, name)) continue;
    const memberValue = value[name];
    if (memberValue === null || memberValue === undefined) continue;
    put(out, name, decodeValue(memberValue, memberShape, resolve));
  }
  return out;
}

export function decodeValue(value: unknown, shapeName: string, resolve: ShapeResolver): unknown {
  const shape = resolve(shapeName);
  switch (shape.type) {
    case 'structure': return decodeStructure(value, shape, resolve);
    case 'list': return decodeList(value, shape, resolve);
    case 'map': return decodeMap(value, shape, resolve);
    case 'string':
      if (typeof value !== 'string') throw mismatch(value, 'a String');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch(value, 'a Boolean');
      return value;
    case 'integer': return decodeInteger(value, 'an Integer', (n) => n >= INT_MIN && n <= INT_MAX);
    case 'long': return decodeInteger(value, 'a Long', Number.isSafeInteger);
    case 'float': case 'double':
      if (typeof value !== 'number') throw mismatch(value, shape.type === 'float' ? 'a Float' : 'a Double');
      return value;
    case 'blob': return decodeBlob(value, shape);
    case 'timestamp': {
      // AWS JSON 1.1 sends timestamps as epoch seconds (fractions allowed).
      if (typeof value !== 'number') throw mismatch(value, 'a Timestamp');
      const date = new Date(value * 1000);
      if (Number.isNaN(date.getTime())) throw new SerializationException('NUMBER_VALUE can not be converted to a Timestamp');
      return date;
    }
  }
}

/** Decodes a whole request body against the operation's input structure. */
export function decodeInputBody(body: unknown, inputShape: string, resolve: ShapeResolver): Record<string, unknown> {
  const shape = resolve(inputShape);
  if (shape.type !== 'structure') throw new Error(`input shape ${inputShape} is not a structure`);
  if (Array.isArray(body)) throw new SerializationException(LIST_FOUND);
  // A top-level scalar or null gets a SerializationException without a message from AWS.
  if (!isJsonObject(body)) throw new SerializationException('');
  return decodeStructure(body, shape, resolve);
}
