// GenerateDataKeyWithoutPlaintext: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyWithoutPlaintext.html

import { defineOperation } from '../../pipeline/pipeline.js';
import { checkDataKeyRequest, dataKeyDeclaration, generateDataKey, validateDataKeyRequest } from './generate-data-key.js';

export const GenerateDataKeyWithoutPlaintext = defineOperation({
  name: 'GenerateDataKeyWithoutPlaintext',
  readOnly: true,
  dryRun: true,
  keys: [dataKeyDeclaration('kms:GenerateDataKeyWithoutPlaintext')],
  validate: validateDataKeyRequest,
  check: (request) => checkDataKeyRequest(request, 'GenerateDataKeyWithoutPlaintext'),
  async run(request) {
    const dataKey = await generateDataKey(request);
    dataKey.plaintext.fill(0);
    return { CiphertextBlob: dataKey.ciphertext, KeyId: dataKey.keyArn, KeyMaterialId: dataKey.materialId };
  },
});
