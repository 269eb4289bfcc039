// Reads a request body with a hard size limit, so an oversized or endless body cannot exhaust memory.

import type { IncomingMessage } from 'node:http';
import { RequestEntityTooLargeException } from '../errors/aws-errors.js';

export const MAX_BODY_BYTES = 256 * 1024;

/** The client went away (or sent a broken chunked body) before its body was complete: nobody to answer. */
export class ClientAbortedError extends Error {
  constructor(cause: unknown) {
    super('client aborted the request body', { cause });
    this.name = 'ClientAbortedError';
  }
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) {
        failed = true;
        reject(new ClientAbortedError(err));
      }
    });
  });
}

function tooLarge(limit: number): RequestEntityTooLargeException {
  return new RequestEntityTooLargeException(`Request body must be at most ${limit} bytes.`);
}
