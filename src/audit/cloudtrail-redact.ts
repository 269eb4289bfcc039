// Turns a decoded request or response into CloudTrail's requestParameters / responseElements
// form: member names in lower camel case, only allowlisted members (cloudtrail-allowlist.ts),
// walked along the service model so that a shape marked `sensitive` or of type `blob` is dropped
// even if it were allowlisted, and any Buffer/Uint8Array value is dropped wherever it sits.
// Unknown members (not in the model) and values of the wrong type are dropped too: fail closed.
import type { Shape, ShapeResolver } from '../protocol/service-model.js';
import { isJsonObject } from '../protocol/validation/decode.js';

/**
 * CloudTrail's member names: the wire name with its first letter lowered (KeyId -> keyId), except
 * that a name starting with two capitals is kept (AWSAccountId stays AWSAccountId, as in the
 * keyMetadata of ct-createkey; the Java Beans decapitalize rule, which matches it).
 */
export function cloudTrailMemberName(wireName: string): string {
  if (wireName.length > 1 && isUpper(wireName[0]) && isUpper(wireName[1])) return wireName;
  return wireName.charAt(0).toLowerCase() + wireName.slice(1);
}

function isUpper(ch: string | undefined): boolean {
  return ch !== undefined && ch >= 'A' && ch <= 'Z';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Timestamps inside requestParameters/responseElements: CloudTrail writes them like
 * "Aug 10, 2022, 10:38:27 PM" (ct-createkey keyMetadata.creationDate), in UTC (UNCONFIRMED: the
 * example does not name its zone).
 */
export function cloudTrailElementDate(date: Date): string {
  const h24 = date.getUTCHours();
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ` +
    `${h12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} ${h24 < 12 ? 'AM' : 'PM'}`;
}

const MAX_DEPTH = 12;

function isBytes(value: unknown): boolean {
  return value instanceof Uint8Array || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function isPlainRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return isJsonObject(value) && !isBytes(value) && !(value instanceof Date);
}

/** The redacted value, or undefined when nothing of it may be recorded. */
function redactValue(
  value: unknown, shapeName: string, resolve: ShapeResolver, allow: ReadonlySet<string>, depth = 0,
): unknown {
  if (value === undefined || value === null || depth > MAX_DEPTH || isBytes(value)) return undefined;
  let shape: Shape;
  try {
    shape = resolve(shapeName);
  } catch {
    return undefined;
  }
  if (shape.sensitive === true) return undefined;
  switch (shape.type) {
    case 'blob':
      return undefined;
    case 'structure': {
      if (!isPlainRecord(value)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [member, memberShape] of Object.entries(shape.members)) {
        if (!allow.has(member) || !Object.hasOwn(value, member)) continue;
        const kept = redactValue(value[member], memberShape, resolve, allow, depth + 1);
        if (kept !== undefined) out[cloudTrailMemberName(member)] = kept;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) return undefined;
      const items: unknown[] = [];
      for (const item of value as readonly unknown[]) {
        const kept = redactValue(item, shape.member, resolve, allow, depth + 1);
        if (kept !== undefined) items.push(kept);
      }
      return items;
    }
    case 'map': {
      // Map keys are data, not member names: kept verbatim (encryptionContext in ct-encrypt).
      if (!isPlainRecord(value)) return undefined;
      const keyShape = resolve(shape.key);
      if (keyShape.sensitive === true) return undefined;
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(value)) {
        const kept = redactValue(entry, shape.value, resolve, allow, depth + 1);
        if (kept !== undefined) out[key] = kept;
      }
      return out;
    }
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'integer': case 'long': case 'float': case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'timestamp':
      return value instanceof Date && !Number.isNaN(value.getTime()) ? cloudTrailElementDate(value) : undefined;
    default:
      return undefined;
  }
}

/** A top-level structure redacted; null when nothing is left (CloudTrail writes null, not {}). */
export function redactStructure(
  value: Readonly<Record<string, unknown>> | undefined, shapeName: string | undefined,
  resolve: ShapeResolver, allow: ReadonlySet<string>,
): Record<string, unknown> | null {
  if (value === undefined || shapeName === undefined) return null;
  const kept = redactValue(value, shapeName, resolve, allow);
  if (!isPlainRecord(kept) || Object.keys(kept).length === 0) return null;
  return kept as Record<string, unknown>;
}
