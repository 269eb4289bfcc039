// PolicyDocument -> closures, once per policy (at PutKeyPolicy / IAM policy change time), so that
// an evaluation only runs precompiled tests: actions lower-cased into Sets and prefix tests,
// wildcard patterns turned into exact/prefix/suffix/regex tests, condition values in Sets,
// principals normalized (a 12-digit account id and arn:...:iam::ID:root both mean the account).

import type { Caller, RequestContext } from './context.js';
import { roleArnOfSession } from './context.js';
import { compileCondition, type ConditionTest } from './conditions.js';
import { statementLabel, type Effect, type PolicyDocument, type PolicyKind, type PrincipalBlock, type Statement } from './document.js';
import { parsePolicy } from './parse.js';
import { arnMatcher, cachedMatcher, wildcardMatcher, type Matcher } from './pattern.js';
import { isDynamic, isFixed, parseTemplate, resolveTemplate } from './variables.js';

/** Which statement of which policy: for decisions and "why was I denied" logs. */
export interface StatementRef {
  readonly policy: string;
  readonly index: number;
  readonly sid?: string;
}

/**
 * How a statement's Principal covers the caller. ACCOUNT: it names the caller's account, which
 * for anyone but the account's root user only delegates to the account's IAM policies.
 */
export const NONE = 0;
export const ACCOUNT = 1;
export const DIRECT = 2;
export type PrincipalMatch = typeof NONE | typeof ACCOUNT | typeof DIRECT;

/** The request with what every statement needs computed once. */
export interface Prepared {
  readonly request: RequestContext;
  readonly caller: Caller;
  /** Lower-cased: action names are not case-sensitive (IAM User Guide, "IAM JSON policy elements: Action"). */
  readonly action: string;
  /** For a role session: the role's ARN. */
  readonly roleArn: string | undefined;
  /** The unique id part of aws:userid (AROA... of AROA...:session). */
  readonly uniqueId: string | undefined;
}

export function prepare(request: RequestContext): Prepared {
  const caller = request.caller;
  const roleArn = caller.type === 'AssumedRole' ? (caller.roleArn ?? roleArnOfSession(caller.arn)) : undefined;
  const uniqueId = caller.userId?.split(':')[0];
  return { request, caller, action: request.action.toLowerCase(), roleArn, uniqueId };
}

export interface CompiledStatement {
  readonly ref: StatementRef;
  readonly effect: Effect;
  readonly action: (action: string) => boolean;
  readonly principal: (p: Prepared) => PrincipalMatch;
  readonly resource: (p: Prepared) => boolean;
  /** Undefined when the statement has no Condition. */
  readonly condition: ConditionTest | undefined;
}

export interface CompiledPolicy {
  readonly name: string;
  readonly kind: PolicyKind;
  readonly document: PolicyDocument;
  readonly denies: readonly CompiledStatement[];
  readonly allows: readonly CompiledStatement[];
}

/** How the statement covers this request: NONE when any of action, principal, resource, condition fails. */
export function statementMatch(s: CompiledStatement, p: Prepared): PrincipalMatch {
  if (!s.action(p.action)) return NONE;
  const principal = s.principal(p);
  if (principal === NONE || !s.resource(p)) return NONE;
  if (s.condition !== undefined && !s.condition(p.request)) return NONE;
  return principal;
}

const always = () => true;
const direct = (): PrincipalMatch => DIRECT;

function actionMatcher(patterns: readonly string[]): (action: string) => boolean {
  const exact = new Set<string>();
  const wild: Matcher[] = [];
  for (const raw of patterns) {
    const a = raw.toLowerCase();
    if (a === '*') return always;
    if (/[*?]/.test(a)) wild.push(wildcardMatcher([{ text: a, literal: false }]));
    else exact.add(a);
  }
  if (wild.length === 0) return (a) => exact.has(a);
  return (a) => {
    if (exact.has(a)) return true;
    for (const m of wild) if (m(a)) return true;
    return false;
  };
}

function resourceMatcher(patterns: readonly string[], variables: boolean): (p: Prepared) => boolean {
  if (patterns.includes('*')) return always;
  const templates = patterns.map((r) => parseTemplate(r, variables));
  const fixed = templates.filter(isFixed).map((t) => arnMatcher(t.chunks));
  const dynamic = templates.filter(isDynamic);
  const build = cachedMatcher(arnMatcher);
  return (p) => {
    const arn = p.request.resource;
    for (const m of fixed) if (m(arn)) return true;
    for (const t of dynamic) {
      const chunks = resolveTemplate(t, p.request);
      if (chunks && build(chunks)(arn)) return true;
    }
    return false;
  };
}

interface PrincipalSets {
  readonly everyone: boolean;
  readonly anyAws: boolean;
  readonly accounts: ReadonlySet<string>;
  readonly arns: ReadonlySet<string>;
  readonly uniqueIds: ReadonlySet<string>;
  readonly services: ReadonlySet<string>;
}

