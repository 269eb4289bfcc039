// GenerateDataKeyPairWithoutPlaintext: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPairWithoutPlaintext.html

import type { Operation } from '../../context.js';
import { generateDataKeyPairOutput } from './generate-data-key-pair.js';

export const GenerateDataKeyPairWithoutPlaintext: Operation = {
  name: 'GenerateDataKeyPairWithoutPlaintext',
  async run(input, caller, services) {
    const { PrivateKeyPlaintext, ...output } = await generateDataKeyPairOutput(input, caller, services, 'GenerateDataKeyPairWithoutPlaintext');
    PrivateKeyPlaintext.fill(0);
    return output;
  },
};
