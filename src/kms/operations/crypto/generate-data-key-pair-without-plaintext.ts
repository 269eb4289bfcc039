// GenerateDataKeyPairWithoutPlaintext: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPairWithoutPlaintext.html

import { defineOperation } from '../../pipeline/pipeline.js';
import { checkDataKeyPairRequest, dataKeyPairDeclaration, generateDataKeyPairOutput, validateDataKeyPairRequest } from './generate-data-key-pair.js';

export const GenerateDataKeyPairWithoutPlaintext = defineOperation({
  name: 'GenerateDataKeyPairWithoutPlaintext',
  readOnly: true,
  dryRun: true,
  keys: [dataKeyPairDeclaration('kms:GenerateDataKeyPairWithoutPlaintext')],
  validate: validateDataKeyPairRequest,
  check: (request) => checkDataKeyPairRequest(request, 'GenerateDataKeyPairWithoutPlaintext'),
  async run(request) {
    const { PrivateKeyPlaintext, ...output } = await generateDataKeyPairOutput(request);
    PrivateKeyPlaintext.fill(0);
    return output;
  },
});
