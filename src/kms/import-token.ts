// The ImportToken of GetParametersForImport, stateless: the wrapping private key and the
// parameters it was issued with, sealed under the root key with AAD naming the key ARN. Nothing is
// stored; ImportKeyMaterial opens the token, so a token of another key, a tampered token or one
// sealed under another root key does not open.
//
// Token:   version 0x01 | root-key wrap (see docs/ciphertext-format.md) of the payload
// Payload: format 0x01 | algorithm (1) | wrapping key spec (1) | expiry, epoch ms (u64 BE)
//          | token id (16 random bytes) | wrapping private key, PKCS#8 DER
// An RSA_4096 token is about 2.4 KB, well inside the 6144-byte limit of CiphertextType.

import { randomBytes } from 'node:crypto';
import { RootKeyUnwrapError } from '../crypto/root-key/root-key-provider.js';
import { SECRET_ACCESS, SecretMaterial } from '../crypto/secret.js';
import { WRAPPING_ALGORITHMS, WRAPPING_KEY_SPECS, type WrappingAlgorithm, type WrappingKeySpec } from '../crypto/import-wrapping.js';
import type { KmsServices } from './context.js';

const TOKEN_VERSION = 0x01;
const PAYLOAD_FORMAT = 0x01;
const HEADER_BYTES = 1 + 1 + 1 + 8 + 16;
/** The service model's CiphertextType maximum, which ImportToken must fit. */
export const MAX_IMPORT_TOKEN_BYTES = 6144;

export interface ImportTokenContents {
  readonly algorithm: WrappingAlgorithm;
  readonly wrappingKeySpec: WrappingKeySpec;
  /** Epoch milliseconds after which the token and its public key are no longer valid. */
  readonly expiresAt: number;
  readonly wrappingPrivateKey: SecretMaterial;
}

function importTokenAad(keyArn: string): Buffer {
  return Buffer.from(`kms-server/v1/import-token\n${keyArn}`, 'utf8');
}

export async function sealImportToken(services: KmsServices, keyArn: string, contents: ImportTokenContents): Promise<Buffer> {
  const privateKey = contents.wrappingPrivateKey.exposeSecret(SECRET_ACCESS);
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = PAYLOAD_FORMAT;
  header[1] = WRAPPING_ALGORITHMS.indexOf(contents.algorithm);
  header[2] = WRAPPING_KEY_SPECS.indexOf(contents.wrappingKeySpec);
  header.writeBigUInt64BE(BigInt(contents.expiresAt), 3);
  randomBytes(16).copy(header, 11);
  const payload = new SecretMaterial(Buffer.concat([header, privateKey]));
  try {
    const token = Buffer.concat([Buffer.from([TOKEN_VERSION]), await services.rootKey.wrap(payload, importTokenAad(keyArn))]);
    if (token.length > MAX_IMPORT_TOKEN_BYTES) throw new RangeError(`import token of ${token.length} bytes exceeds ${MAX_IMPORT_TOKEN_BYTES}`);
    return token;
  } finally {
    payload.dispose();
  }
}

/** The token's contents, or undefined when it is not a token this server issued for `keyArn`. */
export async function openImportToken(services: KmsServices, keyArn: string, token: Uint8Array): Promise<ImportTokenContents | undefined> {
  if (token.length < 2 || token[0] !== TOKEN_VERSION) return undefined;
  let payload: SecretMaterial;
  try {
    payload = await services.rootKey.unwrap(token.subarray(1), importTokenAad(keyArn));
  } catch (err) {
    if (err instanceof RootKeyUnwrapError) return undefined;
    throw err;
  }
  try {
    const bytes = payload.exposeSecret(SECRET_ACCESS);
    if (bytes.length <= HEADER_BYTES || bytes[0] !== PAYLOAD_FORMAT) return undefined;
    const algorithm = WRAPPING_ALGORITHMS[bytes[1]!];
    const wrappingKeySpec = WRAPPING_KEY_SPECS[bytes[2]!];
    if (!algorithm || !wrappingKeySpec) return undefined;
    const expiresAt = Number(bytes.readBigUInt64BE(3));
    return { algorithm, wrappingKeySpec, expiresAt, wrappingPrivateKey: new SecretMaterial(bytes.subarray(HEADER_BYTES)) };
  } finally {
    payload.dispose();
  }
}
