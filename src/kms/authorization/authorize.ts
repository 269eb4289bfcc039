// The pipeline's authorization step for one key: the AWS managed keys' refusal of management
// calls, then the key policy evaluated for the declared action (src/policy). The key policy is the
// root of access: an explicit Deny wins, and nothing is allowed unless a statement allows it, to
// the caller or to its account (whose root holds every IAM permission). IAM policies and grants
// join when identities other than account roots exist.

import { MalformedPolicyDocumentException } from '../../errors/aws-errors.js';
import { describeDecision, evaluate, type Decision } from '../../policy/index.js';
import type { Caller, OperationInput } from '../context.js';
import { ensureCustomerManaged } from '../key-mutation.js';
import type { KeyRecord } from '../model/key.js';
import { AuthorizationDenied, type DenialCause } from './access-denied.js';
import { keyPolicies } from './key-policy-cache.js';
import { keyRequestContext } from './request-context.js';

export interface KeyAuthorization {
  readonly caller: Caller;
  readonly action: string;
  readonly key: KeyRecord;
  readonly input: OperationInput;
  readonly now: number;
  /** The identifier the caller named the key by (kms:RequestAlias). */
  readonly identifier?: unknown;
  /** AWS managed keys allow customers no such call. */
  readonly customerManagedOnly?: boolean;
}

export function authorizeKey(request: KeyAuthorization): void {
  const { caller, action, key } = request;
  if (request.customerManagedOnly) ensureCustomerManaged(key, caller, action.slice('kms:'.length));
  let decision: Decision;
  try {
    decision = decide(request, key.policy);
  } catch (err) {
    // A stored policy this parser refuses (accepted by an older, laxer check) allows nothing: fail closed.
    if (!(err instanceof MalformedPolicyDocumentException)) throw err;
    throw new AuthorizationDenied(caller.principalArn, action, key.arn, 'no resource-based policy allows', `the key policy does not parse: ${err.message}`);
  }
  if (decision.decision === 'Allow') return;
  const cause: DenialCause = decision.decision === 'ExplicitDeny' ? 'explicit deny in a resource-based policy' : 'no resource-based policy allows';
  throw new AuthorizationDenied(caller.principalArn, action, key.arn, cause, describeDecision(decision));
}

/** The decision of `policyText` for the request (PutKeyPolicy's lockout check asks it of the new policy). */
export function decide(request: KeyAuthorization, policyText: string): Decision {
  const context = keyRequestContext(request.caller, request.action, request.key, request.input, request.now, request.identifier);
  return evaluate(context, { keyPolicy: keyPolicies.get(policyText) });
}
