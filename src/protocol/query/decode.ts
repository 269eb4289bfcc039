// Steps 1 and 2 of a Query (IAM, STS) request: find the operation from Action and Version, turn
// the flat form parameters into typed values following its input shape, then check the model's
// constraints. The naming rules are botocore's QuerySerializer (botocore/serialize.py), which
// is what every SDK sends:
//   structure member   Prefix.Member         (the member's locationName if it has one)
//   list element       Prefix.member.N       (member locationName replaces "member"; a flattened
//                                              list drops it: Prefix.N)
//   empty list         Prefix=               (botocore sends the bare name with no value)
//   map entry          Prefix.entry.N.key / .value  (flattened: Prefix.N.key; key/value
//                                              locationNames replace "key"/"value")
//   boolean "true"/"false", numbers in decimal, timestamps ISO 8601, blobs base64.
// Parameters the model does not name are dropped, as AWS ignores them.
import { InvalidAction, InvalidParameterValue, MissingAction, ValidationError } from '../../errors/query-errors.js';
import type { QueryService } from '../query-model.js';
import { operationOf, type ListShape, type MapShape, type Shape, type StructureShape, type XmlTraits } from '../service-model.js';
import { decodeStrictBase64 } from '../validation/base64.js';
import { ConstraintChecker } from '../validation/constraints.js';
import { INT_MAX, INT_MIN, put } from '../validation/decode.js';
import { formatValidationMessage } from '../validate.js';
import { joinName, QueryParams } from './params.js';
import { mapEntryParts, traitsOf } from './traits.js';

export { parseQueryForm } from './form.js';

/**
 * A parameter whose text cannot become its member's type. No recorded IAM/STS answer for, say,
 * MaxItems=abc is on hand; InvalidParameterValue is the Query services' documented common error
 * for "an invalid or out-of-range value was supplied for the input parameter", and the wording
 * (naming the wire parameter) is ours.
 */
function invalid(name: string, value: string, expected: string): InvalidParameterValue {
  return new InvalidParameterValue(`Value '${value}' for parameter ${name} is invalid: expected ${expected}.`);
}

const ISO_8601 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * botocore writes "%Y-%m-%dT%H:%M:%SZ", or "%Y-%m-%dT%H:%M:%S.%fZ" when there are microseconds
 * (serialize.py _timestamp_iso8601); the JS SDK writes toISOString(). Fractions beyond
 * milliseconds are cut, as a Date holds no more.
 */
