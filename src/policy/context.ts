// The request an evaluation decides: who asks (from SigV4 and, later, STS), for which action on
// which key, with which condition keys. Built by the caller; nothing here reads HTTP.

/** The principal kinds AWS reports in aws:PrincipalType (IAM User Guide, "AWS global condition context keys"). */
export type CallerType = 'Account' | 'User' | 'AssumedRole' | 'FederatedUser' | 'Service' | 'Anonymous';

/** One condition-key value: single-valued keys hold a scalar, multivalued keys (kms:EncryptionContextKeys) an array. */
export type ContextValue = string | number | boolean | readonly (string | number | boolean)[];

export interface Caller {
  /** The caller's ARN: arn:aws:iam::ACCOUNT:root, ...:user/NAME, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION. For a service, its name. */
  readonly arn: string;
  readonly accountId: string;
  readonly type: CallerType;
  /** aws:userid: AIDA... for a user, AROA...:session for a role session, the account id for root. */
  readonly userId?: string;
  /** aws:username: IAM users only. */
  readonly username?: string;
  /** aws:PrincipalTag/KEY. */
  readonly tags?: Readonly<Record<string, string>>;
  /** For an assumed-role session, the role's IAM ARN (with its path); derived from the session ARN when absent. */
  readonly roleArn?: string;
}

export interface RequestContext {
  readonly caller: Caller;
  /** As the operation declares it, e.g. "kms:Encrypt"; compared case-insensitively. */
  readonly action: string;
  /** The key ARN. */
  readonly resource: string;
  /**
   * Condition keys of the request, keys LOWER-CASED (use contextKeys() to build it): context key names
   * are not case-sensitive (IAM User Guide, "IAM JSON policy elements: Condition"), and that holds for
   * the encryption-context part of kms:EncryptionContext:<key> too: KMS points to kms:EncryptionContextKeys
   * for a case-sensitive key check (KMS API Reference, "GrantConstraints"; KMS Developer Guide,
   * "kms:EncryptionContext:context-key"). Keys given here win over the ones derived from `caller`.
   */
  readonly keys?: ReadonlyMap<string, ContextValue>;
  /** aws:CurrentTime and aws:EpochTime, when given. */
  readonly time?: Date;
}

/** Lower-cases the key names of a plain record, for RequestContext.keys. */
export function contextKeys(record: Readonly<Record<string, ContextValue>>): Map<string, ContextValue> {
  const keys = new Map<string, ContextValue>();
  for (const [k, v] of Object.entries(record)) keys.set(k.toLowerCase(), v);
  return keys;
}

/** kms:EncryptionContext:<k> for each pair and kms:EncryptionContextKeys, as KMS puts them in the request context. */
export function encryptionContextKeys(context: Readonly<Record<string, string>>): Map<string, ContextValue> {
  const keys = new Map<string, ContextValue>();
  const names = Object.keys(context);
  for (const k of names) keys.set(`kms:encryptioncontext:${k.toLowerCase()}`, context[k]!);
  if (names.length > 0) keys.set('kms:encryptioncontextkeys', names);
  return keys;
}

/** arn:aws:sts::A:assumed-role/ROLE/SESSION -> arn:aws:iam::A:role/ROLE (the path is not in a session ARN). */
export function roleArnOfSession(sessionArn: string): string | undefined {
  const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(sessionArn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : undefined;
}

/**
 * The value of one condition key (lower-cased name) for this request, or undefined when the request
 * has no such key. Global keys about the caller come from `caller` unless `keys` sets them.
 */
export function lookupKey(request: RequestContext, key: string): ContextValue | undefined {
  const given = request.keys?.get(key);
  if (given !== undefined) return given;
  const caller = request.caller;
  switch (key) {
    case 'aws:principalarn':
      // For a role session aws:PrincipalArn is the role's ARN, not the session's.
      return caller.type === 'AssumedRole' ? (caller.roleArn ?? roleArnOfSession(caller.arn) ?? caller.arn) : caller.arn;
    case 'aws:principalaccount':
      return caller.type === 'Service' ? undefined : caller.accountId;
    case 'aws:principaltype':
      return caller.type;
    case 'aws:userid':
      return caller.userId;
    case 'aws:username':
      return caller.type === 'User' ? caller.username : undefined;
    case 'kms:calleraccount':
      return caller.type === 'Service' ? undefined : caller.accountId;
    case 'aws:currenttime':
      return request.time?.toISOString();
    case 'aws:epochtime':
      return request.time === undefined ? undefined : Math.floor(request.time.getTime() / 1000);
    default:
      if (key.startsWith('aws:principaltag/') && caller.tags) {
        // Tag keys inside condition keys are not case-sensitive either.
        const tag = key.slice('aws:principaltag/'.length);
        for (const name in caller.tags) if (name.toLowerCase() === tag) return caller.tags[name];
      }
      return undefined;
  }
}
