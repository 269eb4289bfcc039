// One class per IAM/STS (AWS Query protocol) error code, on the same KmsError base as the KMS
// errors so the HTTP layer and logging treat both alike. Class names are the wire codes; the
// statuses are the service models' `error.httpStatusCode` (botocore IAM 2010-05-08 and STS
// 2011-06-15), or AWS's documented status for the protocol and authentication codes. Only the
// error encoder turns these into bytes (src/protocol/query/encode.ts).
import { INVALID_SECURITY_TOKEN } from '../auth/auth-messages.js';
import { KmsError } from './aws-errors.js';

/**
 * Query errors carry <Type>Sender</Type> or <Type>Receiver</Type>. The models mark client faults
 * with senderFault and leave it out for the two 500s (ServiceFailure, PolicyEvaluation), so the
 * status decides: below 500 the caller is at fault.
 */
export function isSenderFault(err: KmsError): boolean {
  return err.httpStatus < 500;
}

// --- IAM service errors (shapes in the IAM model) ---
export class NoSuchEntity extends KmsError { readonly code = 'NoSuchEntity'; override readonly httpStatus = 404; }
export class EntityAlreadyExists extends KmsError { readonly code = 'EntityAlreadyExists'; override readonly httpStatus = 409; }
export class DeleteConflict extends KmsError { readonly code = 'DeleteConflict'; override readonly httpStatus = 409; }
export class LimitExceeded extends KmsError { readonly code = 'LimitExceeded'; override readonly httpStatus = 409; }
export class InvalidInput extends KmsError { readonly code = 'InvalidInput'; }
/** IAM's and STS's code (both models: 400); KMS's is MalformedPolicyDocumentException. */
export class MalformedPolicyDocument extends KmsError { readonly code = 'MalformedPolicyDocument'; }
export class EntityTemporarilyUnmodifiable extends KmsError { readonly code = 'EntityTemporarilyUnmodifiable'; override readonly httpStatus = 409; }
export class UnmodifiableEntity extends KmsError { readonly code = 'UnmodifiableEntity'; }
export class PolicyNotAttachable extends KmsError { readonly code = 'PolicyNotAttachable'; }
export class ConcurrentModification extends KmsError { readonly code = 'ConcurrentModification'; override readonly httpStatus = 409; }
export class ServiceFailure extends KmsError { readonly code = 'ServiceFailure'; override readonly httpStatus = 500; }
export class PolicyEvaluation extends KmsError { readonly code = 'PolicyEvaluation'; override readonly httpStatus = 500; }

// --- STS service errors (shapes in the STS model; these codes keep their "Exception" suffix) ---
export class PackedPolicyTooLarge extends KmsError { readonly code = 'PackedPolicyTooLarge'; }
export class RegionDisabledException extends KmsError { readonly code = 'RegionDisabledException'; override readonly httpStatus = 403; }
/** The STS model's modelled error (web identity / trade-in tokens), HTTP 400: one class with KMS's code of the same name. */
export { ExpiredTokenException } from './aws-errors.js';

// --- Query protocol errors ---
export class ValidationError extends KmsError { readonly code = 'ValidationError'; }
export class InvalidAction extends KmsError { readonly code = 'InvalidAction'; }
export class MissingAction extends KmsError { readonly code = 'MissingAction'; }
export class InvalidParameterValue extends KmsError { readonly code = 'InvalidParameterValue'; }

// --- Authentication and authorization (AWS's front end, shared by every Query service) ---
/** IAM's and STS's code where KMS says AccessDeniedException. */
export class AccessDenied extends KmsError { readonly code = 'AccessDenied'; override readonly httpStatus = 403; }
export class InvalidClientTokenId extends KmsError { readonly code = 'InvalidClientTokenId'; override readonly httpStatus = 403; }
export class SignatureDoesNotMatch extends KmsError { readonly code = 'SignatureDoesNotMatch'; override readonly httpStatus = 403; }
export class IncompleteSignature extends KmsError { readonly code = 'IncompleteSignature'; }
export class MissingAuthenticationToken extends KmsError { readonly code = 'MissingAuthenticationToken'; override readonly httpStatus = 403; }
/**
 * An expired session token on the Query endpoints: the code is ExpiredToken (no suffix), as SDK
 * users see it from STS and IAM. The status is 400 as the brief for this layer records it; AWS's
 * generic "Common Errors" pages say 403 for the JSON services' ExpiredTokenException, and no
 * captured IAM/STS response is on record here, so this is the one status to revisit.
 */
export class ExpiredToken extends KmsError { readonly code = 'ExpiredToken'; }

const GENERIC_FAILURE = 'An internal error occurred. Try again later.';

/** Codes in this module, so toQueryError passes them through instead of remapping them. */
const QUERY_ERROR_CLASSES = [
  NoSuchEntity, EntityAlreadyExists, DeleteConflict, LimitExceeded, InvalidInput, MalformedPolicyDocument,
  EntityTemporarilyUnmodifiable, UnmodifiableEntity, PolicyNotAttachable, ConcurrentModification, ServiceFailure,
  PolicyEvaluation, PackedPolicyTooLarge, RegionDisabledException, ValidationError,
  InvalidAction, MissingAction, InvalidParameterValue, AccessDenied, InvalidClientTokenId, SignatureDoesNotMatch,
  IncompleteSignature, MissingAuthenticationToken, ExpiredToken,
] as const;

function isQueryError(err: KmsError): boolean {
  return QUERY_ERROR_CLASSES.some((cls) => err instanceof cls);
}

/**
 * The Query form of an error thrown on the way to an IAM/STS handler. The SigV4 verifier and the
 * validator are shared with KMS and throw its JSON-protocol classes; their messages are AWS's
 * front-end texts and carry over unchanged. Anything that is not an AWS error becomes a
 * ServiceFailure with a generic message, so no internal detail reaches the caller.
 */
export function toQueryError(err: unknown): KmsError {
  if (!(err instanceof KmsError)) return new ServiceFailure(GENERIC_FAILURE);
  if (isQueryError(err)) return err;
  switch (err.code) {
    case 'UnrecognizedClientException': return new InvalidClientTokenId(err.message || INVALID_SECURITY_TOKEN);
    case 'InvalidSignatureException': return new SignatureDoesNotMatch(err.message);
    case 'IncompleteSignatureException': return new IncompleteSignature(err.message);
    case 'MissingAuthenticationTokenException': return new MissingAuthenticationToken(err.message);
    case 'ValidationException': return new ValidationError(err.message);
    case 'AccessDeniedException': return new AccessDenied(err.message);
    // Expired session credentials: IAM and STS say ExpiredToken where KMS says ExpiredTokenException.
    case 'ExpiredTokenException': return new ExpiredToken(err.message);
    // The rest (ThrottlingException, RequestEntityTooLargeException, ...) are front-end codes
    // with a status of their own; masking them as a 500 would only hide what went wrong.
    default: return err;
  }
}
