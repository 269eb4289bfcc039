// The pipeline's authorization step for one key: the AWS managed keys' refusal of management
// calls, then the key policy evaluated for the declared action (src/policy). The key policy is the
// root of access: an explicit Deny wins, and nothing is allowed unless a statement allows it, to
// the caller or to its account (whose root holds every IAM permission), and the caller's IAM
// policies count where the key policy delegates to them. Grants are a further Allow (grants.ts):
// read only when the policies did not allow, and never past an explicit Deny.

import { MalformedPolicyDocumentException } from '../../errors/aws-errors.js';
import { describeDecision, evaluate, evaluateIdentity, traceStatements, type CompiledPolicy, type Decision } from '../../policy/index.js';
import type { Caller, KmsServices, OperationInput } from '../context.js';
import type { KeyRecord } from '../model/key.js';
import { AuthorizationDenied, type DenialCause } from './access-denied.js';
import { grantOperationOf, grantsOfCaller, grantVerdict, type GrantVerdict } from './grants.js';
import { keyPolicies, type PolicyNeeds } from './key-policy-cache.js';
import { foldedKeyClash, identityRequestContext, keyRequestContext, type KeyFacts } from './request-context.js';

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

export async function authorizeKey(request: KeyAuthorization, services: KmsServices): Promise<void> {
  const { caller, action, key } = request;
  // AWS managed keys' key policy allows customers no management calls.
  if (request.customerManagedOnly && key.keyManager === 'AWS') {
    throw new AuthorizationDenied(caller.principalArn, action, key.arn, 'no resource-based policy allows', 'an AWS managed key allows customers no such call');
  }
  let needs: PolicyNeeds;
  try {
    needs = keyPolicies.needs(key.policy);
  } catch (err) {
    // A stored policy this parser refuses (accepted by an older, laxer check) allows nothing: fail closed.
    if (!(err instanceof MalformedPolicyDocumentException)) throw err;
    throw new AuthorizationDenied(caller.principalArn, action, key.arn, 'no resource-based policy allows', `the key policy does not parse: ${err.message}`);
  }
  const clash = needs.foldedNames ? foldedKeyClash(request.input, action) : undefined;
  if (clash !== undefined) {
    throw new AuthorizationDenied(
      caller.principalArn,
      action,
      key.arn,
      'no resource-based policy allows',
      `names that differ only in case (${clash}) cannot be decided by a key policy with encryption-context or request-tag conditions`,
    );
  }
  // The key's own rows, read only for a policy that looks at them.
  const facts: KeyFacts = {
    ...(needs.resourceTags && { tags: await services.store.listTags(key.arn) }),
    ...(needs.resourceAliases && {
      aliases: (await services.store.listAliases({ accountId: key.accountId, region: key.region }, { limit: 1_000_000 }, key.keyId)).items.map((a) => a.aliasName),
    }),
  };
  let decision = decide(request, key.policy, facts);
  if (decision.decision === 'Allow') return;
  let grantNote = '';
  // Grants only add an Allow: looked up only when the policies did not allow and did not deny.
  if (decision.decision === 'ImplicitDeny' && grantOperationOf(action) !== undefined) {
    const verdict = grantVerdict(await grantsOfCaller(services, caller, key, request.input), caller, key, action, request.input);
    if (verdict.principal.length > 0 || verdict.account.length > 0) {
      decision = decide(request, key.policy, facts, verdict);
      if (decision.decision === 'Allow') return;
    }
    grantNote =
      verdict.considered === 0
        ? '; no grant of this key names the caller'
        : verdict.account.length > 0
          ? `; grant ${verdict.account.join(', ')} names only the caller's account and no identity policy allows`
          : `; ${verdict.considered} grant(s) naming the caller considered, none allows this request`;
  }
  throw new AuthorizationDenied(caller.principalArn, action, key.arn, denialCause(decision), describeDecision(decision) + grantNote).withTrace(() =>
    traceStatements(keyRequestContext(caller, action, key, request.input, request.now, request.identifier, facts), [keyPolicies.get(key.policy), ...policiesOf(caller)]),
  );
}

/** The decision of `policyText` for the request (PutKeyPolicy's lockout check asks it of the new policy);
 *  with `grants`, what the key's grants allow counts too. */
export function decide(request: KeyAuthorization, policyText: string, facts?: KeyFacts, grants?: GrantVerdict): Decision {
  const context = keyRequestContext(request.caller, request.action, request.key, request.input, request.now, request.identifier, facts);
  const identity = request.caller.identity;
  return evaluate(context, {
    keyPolicy: keyPolicies.get(policyText),
    ...(identity && { identityPolicies: identity.identityPolicies }),
    ...(identity?.sessionPolicies && { sessionPolicies: identity.sessionPolicies }),
    ...(grants && {
      grantAllows: grants.principal.length > 0,
      grantAllowsAccount: grants.account.length > 0,
      grantIds: grants.principal.length > 0 ? grants.principal : grants.account,
    }),
  });
}

export interface IdentityAuthorization {
  readonly caller: Caller;
  readonly action: string;
  /** The ARN the permission is on ('*' for CreateKey, ListKeys, ...; the alias ARN for alias operations). */
  readonly resource: string;
  readonly input: OperationInput;
  readonly now: number;
}

/** A permission no key policy governs: the caller's IAM policies alone decide (the root user holds them all). */
export function authorizeIdentity(request: IdentityAuthorization): void {
  const identity = request.caller.identity;
  if (!identity || identity.principal.kind === 'root') return;
  const context = identityRequestContext(request.caller, request.action, request.resource, request.input, request.now);
  const decision = evaluateIdentity(context, {
    identityPolicies: identity.identityPolicies,
    ...(identity.sessionPolicies && { sessionPolicies: identity.sessionPolicies }),
  });
  if (decision.decision === 'Allow') return;
  throw new AuthorizationDenied(request.caller.principalArn, request.action, request.resource, denialCause(decision), describeDecision(decision)).withTrace(() =>
    traceStatements(context, policiesOf(request.caller)),
  );
}

/** The caller's identity and session policies, for a trace. */
function policiesOf(caller: Caller): CompiledPolicy[] {
  return [...(caller.identity?.identityPolicies ?? []), ...(caller.identity?.sessionPolicies ?? [])];
}

/** The "because ..." of AWS's message for a refusal. */
export function denialCause(decision: Decision): DenialCause {
  if (decision.decision === 'ExplicitDeny') {
    const policy = decision.statements[0]?.policy ?? '';
    if (policy === 'key policy' || policy.startsWith('trust policy')) return 'explicit deny in a resource-based policy';
    return policy === 'session policy' ? 'explicit deny in a session policy' : 'explicit deny in an identity-based policy';
  }
  switch (decision.reason) {
    case 'IdentityPolicyDoesNotAllow':
      return 'no identity-based policy allows';
    case 'SessionPolicyDoesNotAllow':
      return 'no session policy allows';
    default:
      return 'no resource-based policy allows';
  }
}
