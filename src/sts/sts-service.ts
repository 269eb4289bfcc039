// STS: GetCallerIdentity, AssumeRole, GetSessionToken, GetAccessKeyInfo. Temporary credentials
// are an access key (ASIA...), a secret stored wrapped under the root key, and a session token
// stored only as its SHA-256, valid until their expiry (src/auth/caller-authenticator.ts).

import { wrapAccessKeySecret } from '../iam/root-credentials.js';
import { hashSessionToken } from '../auth/caller-authenticator.js';
import { AccessDenied, InvalidAction, InvalidParameterValue, MalformedPolicyDocument, PackedPolicyTooLarge, ValidationError } from '../errors/query-errors.js';
import { MalformedPolicyDocumentException } from '../errors/aws-errors.js';
import { AuthorizationDenied, type DenialCause } from '../kms/authorization/access-denied.js';
import { denialCause } from '../kms/authorization/authorize.js';
import { describeDecision, evaluate, loadPolicy, traceStatements, parsePolicy, type ContextValue } from '../policy/index.js';
import type { AccessKeyRecord } from '../store/store.js';
import { assumedRoleArn, parseRoleArn } from '../iam/model/arns.js';
import { findRole } from '../iam/model/directory.js';
import { accountOfAccessKeyId, newAccessKeyId, newSecretAccessKey, newSessionToken } from '../iam/model/ids.js';
import type { IamOutput, IamRequest } from '../iam/operations/iam-operation.js';
import { roleArn } from '../iam/operations/roles.js';
import type { Principal } from '../iam/principal.js';

type StsHandler = (request: IamRequest) => Promise<IamOutput>;

/**
 * AssumeRole's refusal: STS's text ends at the resource, without KMS's and IAM's "because ..."
 * ("User: arn:aws:iam::xxx:user/u is not authorized to perform: sts:AssumeRole on resource:
 * arn:aws:iam::yyy:role/r", as users report it, e.g. aws-solutions/instance-scheduler-on-aws#558,
 * Netflix/security_monkey#77). The deciding statement still goes to the log as `detail`.
 */
