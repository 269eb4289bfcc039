// The credential is AKID/YYYYMMDD/region/service/aws4_request; everything after the key id is the
// credential scope that goes into the string to sign.

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  /** date/region/service/terminator, as it appears in the string to sign. */
  scope: string;
}

/** Undefined unless there are exactly five '/'-separated parts (AWS's own rule). */
export function parseCredential(credential: string): CredentialScope | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5) return undefined;
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator, scope: parts.slice(1).join('/') };
}