const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;

function principalSets(block: PrincipalBlock): PrincipalSets {
  if (block === '*') return { everyone: true, anyAws: true, accounts: new Set(), arns: new Set(), uniqueIds: new Set(), services: new Set() };
  const accounts = new Set<string>();
  const arns = new Set<string>();
  const uniqueIds = new Set<string>();
  let anyAws = false;
  for (const v of block.AWS ?? []) {
    if (v === '*') anyAws = true;
    else if (/^\d{12}$/.test(v)) accounts.add(v);
    else if (ROOT_ARN.test(v)) accounts.add(ROOT_ARN.exec(v)![1]!);
    else if (v.startsWith('arn:')) arns.add(v);
    else uniqueIds.add(v);
  }
  // Federated and CanonicalUser principals never sign KMS requests: they cannot match a caller.
  return { everyone: false, anyAws, accounts, arns, uniqueIds, services: new Set(block.Service ?? []) };
}

function namesCaller(s: PrincipalSets, p: Prepared): boolean {
  return s.arns.has(p.caller.arn) || (p.roleArn !== undefined && s.arns.has(p.roleArn)) || (p.uniqueId !== undefined && s.uniqueIds.has(p.uniqueId));
}

function principalMatcher(block: PrincipalBlock): (p: Prepared) => PrincipalMatch {
  const s = principalSets(block);
  if (s.everyone) return direct;
  return (p) => {
    const type = p.caller.type;
    if (type === 'Service') return s.services.has(p.caller.arn) ? DIRECT : NONE;
    if (type === 'Anonymous') return NONE;
    if (s.anyAws || namesCaller(s, p)) return DIRECT;
    // The account's root user is the account itself; anyone else in it is covered only through IAM.
    if (s.accounts.has(p.caller.accountId)) return type === 'Account' ? DIRECT : ACCOUNT;
    return NONE;
  };
}

/**
 * NotPrincipal (Deny only): the statement covers everyone the block does not exclude. AWS checks the
 * account first, then the user, and for a role session the account, then the role, then the session,
 * so a caller is excluded only when its account is listed too (IAM User Guide, "AWS JSON policy
 * elements: NotPrincipal": "you must also specify the account ARN of the not-denied principal").
 * Here a session is excluded by its account plus its role's ARN or its session ARN.
 */
function notPrincipalMatcher(block: PrincipalBlock): (p: Prepared) => PrincipalMatch {
  const s = principalSets(block);
  if (s.everyone) return () => NONE;
  return (p) => {
    const type = p.caller.type;
    if (type === 'Service') return s.services.has(p.caller.arn) ? NONE : DIRECT;
    if (type === 'Anonymous') return DIRECT;
    if (s.anyAws) return NONE;
    const accountListed = s.accounts.has(p.caller.accountId);
    const excluded = type === 'Account' ? accountListed : accountListed && namesCaller(s, p);
    return excluded ? NONE : DIRECT;
  };
}

function compileStatement(st: Statement, doc: PolicyDocument, name: string): CompiledStatement {
  const where = statementLabel(st.index, st.sid);
  const variables = doc.version === '2012-10-17';
  const action = st.action ? actionMatcher(st.action) : negate(actionMatcher(st.notAction!));
  const resource = st.resource ? resourceMatcher(st.resource, variables) : negate(resourceMatcher(st.notResource!, variables));
  const principal = doc.kind === 'identity' ? direct : st.principal ? principalMatcher(st.principal) : notPrincipalMatcher(st.notPrincipal!);
  const tests = st.conditions.map((c) => compileCondition(c, variables, where));
  const condition: ConditionTest | undefined =
    tests.length === 0
      ? undefined
      : tests.length === 1
        ? tests[0]
        : (request) => {
            for (const t of tests) if (!t(request)) return false;
            return true;
          };
  const ref: StatementRef = st.sid === undefined ? { policy: name, index: st.index } : { policy: name, index: st.index, sid: st.sid };
  return { ref, effect: st.effect, action, principal, resource, condition };
}

function negate<T>(f: (x: T) => boolean): (x: T) => boolean {
  return (x) => !f(x);
}

/** Compiles a parsed policy. Throws MalformedPolicyDocumentException for condition values its operator cannot take. */
export function compilePolicy(doc: PolicyDocument, name: string = doc.kind === 'resource' ? 'key policy' : 'identity policy'): CompiledPolicy {
  const statements = doc.statements.map((s) => compileStatement(s, doc, name));
  return {
    name,
    kind: doc.kind,
    document: doc,
    denies: statements.filter((s) => s.effect === 'Deny'),
    allows: statements.filter((s) => s.effect === 'Allow'),
  };
}

/** parsePolicy + compilePolicy: the one call PutKeyPolicy-time code needs. */
export function loadPolicy(text: string, kind: PolicyKind, name?: string): CompiledPolicy {
  return compilePolicy(parsePolicy(text, kind), name);
}
