// GenerateRandom: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateRandom.html

import { randomBytes } from 'node:crypto';
import { CustomKeyStoreNotFoundException, UnsupportedOperationException, ValidationException } from '../../../errors/aws-errors.js';
import type { Operation } from '../../context.js';

export const GenerateRandom: Operation = {
  name: 'GenerateRandom',
  async run(input) {
    const numberOfBytes = input.NumberOfBytes as number | undefined;
    // AWS: NumberOfBytes is optional in the model but required in practice ("NumberOfBytes is required.").
    if (numberOfBytes === undefined) throw new ValidationException('NumberOfBytes is required.');
    if (input.CustomKeyStoreId !== undefined) {
      // Unconfirmed wording: no recorded AWS response found.
      throw new CustomKeyStoreNotFoundException(`Custom key store '${input.CustomKeyStoreId as string}' does not exist.`);
    }
    if (input.Recipient !== undefined) {
      // This server's own refusal: AWS supports Recipient.
      throw new UnsupportedOperationException('Recipient (Nitro Enclaves attestation) is not supported by this server.');
    }
    return { Plaintext: randomBytes(numberOfBytes) };
  },
};
