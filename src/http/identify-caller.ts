// The step KMS and the Query services share: verify the request's signature for its service,
// note the caller in the request's log line, and resolve its identity (principal and policies)
// from the account's current IAM directory. A key whose user is gone names nobody.

import type { IncomingMessage } from 'node:http';
import { INVALID_SECURITY_TOKEN } from '../auth/auth-messages.js';
import type { AuthenticatedCaller, CallerAuthenticator, SigningService } from '../auth/caller-authenticator.js';
import { UnrecognizedClientException } from '../errors/aws-errors.js';
import type { IamDirectories } from '../iam/directories.js';
import { resolveIdentity, type CallerIdentity } from '../iam/identity.js';
import type { KmsRequestLog } from './kms-request.js';

/** The path and query string of a raw request URL. */
export function splitUrl(rawUrl: string): { path: string; query: string } {
  const at = rawUrl.indexOf('?');
  return at < 0 ? { path: rawUrl, query: '' } : { path: rawUrl.slice(0, at), query: rawUrl.slice(at + 1) };
}

export async function identifyCaller(
  req: IncomingMessage,
  body: Buffer,
  rawUrl: string,
  service: SigningService,
  authenticator: CallerAuthenticator,
  directories: IamDirectories | undefined,
  log: KmsRequestLog,
): Promise<{ caller: AuthenticatedCaller; identity: CallerIdentity | undefined }> {
  const { path, query } = splitUrl(rawUrl);
  // Distinct values: SigV4 joins repeated headers with ',' where node's req.headers uses ', '.
  const caller = await authenticator.authenticate({ method: req.method ?? 'POST', path, query, headers: req.headersDistinct, body }, service);
  log.accountId = caller.accountId;
  log.accessKeyId = caller.accessKeyId;
  log.region = caller.region;
  log.principal = caller.principalArn;
  if (!directories) return { caller, identity: undefined };
  const identity = await resolveIdentity(caller.principal, directories);
  if (!identity) throw new UnrecognizedClientException(INVALID_SECURITY_TOKEN);
  return { caller, identity };
}
