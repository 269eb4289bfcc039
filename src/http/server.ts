// The HTTP front: health, the --dev test endpoints, and KMS calls. Body limit, timeouts, one
// structured log line per request, and a drain on close.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { KmsError, MethodNotAllowedException, UnknownOperationException } from '../errors/aws-errors.js';
import type { CallerAuthenticator } from '../auth/caller-authenticator.js';
import { AuthorizationDenied } from '../kms/authorization/access-denied.js';
import type { KmsServices } from '../kms/context.js';
import { JSON11_CONTENT_TYPE } from '../protocol/json11.js';
import { ClientAbortedError, readBody } from './body.js';
import { toErrorResponse } from './error-response.js';
import { handleKmsRequest, type KmsRequestLog } from './kms-request.js';
import { handleQueryRequest, isQueryRequest, queryServiceOf } from './query-request.js';
import { encodeQueryError, QUERY_CONTENT_TYPE } from '../protocol/query/encode.js';
import { parseQueryForm } from '../protocol/query/form.js';
import type { QueryService } from '../protocol/query-model.js';
import { toQueryError } from '../errors/query-errors.js';
import type { IamServices } from '../iam/operations/iam-operation.js';
import type { DevControl } from './dev-control.js';

/** What a slow, idle or excess client gets; all in milliseconds but maxConnections. */
export interface ConnectionLimits {
  /** The request headers must arrive within this (else 408 and the connection is closed). */
  readonly headersTimeoutMs: number;
  /** The whole request must arrive within this (else 408 and the connection is closed). */
  readonly requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** Connections beyond this many are closed as soon as they are accepted. */
  readonly maxConnections: number;
}

/**
 * How often node checks the headers and request timeouts. Its default (30 s) stretches a 10 s
 * timeout to up to 40 s; a quarter second keeps each within 250 ms of what is configured, and the
 * check only walks the connections that are still receiving a request.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 250;

/** Connections whose request node timed out (and answered 408), so their log line says 408. */
const timedOut = new WeakSet<object>();

/** Drops beyond the connection limit are logged at most this often. */
const DROP_LOG_INTERVAL_MS = 10_000;

export interface HttpServerOptions {
  readonly limits: ConnectionLimits;
  readonly services: KmsServices;
  readonly authenticator: CallerAuthenticator;
  readonly logger: Logger;
  readonly devMode: boolean;
  /** Present only in --dev mode. */
  readonly dev?: DevControl;
}

export interface RunningServer {
  readonly server: Server;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  close(): Promise<void>;
}

export function createHttpServer(options: HttpServerOptions): RunningServer {
  let draining = false;
  const { limits } = options;
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    (req, res) => {
      // While draining, answer and close: a kept-alive connection would hold shutdown for the keep-alive timeout.
      if (draining) res.shouldKeepAlive = false;
      void route(req, res, options).catch((err: unknown) => {
        options.logger.error({ err }, 'request failed outside the handler');
        if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ __type: 'KMSInternalException', message: 'Internal error' }), '');
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  let dropped = 0;
  let dropLoggedAt = 0;
  server.on('drop', () => {
    dropped += 1;
    const now = Date.now();
    if (now - dropLoggedAt < DROP_LOG_INTERVAL_MS) return;
    dropLoggedAt = now;
    options.logger.warn({ maxConnections: limits.maxConnections, droppedSinceLastWarning: dropped }, 'connection limit reached: new connections are being closed');
    dropped = 0;
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') timedOut.add(socket);
    // As node's own handler: no answer to a peer that reset, nor into a response already started
    // on this connection (a pipelined request timing out while an earlier one is being answered).
    const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (err.code !== 'ECONNRESET' && socket.writable && !answering) socket.end(clientErrorResponse(err.code));
    else socket.destroy();
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        draining = true;
        // Connections of requests in flight become idle once answered; close them as they do.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

async function route(req: IncomingMessage, res: ServerResponse, options: HttpServerOptions): Promise<void> {
  const url = req.url ?? '/';
  const path = url.split('?')[0]!;
  if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
    send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }), '');
    return;
  }
  if (options.dev && req.method === 'POST' && options.dev.handles(path)) {
    const body = await readBody(req).catch(() => Buffer.alloc(0));
    const result = await options.dev.handle(path, body);
    send(res, result.status, 'application/json', JSON.stringify(result.body), '');
    options.logger.info({ path, status: result.status }, 'dev control');
    return;
  }
  await handleKms(req, res, url, options);
}

