// One class per AWS error code. Each carries its wire `__type` and HTTP status; the only place
// an error becomes bytes is src/http/error-response.ts. Never branch on `message`.

export abstract class KmsError extends Error {
  abstract readonly code: string;
  readonly httpStatus: number = 400;
  constructor(message = '') {
    super(message);
  }
  get name(): string {
    return this.code;
  }
}

// --- KMS service errors (shapes in the service model) ---
export class AlreadyExistsException extends KmsError { readonly code = 'AlreadyExistsException'; }
export class ConflictException extends KmsError { readonly code = 'ConflictException'; }
export class CustomKeyStoreNotFoundException extends KmsError { readonly code = 'CustomKeyStoreNotFoundException'; }
export class CloudHsmClusterNotFoundException extends KmsError { readonly code = 'CloudHsmClusterNotFoundException'; }
export class XksProxyUriUnreachableException extends KmsError { readonly code = 'XksProxyUriUnreachableException'; }
export class DependencyTimeoutException extends KmsError { readonly code = 'DependencyTimeoutException'; override readonly httpStatus = 503; }
export class DisabledException extends KmsError { readonly code = 'DisabledException'; }
// HTTP 400 (the default): the status AWS KMS answers it with; this server once sent 412.
export class DryRunOperationException extends KmsError {
  readonly code = 'DryRunOperationException';
  constructor() { super('The request would have succeeded, but the DryRun option is set.'); }
}
export class ExpiredImportTokenException extends KmsError { readonly code = 'ExpiredImportTokenException'; }
export class IncorrectKeyException extends KmsError { readonly code = 'IncorrectKeyException'; }
export class IncorrectKeyMaterialException extends KmsError { readonly code = 'IncorrectKeyMaterialException'; }
export class InvalidAliasNameException extends KmsError { readonly code = 'InvalidAliasNameException'; }
export class InvalidArnException extends KmsError { readonly code = 'InvalidArnException'; }
export class InvalidCiphertextException extends KmsError { readonly code = 'InvalidCiphertextException'; }
export class InvalidGrantIdException extends KmsError { readonly code = 'InvalidGrantIdException'; }
export class InvalidGrantTokenException extends KmsError { readonly code = 'InvalidGrantTokenException'; }
export class InvalidImportTokenException extends KmsError { readonly code = 'InvalidImportTokenException'; }
export class InvalidKeyUsageException extends KmsError { readonly code = 'InvalidKeyUsageException'; }
export class InvalidMarkerException extends KmsError { readonly code = 'InvalidMarkerException'; }
export class KMSInternalException extends KmsError { readonly code = 'KMSInternalException'; override readonly httpStatus = 500; }
export class KMSInvalidMacException extends KmsError { readonly code = 'KMSInvalidMacException'; }
export class KMSInvalidSignatureException extends KmsError { readonly code = 'KMSInvalidSignatureException'; }
export class KMSInvalidStateException extends KmsError { readonly code = 'KMSInvalidStateException'; }
export class KeyUnavailableException extends KmsError { readonly code = 'KeyUnavailableException'; override readonly httpStatus = 500; }
export class LimitExceededException extends KmsError { readonly code = 'LimitExceededException'; }
export class MalformedPolicyDocumentException extends KmsError { readonly code = 'MalformedPolicyDocumentException'; }
export class NotFoundException extends KmsError { readonly code = 'NotFoundException'; }
export class TagException extends KmsError { readonly code = 'TagException'; }
export class UnsupportedOperationException extends KmsError { readonly code = 'UnsupportedOperationException'; }

// --- Common AWS protocol and authentication errors ---
export class ValidationException extends KmsError { readonly code = 'ValidationException'; }
export class SerializationException extends KmsError { readonly code = 'SerializationException'; }
export class UnknownOperationException extends KmsError { readonly code = 'UnknownOperationException'; }
export class UnrecognizedClientException extends KmsError { readonly code = 'UnrecognizedClientException'; }
export class InvalidSignatureException extends KmsError { readonly code = 'InvalidSignatureException'; }
export class IncompleteSignatureException extends KmsError { readonly code = 'IncompleteSignatureException'; }
export class MissingAuthenticationTokenException extends KmsError { readonly code = 'MissingAuthenticationTokenException'; override readonly httpStatus = 403; }
export class AccessDeniedException extends KmsError { readonly code = 'AccessDeniedException'; }
export class ThrottlingException extends KmsError { readonly code = 'ThrottlingException'; }
export class RequestEntityTooLargeException extends KmsError { readonly code = 'RequestEntityTooLargeException'; override readonly httpStatus = 413; }
export class UnsupportedMediaTypeException extends KmsError { readonly code = 'UnsupportedMediaTypeException'; override readonly httpStatus = 415; }
export class MethodNotAllowedException extends KmsError { readonly code = 'MethodNotAllowedException'; override readonly httpStatus = 405; }
/** What KMS answers when a caller tries to create or change an alias/aws/ alias (as moto records it). */
export class NotAuthorizedException extends KmsError { readonly code = 'NotAuthorizedException'; }
// STS credentials past their expiry (KMS answers it as a JSON error; the Query services as ExpiredToken).
export class ExpiredTokenException extends KmsError { readonly code = 'ExpiredTokenException'; }
