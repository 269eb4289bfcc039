// Encrypt: https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html

import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import type { Operation } from '../../context.js';
import { keyForEncryption, sealUnderKey, throwIfDryRun } from './common.js';

export const Encrypt: Operation = {
  name: 'Encrypt',
  async run(input, caller, services) {
    const { key, algorithm } = await keyForEncryption(services, caller, input.KeyId as string, 'Encrypt', input.EncryptionAlgorithm as string | undefined);
    throwIfDryRun(input);
    const { ciphertext } = await sealUnderKey(services, key, algorithm, input.Plaintext as Buffer, input.EncryptionContext as EncryptionContext | undefined);
    return { CiphertextBlob: ciphertext, KeyId: key.arn, EncryptionAlgorithm: algorithm };
  },
};
