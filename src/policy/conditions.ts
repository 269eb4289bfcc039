// Condition operators, one compiler per family. Each family turns the policy values into a test
// of ONE request value (true: it matches one of the policy values; undefined: the request value is
// not of the operator's type). compileCondition() adds what every family shares, from the IAM User
// Guide ("IAM JSON policy elements: Condition operators", "Single-valued vs. multivalued context keys"):
// - several values for one key are ORed; negated operators (StringNotEquals, NotIpAddress, ...)
//   negate that OR, i.e. the request value must match none of them;
// - a key missing from the request makes the condition false, except for negated operators (true),
//   ...IfExists (true) and Null (which tests exactly that);
// - ForAllValues: every request value must match; true when the key is missing or empty.
//   ForAnyValue: at least one must match; false when the key is missing or empty.
// A request value of the wrong type (a number test on "abc") never matches, negated or not.

import { BlockList, isIP } from 'node:net';
import { MalformedPolicyDocumentException } from '../errors/aws-errors.js';
import { lookupKey, type ContextValue, type RequestContext } from './context.js';
import type { BaseOperator, Condition } from './document.js';
import { arnMatcher, cachedMatcher, wildcardMatcher, type Matcher } from './pattern.js';
import { chunksText, isDynamic, isFixed, parseTemplate, resolveTemplate } from './variables.js';

export type ConditionTest = (request: RequestContext) => boolean;
type Scalar = string | number | boolean;
/** One request value against all policy values: true = matches one, false = none, undefined = wrong type. */
type ValueTest = (value: Scalar, request: RequestContext) => boolean | undefined;

const NEGATED: ReadonlySet<BaseOperator> = new Set<BaseOperator>([
  'StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals',
  'NotIpAddress', 'ArnNotEquals', 'ArnNotLike',
]);

class BadValue extends Error {}

function bad(what: string): never {
  throw new BadValue(what);
}

// --- String ---

function stringTest(values: readonly string[], variables: boolean, mode: 'equals' | 'ignoreCase' | 'like'): ValueTest {
  const fold = mode === 'ignoreCase' ? (s: string) => s.toLowerCase() : (s: string) => s;
  const templates = values.map((v) => parseTemplate(v, variables));
  const dynamic = templates.filter(isDynamic);
  if (mode === 'like') {
    const fixed = templates.filter(isFixed).map((t) => wildcardMatcher(t.chunks));
    const build = cachedMatcher((chunks) => wildcardMatcher(chunks));
    return (v, request) => {
      const s = String(v);
      for (const m of fixed) if (m(s)) return true;
      for (const t of dynamic) {
        const chunks = resolveTemplate(t, request);
        if (chunks && build(chunks)(s)) return true;
      }
      return false;
    };
  }
  const fixed = new Set(templates.filter(isFixed).map((t) => fold(chunksText(t.chunks))));
  return (v, request) => {
    const s = fold(String(v));
    if (fixed.has(s)) return true;
    for (const t of dynamic) {
      const chunks = resolveTemplate(t, request);
      if (chunks && fold(chunksText(chunks)) === s) return true;
    }
    return false;
  };
}

// --- Numeric ---

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function toNumber(v: Scalar): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && NUMBER.test(v.trim())) return Number(v);
  return undefined;
}

type Compare = (request: number, policy: number) => boolean;
const COMPARE: Record<string, Compare> = {
  Equals: (a, b) => a === b,
  NotEquals: (a, b) => a === b, // negated afterwards
  LessThan: (a, b) => a < b,
  LessThanEquals: (a, b) => a <= b,
  GreaterThan: (a, b) => a > b,
  GreaterThanEquals: (a, b) => a >= b,
};