function parseTimestamp(text: string): Date | undefined {
  const m = ISO_8601.exec(text);
  if (m === null) return undefined;
  const [, base, fraction, zone] = m as unknown as [string, string, string | undefined, string];
  const millis = (fraction ?? '').padEnd(3, '0').slice(0, 3);
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const date = new Date(`${base}.${millis}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function decodeInteger(name: string, text: string, shape: Shape): number {
  const expected = shape.type === 'long' ? 'a long integer' : 'an integer';
  if (!/^[+-]?\d+$/.test(text)) throw invalid(name, text, expected);
  const n = Number(text);
  const fits = shape.type === 'long' ? Number.isSafeInteger(n) : n >= INT_MIN && n <= INT_MAX;
  if (!fits) throw invalid(name, text, expected);
  return n;
}

function decodeScalar(name: string, text: string, shape: Shape): unknown {
  switch (shape.type) {
    case 'string': return text;
    case 'boolean': {
      // Exactly what botocore and the JS SDK send; anything else is a client bug worth naming.
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw invalid(name, text, "'true' or 'false'");
    }
    case 'integer': case 'long': return decodeInteger(name, text, shape);
    case 'float': case 'double': {
      const n = text.trim() === '' ? Number.NaN : Number(text);
      if (Number.isNaN(n) && text !== 'NaN') throw invalid(name, text, 'a number');
      return n;
    }
    case 'timestamp': {
      const date = parseTimestamp(text);
      if (date === undefined) throw invalid(name, text, 'an ISO 8601 timestamp');
      return date;
    }
    case 'blob': {
      const result = decodeStrictBase64(text);
      // Never echo a sensitive member's content.
      if (!result.ok) throw invalid(name, shape.sensitive ? '***' : text, `base64 (${result.reason})`);
      return result.bytes;
    }
    case 'structure': case 'list': case 'map':
      throw new Error(`decodeScalar called for a ${shape.type}`);
  }
}

/** Positive integer child segments of `prefix`, in numeric order (list and map indices). */
function indicesUnder(params: QueryParams, prefix: string): string[] {
  return params.children(prefix)
    .filter((segment) => /^[1-9]\d*$/.test(segment))
    .sort((a, b) => Number(a) - Number(b));
}

class QueryDecoder {
  readonly #service: QueryService;
  readonly #params: QueryParams;

  constructor(service: QueryService, params: QueryParams) {
    this.#service = service;
    this.#params = params;
  }

  structure(shape: StructureShape, prefix: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [member, shapeName] of Object.entries(shape.members)) {
      const memberShape = this.#service.resolve(shapeName);
      const traits = traitsOf(memberShape, shape.memberTraits?.[member]);
      const value = this.#value(memberShape, traits, joinName(prefix, traits.locationName ?? member));
      if (value !== undefined) put(out, member, value);
    }
    return out;
  }

  /** The value named `name` (undefined when absent); `traits` are the reference's, merged. */
  #value(shape: Shape, traits: XmlTraits, name: string): unknown {
    switch (shape.type) {
      case 'structure':
        return this.#params.hasChildren(name) ? this.structure(shape, name) : undefined;
      case 'list':
        return this.#list(shape, traits, name);
      case 'map':
        return this.#map(shape, traits, name);
      default: {
        const text = this.#params.value(name);
        return text === undefined ? undefined : decodeScalar(name, text, shape);
      }
    }
  }

  #list(shape: ListShape, traits: XmlTraits, name: string): unknown[] | undefined {
    const memberShape = this.#service.resolve(shape.member);
    const memberTraits = traitsOf(memberShape, shape.memberTraits);
    let elementsPrefix: string;
    if (traits.flattened === true) {
      // serialize.py: a flattened list with a member locationName replaces the last segment.
      elementsPrefix = memberTraits.locationName === undefined
        ? name
        : joinName(name.split('.').slice(0, -1).join('.'), memberTraits.locationName);
    } else {
      elementsPrefix = `${name}.${memberTraits.locationName ?? 'member'}`;
    }
    const indices = indicesUnder(this.#params, elementsPrefix);
    if (indices.length === 0) {
      // botocore sends "Name=" for an empty list.
      return this.#params.value(name) === '' ? [] : undefined;
    }
    const out: unknown[] = [];
    for (const index of indices) {
      const item = this.#value(memberShape, memberTraits, `${elementsPrefix}.${index}`);
      if (item !== undefined) out.push(item);
    }
    return out;
  }

  #map(shape: MapShape, traits: XmlTraits, name: string): Record<string, unknown> | undefined {
    const entriesPrefix = traits.flattened === true ? name : `${name}.entry`;
    const { valueShape, valueTraits, keyName, valueName } = mapEntryParts(shape, this.#service.resolve);
    const indices = indicesUnder(this.#params, entriesPrefix);
    if (indices.length === 0) return this.#params.value(name) === '' ? {} : undefined;
    const out: Record<string, unknown> = {};
    for (const index of indices) {
      const entry = `${entriesPrefix}.${index}`;
      const key = this.#params.value(`${entry}.${keyName}`);
      if (key === undefined) throw new InvalidParameterValue(`Parameter ${entry} has no ${keyName}.`);
      const value = this.#value(valueShape, valueTraits, `${entry}.${valueName}`);
      if (value !== undefined) put(out, key, value);
    }
    return out;
  }
}

/**
 * The operation a request names. Action missing -> MissingAction; an Action the model lacks, or
 * a Version other than the model's -> InvalidAction "Could not find operation <Action> for
 * version <Version>" (the message names the version because AWS looks operations up by both;
 * S3Proxy's STS emulation answers a wrong Version the same way). A request without Version is
 * not refused: what AWS answers to one is not on record here, and every SDK sends it.
 */
export function queryActionOf(service: QueryService, params: URLSearchParams): string {
  const action = params.get('Action');
  // The message is ours: no recorded AWS text for a Query request without Action is on hand.
  if (action === null || action === '') throw new MissingAction('Missing Action');
  const version = params.get('Version') ?? service.apiVersion;
  if (version !== service.apiVersion || operationOf(service.model, action) === undefined) {
    throw new InvalidAction(`Could not find operation ${action} for version ${version}`);
  }
  return action;
}

// One checker per service, so its per-shape caches are shared across requests.
const checkers = new WeakMap<QueryService, ConstraintChecker>();

function checkerFor(service: QueryService): ConstraintChecker {
  let checker = checkers.get(service);
  if (checker === undefined) {
    checker = new ConstraintChecker(service.resolve);
    checkers.set(service, checker);
  }
  return checker;
}

/**
 * The operation's input with only modelled members: booleans and numbers as such, timestamps as
 * Date, blobs as Buffer. Throws InvalidParameterValue for text that is not of its member's type
 * (first one found), ValidationError with AWS's "N validation error(s) detected: ..." message for
 * constraint violations (all of them), InvalidAction for an operation the model lacks.
 */
export function decodeQueryInput(service: QueryService, action: string, params: URLSearchParams): Record<string, unknown> {
  const operation = operationOf(service.model, action);
  if (operation === undefined) throw new InvalidAction(`Could not find operation ${action} for version ${service.apiVersion}`);
  if (operation.input === undefined) return {};
  const shape = service.resolve(operation.input);
  if (shape.type !== 'structure') throw new Error(`input shape ${operation.input} is not a structure`);
  const decoded = new QueryDecoder(service, new QueryParams(params)).structure(shape, '');
  const violations = checkerFor(service).check(decoded, operation.input);
  if (violations.length > 0) throw new ValidationError(formatValidationMessage(violations));
  return decoded;
}

/** Both steps: the action named by the request and its decoded, validated input. */
export function decodeQueryRequest(
  service: QueryService,
  params: URLSearchParams,
): { action: string; input: Record<string, unknown> } {
  const action = queryActionOf(service, params);
  return { action, input: decodeQueryInput(service, action, params) };
}
