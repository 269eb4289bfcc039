// The one place an error becomes bytes: {"__type": code, "message": text} with AWS's status, and
// no message member at all when the error has none, as AWS sends InvalidCiphertextException,
// KMSInvalidSignatureException or KMSInvalidMacException (an empty "message" is not AWS's).
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
    body: JSON.stringify(known.message === '' ? { __type: known.code } : { __type: known.code, message: known.message }),
  };
}
