// GenerateDataKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html

import { randomBytes } from 'node:crypto';
import { ValidationException } from '../../../errors/aws-errors.js';
import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import type { OperationInput } from '../../context.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import type { KeyDeclaration, OperationRequest, ResolvedRequest } from '../../pipeline/operation-spec.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { ensureSymmetricEncryptionKey, refuseRecipient, sealUnderKey, SYMMETRIC_DEFAULT } from './common.js';

export interface DataKey {
  readonly keyArn: string;
  readonly plaintext: Buffer;
  readonly ciphertext: Buffer;
  readonly materialId: string;
}

/** The KeyId of GenerateDataKey and GenerateDataKeyWithoutPlaintext, each with its own action. */
export function dataKeyDeclaration(action: 'kms:GenerateDataKey' | 'kms:GenerateDataKeyWithoutPlaintext'): KeyDeclaration {
  return { member: 'KeyId', action, forms: 'key-or-alias', state: CRYPTO_RULE };
}

/** The input checks GenerateDataKey and GenerateDataKeyWithoutPlaintext share, before the key is looked up. */
export function validateDataKeyRequest({ input }: OperationRequest): void {
  dataKeyLength(input);
  refuseRecipient(input);
}

/** The key check GenerateDataKey and GenerateDataKeyWithoutPlaintext share. */
export function checkDataKeyRequest({ key }: ResolvedRequest, operation: string): void {
  ensureSymmetricEncryptionKey(key('KeyId'), operation);
}

/** The work GenerateDataKey and GenerateDataKeyWithoutPlaintext share. */
export async function generateDataKey({ input, services, key }: ResolvedRequest): Promise<DataKey> {
  const plaintext = randomBytes(dataKeyLength(input));
  const sealed = await sealUnderKey(services, key('KeyId'), SYMMETRIC_DEFAULT, plaintext, input.EncryptionContext as EncryptionContext | undefined);
  return { keyArn: key('KeyId').arn, plaintext, ciphertext: sealed.ciphertext, materialId: sealed.materialId! };
}

/** Precondition: exactly one of KeySpec and NumberOfBytes. */
function dataKeyLength(input: OperationInput): number {
  const keySpec = input.KeySpec as string | undefined;
  const numberOfBytes = input.NumberOfBytes as number | undefined;
  if ((keySpec === undefined) === (numberOfBytes === undefined)) {
    // moto's text for this case; no recorded AWS response found (unconfirmed).
    throw new ValidationException('Please specify either number of bytes or key spec.');
  }
  if (numberOfBytes !== undefined) return numberOfBytes;
  return keySpec === 'AES_128' ? 16 : 32;
}

export const GenerateDataKey = defineOperation({
  name: 'GenerateDataKey',
  readOnly: true,
  dryRun: true,
  keys: [dataKeyDeclaration('kms:GenerateDataKey')],
  validate: validateDataKeyRequest,
  check: (request) => checkDataKeyRequest(request, 'GenerateDataKey'),
  async run(request) {
    const dataKey = await generateDataKey(request);
    return {
      CiphertextBlob: dataKey.ciphertext,
      Plaintext: dataKey.plaintext,
      KeyId: dataKey.keyArn,
      KeyMaterialId: dataKey.materialId,
    };
  },
});
