// ReEncrypt: https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html
// The plaintext stays inside the server: it is decrypted and sealed again, never returned.

import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import type { Operation } from '../../context.js';
import { dryRunWithoutCiphertext, ignoresCiphertext, keyForEncryption, openCiphertext, requireCiphertext, sealUnderKey, throwIfDryRun } from './common.js';

export const ReEncrypt: Operation = {
  name: 'ReEncrypt',
  async run(input, caller, services) {
    if (ignoresCiphertext(input)) {
      await dryRunWithoutCiphertext(
        services,
        caller,
        [
          { identifier: input.SourceKeyId, member: 'SourceKeyId', algorithm: input.SourceEncryptionAlgorithm as string | undefined },
          { identifier: input.DestinationKeyId, member: 'DestinationKeyId', algorithm: input.DestinationEncryptionAlgorithm as string | undefined },
        ],
        'ReEncrypt',
      );
    }
    const source = await openCiphertext(
      services,
      caller,
      requireCiphertext(input.CiphertextBlob, 'ciphertextBlob'),
      input.SourceEncryptionContext as EncryptionContext | undefined,
      input.SourceKeyId as string | undefined,
      input.SourceEncryptionAlgorithm as string | undefined,
      'ReEncrypt',
    );
    try {
      const { key: destination, algorithm } = await keyForEncryption(
        services,
        caller,
        input.DestinationKeyId as string,
        'ReEncrypt',
        input.DestinationEncryptionAlgorithm as string | undefined,
      );
      throwIfDryRun(input);
      const sealed = await sealUnderKey(
        services,
        destination,
        algorithm,
        source.plaintext,
        input.DestinationEncryptionContext as EncryptionContext | undefined,
      );
      return {
        CiphertextBlob: sealed.ciphertext,
        SourceKeyId: source.key.arn,
        KeyId: destination.arn,
        SourceEncryptionAlgorithm: source.algorithm,
        DestinationEncryptionAlgorithm: algorithm,
        ...(source.materialId ? { SourceKeyMaterialId: source.materialId } : {}),
        ...(sealed.materialId ? { DestinationKeyMaterialId: sealed.materialId } : {}),
      };
    } finally {
      source.plaintext.fill(0);
    }
  },
};