async function handleKms(req: IncomingMessage, res: ServerResponse, url: string, options: HttpServerOptions): Promise<void> {
  const requestId = randomUUID();
  const started = process.hrtime.bigint();
  const log: KmsRequestLog = {};
  let status = 200;
  let errorCode: string | undefined;
  // Why authorization refused (the deciding policy statement): for the operator's log, never the wire.
  let denied: string | undefined;
  // Set once the request is known to be an IAM or STS call: its errors are then XML.
  let queryService: QueryService | undefined;
  try {
    if (req.method !== 'POST') throw new MethodNotAllowedException(`Method ${req.method ?? ''} is not allowed; KMS calls are POST /`);
    if ((url.split('?')[0] ?? '/') !== '/') throw new UnknownOperationException(`No such resource ${url.split('?')[0]}`);
    const body = await readBody(req);
    if (isQueryRequest(req, url)) {
      const params = parseQueryForm(body, req.headers['content-type']);
      queryService = queryServiceOf(req, url, params);
      const payload = await handleQueryRequest(req, body, url, params, queryService, options.authenticator, iamServices(options.services), log, requestId);
      send(res, 200, QUERY_CONTENT_TYPE, payload, requestId);
      return;
    }
    const payload = await handleKmsRequest(req, body, url, options.authenticator, options.services, options.devMode, log, requestId);
    send(res, 200, JSON11_CONTENT_TYPE, payload, requestId);
  } catch (err) {
    if (err instanceof ClientAbortedError) {
      // The request timed out (node answered 408), or, nginx's 499, the client closed the request:
      // either way there is nobody to answer and no server fault.
      status = timedOut.has(req.socket) ? 408 : 499;
      res.destroy();
      return;
    }
    if (err instanceof AuthorizationDenied) {
      denied = err.detail;
      options.dev?.recordDenial({
        requestId,
        at: new Date().toISOString(),
        operation: log.operation,
        principal: err.principalArn,
        action: err.action,
        resource: err.resource,
        message: err.message,
        decision: err.detail,
        statements: err.trace?.() ?? [],
      });
    }
    if (!(err instanceof KmsError)) options.logger.error({ requestId, err }, 'internal error');
    if (queryService) {
      const known = toQueryError(err);
      status = known.httpStatus;
      errorCode = known.code;
      send(res, status, QUERY_CONTENT_TYPE, encodeQueryError(known, queryService.xmlNamespace, requestId), requestId);
      return;
    }
    const response = toErrorResponse(err);
    status = response.status;
    errorCode = response.code;
    send(res, response.status, JSON11_CONTENT_TYPE, response.body, requestId);
  } finally {
    const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
    options.logger.info(
      {
        requestId,
        operation: log.operation,
        caller: log.accessKeyId,
        ...(log.principal && { principal: log.principal }),
        account: log.accountId,
        region: log.region,
        status,
        ...(errorCode ? { errorCode } : {}),
        ...(denied ? { denied } : {}),
        latencyMs: Math.round(latencyMs * 100) / 100,
      },
      'request',
    );
  }
}

/** What IAM and STS handlers use: the KMS services' store, root key, clock and directories. */
function iamServices(services: KmsServices): IamServices {
  if (!services.directories) throw new Error('IAM and STS need the services to carry the IAM directories');
  return { store: services.store, rootKey: services.rootKey, clock: services.clock, directories: services.directories };
}

/** node's own answers, as it would send them without a clientError listener: 408, 431, else 400. */
function clientErrorResponse(code: string | undefined): string {
  const status =
    code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}

function send(res: ServerResponse, status: number, contentType: string, body: string, requestId: string): void {
  if (res.headersSent) return;
  const headers: Record<string, string | number> = { 'content-type': contentType, 'content-length': Buffer.byteLength(body) };
  if (requestId) headers['x-amzn-requestid'] = requestId;
  res.writeHead(status, headers);
  res.end(body);
}
