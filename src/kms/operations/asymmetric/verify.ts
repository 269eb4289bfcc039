// Verify: https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html

import { KMSInvalidSignatureException } from '../../../errors/aws-errors.js';
import { verify } from '../../../crypto/specs/signing.js';
import type { Operation } from '../../context.js';
import { currentMaterial } from '../../key-material.js';
import { throwIfDryRun } from '../crypto/common.js';
import { signingRequest } from './common.js';

export const Verify: Operation = {
  name: 'Verify',
  async run(input, caller, services) {
    const request = await signingRequest(input, caller, services, 'Verify');
    throwIfDryRun(input);
    const { secret } = await currentMaterial(services, request.key);
    const valid = verify(request.key.keySpec, secret, request.algorithm, request.messageType, request.message, input.Signature as Buffer);
    // AWS: "If the signature is not verified, the Verify operation fails with a KMSInvalidSignatureException."
    if (!valid) throw new KMSInvalidSignatureException('');
    return { KeyId: request.key.arn, SignatureValid: true, SigningAlgorithm: request.algorithm };
  },
};
