// Encrypt: https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html

import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import type { Operation } from '../../context.js';
import { keyForEncryption, sealUnderKey, SYMMETRIC_DEFAULT, throwIfDryRun } from './common.js';

export const Encrypt: Operation = {
  name: 'Encrypt',
  async run(input, caller, services) {
    const algorithm = input.EncryptionAlgorithm as string | undefined;
    const key = await keyForEncryption(services, caller, input.KeyId as string, 'Encrypt', algorithm);
    throwIfDryRun(input);
    const { ciphertext } = await sealUnderKey(services, key, input.Plaintext as Buffer, input.EncryptionContext as EncryptionContext | undefined);
    return { CiphertextBlob: ciphertext, KeyId: key.arn, EncryptionAlgorithm: SYMMETRIC_DEFAULT };
  },
};
