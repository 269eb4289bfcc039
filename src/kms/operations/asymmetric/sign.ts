// Sign: https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html

import { sign } from '../../../crypto/specs/signing.js';
import { currentMaterial } from '../../key-material.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { signingRequest } from './common.js';

export const Sign = defineOperation({
  name: 'Sign',
  readOnly: true,
  dryRun: true,
  keys: [{ member: 'KeyId', action: 'kms:Sign', forms: 'key-or-alias', state: CRYPTO_RULE }],
  check({ input, key }) {
    signingRequest(key('KeyId'), input, 'Sign');
  },
  async run({ input, services, key }) {
    const request = signingRequest(key('KeyId'), input, 'Sign');
    const { secret } = await currentMaterial(services, request.key);
    const signature = sign(request.key.keySpec, secret, request.algorithm, request.messageType, request.message);
    return { KeyId: request.key.arn, Signature: signature, SigningAlgorithm: request.algorithm };
  },
});
