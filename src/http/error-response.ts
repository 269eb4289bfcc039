// The one place an error becomes bytes: {"__type": code, "message": text} with AWS's status.
// Anything that is not a KmsError is a bug: it becomes a 500 KMSInternalException with a generic
// message, and the detail goes to the log under the request id.

import { KMSInternalException, KmsError } from '../errors/aws-errors.js';

export interface ErrorResponse {
  readonly status: number;
  readonly code: string;
  readonly body: string;
}

export function toErrorResponse(err: unknown): ErrorResponse {
  const known = err instanceof KmsError ? err : new KMSInternalException('An internal error occurred. Retry the request; if it persists, report it with the request id.');
  return {
    status: known.httpStatus,
    code: known.code,
    body: JSON.stringify({ __type: known.code, message: known.message }),
  };
}
