// Who is calling. Signed mode: the SigV4 signature must verify against a known, active access key
// (with its session token, unexpired, for temporary credentials). --dev: the signature is not
// checked, but an access key that exists still names its own principal, so policies behave as in
// signed mode; an unknown 12-digit access key id is that account's root, anything else the root
// of 000000000000. The key's row is read on every request: a key made inactive or deleted is
// refused at once, on every node; only the unwrapped secret is cached, bound to its wrapped form.

import { createHash, timingSafeEqual } from 'node:crypto';
import { ExpiredTokenException, InvalidSignatureException, UnrecognizedClientException } from '../errors/aws-errors.js';
import { isAccountId, isRegionName } from '../kms/model/arn.js';
import { SECRET_ACCESS } from '../crypto/secret.js';
import { accessKeySecretAad } from '../crypto/material-aad.js';
import type { RootKeyProvider } from '../crypto/root-key/root-key-provider.js';
import type { AccessKeyRecord, Store } from '../store/store.js';
import { rootPrincipal, type Principal } from '../iam/principal.js';
import { INVALID_SECURITY_TOKEN, wrongScopeRegion } from './auth-messages.js';
import { readCredentialScope, readRequestSessionToken, verifySigV4, type IncomingSignedRequest } from './sigv4.js';

export const DEV_DEFAULT_ACCOUNT = '000000000000';

/** AWS's text for credentials past their expiry. */
const EXPIRED_TOKEN = 'The security token included in the request is expired';

/** Last use is written at most this often per key (GetAccessKeyLastUsed has no finer resolution worth a write per call). */
const LAST_USED_INTERVAL_MS = 60_000;

/** The services served on this endpoint, as named in a SigV4 credential scope. */
export type SigningService = 'kms' | 'iam' | 'sts';

/** Dev mode reads the scope without verifying it; the region must still be a region name. */
function checkRegion(region: string): string {
  if (!isRegionName(region)) throw new InvalidSignatureException(wrongScopeRegion(region));
  return region;
}

export interface AuthenticatedCaller {
  readonly accountId: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly principalArn: string;
  readonly principal: Principal;
}

interface CachedSecret {
  readonly wrapped: Buffer;
  readonly secret: string;
}

export class CallerAuthenticator {
  readonly #secrets = new Map<string, CachedSecret>();
  readonly #lastRecorded = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly rootKey: RootKeyProvider,
    private readonly options: { readonly dev: boolean; readonly defaultRegion: string; readonly now?: () => number },
  ) {}

  async authenticate(req: IncomingSignedRequest, service: SigningService = 'kms'): Promise<AuthenticatedCaller> {
    const now = this.options.now?.() ?? Date.now();
    if (this.options.dev) return this.#devCaller(req, service, now);
    let record: AccessKeyRecord | undefined;
    const verified = await verifySigV4(
      req,
      async (accessKeyId, sessionToken) => {
        record = usableKey(await this.store.getAccessKey(accessKeyId), sessionToken, now);
        return record && (await this.#secretOf(record));
      },
      { now: new Date(now), expectedService: service, isValidRegion: isRegionName },
    );
    if (!record) throw new Error('verifySigV4 succeeded without a known access key');
    this.#noteUse(record, service, verified.region, now);
    return this.#caller(record, verified.region, verified.accessKeyId);
  }

  /** Forget cached secrets (after a dev reset). */
  clear(): void {
    this.#secrets.clear();
    this.#lastRecorded.clear();
  }

  async #devCaller(req: IncomingSignedRequest, service: SigningService, now: number): Promise<AuthenticatedCaller> {
    const scope = readCredentialScope(req);
    const accessKeyId = scope?.accessKeyId ?? 'anonymous';
    const region = checkRegion(scope?.region || this.options.defaultRegion);
    // An access key this server made (or a seed) is its principal, as in signed mode: only the
    // signature goes unchecked. Its session token must still match and be current.
    const stored = await this.store.getAccessKey(accessKeyId);
    if (stored) {
      const record = usableKey(stored, readRequestSessionToken(req), now);
      if (!record) throw new UnrecognizedClientException(INVALID_SECURITY_TOKEN);
      this.#noteUse(record, service, region, now);
      return this.#caller(record, region, accessKeyId);
    }
    const accountId = isAccountId(accessKeyId) ? accessKeyId : DEV_DEFAULT_ACCOUNT;
    const principal = rootPrincipal(accountId);
    return { accountId, region, accessKeyId, principalArn: principal.arn, principal };
  }

  async #secretOf(record: AccessKeyRecord): Promise<string> {
    const cached = this.#secrets.get(record.accessKeyId);
    if (cached && cached.wrapped.equals(record.wrappedSecret)) return cached.secret;
    const unwrapped = await this.rootKey.unwrap(record.wrappedSecret, accessKeySecretAad(record.accessKeyId));
    const secret = unwrapped.exposeSecret(SECRET_ACCESS).toString('utf8');
    unwrapped.dispose();
    this.#secrets.set(record.accessKeyId, { wrapped: record.wrappedSecret, secret });
    return secret;
  }

  #caller(record: AccessKeyRecord, region: string, accessKeyId: string): AuthenticatedCaller {
    const principal = principalOf(record);
    return { accountId: record.accountId, region, accessKeyId, principalArn: principal.arn, principal };
  }

  /** GetAccessKeyLastUsed: best effort, at most once a minute per key, never delaying or failing the call. */
  #noteUse(record: AccessKeyRecord, service: SigningService, region: string, now: number): void {
    if (record.session) return;
    const last = this.#lastRecorded.get(record.accessKeyId) ?? record.lastUsed?.at ?? 0;
    if (now - last < LAST_USED_INTERVAL_MS) return;
    this.#lastRecorded.set(record.accessKeyId, now);
    this.store.recordAccessKeyUse(record.accessKeyId, now, service, region).catch(() => undefined);
  }
}

/**
 * The key's row when it may authenticate this request: it exists, is Active, and a session token
 * is sent exactly when the key is temporary, matching the one issued. Past its expiry a matching
 * token is ExpiredTokenException; anything else is "not a key we know" (the caller answers
 * UnrecognizedClientException without saying which check failed).
 */
function usableKey(record: AccessKeyRecord | undefined, sessionToken: string | undefined, now: number): AccessKeyRecord | undefined {
  if (!record || record.status === 'Inactive') return undefined;
  if (!record.session) return sessionToken === undefined ? record : undefined;
  if (sessionToken === undefined || !tokenMatches(sessionToken, record.session.tokenHash)) return undefined;
  if (record.session.expiresAt <= now) throw new ExpiredTokenException(EXPIRED_TOKEN);
  return record;
}

/** The principal an access key stands for. */
export function principalOf(record: AccessKeyRecord): Principal {
  if (record.session) return record.session.principal as unknown as Principal;
  if (record.userName !== undefined) {
    return {
      kind: 'user',
      accountId: record.accountId,
      arn: record.principalArn,
      userName: record.userName,
      // The user's unique id is kept with the key (see IAM CreateAccessKey), so a key outliving a
      // deleted-and-recreated user of the same name cannot act as the new user.
      userId: record.ownerId ?? '',
    };
  }
  return rootPrincipal(record.accountId);
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function tokenMatches(token: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSessionToken(token), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
