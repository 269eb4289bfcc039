// ReEncrypt: https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html
// The plaintext stays inside the server: it is decrypted and sealed again, never returned.

import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import {
  checkDecryption,
  ensureEncryptDecrypt,
  keyOfCiphertext,
  openCiphertext,
  sealUnderKey,
  SYMMETRIC_DEFAULT,
  validateCiphertextInDryRun,
  validateDecryptionInput,
  type DecryptingMembers,
} from './common.js';

const SOURCE: DecryptingMembers = { key: 'SourceKeyId', context: 'SourceEncryptionContext', algorithm: 'SourceEncryptionAlgorithm' };

export const ReEncrypt = defineOperation({
  name: 'ReEncrypt',
  readOnly: true,
  dryRun: true,
  keys: [
    // SourceKeyId may be absent: a symmetric ciphertext blob names its key.
    { member: 'SourceKeyId', action: 'kms:ReEncryptFrom', forms: 'key-or-alias', state: CRYPTO_RULE, optional: true, locate: keyOfCiphertext },
    { member: 'DestinationKeyId', action: 'kms:ReEncryptTo', forms: 'key-or-alias', state: CRYPTO_RULE },
  ],
  // Both keys are resolved and in a usable state before either is checked; the source's checks
  // come before the destination's, and the ciphertext is opened (validated) after both.
  validate: ({ input }) => validateDecryptionInput(input),
  async check(request) {
    checkDecryption(request, SOURCE, 'ReEncrypt');
    ensureEncryptDecrypt(request.key('DestinationKeyId'), 'ReEncrypt', request.input.DestinationEncryptionAlgorithm as string | undefined);
    await validateCiphertextInDryRun(request, SOURCE);
  },
  async run(request) {
    const { input, services, key } = request;
    const source = await openCiphertext(request, SOURCE);
    try {
      const destination = key('DestinationKeyId');
      const algorithm = (input.DestinationEncryptionAlgorithm as string | undefined) ?? SYMMETRIC_DEFAULT;
      const sealed = await sealUnderKey(services, destination, algorithm, source.plaintext, input.DestinationEncryptionContext as EncryptionContext | undefined);
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
});
