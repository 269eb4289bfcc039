// The one request pipeline. For every operation, in AWS's order:
//   validate the input -> resolve keys (reads) -> authorize (key policy) -> key state -> the operation's checks
//   -> DryRun -> run
// then the observers, told of success and failure alike, with the keys resolved so far.
// An operation that writes runs all of it again, from a fresh read, when its commit meets a
// concurrent change: reads that decide a write are inside the retried attempt by construction.

import { DryRunOperationException } from '../../errors/aws-errors.js';
import type { Caller, KmsServices, Operation, OperationInput, OperationOutput } from '../context.js';
import { authorizeIdentity, authorizeKey } from '../authorization/authorize.js';
import { allowsCrossAccount } from '../authorization/cross-account.js';
import { grantTokensOf } from '../authorization/grants.js';
import { invalidGrantToken, isWellFormedGrantToken } from '../operations/grants/common.js';
import { retryOnConflict } from '../key-mutation.js';
import { resolveKey, type ResolveOptions } from '../key-resolver.js';
import { enforceKeyState } from '../model/key-state.js';
import type { KeyRecord } from '../model/key.js';
import type { IdentifierForms, IdentityPermission, KeyDeclaration, OperationEvent, OperationRequest, OperationSpec, ResolvedRequest } from './operation-spec.js';

const RESOLVE_OPTIONS: Record<IdentifierForms, ResolveOptions> = {
  'key-or-alias': { allowAlias: true },
  key: { allowAlias: false },
  'key-or-not-found': { allowAlias: false, aliasIsNotFound: true },
};

/** The operation the router calls: `run` goes through the pipeline. */
export function defineOperation(spec: OperationSpec): Operation {
  return {
    name: spec.name,
    spec,
    run: (input, caller, services, requestId) => runPipeline(spec, input, caller, services, requestId),
  };
}

export async function runPipeline(
  spec: OperationSpec,
  input: OperationInput,
  caller: Caller,
  services: KmsServices,
  requestId?: string,
): Promise<OperationOutput> {
  // The keys of the latest attempt, for the observers.
  let resolved: KeyRecord[] = [];
  const request: OperationRequest = { input, caller, services };
  const attempt = async (): Promise<OperationOutput> => {
    resolved = [];
    for (const permission of identityPermissionsOf(spec)) {
      authorizeIdentity({ caller, action: permission.action, resource: permission.resource?.(request) ?? '*', input, now: services.clock.now() });
    }
    const keys = new Map<string, KeyRecord>();
    for (const declaration of spec.keys) {
      const key = await resolveDeclared(declaration, request);
      if (key === undefined) continue;
      keys.set(declaration.member, key);
      if (!resolved.some((k) => k.arn === key.arn)) resolved.push(key);
    }
    for (const declaration of spec.keys) {
      const key = keys.get(declaration.member);
      if (!key || declaration.authorizedBy === 'grant' || declaration.authorizedBy === 'identity') continue;
      await authorizeKey({
        caller,
        action: declaration.action,
        key,
        input,
        now: services.clock.now(),
        identifier: identifierOf(declaration, input),
        ...(declaration.customerManagedOnly && { customerManagedOnly: true }),
      }, services);
    }
    for (const declaration of spec.keys) {
      const key = keys.get(declaration.member);
      if (key) enforceKeyState(declaration.state, key.state, key.arn);
    }
    const ready: ResolvedRequest = {
      ...request,
      keys,
      key: (member) => {
        const key = keys.get(member);
        if (!key) throw new Error(`${spec.name}: no key was resolved for ${member}`);
        return key;
      },
    };
    await spec.check?.(ready);
    if (spec.dryRun && input.DryRun === true) throw new DryRunOperationException();
    return spec.run(ready);
  };
  try {
    checkGrantTokens(input);
    spec.validate?.(request);
    const output = await (spec.readOnly ? attempt() : retryOnConflict(attempt));
    notify(services, { operation: spec.name, caller, keys: resolved, requestId, at: services.clock.now(), outcome: { ok: true, output } });
    return output;
  } catch (error) {
    notify(services, { operation: spec.name, caller, keys: resolved, requestId, at: services.clock.now(), outcome: { ok: false, error } });
    throw error;
  }
}

async function resolveDeclared(declaration: KeyDeclaration, request: OperationRequest): Promise<KeyRecord | undefined> {
  const identifier = identifierOf(declaration, request.input);
  if (identifier === undefined) {
    if (declaration.locate) return declaration.locate(request);
    if (declaration.optional) return undefined;
    // The validator requires every member the model requires; a declaration that names an optional
    // member without saying so is a bug in the declaration.
    throw new Error(`${declaration.member} is declared required but was not sent`);
  }
  const options = RESOLVE_OPTIONS[declaration.forms];
  return resolveKey(request.services, request.caller, identifier as string, allowsCrossAccount(declaration.action) ? { ...options, otherAccounts: true } : options);
}

/**
 * Every operation with a GrantTokens member: each token must be one this server issues (AWS:
 * InvalidGrantTokenException, "The request was rejected because the specified grant token is not
 * valid"). Which grant a token names is looked up only if the grants are needed (authorize step).
 */
function checkGrantTokens(input: OperationInput): void {
  for (const token of grantTokensOf(input)) if (typeof token !== 'string' || !isWellFormedGrantToken(token)) throw invalidGrantToken();
}

function identityPermissionsOf(spec: OperationSpec): readonly IdentityPermission[] {
  return spec.identityPermissions ?? (spec.keys.length === 0 ? [{ action: `kms:${spec.name}` }] : []);
}

function identifierOf(declaration: KeyDeclaration, input: OperationInput): unknown {
  return declaration.identifier ? declaration.identifier(input) : input[declaration.member];
}

/** Observers must not change the answer: one that throws is a bug in it, not in the call. */
function notify(services: KmsServices, event: OperationEvent): void {
  for (const observer of services.observers ?? []) {
    try {
      observer(event);
    } catch {
      // Swallowed on purpose: see above. Observers report their own faults (UsageRecorder's onError).
    }
  }
}
