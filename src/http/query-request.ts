// One IAM or STS call over the AWS Query protocol (form-encoded POST, XML answer), on the same
// endpoint as KMS: which service is the one the SigV4 credential scope names (iam or sts), or,
// unsigned or scoped elsewhere, the one whose model has the Action. Authenticate as for KMS, then
// decode and validate by the service's model, authorize and run.

import type { IncomingMessage } from 'node:http';
import type { CallerAuthenticator } from '../auth/caller-authenticator.js';
import { readCredentialScope } from '../auth/sigv4.js';
import { runIamAction } from '../iam/iam-service.js';
import type { IamServices } from '../iam/operations/iam-operation.js';
import { iamService, stsService, type QueryService } from '../protocol/query-model.js';
import { decodeQueryInput, queryActionOf } from '../protocol/query/decode.js';
import { encodeQueryResult } from '../protocol/query/encode.js';
import { operationOf } from '../protocol/service-model.js';
import { runStsAction } from '../sts/sts-service.js';
import { identifyCaller, splitUrl } from './identify-caller.js';
import { peerAddress, type KmsRequestLog } from './kms-request.js';

/**
 * A form-encoded body without X-Amz-Target (header or query): the Query protocol. Anything that
 * names a KMS target stays a KMS request, and is answered (or refused) as one.
 */
export function isQueryRequest(req: IncomingMessage, rawUrl: string): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' || req.headers['x-amz-target'] !== undefined) return false;
  for (const name of new URLSearchParams(splitUrl(rawUrl).query).keys()) if (name.toLowerCase() === 'x-amz-target') return false;
  return true;
}

/** The service a request is for: its signing scope's, else the model that has the Action. */
export function queryServiceOf(req: IncomingMessage, rawUrl: string, params: URLSearchParams): QueryService {
  const { path, query } = splitUrl(rawUrl);
  const scope = readCredentialScope({ method: req.method ?? 'POST', path, query, headers: req.headersDistinct, body: Buffer.alloc(0) });
  if (scope?.service === 'sts') return stsService;
  if (scope?.service === 'iam') return iamService;
  const action = params.get('Action') ?? '';
  return operationOf(stsService.model, action) !== undefined ? stsService : iamService;
}

/** `params`: the request's form, as queryServiceOf was given it (parsed once). */
export async function handleQueryRequest(
  req: IncomingMessage,
  body: Buffer,
  rawUrl: string,
  params: URLSearchParams,
  service: QueryService,
  authenticator: CallerAuthenticator,
  services: IamServices,
  log: KmsRequestLog,
  requestId: string,
): Promise<string> {
  const action = queryActionOf(service, params);
  const signing = service === stsService ? 'sts' : 'iam';
  log.operation = `${signing}:${action}`;
  const { caller, identity } = await identifyCaller(req, body, rawUrl, signing, authenticator, services.directories, log);
  if (!identity) throw new Error('IAM and STS calls always resolve an identity');
  const input = decodeQueryInput(service, action, params);
  const request = { input, caller: identity, accountId: caller.accountId, region: caller.region, services, ...peerAddress(req) };
  const output = service === stsService ? await runStsAction(action, request) : await runIamAction(action, request);
  return encodeQueryResult(service, action, output, requestId);
}
