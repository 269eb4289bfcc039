// Decrypt: https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html

import { CRYPTO_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import {
  checkDecryption,
  keyOfCiphertext,
  openCiphertext,
  refuseRecipient,
  validateCiphertextInDryRun,
  validateDecryptionInput,
  type DecryptingMembers,
} from './common.js';

const CIPHERTEXT: DecryptingMembers = { key: 'KeyId', context: 'EncryptionContext', algorithm: 'EncryptionAlgorithm' };

export const Decrypt = defineOperation({
  name: 'Decrypt',
  readOnly: true,
  dryRun: true,
  // KeyId may be absent: a symmetric ciphertext blob names its key.
  keys: [{ member: 'KeyId', action: 'kms:Decrypt', forms: 'key-or-alias', state: CRYPTO_RULE, optional: true, locate: keyOfCiphertext }],
  validate({ input }) {
    refuseRecipient(input);
    validateDecryptionInput(input, CIPHERTEXT);
  },
  async check(request) {
    checkDecryption(request, CIPHERTEXT, 'Decrypt');
    await validateCiphertextInDryRun(request, CIPHERTEXT);
  },
  async run(request) {
    const opened = await openCiphertext(request, CIPHERTEXT);
    return {
      KeyId: opened.key.arn,
      Plaintext: opened.plaintext,
      EncryptionAlgorithm: opened.algorithm,
      ...(opened.materialId ? { KeyMaterialId: opened.materialId } : {}),
    };
  },
});
