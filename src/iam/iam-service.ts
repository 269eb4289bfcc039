// One IAM call: the caller's identity policies decide the action on its resource (the root user
// holds every permission of its account), then the handler runs. Credentials from GetSessionToken
// cannot call IAM ("You cannot call any IAM API operations unless MFA authentication information
// is included in the request", STS API Reference, GetSessionToken): no MFA exists here.

import { AuthorizationDenied } from '../kms/authorization/access-denied.js';
import { denialCause } from '../kms/authorization/authorize.js';
import { describeDecision, evaluateIdentity, traceStatements, type ContextValue } from '../policy/index.js';
import { InvalidAction, InvalidClientTokenId } from '../errors/query-errors.js';
import { INVALID_SECURITY_TOKEN } from '../auth/auth-messages.js';
import type { IamOperation, IamOutput, IamRequest } from './operations/iam-operation.js';
import { IAM_OPERATIONS } from './operations/index.js';

export function isIamAction(name: string): boolean {
  return Object.hasOwn(IAM_OPERATIONS, name);
}

export async function runIamAction(name: string, request: IamRequest): Promise<IamOutput> {
  const operation: IamOperation | undefined = Object.hasOwn(IAM_OPERATIONS, name) ? IAM_OPERATIONS[name] : undefined;
  if (!operation) throw new InvalidAction(`Could not find operation ${name} for version 2010-05-08`);
  const { caller } = request;
  // AWS refuses them as credentials IAM does not know: InvalidClientTokenId, "The security token
  // included in the request is invalid" (aws/aws-sdk-js#460, cloudyr/aws.iam#15), not AccessDenied.
  if (caller.principal.issuedBy === 'GetSessionToken') throw new InvalidClientTokenId(INVALID_SECURITY_TOKEN);
  if (caller.principal.kind !== 'root') {
    const { dir } = await request.services.directories.current(request.accountId);
    const keys = requestKeys(request);
    for (const resource of [await operation.resource(request, dir), ...(operation.alsoOn?.(request, dir) ?? [])]) {
      const context = { caller: caller.policyCaller, action: operation.action, resource, keys, time: new Date(request.services.clock.now()) };
      const decision = evaluateIdentity(context, { identityPolicies: caller.identityPolicies, ...(caller.sessionPolicies && { sessionPolicies: caller.sessionPolicies }) });
      if (decision.decision !== 'Allow') {
        throw new AuthorizationDenied(caller.principal.arn, operation.action, resource, denialCause(decision), describeDecision(decision)).withTrace(() =>
          traceStatements(context, [...caller.identityPolicies, ...(caller.sessionPolicies ?? [])]),
        );
      }
    }
  }
  return operation.run(request);
}

/** Condition keys of an IAM request: the caller's address and Region, request tags, iam:PolicyARN. */
function requestKeys(request: IamRequest): Map<string, ContextValue> {
  const keys = new Map<string, ContextValue>([
    ['aws:requestedregion', request.region],
    ['aws:securetransport', false],
  ]);
  if (request.sourceIp !== undefined) keys.set('aws:sourceip', request.sourceIp);
  const tags = request.input.Tags as readonly { Key: string; Value: string }[] | undefined;
  if (tags) {
    for (const t of tags) keys.set(`aws:requesttag/${t.Key.toLowerCase()}`, t.Value);
    keys.set('aws:tagkeys', tags.map((t) => t.Key));
  }
  if (Array.isArray(request.input.TagKeys)) keys.set('aws:tagkeys', request.input.TagKeys as string[]);
  if (typeof request.input.PolicyArn === 'string') keys.set('iam:policyarn', request.input.PolicyArn);
  return keys;
}
