// Decrypt: https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html

import { UnsupportedOperationException } from '../../../errors/aws-errors.js';
import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import type { Operation } from '../../context.js';
import { dryRunWithoutCiphertext, ignoresCiphertext, openCiphertext, requireCiphertext, throwIfDryRun } from './common.js';

export const Decrypt: Operation = {
  name: 'Decrypt',
  async run(input, caller, services) {
    if (input.Recipient !== undefined) {
      // This server's own refusal: AWS supports Recipient.
      throw new UnsupportedOperationException('Recipient (Nitro Enclaves attestation) is not supported by this server.');
    }
    if (ignoresCiphertext(input)) {
      await dryRunWithoutCiphertext(services, caller, [{ identifier: input.KeyId, member: 'KeyId', algorithm: input.EncryptionAlgorithm as string | undefined }], 'Decrypt');
    }
    const opened = await openCiphertext(
      services,
      caller,
      requireCiphertext(input.CiphertextBlob, 'ciphertextBlob'),
      input.EncryptionContext as EncryptionContext | undefined,
      input.KeyId as string | undefined,
      input.EncryptionAlgorithm as string | undefined,
      'Decrypt',
    );
    throwIfDryRun(input);
    return {
      KeyId: opened.key.arn,
      Plaintext: opened.plaintext,
      EncryptionAlgorithm: opened.algorithm,
      ...(opened.materialId ? { KeyMaterialId: opened.materialId } : {}),
    };
  },
};
