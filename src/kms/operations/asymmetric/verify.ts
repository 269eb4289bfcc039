// Verify: https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html

import { KMSInvalidSignatureException } from '../../../errors/aws-errors.js';
import { verify } from '../../../crypto/specs/signing.js';
import { currentMaterial } from '../../key-material.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { signingRequest } from './common.js';

export const Verify = defineOperation({
  name: 'Verify',
  readOnly: true,
  dryRun: true,
  keys: [{ member: 'KeyId', action: 'kms:Verify', forms: 'key-or-alias', state: CRYPTO_RULE }],
  check({ input, key }) {
    signingRequest(key('KeyId'), input, 'Verify');
  },
  async run({ input, services, key }) {
    const request = signingRequest(key('KeyId'), input, 'Verify');
    const { secret } = await currentMaterial(services, request.key);
    const valid = verify(request.key.keySpec, secret, request.algorithm, request.messageType, request.message, input.Signature as Buffer);
    // AWS: "If the signature is not verified, the Verify operation fails with a KMSInvalidSignatureException."
    if (!valid) throw new KMSInvalidSignatureException('');
    return { KeyId: request.key.arn, SignatureValid: true, SigningAlgorithm: request.algorithm };
  },
});
