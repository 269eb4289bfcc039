// What Sign and Verify share: checking the (resolved, usable) key is a SIGN_VERIFY key and the
// algorithm, the message type and the message length against AWS's rules.

import { InvalidKeyUsageException, ValidationException } from '../../../errors/aws-errors.js';
import { isAsymmetricKeySpec, type AsymmetricKeySpec } from '../../../crypto/specs/asymmetric-key.js';
import { digestLengthOf, signingAlgorithmsFor, type MessageType, type SigningAlgorithm } from '../../../crypto/specs/signing.js';
import type { OperationInput } from '../../context.js';
import { ensureAlgorithm, ensureKeyUsage } from '../../key-usage.js';
import type { KeyRecord } from '../../model/key.js';

export interface SigningRequest {
  readonly key: KeyRecord & { readonly keySpec: AsymmetricKeySpec };
  readonly algorithm: SigningAlgorithm;
  readonly messageType: MessageType;
  readonly message: Buffer;
}

const MAX_RAW_MESSAGE = 4096;
const EXTERNAL_MU_BYTES = 64;

/**
 * The signing request `input` makes of `key` (the key the pipeline resolved and found usable), or
 * the error AWS answers: key usage, then key spec, then algorithm, then message type and length.
 * Pure: Sign and Verify call it as their check, and again in run for the narrowed values.
 */
export function signingRequest(key: KeyRecord, input: OperationInput, operation: 'Sign' | 'Verify'): SigningRequest {
  ensureKeyUsage(key, 'SIGN_VERIFY', operation);
  const keySpec = key.keySpec;
  // SIGN_VERIFY keys are asymmetric by the capability table (SM2 is refused at CreateKey).
  // Unconfirmed wording: no recorded AWS response found.
  if (!isAsymmetricKeySpec(keySpec)) throw new InvalidKeyUsageException(`${key.arn} key spec ${keySpec} is not valid for ${operation}.`);
  const algorithm = input.SigningAlgorithm as SigningAlgorithm;
  ensureAlgorithm(key, algorithm, signingAlgorithmsFor(keySpec));
  const messageType = ((input.MessageType as MessageType | undefined) ?? 'RAW') satisfies MessageType;
  const message = input.Message as Buffer;
  checkMessage(algorithm, messageType, message);
  return { key: { ...key, keySpec }, algorithm, messageType, message };
}

/** AWS's pairing rules: which message types each algorithm takes and how long the input must be. */
function checkMessage(algorithm: SigningAlgorithm, messageType: MessageType, message: Buffer): void {
  // Unconfirmed wording: no recorded AWS response found.
  const incompatible = () => new ValidationException(`Message type ${messageType} is incompatible with algorithm ${algorithm}.`);
  switch (messageType) {
    case 'RAW':
      // AWS: "ED25519_PH_SHA_512 ... requires MessageType DIGEST".
      if (algorithm === 'ED25519_PH_SHA_512') throw incompatible();
      if (message.length > MAX_RAW_MESSAGE) {
        throw new ValidationException(
          `1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RAW_MESSAGE}`,
        );
      }
      return;
    case 'DIGEST': {
      const expected = digestLengthOf(algorithm);
      if (expected === undefined) throw incompatible();
      // AWS (LocalStack snapshot test_sign_verify): "Digest is invalid length for algorithm RSASSA_PSS_SHA_256."
      if (message.length !== expected) throw new ValidationException(`Digest is invalid length for algorithm ${algorithm}.`);
      return;
    }
    case 'EXTERNAL_MU':
      // AWS: EXTERNAL_MU is for ML-DSA keys only; the message is the 64-byte mu.
      if (algorithm !== 'ML_DSA_SHAKE_256') throw incompatible();
      if (message.length !== EXTERNAL_MU_BYTES) {
        // Unconfirmed wording: no recorded AWS response found.
        throw new ValidationException(`External mu is invalid length for algorithm ${algorithm}: it must be ${EXTERNAL_MU_BYTES} bytes.`);
      }
      return;
  }
}
