// One KMS API call: route by X-Amz-Target, authenticate, decode and validate the input, run the
// operation, and encode its output. Returns status, headers and body; never throws.

import type { IncomingMessage } from 'node:http';
import {
  SerializationException,
  UnknownOperationException,
  UnsupportedMediaTypeException,
} from '../errors/aws-errors.js';
import { identifyCaller, splitUrl } from './identify-caller.js';
import type { CallerAuthenticator } from '../auth/caller-authenticator.js';
import type { KmsServices } from '../kms/context.js';
import { OPERATIONS } from '../kms/operations/index.js';
import { encodeOutput, JSON11_CONTENT_TYPE } from '../protocol/json11.js';
import { decodeAndValidateInput } from '../protocol/validate.js';

const TARGET_PREFIX = 'TrentService.';

export interface KmsRequestLog {
  operation?: string;
  accountId?: string;
  accessKeyId?: string;
  region?: string;
  principal?: string;
}

export async function handleKmsRequest(
  req: IncomingMessage,
  body: Buffer,
  rawUrl: string,
  authenticator: CallerAuthenticator,
  services: KmsServices,
  devMode: boolean,
  log: KmsRequestLog,
  requestId: string,
): Promise<string> {
  const target = requestTarget(req, splitUrl(rawUrl).query);
  if (!target || !target.startsWith(TARGET_PREFIX)) {
    throw new UnknownOperationException(target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header');
  }
  const operationName = target.slice(TARGET_PREFIX.length);
  log.operation = operationName;
  const contentType = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== JSON11_CONTENT_TYPE && contentType !== 'application/json') {
    throw new UnsupportedMediaTypeException(`Content-Type must be ${JSON11_CONTENT_TYPE}`);
  }
  const { caller, identity } = await identifyCaller(req, body, rawUrl, 'kms', authenticator, services.directories, log);

  // OPERATIONS holds every operation of the service model (a unit test keeps them equal).
  const operation = OPERATIONS.get(operationName);
  if (!operation) throw new UnknownOperationException(`Unknown operation ${operationName}`);

  const input = decodeAndValidateInput(operationName, parseJson(body));
  const output = await operation.run(
    input,
    {
      scope: { accountId: caller.accountId, region: caller.region },
      ...peerAddress(req),
      principalArn: caller.principalArn,
      accessKeyId: caller.accessKeyId,
      ...(identity && { identity }),
      devMode,
    },
    services,
    requestId,
  );
  // Last usage, like every other observer, is told by the pipeline itself.
  return encodeOutput(output);
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new SerializationException('Malformed JSON request body.');
  }
}

/**
 * The operation the request names. Presigned requests carry X-Amz-Target in the query string (the
 * SDKs hoist x-amz-* headers there), others in the header. Every value sent, in either place, must
 * be the same one: the signature covers the whole query string and (SigV4 verification insists)
 * every x-amz-* header, so the one value left is one the caller signed. Two different values are
 * refused rather than one of them chosen, so no unsigned copy can ever win.
 */
function requestTarget(req: IncomingMessage, query: string): string | undefined {
  const values = new Set<string>(req.headersDistinct['x-amz-target'] ?? []);
  for (const [name, value] of new URLSearchParams(query)) if (name.toLowerCase() === 'x-amz-target') values.add(value);
  if (values.size > 1) {
    throw new UnknownOperationException(`The request names more than one operation in X-Amz-Target: ${[...values].join(', ')}`);
  }
  return values.values().next().value;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The peer's address as aws:SourceIp (IPv4-mapped IPv6 written as plain IPv4), when the socket has one. */
export function peerAddress(req: IncomingMessage): { sourceIp?: string } {
  const address = req.socket.remoteAddress;
  if (address === undefined) return {};
  return { sourceIp: address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address };
}
