// Who is calling: in --dev mode the SigV4 credential scope is read but not verified (any access
// key works; a 12-digit access key id is the account); otherwise the signature must verify
// against a known access key.

import { InvalidSignatureException } from '../errors/aws-errors.js';
import { isAccountId, isRegionName } from '../kms/model/arn.js';
import { SECRET_ACCESS } from '../crypto/secret.js';
import { accessKeySecretAad } from '../crypto/material-aad.js';
import type { RootKeyProvider } from '../crypto/root-key/root-key-provider.js';
import type { Store } from '../store/store.js';
import { wrongScopeRegion } from './auth-messages.js';
import { readCredentialScope, verifySigV4, type IncomingSignedRequest } from './sigv4.js';

export const DEV_DEFAULT_ACCOUNT = '000000000000';

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
}

interface KnownAccessKey {
  readonly secret: string;
  readonly accountId: string;
  readonly principalArn: string;
}

export class CallerAuthenticator {
  readonly #known = new Map<string, KnownAccessKey>();

  constructor(
    private readonly store: Store,
    private readonly rootKey: RootKeyProvider,
    private readonly options: { readonly dev: boolean; readonly defaultRegion: string },
  ) {}

  async authenticate(req: IncomingSignedRequest): Promise<AuthenticatedCaller> {
    if (this.options.dev) return this.#devCaller(req);
    let known: KnownAccessKey | undefined;
    const verified = await verifySigV4(
      req,
      async (accessKeyId, sessionToken) => {
        // No session token has been issued (STS is not served yet), so any token is one we never
        // issued: AWS answers UnrecognizedClientException "The security token included in the
        // request is invalid." rather than ignore it.
        if (sessionToken !== undefined) return undefined;
        known = await this.#lookup(accessKeyId);
        return known?.secret;
      },
      { now: new Date(), expectedService: 'kms', isValidRegion: isRegionName },
    );
    if (!known) throw new Error('verifySigV4 succeeded without a known access key');
    return { accountId: known.accountId, region: verified.region, accessKeyId: verified.accessKeyId, principalArn: known.principalArn };
  }

  /** Forget cached secrets (after a dev reset). */
  clear(): void {
    this.#known.clear();
  }

  #devCaller(req: IncomingSignedRequest): AuthenticatedCaller {
    const scope = readCredentialScope(req);
    const accessKeyId = scope?.accessKeyId ?? 'anonymous';
    const accountId = isAccountId(accessKeyId) ? accessKeyId : DEV_DEFAULT_ACCOUNT;
    return {
      accountId,
      region: checkRegion(scope?.region || this.options.defaultRegion),
      accessKeyId,
      principalArn: `arn:aws:iam::${accountId}:root`,
    };
  }

  async #lookup(accessKeyId: string): Promise<KnownAccessKey | undefined> {
    const cached = this.#known.get(accessKeyId);
    if (cached) return cached;
    const record = await this.store.getAccessKey(accessKeyId);
    if (!record) return undefined;
    const secret = await this.rootKey.unwrap(record.wrappedSecret, accessKeySecretAad(accessKeyId));
    const known = {
      secret: secret.exposeSecret(SECRET_ACCESS).toString('utf8'),
      accountId: record.accountId,
      principalArn: record.principalArn,
    };
    secret.dispose();
    this.#known.set(accessKeyId, known);
    return known;
  }
}
