// GenerateDataKeyWithoutPlaintext: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyWithoutPlaintext.html

import type { Operation } from '../../context.js';
import { generateDataKey } from './generate-data-key.js';

export const GenerateDataKeyWithoutPlaintext: Operation = {
  name: 'GenerateDataKeyWithoutPlaintext',
  async run(input, caller, services) {
    const dataKey = await generateDataKey(input, caller, services, 'GenerateDataKeyWithoutPlaintext');
    dataKey.plaintext.fill(0);
    return { CiphertextBlob: dataKey.ciphertext, KeyId: dataKey.keyArn, KeyMaterialId: dataKey.materialId };
  },
};
