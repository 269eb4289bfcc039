// Step 2 of request handling: check the decoded input against the model's constraints and
// collect every violation (AWS reports them all in one ValidationException), in the wording of
// AWS's validator: "<value> at '<path>' failed to satisfy constraint: <constraint>".
import { compileJavaPattern } from './java-regex.js';
import { javaToString } from './java-to-string.js';
import type { MapShape, Shape, ShapeResolver, StructureShape } from '../kms-model.js';

const patternCache = new Map<string, RegExp>();

export function patternFor(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    re = compileJavaPattern(pattern);
    patternCache.set(pattern, re);
  }
  return re;
}

/** AWS names members in paths with a lower-case first letter: KeyId -> keyId. */
export function pathName(memberName: string): string {
  return memberName.charAt(0).toLowerCase() + memberName.slice(1);
}

// --- constraint wording ---
const lengthAtMost = (n: number) => `Member must have length less than or equal to ${n}`;
const lengthAtLeast = (n: number) => `Member must have length greater than or equal to ${n}`;
const valueAtMost = (n: number) => `Member must have value less than or equal to ${n}`;
const valueAtLeast = (n: number) => `Member must have value greater than or equal to ${n}`;
const enumSet = (values: readonly string[]) => `Member must satisfy enum value set: [${awsEnumOrder(values).join(', ')}]`;

/**
 * AWS lists some enums in an order of its own, not the service model's. Recorded (LocalStack
 * snapshot test_kms.py::TestKMS::test_invalid_generate_mac[HMAC_256-INVALID]): macAlgorithm
 * "[HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]". The keySpec and keyUsage lists recorded
 * there have since gained values, so their order today is unknown and the model's is kept.
 */
const AWS_ENUM_ORDERS: readonly (readonly string[])[] = [['HMAC_SHA_384', 'HMAC_SHA_256', 'HMAC_SHA_224', 'HMAC_SHA_512']];

function awsEnumOrder(values: readonly string[]): readonly string[] {
  const order = AWS_ENUM_ORDERS.find((o) => o.length === values.length && o.every((v) => values.includes(v)));
  return order ?? values;
}
const matchesPattern = (p: string) => `Member must satisfy regular expression pattern: ${p}`;
export const NOT_NULL = 'Member must not be null';

/** Strings are measured in code points, blobs in bytes, lists and maps in entries. */
function lengthOf(value: unknown, shape: Shape): number | undefined {
  switch (shape.type) {
    case 'string': {
      let count = 0;
      for (const _ of value as string) count++;
      return count;
    }
    case 'blob': return (value as Buffer).length;
    case 'list': return (value as unknown[]).length;
    case 'map': return Object.keys(value as object).length;
    default: return undefined;
  }
}

function isNumeric(shape: Shape): boolean {
  return shape.type === 'integer' || shape.type === 'long' || shape.type === 'float' || shape.type === 'double';
}

/** The constraints `value` breaks, in the order AWS most often lists them (pattern before length). */
function failedConstraints(value: unknown, shape: Shape): string[] {
  const failed: string[] = [];
  if (shape.enum !== undefined && !shape.enum.includes(value as string)) failed.push(enumSet(shape.enum));
  if (shape.pattern !== undefined && !patternFor(shape.pattern).test(value as string)) {
    failed.push(matchesPattern(shape.pattern));
  }
  if (isNumeric(shape)) {
    const n = value as number;
    if (shape.max !== undefined && n > shape.max) failed.push(valueAtMost(shape.max));
    if (shape.min !== undefined && n < shape.min) failed.push(valueAtLeast(shape.min));
    return failed;
  }
  const length = lengthOf(value, shape);
  if (length !== undefined) {
    if (shape.max !== undefined && length > shape.max) failed.push(lengthAtMost(shape.max));
    if (shape.min !== undefined && length < shape.min) failed.push(lengthAtLeast(shape.min));
  }
  return failed;
}

/** Every constraint of a shape, as AWS lists them inside "Map keys must satisfy constraint: [...]". */
function allConstraints(shape: Shape): string[] {
  const all: string[] = [];
  if (isNumeric(shape)) {
    if (shape.max !== undefined) all.push(valueAtMost(shape.max));
    if (shape.min !== undefined) all.push(valueAtLeast(shape.min));
  } else {
    if (shape.max !== undefined) all.push(lengthAtMost(shape.max));
    if (shape.min !== undefined) all.push(lengthAtLeast(shape.min));
  }
  if (shape.pattern !== undefined) all.push(matchesPattern(shape.pattern));
  if (shape.enum !== undefined) all.push(enumSet(shape.enum));
  return all;
}

