// ReEncrypt: https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html
// The plaintext stays inside the server: it is decrypted and sealed again, never returned.

import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import type { ResolvedRequest } from '../../pipeline/operation-spec.js';
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
  validate: ({ input }) => validateDecryptionInput(input, SOURCE),
  // Both keys are resolved and in a usable state before either is checked. Then, as ReEncrypt
  // works (decrypt, then encrypt): the source's checks, the ciphertext opened, and only then the
  // destination's usage and algorithm: in a dry run here, after the dry run has opened the ciphertext.
  async check(request) {
    checkDecryption(request, SOURCE, 'ReEncrypt');
    if (request.input.DryRun === true) {
      await validateCiphertextInDryRun(request, SOURCE);
      checkDestination(request);
    }
  },
  async run(request) {
    const { input, services, key } = request;
    const source = await openCiphertext(request, SOURCE);
    try {
      checkDestination(request);
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

function checkDestination({ input, key }: ResolvedRequest): void {
  ensureEncryptDecrypt(key('DestinationKeyId'), 'ReEncrypt', input.DestinationEncryptionAlgorithm as string | undefined);
}
