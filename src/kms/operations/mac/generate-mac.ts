// GenerateMac: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html

import { computeMac } from '../../../crypto/specs/hmac.js';
import { currentMaterial } from '../../key-material.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { macAlgorithm } from './common.js';

export const GenerateMac = defineOperation({
  name: 'GenerateMac',
  readOnly: true,
  dryRun: true,
  keys: [{ member: 'KeyId', action: 'kms:GenerateMac', forms: 'key-or-alias', state: CRYPTO_RULE }],
  check({ input, key }) {
    macAlgorithm(key('KeyId'), input, 'GenerateMac');
  },
  async run({ input, services, key }) {
    const read = key('KeyId');
    const algorithm = macAlgorithm(read, input, 'GenerateMac');
    const { secret } = await currentMaterial(services, read);
    return { Mac: computeMac(algorithm, secret, input.Message as Buffer), MacAlgorithm: algorithm, KeyId: read.arn };
  },
});