export class ConstraintChecker {
  readonly #resolve: ShapeResolver;
  readonly #hides = new Map<string, boolean>();

  constructor(resolve: ShapeResolver) {
    this.#resolve = resolve;
  }

  /** Violation messages for a decoded structure, in model member order, depth first. */
  check(value: Record<string, unknown>, shapeName: string): string[] {
    const out: string[] = [];
    this.#checkStructure(value, this.#structure(shapeName), '', out);
    return out;
  }

  #structure(shapeName: string): StructureShape {
    const shape = this.#resolve(shapeName);
    if (shape.type !== 'structure') throw new Error(`${shapeName} is not a structure`);
    return shape;
  }

  /**
   * AWS leaves out the value of sensitive members ("Value at 'plaintext' ..."). It also prints
   * KMS blobs without a value; a shape containing either is treated the same way.
   */
  #hidesValue(shapeName: string): boolean {
    const known = this.#hides.get(shapeName);
    if (known !== undefined) return known;
    this.#hides.set(shapeName, false); // cycle guard for recursive shapes
    const shape = this.#resolve(shapeName);
    let hides = shape.sensitive === true || shape.type === 'blob';
    if (!hides && shape.type === 'list') hides = this.#hidesValue(shape.member);
    if (!hides && shape.type === 'map') hides = this.#hidesValue(shape.key) || this.#hidesValue(shape.value);
    if (!hides && shape.type === 'structure') hides = Object.values(shape.members).some((m) => this.#hidesValue(m));
    this.#hides.set(shapeName, hides);
    return hides;
  }

  #subject(value: unknown, shapeName: string): string {
    return this.#hidesValue(shapeName) ? 'Value' : `Value '${javaToString(value, shapeName, this.#resolve)}'`;
  }

  #report(out: string[], subject: string, path: string, constraint: string): void {
    out.push(`${subject} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  #checkStructure(value: Record<string, unknown>, shape: StructureShape, path: string, out: string[]): void {
    for (const [name, memberShape] of Object.entries(shape.members)) {
      const memberPath = path === '' ? pathName(name) : `${path}.${pathName(name)}`;
      const memberValue = Object.hasOwn(value, name) ? value[name] : undefined;
      if (memberValue === undefined) {
        if (shape.required?.includes(name)) this.#report(out, 'Value null', memberPath, NOT_NULL);
        continue;
      }
      this.#checkValue(memberValue, memberShape, memberPath, out);
    }
  }

  #checkValue(value: unknown, shapeName: string, path: string, out: string[]): void {
    const shape = this.#resolve(shapeName);
    for (const constraint of failedConstraints(value, shape)) {
      this.#report(out, this.#subject(value, shapeName), path, constraint);
    }
    switch (shape.type) {
      case 'structure':
        this.#checkStructure(value as Record<string, unknown>, shape, path, out);
        break;
      case 'list':
        (value as unknown[]).forEach((item, i) => this.#checkValue(item, shape.member, `${path}.${i + 1}.member`, out));
        break;
      case 'map':
        this.#checkMap(value as Record<string, unknown>, shapeName, shape, path, out);
        break;
      default:
        break;
    }
  }

  // Scalar map keys/values are reported once at the map's path, listing all of the key's (or
  // value's) constraints. Nested structures or lists inside values are walked with
  // "<map>.<key>.member" paths.
  #checkMap(value: Record<string, unknown>, shapeName: string, shape: MapShape, path: string, out: string[]): void {
    const keyShape = this.#resolve(shape.key);
    const valueShape = this.#resolve(shape.value);
    const entries = Object.entries(value);
    if (entries.some(([k]) => failedConstraints(k, keyShape).length > 0)) {
      this.#report(out, this.#subject(value, shapeName), path,
        `Map keys must satisfy constraint: [${allConstraints(keyShape).join(', ')}]`);
    }
    const scalarValues = !['structure', 'list', 'map'].includes(valueShape.type);
    if (scalarValues) {
      if (entries.some(([, v]) => failedConstraints(v, valueShape).length > 0)) {
        this.#report(out, this.#subject(value, shapeName), path,
          `Map value must satisfy constraint: [${allConstraints(valueShape).join(', ')}]`);
      }
      return;
    }
    for (const [k, v] of entries) this.#checkValue(v, shape.value, `${path}.${k}.member`, out);
  }
}
