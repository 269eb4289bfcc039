// Encrypt: https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html

import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { ensureEncryptDecrypt, sealUnderKey, SYMMETRIC_DEFAULT } from './common.js';

export const Encrypt = defineOperation({
  name: 'Encrypt',
  readOnly: true,
  dryRun: true,
  keys: [{ member: 'KeyId', action: 'kms:Encrypt', forms: 'key-or-alias', state: CRYPTO_RULE }],
  check({ input, key }) {
    ensureEncryptDecrypt(key('KeyId'), 'Encrypt', input.EncryptionAlgorithm as string | undefined);
  },
  async run({ input, services, key }) {
    const algorithm = (input.EncryptionAlgorithm as string | undefined) ?? SYMMETRIC_DEFAULT;
    const { ciphertext } = await sealUnderKey(services, key('KeyId'), algorithm, input.Plaintext as Buffer, input.EncryptionContext as EncryptionContext | undefined);
    return { CiphertextBlob: ciphertext, KeyId: key('KeyId').arn, EncryptionAlgorithm: algorithm };
  },
});
