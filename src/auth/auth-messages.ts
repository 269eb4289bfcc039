// Error messages worded as AWS's front end words them, so SDK users see familiar text. Sources: AWS
// responses quoted verbatim in public issue threads, and scratchstack-aws-signature, which reproduces
// AWS's authentication error texts and their ordering.

export const MISSING_AUTHENTICATION_TOKEN = 'Missing Authentication Token';

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export const INVALID_SECURITY_TOKEN = 'The security token included in the request is invalid.';

export const HOST_MUST_BE_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";

/**
 * An x-amz-* header sent but not signed. No AWS text for a JSON service is on record; this one is
 * worded as AWS words the unsigned-Host fault above, naming the header as AWS spells it (X-Amz-Target).
 */
export function headerMustBeSigned(lowerCaseName: string): string {
  return `'${lowerCaseName.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())}' must be a 'SignedHeader' in the AWS Authorization.`;
}

export const AUTH_HEADER_REQUIRES_CREDENTIAL = "Authorization header requires 'Credential' parameter.";
export const AUTH_HEADER_REQUIRES_SIGNATURE = "Authorization header requires 'Signature' parameter.";
export const AUTH_HEADER_REQUIRES_SIGNED_HEADERS = "Authorization header requires 'SignedHeaders' parameter.";
export const AUTH_HEADER_REQUIRES_DATE =
  "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";

export const REEXAMINE_QUERY = 'Re-examine the query-string parameters.';

export function queryMustInclude(param: string): string {
  return `AWS query-string parameters must include '${param}'.`;
}

export function missingEqualSign(token: string, header: string): string {
  return `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`;
}

export function unsupportedAlgorithm(algorithm: string): string {
  return `Unsupported AWS 'algorithm': '${algorithm}'.`;
}

export function badDateFormat(value: string): string {
  return `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`;
}

export function badCredentialShape(credential: string): string {
  return `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`;
}

export function wrongScopeRegion(region: string): string {
  return `Credential should be scoped to a valid region, not '${region}'.`;
}

export function wrongScopeService(expected: string): string {
  return `Credential should be scoped to correct service: '${expected}'.`;
}

export function wrongScopeTerminator(terminator: string): string {
  return `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`;
}

export function wrongScopeDate(scopeDate: string, requestDay: string, requestTime: string): string {
  return (
    'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
    `'${scopeDate}' != '${requestDay}', from '${requestTime}'.`
  );
}

/** "15 min" when whole minutes, else "90 sec", as AWS prints its window. */
export function windowText(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} sec`;
}

export function signatureExpired(signed: string, earliest: string, now: string, windowMs: number): string {
  return `Signature expired: ${signed} is now earlier than ${earliest} (${now} - ${windowText(windowMs)}.)`;
}

export function signatureNotYetCurrent(signed: string, latest: string, now: string, windowMs: number): string {
  return `Signature not yet current: ${signed} is still later than ${latest} (${now} + ${windowText(windowMs)}.)`;
}

// X-Amz-Expires wording is S3's (the only AWS service documenting it); JSON services don't say.
export const EXPIRES_NOT_A_NUMBER = 'X-Amz-Expires should be a number';
export const EXPIRES_NEGATIVE = 'X-Amz-Expires must be non-negative';
export const EXPIRES_TOO_LARGE =
  'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds';
