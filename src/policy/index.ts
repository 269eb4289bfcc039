// The policy module's public surface: parse and compile policies once, evaluate requests often.

export type { PolicyDocument, PolicyKind, Statement, Condition, PrincipalBlock } from './document.js';
export { parsePolicy } from './parse.js';
export { compilePolicy, loadPolicy, type CompiledPolicy, type StatementRef } from './compile.js';
export { evaluate, evaluateIdentity, describeDecision, type Decision, type DecisionKind, type DecisionReason, type EvaluationInput } from './evaluate.js';
export { contextKeys, encryptionContextKeys, lookupKey, type Caller, type CallerType, type ContextValue, type RequestContext } from './context.js';
export { traceStatements, type StatementTrace } from './explain.js';
