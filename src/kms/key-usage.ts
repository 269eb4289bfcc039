// Key usage and algorithm checks shared by the cryptographic operations.

import { InvalidKeyUsageException } from '../errors/aws-errors.js';
import type { KeyRecord, KeyUsage } from './model/key.js';

/** Precondition: the key's usage is the one the operation needs. */
export function ensureKeyUsage(key: KeyRecord, usage: KeyUsage, operation: string): void {
  if (key.keyUsage !== usage) {
    // AWS (LocalStack snapshot test_error_messaging_for_invalid_keys): "<key ARN> key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac."
    throw new InvalidKeyUsageException(`${key.arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`);
  }
}

/** Precondition: the algorithm is one the key's spec allows. */
export function ensureAlgorithm(key: KeyRecord, algorithm: string, allowed: readonly string[]): void {
  if (!allowed.includes(algorithm)) {
    // AWS (LocalStack snapshot test_invalid_generate_mac): "Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224."
    throw new InvalidKeyUsageException(`Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`);
  }
}