class AssumeRoleDenied extends AuthorizationDenied {
  constructor(principalArn: string, action: string, resource: string, cause: DenialCause, detail: string) {
    super(principalArn, action, resource, cause, detail);
    this.message = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}`;
  }
}

/** AssumeRole: "The default is one hour"; GetSessionToken: 12 hours, at most 36 (1 hour for the root user). */
const ASSUME_ROLE_DEFAULT_S = 3600;
const SESSION_TOKEN_DEFAULT_S = 43_200;
const SESSION_TOKEN_MAX_S = 129_600;
const ROOT_SESSION_TOKEN_MAX_S = 3600;
/** Role chaining: "limits your AWS CLI or AWS API role session to a maximum of one hour". */
const CHAINED_MAX_S = 3600;
/** Session policies and tags are packed into at most this much (AWS does not publish its encoding; see packedPolicySize). */
const PACKED_LIMIT = 2048;

const STS_OPERATIONS: Readonly<Record<string, StsHandler>> = {
  // "No permissions are required to perform this operation" (STS API Reference).
  GetCallerIdentity: async ({ caller }) => ({ UserId: caller.principal.userId, Account: caller.principal.accountId, Arn: caller.principal.arn }),
  GetAccessKeyInfo: async (r) => {
    const id = r.input.AccessKeyId as string;
    // As AWS: the account is read from the id itself, for any id of the current form, issued here
    // or not, so the answer says nothing about whether the key exists. Ids of another form (seeded
    // ones, say) are looked up.
    const account = accountOfAccessKeyId(id) ?? (await r.services.store.getAccessKey(id))?.accountId;
    // Unconfirmed wording: no recorded AWS answer for an id it cannot decode.
    if (account === undefined) throw new InvalidParameterValue(`The access key ID ${id} is not valid.`);
    return { Account: account };
  },
  GetSessionToken: async (r) => {
    const { principal } = r.caller;
    if (principal.issuedBy !== undefined || principal.kind === 'assumed-role') {
      // AWS's text (aws/aws-sdk-php#1876, aws/aws-sdk-js#3670: "AccessDenied: Cannot call GetSessionToken with session credentials").
      throw new AccessDenied('Cannot call GetSessionToken with session credentials');
    }
    const max = principal.kind === 'root' ? ROOT_SESSION_TOKEN_MAX_S : SESSION_TOKEN_MAX_S;
    const seconds = (r.input.DurationSeconds as number | undefined) ?? Math.min(SESSION_TOKEN_DEFAULT_S, max);
    if (seconds > max) throw new ValidationError(`The requested DurationSeconds exceeds the ${max / 3600} hour session limit for this user.`);
    const credentials = await issueCredentials(r, { ...principal, issuedBy: 'GetSessionToken' }, seconds);
    return { Credentials: credentials };
  },
  AssumeRole: assumeRole,
};

export function isStsAction(name: string): boolean {
  return Object.hasOwn(STS_OPERATIONS, name);
}

export async function runStsAction(name: string, request: IamRequest): Promise<IamOutput> {
  const handler = Object.hasOwn(STS_OPERATIONS, name) ? STS_OPERATIONS[name] : undefined;
  if (!handler) throw new InvalidAction(`Could not find operation ${name} for version 2011-06-15`);
  if (request.caller.principal.issuedBy === 'GetSessionToken' && name !== 'AssumeRole' && name !== 'GetCallerIdentity' && name !== 'GetSessionToken') {
    throw new AuthorizationDenied(request.caller.principal.arn, `sts:${name}`, '*', 'no identity-based policy allows', 'credentials from GetSessionToken can call only AssumeRole and GetCallerIdentity of STS');
  }
  return handler(request);
}

async function assumeRole(r: IamRequest): Promise<IamOutput> {
  const { caller, input } = r;
  // AWS refuses it before anything else: "Roles may not be assumed by root accounts." (AccessDenied,
  // as users report it, e.g. aws/aws-cli#1390).
  if (caller.principal.kind === 'root') throw new AccessDenied('Roles may not be assumed by root accounts.');
  // A source identity, once set, stays for the whole role chain (IAM User Guide, "Monitor and
  // control actions taken with assumed roles": it "persists across chained role sessions").
  const inheritedSource = caller.principal.sourceIdentity;
  if (inheritedSource !== undefined && input.SourceIdentity !== undefined && input.SourceIdentity !== inheritedSource) {
    // Unconfirmed wording: no recorded AWS answer found.
    throw new InvalidParameterValue(`SourceIdentity cannot be changed in a role chain: it is ${inheritedSource}.`);
  }
  const requested = input.RoleArn as string;
  const sessionName = input.RoleSessionName as string;
  const parsed = parseRoleArn(requested);
  const { dir } = parsed ? await r.services.directories.current(parsed.accountId) : { dir: undefined };
  const role = parsed && dir ? findRole(dir, parsed.roleName) : undefined;
  // A role that does not exist (or another path) is refused like one the caller may not assume:
  // AWS does not say which.
  const target = role && parsed && roleArn(parsed.accountId, role) === requested ? role : undefined;
  const tags = (input.Tags as readonly { Key: string; Value: string }[] | undefined) ?? [];
  const transitive = (input.TransitiveTagKeys as readonly string[] | undefined) ?? [];
  const keys = assumeRoleKeys(r, tags, transitive);
  const needs = ['sts:AssumeRole', ...(tags.length > 0 || transitive.length > 0 ? ['sts:TagSession'] : []), ...(input.SourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : [])];
  for (const action of needs) {
    if (!target) throw new AssumeRoleDenied(caller.principal.arn, action, requested, 'no identity-based policy allows', 'no such role');
    const context = { caller: caller.policyCaller, action, resource: requested, keys, time: new Date(r.services.clock.now()) };
    const trust = loadPolicy(target.assumeRolePolicyDocument, 'trust', `trust policy of role ${target.roleName}`);
    const decision = evaluate(context, {
      keyPolicy: trust,
      identityPolicies: caller.identityPolicies,
      ...(caller.sessionPolicies && { sessionPolicies: caller.sessionPolicies }),
    });
    if (decision.decision !== 'Allow') {
      throw new AssumeRoleDenied(caller.principal.arn, action, requested, denialCause(decision), describeDecision(decision)).withTrace(() =>
        traceStatements(context, [trust, ...caller.identityPolicies, ...(caller.sessionPolicies ?? [])]),
      );
    }
  }
  const role_ = target!;
  const chained = caller.principal.kind === 'assumed-role';
  const seconds = (input.DurationSeconds as number | undefined) ?? ASSUME_ROLE_DEFAULT_S;
  if (chained && seconds > CHAINED_MAX_S) throw new ValidationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  if (seconds > role_.maxSessionDuration) throw new ValidationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');

  const sessionPolicy = input.Policy as string | undefined;
  if (sessionPolicy !== undefined) {
    try {
      parsePolicy(sessionPolicy, 'identity');
    } catch (err) {
      if (err instanceof MalformedPolicyDocumentException) throw new MalformedPolicyDocument(err.message);
      throw err;
    }
  }
  const policyArns = ((input.PolicyArns as readonly { arn?: string }[] | undefined) ?? []).map((p) => p.arn ?? '');
  // Transitive tags of the calling session pass on (role chaining); the new call cannot change them.
  const inherited = chained ? inheritedTags(caller.principal) : {};
  for (const t of tags) {
    if (Object.keys(inherited).some((k) => k.toLowerCase() === t.Key.toLowerCase())) {
      throw new InvalidParameterValue(`One or more session tags cannot be changed because they are set as transitive tags in the role chain: ${t.Key}`);
    }
  }
  const sessionTags = { ...inherited, ...Object.fromEntries(tags.map((t) => [t.Key, t.Value])) };
  const transitiveKeys = [...Object.keys(inherited), ...transitive];
  const packed = packedPolicySize(sessionPolicy, policyArns, sessionTags);
  if (packed > 100) throw new PackedPolicyTooLarge(`Packed size of the session policies and tags exceeds the limit (${packed}% of allowed size).`);

  const accountId = parsed!.accountId;
  const principal: Principal = {
    kind: 'assumed-role',
    accountId,
    arn: assumedRoleArn(accountId, role_.roleName, sessionName),
    userId: `${role_.roleId}:${sessionName}`,
    roleName: role_.roleName,
    roleArn: roleArn(accountId, role_),
    roleId: role_.roleId,
    sessionName,
    ...(Object.keys(sessionTags).length > 0 && { sessionTags }),
    ...(transitiveKeys.length > 0 && { transitiveTagKeys: transitiveKeys }),
    ...((inheritedSource ?? input.SourceIdentity) !== undefined && { sourceIdentity: (inheritedSource ?? input.SourceIdentity) as string }),
    ...(sessionPolicy !== undefined && { sessionPolicy }),
    ...(policyArns.length > 0 && { sessionPolicyArns: policyArns }),
    issuedBy: 'AssumeRole',
  };
  const credentials = await issueCredentials(r, principal, seconds);
  return {
    Credentials: credentials,
    AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
    ...((sessionPolicy !== undefined || policyArns.length > 0 || tags.length > 0) && { PackedPolicySize: packed }),
    ...(principal.sourceIdentity !== undefined && { SourceIdentity: principal.sourceIdentity }),
  };
}

/** The session's transitive tags, which a chained AssumeRole carries on. */
function inheritedTags(p: Principal): Record<string, string> {
  // Own properties only (a tag key may be "__proto__"), built without assignment.
  const tags = p.sessionTags ?? {};
  return Object.fromEntries((p.transitiveTagKeys ?? []).filter((key) => Object.hasOwn(tags, key)).map((key) => [key, tags[key]!]));
}

/**
 * PackedPolicySize: "the percentage of the maximum allowed size". AWS compresses into a binary
 * format it does not publish; this server counts the characters of the session policy, the policy
 * ARNs and the tags against 2048, so a request far over AWS's limit is refused here too.
 */
function packedPolicySize(policy: string | undefined, arns: readonly string[], tags: Readonly<Record<string, string>>): number {
  const size = (policy?.replace(/\s/g, '').length ?? 0) + arns.join('').length + Object.entries(tags).reduce((n, [k, v]) => n + k.length + v.length, 0);
  return Math.ceil((size / PACKED_LIMIT) * 100);
}

function assumeRoleKeys(r: IamRequest, tags: readonly { Key: string; Value: string }[], transitive: readonly string[]): Map<string, ContextValue> {
  const keys = new Map<string, ContextValue>([
    ['aws:requestedregion', r.region],
    ['aws:securetransport', false],
    ['sts:rolesessionname', r.input.RoleSessionName as string],
  ]);
  if (r.sourceIp !== undefined) keys.set('aws:sourceip', r.sourceIp);
  if (r.input.ExternalId !== undefined) keys.set('sts:externalid', r.input.ExternalId as string);
  if (r.input.SourceIdentity !== undefined) keys.set('sts:sourceidentity', r.input.SourceIdentity as string);
  if (tags.length > 0) {
    for (const t of tags) keys.set(`aws:requesttag/${t.Key.toLowerCase()}`, t.Value);
    keys.set('aws:tagkeys', tags.map((t) => t.Key));
  }
  if (transitive.length > 0) keys.set('sts:transitivetagkeys', [...transitive]);
  return keys;
}

async function issueCredentials(r: IamRequest, principal: Principal, seconds: number): Promise<Record<string, unknown>> {
  if (seconds < 900) throw new ValidationError(`1 validation error detected: Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
  const now = r.services.clock.now();
  const accessKeyId = newAccessKeyId('ASIA', principal.accountId);
  const secretAccessKey = newSecretAccessKey();
  const sessionToken = newSessionToken();
  const wrappedSecret = await wrapAccessKeySecret(r.services.rootKey, accessKeyId, secretAccessKey);
  // Whole seconds, as AWS's Expiration.
  const expiresAt = Math.floor(now / 1000) * 1000 + seconds * 1000;
  const record: AccessKeyRecord = {
    accessKeyId,
    wrappedSecret,
    accountId: principal.accountId,
    principalArn: principal.arn,
    createdAt: now,
    session: { tokenHash: hashSessionToken(sessionToken), expiresAt, principal: principal as unknown as Record<string, unknown> },
  };
  await r.services.store.commit([{ kind: 'putAccessKey', accessKey: record }]);
  return { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken, Expiration: new Date(expiresAt) };
}
