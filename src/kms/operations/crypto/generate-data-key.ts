// GenerateDataKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html

import { randomBytes } from 'node:crypto';
import { UnsupportedOperationException, ValidationException } from '../../../errors/aws-errors.js';
import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import type { Caller, KmsServices, Operation, OperationInput } from '../../context.js';
import { ensureSymmetricEncryptionKey, sealUnderKey, SYMMETRIC_DEFAULT, throwIfDryRun } from './common.js';
import { resolveKeyInState } from '../../key-resolver.js';
import { CRYPTO_RULE } from '../../model/key-state.js';

export interface DataKey {
  readonly keyArn: string;
  readonly plaintext: Buffer;
  readonly ciphertext: Buffer;
  readonly materialId: string;
}

/** The part GenerateDataKey and GenerateDataKeyWithoutPlaintext share. */
export async function generateDataKey(
  input: OperationInput,
  caller: Caller,
  services: KmsServices,
  operation: string,
): Promise<DataKey> {
  const length = dataKeyLength(input.KeySpec as string | undefined, input.NumberOfBytes as number | undefined);
  if (input.Recipient !== undefined) {
    // This server's own refusal: AWS supports Recipient.
    throw new UnsupportedOperationException('Recipient (Nitro Enclaves attestation) is not supported by this server.');
  }
  const key = await resolveKeyInState(services, caller, input.KeyId as string, CRYPTO_RULE);
  ensureSymmetricEncryptionKey(key, operation);
  throwIfDryRun(input);
  const plaintext = randomBytes(length);
  const sealed = await sealUnderKey(services, key, SYMMETRIC_DEFAULT, plaintext, input.EncryptionContext as EncryptionContext | undefined);
  return { keyArn: key.arn, plaintext, ciphertext: sealed.ciphertext, materialId: sealed.materialId! };
}

/** Precondition: exactly one of KeySpec and NumberOfBytes. */
function dataKeyLength(keySpec: string | undefined, numberOfBytes: number | undefined): number {
  if ((keySpec === undefined) === (numberOfBytes === undefined)) {
    // moto's text for this case; no recorded AWS response found (unconfirmed).
    throw new ValidationException('Please specify either number of bytes or key spec.');
  }
  if (numberOfBytes !== undefined) return numberOfBytes;
  return keySpec === 'AES_128' ? 16 : 32;
}

export const GenerateDataKey: Operation = {
  name: 'GenerateDataKey',
  async run(input, caller, services) {
    const dataKey = await generateDataKey(input, caller, services, 'GenerateDataKey');
    return {
      CiphertextBlob: dataKey.ciphertext,
      Plaintext: dataKey.plaintext,
      KeyId: dataKey.keyArn,
      KeyMaterialId: dataKey.materialId,
    };
  },
};