function orderedTest(policy: readonly number[], compare: Compare, parse: (v: Scalar) => number | undefined): ValueTest {
  if (compare === COMPARE['Equals'] || compare === COMPARE['NotEquals']) {
    const set = new Set(policy);
    return (v) => {
      const n = parse(v);
      return n === undefined ? undefined : set.has(n);
    };
  }
  return (v) => {
    const n = parse(v);
    if (n === undefined) return undefined;
    for (const p of policy) if (compare(n, p)) return true;
    return false;
  };
}

// --- Date: ISO 8601 or epoch seconds (IAM User Guide, "Date condition operators") ---

const ISO = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

export function toEpochMs(v: Scalar): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v * 1000 : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(s)) return Number(s) * 1000;
  const m = ISO.exec(s);
  if (!m) return undefined;
  // Without a zone AWS reads the time as UTC; JavaScript would read it as local time.
  let zone = m[3] ?? 'Z';
  if (zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(m[2] === undefined ? `${m[1]}T00:00:00Z` : `${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

// --- Bool, Binary, IP, ARN, Null ---

function toBool(v: Scalar): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const s = v.toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : undefined;
}

function boolTest(values: readonly string[], variables: boolean): ValueTest {
  const templates = values.map((v) => parseTemplate(v, variables));
  const fixed = new Set<boolean>();
  for (const t of templates.filter(isFixed)) {
    const b = toBool(chunksText(t.chunks));
    if (b === undefined) bad(`Bool takes "true" or "false", found "${chunksText(t.chunks)}"`);
    fixed.add(b);
  }
  const dynamic = templates.filter(isDynamic);
  return (v, request) => {
    const b = toBool(v);
    if (b === undefined) return undefined;
    if (fixed.has(b)) return true;
    for (const t of dynamic) {
      const chunks = resolveTemplate(t, request);
      if (chunks && toBool(chunksText(chunks)) === b) return true;
    }
    return false;
  };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function canonicalBase64(v: string): string | undefined {
  return BASE64.test(v) ? Buffer.from(v, 'base64').toString('base64') : undefined;
}

function binaryTest(values: readonly string[]): ValueTest {
  const set = new Set(values.map((v) => canonicalBase64(v) ?? bad(`BinaryEquals takes base64, found "${v}"`)));
  return (v) => {
    const c = typeof v === 'string' ? canonicalBase64(v) : undefined;
    return c === undefined ? undefined : set.has(c);
  };
}

function ipTest(values: readonly string[]): ValueTest {
  const list = new BlockList();
  for (const value of values) {
    const [address, prefix, extra] = value.split('/');
    const family = isIP(address ?? '');
    const bits = prefix === undefined ? (family === 4 ? 32 : 128) : /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
    if (family === 0 || extra !== undefined || bits < 0 || bits > (family === 4 ? 32 : 128)) {
      bad(`IpAddress takes an IPv4 or IPv6 address or CIDR block, found "${value}"`);
    }
    list.addSubnet(address!, bits, family === 4 ? 'ipv4' : 'ipv6');
  }
  return (v) => {
    if (typeof v !== 'string') return undefined;
    const family = isIP(v);
    if (family === 0) return undefined;
    return list.check(v, family === 4 ? 'ipv4' : 'ipv6');
  };
}

function arnTest(values: readonly string[], variables: boolean): ValueTest {
  const templates = values.map((v) => parseTemplate(v, variables));
  const fixed: Matcher[] = templates.filter(isFixed).map((t) => arnMatcher(t.chunks));
  const dynamic = templates.filter(isDynamic);
  const build = cachedMatcher(arnMatcher);
  return (v, request) => {
    if (typeof v !== 'string') return undefined;
    for (const m of fixed) if (m(v)) return true;
    for (const t of dynamic) {
      const chunks = resolveTemplate(t, request);
      if (chunks && build(chunks)(v)) return true;
    }
    return false;
  };
}

function valueTest(base: BaseOperator, values: readonly string[], variables: boolean): ValueTest {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return stringTest(values, variables, 'equals');
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return stringTest(values, variables, 'ignoreCase');
    case 'StringLike':
    case 'StringNotLike':
      return stringTest(values, variables, 'like');
    case 'NumericEquals':
    case 'NumericNotEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals': {
      const policy = values.map((v) => toNumber(v) ?? bad(`${base} takes numbers, found "${v}"`));
      return orderedTest(policy, COMPARE[base.slice('Numeric'.length)]!, toNumber);
    }
    case 'DateEquals':
    case 'DateNotEquals':
    case 'DateLessThan':
    case 'DateLessThanEquals':
    case 'DateGreaterThan':
    case 'DateGreaterThanEquals': {
      const policy = values.map((v) => toEpochMs(v) ?? bad(`${base} takes ISO 8601 dates or epoch seconds, found "${v}"`));
      return orderedTest(policy, COMPARE[base.slice('Date'.length)]!, toEpochMs);
    }
    case 'Bool':
      return boolTest(values, variables);
    case 'BinaryEquals':
      return binaryTest(values);
    case 'IpAddress':
    case 'NotIpAddress':
      return ipTest(values);
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      // ArnEquals and ArnLike are the same test: both take wildcards in each ARN part.
      return arnTest(values, variables);
    case 'Null':
      return () => undefined; // handled by compileCondition
  }
}

function isPresent(value: ContextValue | undefined): value is ContextValue {
  return value !== undefined && !(Array.isArray(value) && value.length === 0);
}

/**
 * Compiles one operator/key pair. Throws MalformedPolicyDocumentException (with `where`) for a
 * policy value the operator cannot take. `variables`: the policy's Version is 2012-10-17.
 */
export function compileCondition(condition: Condition, variables: boolean, where: string): ConditionTest {
  const { base, key, qualifier, ifExists } = condition;
  if (base === 'Null') {
    const wants = new Set(
      condition.values.map((v) => {
        const b = toBool(v);
        if (b === undefined) throw new MalformedPolicyDocumentException(`${where}: Null takes "true" or "false", found "${v}" for "${condition.rawKey}".`);
        return b;
      }),
    );
    // Null true: the key is absent (or has no values); false: it is there.
    return (request) => wants.has(!isPresent(lookupKey(request, key)));
  }
  let test: ValueTest;
  try {
    test = valueTest(base, condition.values, variables);
  } catch (e) {
    if (e instanceof BadValue) {
      throw new MalformedPolicyDocumentException(`${where}: Condition "${condition.operator}" "${condition.rawKey}": ${e.message}.`);
    }
    throw e;
  }
  const negated = NEGATED.has(base);
  const one = (v: Scalar, request: RequestContext): boolean => {
    const r = test(v, request);
    return r === undefined ? false : negated ? !r : r;
  };
  const absent = ifExists || qualifier === 'ForAllValues' ? true : qualifier === 'ForAnyValue' ? false : negated;
  if (qualifier === 'ForAllValues') {
    return (request) => {
      const value = lookupKey(request, key);
      if (!isPresent(value)) return absent;
      if (!Array.isArray(value)) return one(value as Scalar, request);
      for (const v of value) if (!one(v, request)) return false;
      return true;
    };
  }
  if (qualifier === 'ForAnyValue') {
    return (request) => {
      const value = lookupKey(request, key);
      if (!isPresent(value)) return absent;
      if (!Array.isArray(value)) return one(value as Scalar, request);
      for (const v of value) if (one(v, request)) return true;
      return false;
    };
  }
  // No qualifier on a multivalued key (AWS says to use one): a positive operator matches when any
  // value matches, a negated one when no value matches the policy values.
  return (request) => {
    const value = lookupKey(request, key);
    if (!isPresent(value)) return absent;
    if (!Array.isArray(value)) return one(value as Scalar, request);
    if (negated) {
      for (const v of value) if (!one(v, request)) return false;
      return true;
    }
    for (const v of value) if (one(v, request)) return true;
    return false;
  };
}
