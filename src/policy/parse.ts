// Policy text -> PolicyDocument, or MalformedPolicyDocumentException saying what is wrong and where.
// Checks the grammar of the IAM User Guide ("Grammar of the IAM JSON policy language"): element
// names are case-sensitive and unknown ones are refused; condition operator names are
// case-sensitive too (IAM answers `Invalid Condition type : stringEquals` for a lower-case one).
// Values that only the compiler can judge (numbers, dates, CIDRs, base64) are checked in compile.ts.

import { MalformedPolicyDocumentException } from '../errors/aws-errors.js';
import {
  BASE_OPERATORS,
  PRINCIPAL_TYPES,
  statementLabel,
  type BaseOperator,
  type Condition,
  type PolicyDocument,
  type PolicyKind,
  type PolicyVersion,
  type PrincipalBlock,
  type PrincipalType,
  type SetQualifier,
  type Statement,
} from './document.js';

const TOP_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const VERSIONS: ReadonlySet<string> = new Set<PolicyVersion>(['2012-10-17', '2008-10-17']);
const BASES: ReadonlySet<string> = new Set(BASE_OPERATORS);
const OPERATOR = /^(?:(ForAllValues|ForAnyValue):)?([A-Za-z]+?)(IfExists)?$/;
// "*", or service:pattern; the service prefix has no wildcards, the action part only letters, digits and * ?
const ACTION = /^(?:\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
const ACCOUNT_ID = /^\d{12}$/;
// Principals AWS accepts by ARN (IAM User Guide, "AWS JSON policy elements: Principal"); no wildcards
// inside them: only "*" alone means everyone.
const PRINCIPAL_ARN = /^arn:aws(?:-cn|-us-gov|-iso|-iso-b)?:(?:iam::\d{12}:(?:root|user\/.+|role\/.+|federated-user\/.+)|sts::\d{12}:(?:assumed-role\/[^/]+\/.+|federated-user\/.+))$/;
// Unique ids (AIDA..., AROA...): what AWS shows in a policy once the named user or role was deleted.
const UNIQUE_ID = /^A[A-Z0-9]{15,127}$/;

function fail(where: string, what: string): never {
  throw new MalformedPolicyDocumentException(`${where}: ${what}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `"${value}"` : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string or a non-empty array of strings (the `*_string_list` forms of the grammar). */
function stringList(where: string, element: string, value: unknown): readonly string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) fail(where, `${element} must not be an empty array.`);
  for (const item of list) {
    if (typeof item !== 'string') fail(where, `${element} must be a string or an array of strings, found ${describe(item)}.`);
    if (item === '') fail(where, `${element} must not contain an empty string.`);
  }
  return list as string[];
}

function principalBlock(where: string, element: string, value: unknown): PrincipalBlock {
  if (value === '*') return '*';
  if (!isObject(value)) fail(where, `${element} must be "*" or an object such as {"AWS": ...}, found ${describe(value)}.`);
  const names = Object.keys(value);
  if (names.length === 0) fail(where, `${element} must name at least one principal.`);
  const block: { [T in PrincipalType]?: readonly string[] } = {};
  for (const name of names) {
    if (!(PRINCIPAL_TYPES as readonly string[]).includes(name)) {
      fail(where, `${element} has an unknown principal type "${name}" (expected AWS, Service, Federated or CanonicalUser).`);
    }
    const type = name as PrincipalType;
    const values = stringList(where, `${element}.${type}`, value[type]);
    for (const v of values) {
      if (type === 'AWS' && v !== '*' && !ACCOUNT_ID.test(v) && !(PRINCIPAL_ARN.test(v) && !/[*?]/.test(v)) && !UNIQUE_ID.test(v)) {
        // KMS's own words for this case are "Policy contains a statement with one or more invalid principals."
        fail(where, `${element}.AWS has an invalid principal "${v}" (expected "*", a 12-digit account id or an IAM/STS principal ARN).`);
      }
      if (type !== 'AWS' && /\s/.test(v)) fail(where, `${element}.${type} has an invalid principal "${v}".`);
    }
    block[type] = values;
  }
  return block;
}

function conditionBlock(where: string, value: unknown): readonly Condition[] {
  if (!isObject(value)) fail(where, `Condition must be an object of operator -> {key: value}, found ${describe(value)}.`);
  const conditions: Condition[] = [];
  for (const [operator, keys] of Object.entries(value)) {
    const m = OPERATOR.exec(operator);
    const base = m?.[2];
    if (!m || base === undefined || !BASES.has(base)) fail(where, `Condition has an unknown operator "${operator}".`);
    const qualifier = m[1] as SetQualifier | undefined;
    const ifExists = m[3] !== undefined;
    // IfExists "checks the existence of the key" and Null is that check already; set qualifiers compare
    // sets of values and Null has none (IAM User Guide, "IAM JSON policy elements: Condition operators").
    if (base === 'Null' && (ifExists || qualifier)) fail(where, `Condition has an unknown operator "${operator}".`);
    if (!isObject(keys)) fail(where, `Condition operator "${operator}" must map condition keys to values, found ${describe(keys)}.`);
    const entries = Object.entries(keys);
    if (entries.length === 0) fail(where, `Condition operator "${operator}" names no condition key.`);
    for (const [rawKey, raw] of entries) {
      if (rawKey === '') fail(where, `Condition operator "${operator}" has an empty condition key.`);
      const list = Array.isArray(raw) ? raw : [raw];
      if (list.length === 0) fail(where, `Condition "${operator}" "${rawKey}" must not be an empty array.`);
      const values = list.map((v: unknown) => {
        if (typeof v === 'string') return v;
        if (typeof v === 'number' || typeof v === 'boolean') return String(v);
        return fail(where, `Condition "${operator}" "${rawKey}" values must be strings, numbers or booleans, found ${describe(v)}.`);
      });
      conditions.push({ operator, base: base as BaseOperator, qualifier, ifExists, key: rawKey.toLowerCase(), rawKey, values });
    }
  }
  return conditions;
}

function exactlyOne(where: string, s: Record<string, unknown>, a: string, b: string, required: boolean): void {
  const has = (k: string) => Object.hasOwn(s, k);
  if (has(a) && has(b)) fail(where, `a statement must not have both ${a} and ${b}.`);
  if (required && !has(a) && !has(b)) fail(where, `a statement must have ${a} or ${b}.`);
}

function statement(raw: unknown, index: number, kind: PolicyKind): Statement {
  if (!isObject(raw)) fail(`Statement[${index}]`, `a statement must be an object, found ${describe(raw)}.`);
  const sidValue = raw['Sid'];
  if (sidValue !== undefined && typeof sidValue !== 'string') fail(`Statement[${index}]`, `Sid must be a string, found ${describe(sidValue)}.`);
  const sid = sidValue;
  const where = statementLabel(index, sid);
  for (const name of Object.keys(raw)) {
    if (!STATEMENT_ELEMENTS.has(name)) fail(where, `unknown element "${name}".`);
  }
  const effect = raw['Effect'];
  if (effect === undefined) fail(where, 'Effect is required.');
  if (effect !== 'Allow' && effect !== 'Deny') fail(where, `Effect must be "Allow" or "Deny", found ${describe(effect)}.`);
  if (kind === 'identity') {
    for (const k of ['Principal', 'NotPrincipal']) {
      if (Object.hasOwn(raw, k)) fail(where, `${k} is not allowed in an identity-based policy.`);
    }
  } else {
    exactlyOne(where, raw, 'Principal', 'NotPrincipal', true);
    // "NotPrincipal must be used with "Effect":"Deny". Using it with "Effect":"Allow" is not supported."
    // (IAM User Guide, "AWS JSON policy elements: NotPrincipal").
    if (Object.hasOwn(raw, 'NotPrincipal') && effect === 'Allow') fail(where, 'NotPrincipal is only supported with "Effect": "Deny".');
  }
  exactlyOne(where, raw, 'Action', 'NotAction', true);
  // A key policy's Resource is required too; there "*" means this KMS key (KMS Developer Guide, "Key policies").
  // A trust policy names no resource: it is attached to the one role it governs.
  exactlyOne(where, raw, 'Resource', 'NotResource', kind !== 'trust');
  const list = (k: string) => (Object.hasOwn(raw, k) ? stringList(where, k, raw[k]) : undefined);
  const action = list('Action');
  const notAction = list('NotAction');
  for (const a of action ?? notAction ?? []) {
    if (!ACTION.test(a)) fail(where, `${action ? 'Action' : 'NotAction'} has an invalid action "${a}" (expected "*" or service:action).`);
  }
  const notResource = list('NotResource');
  const resource = list('Resource') ?? (kind === 'trust' && notResource === undefined ? ['*'] : undefined);
  for (const r of resource ?? notResource ?? []) {
    if (r !== '*' && !r.startsWith('arn:')) {
      fail(where, `${resource ? 'Resource' : 'NotResource'} has an invalid resource "${r}" (expected "*" or an ARN).`);
    }
  }
  return {
    index,
    sid,
    effect,
    principal: Object.hasOwn(raw, 'Principal') ? principalBlock(where, 'Principal', raw['Principal']) : undefined,
    notPrincipal: Object.hasOwn(raw, 'NotPrincipal') ? principalBlock(where, 'NotPrincipal', raw['NotPrincipal']) : undefined,
    action,
    notAction,
    resource,
    notResource,
    conditions: Object.hasOwn(raw, 'Condition') ? conditionBlock(where, raw['Condition']) : [],
  };
}

/** One open object or array while scanning, and where it sits in its parent (member name or index). */
interface Frame {
  readonly keys: Set<string> | undefined; // undefined for an array
  readonly at: string | number | undefined;
  member: string | undefined; // object: the member last named
  index: number; // array: the element being read
  expectName: boolean;
}

function pathOf(stack: readonly Frame[]): string {
  let path = '';
  for (let i = 1; i < stack.length; i++) {
    const at = stack[i]!.at;
    if (typeof at === 'number') path += `[${at}]`;
    // A lone statement object is Statement[0] in the parser's other messages too.
    else if (i === 1 && at === 'Statement' && stack[i]!.keys) path = 'Statement[0]';
    else path += path === '' ? at : `.${at}`;
  }
  return path === '' ? 'Policy' : path;
}

/**
 * JSON.parse keeps the last of duplicated member names, while a reader of the stored text sees the
 * first; a policy with any duplicate member name is refused. One iterative pass over text that
 * JSON.parse has already accepted, so only strings and nesting need following.
 */
function refuseDuplicateMembers(text: string): void {
  const stack: Frame[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const at = top === undefined ? undefined : top.keys ? top.member : top.index;
      stack.push({ keys: c === 0x7b ? new Set() : undefined, at, member: undefined, index: 0, expectName: c === 0x7b });
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      i++;
    } else if (c === 0x2c /* , */) {
      if (top?.keys) top.expectName = true;
      else if (top) top.index++;
      i++;
    } else if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          escaped = true;
          j += 2;
        } else if (d === 0x22) break;
        else j++;
      }
      if (top?.keys && top.expectName) {
        const raw = text.slice(i, j + 1);
        const name = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (top.keys.has(name)) fail(pathOf(stack), `duplicate member "${name}".`);
        top.keys.add(name);
        top.member = name;
        top.expectName = false;
      }
      i = j + 1;
    } else {
      i++;
    }
  }
}

/** Parses and checks a policy document. `kind` decides whether Principal is required or forbidden. */
export function parsePolicy(text: string, kind: PolicyKind): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new MalformedPolicyDocumentException('The policy document is not valid JSON.');
  }
  refuseDuplicateMembers(text);
  if (!isObject(doc)) fail('Policy', `the document must be a JSON object, found ${describe(doc)}.`);
  for (const name of Object.keys(doc)) {
    if (!TOP_ELEMENTS.has(name)) fail('Policy', `unknown element "${name}".`);
  }
  const version = doc['Version'];
  if (version !== undefined && (typeof version !== 'string' || !VERSIONS.has(version))) {
    fail('Policy', `Version must be "2012-10-17" or "2008-10-17", found ${describe(version)}.`);
  }
  const id = doc['Id'];
  if (id !== undefined && typeof id !== 'string') fail('Policy', `Id must be a string, found ${describe(id)}.`);
  const raw = doc['Statement'];
  if (raw === undefined) fail('Policy', 'Statement is required.');
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) fail('Policy', 'Statement must not be an empty array.');
  return {
    kind,
    version: version as PolicyVersion | undefined,
    id,
    statements: list.map((s, i) => statement(s, i, kind)),
  };
}
