// The parsed form of an AWS policy document: what parse.ts produces and compile.ts consumes.
// Shapes are normalized (one value or many -> a non-empty array; condition values -> strings), but
// nothing is matched or precompiled here.

/**
 * A key policy (resource-based: Principal required), an IAM identity policy (Principal forbidden),
 * or a role's trust policy (resource-based, and Resource may be left out: it is the role itself).
 */
export type PolicyKind = 'resource' | 'identity' | 'trust';

export type PolicyVersion = '2012-10-17' | '2008-10-17';

export type Effect = 'Allow' | 'Deny';

/** The principal types a Principal/NotPrincipal object may name. */
export const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** "*" (everyone) or a map of principal type -> non-empty list of values. */
export type PrincipalBlock = '*' | { readonly [T in PrincipalType]?: readonly string[] };

/** The operator families; `...IfExists` and the set qualifiers are carried beside the base name. */
export const BASE_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress',
  'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike',
  'Null',
] as const;
export type BaseOperator = (typeof BASE_OPERATORS)[number];

export type SetQualifier = 'ForAllValues' | 'ForAnyValue';

export interface Condition {
  /** As written in the policy, e.g. "ForAnyValue:StringLikeIfExists" (for messages). */
  readonly operator: string;
  readonly base: BaseOperator;
  readonly qualifier: SetQualifier | undefined;
  readonly ifExists: boolean;
  /** Lower-cased: context key names are not case-sensitive (IAM User Guide, "IAM JSON policy elements: Condition"). */
  readonly key: string;
  /** As written, for messages. */
  readonly rawKey: string;
  /** One or more; JSON numbers and booleans become their string form, as AWS compares them as text. */
  readonly values: readonly string[];
}

export interface Statement {
  /** Position in the Statement array (0 when Statement is a single object). */
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  readonly principal: PrincipalBlock | undefined;
  readonly notPrincipal: PrincipalBlock | undefined;
  readonly action: readonly string[] | undefined;
  readonly notAction: readonly string[] | undefined;
  readonly resource: readonly string[] | undefined;
  readonly notResource: readonly string[] | undefined;
  readonly conditions: readonly Condition[];
}

export interface PolicyDocument {
  readonly kind: PolicyKind;
  /** Undefined when the document has no Version element; AWS then applies 2008-10-17 rules (no policy variables). */
  readonly version: PolicyVersion | undefined;
  readonly id: string | undefined;
  readonly statements: readonly Statement[];
}

/** Where a statement sits, for error messages and decisions: `Statement[2] (Sid "Admins")`. */
export function statementLabel(index: number, sid: string | undefined): string {
  return sid === undefined || sid === '' ? `Statement[${index}]` : `Statement[${index}] (Sid "${sid}")`;
}
