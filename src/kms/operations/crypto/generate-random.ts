// GenerateRandom: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateRandom.html

import { randomBytes } from 'node:crypto';
import { CustomKeyStoreNotFoundException, ValidationException } from '../../../errors/aws-errors.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { refuseRecipient } from './common.js';

export const GenerateRandom = defineOperation({
  name: 'GenerateRandom',
  readOnly: true,
  // No KMS key, and no DryRun member in the model.
  dryRun: false,
  keys: [],
  validate({ input }) {
    // AWS: NumberOfBytes is optional in the model but required in practice ("NumberOfBytes is required.").
    if (input.NumberOfBytes === undefined) throw new ValidationException('NumberOfBytes is required.');
    if (input.CustomKeyStoreId !== undefined) {
      // Unconfirmed wording: no recorded AWS response found.
      throw new CustomKeyStoreNotFoundException(`Custom key store '${input.CustomKeyStoreId as string}' does not exist.`);
    }
    refuseRecipient(input);
  },
  async run({ input }) {
    return { Plaintext: randomBytes(input.NumberOfBytes as number) };
  },
});
