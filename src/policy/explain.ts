// "Why was I denied?": every statement of the policies that applied to a request, and whether it
// matched or the first element that did not (Action, Principal, Resource or Condition). For the
// --dev explanation endpoint and tests; the decision itself is evaluate.ts's, never this one's.

import { DIRECT, NONE, prepare, type CompiledPolicy, type CompiledStatement } from './compile.js';
import type { RequestContext } from './context.js';
import { statementLabel } from './document.js';

export interface StatementTrace {
  readonly policy: string;
  /** Statement[2] (Sid "NoHR"). */
  readonly statement: string;
  readonly effect: 'Allow' | 'Deny';
  /** 'matches', or the first element that does not match the request. */
  readonly result: 'matches' | 'Action does not match' | 'Principal does not match' | 'Resource does not match' | 'Condition does not match';
  /** For a matching resource-policy statement: whether it names the caller itself or only its account (which delegates to IAM policies). */
  readonly names?: 'the caller' | "the caller's account";
}

function traceOne(policy: CompiledPolicy, s: CompiledStatement, request: RequestContext): StatementTrace {
  const p = prepare(request);
  const base = { policy: policy.name, statement: statementLabel(s.ref.index, s.ref.sid), effect: s.effect };
  if (!s.action(p.action)) return { ...base, result: 'Action does not match' };
  const principal = s.principal(p);
  if (principal === NONE) return { ...base, result: 'Principal does not match' };
  if (!s.resource(p)) return { ...base, result: 'Resource does not match' };
  if (s.condition !== undefined && !s.condition(p.request)) return { ...base, result: 'Condition does not match' };
  if (policy.kind === 'identity') return { ...base, result: 'matches' };
  return { ...base, result: 'matches', names: principal === DIRECT ? 'the caller' : "the caller's account" };
}

/** Each statement of each policy, in document order. */
export function traceStatements(request: RequestContext, policies: readonly CompiledPolicy[]): StatementTrace[] {
  const traces: StatementTrace[] = [];
  for (const policy of policies) {
    const statements = [...policy.denies, ...policy.allows].sort((a, b) => a.ref.index - b.ref.index);
    for (const s of statements) traces.push(traceOne(policy, s, request));
  }
  return traces;
}
