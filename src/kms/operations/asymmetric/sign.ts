// Sign: https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html

import { sign } from '../../../crypto/specs/signing.js';
import type { Operation } from '../../context.js';
import { currentMaterial } from '../../key-material.js';
import { throwIfDryRun } from '../crypto/common.js';
import { signingRequest } from './common.js';

export const Sign: Operation = {
  name: 'Sign',
  async run(input, caller, services) {
    const request = await signingRequest(input, caller, services, 'Sign');
    throwIfDryRun(input);
    const { secret } = await currentMaterial(services, request.key);
    const signature = sign(request.key.keySpec, secret, request.algorithm, request.messageType, request.message);
    return { KeyId: request.key.arn, Signature: signature, SigningAlgorithm: request.algorithm };
  },
};
