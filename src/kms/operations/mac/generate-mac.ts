// GenerateMac: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html

import { computeMac } from '../../../crypto/specs/hmac.js';
import type { Operation } from '../../context.js';
import { currentMaterial } from '../../key-material.js';
import { throwIfDryRun } from '../crypto/common.js';
import { macKey } from './common.js';

export const GenerateMac: Operation = {
  name: 'GenerateMac',
  async run(input, caller, services) {
    const { key, algorithm } = await macKey(input, caller, services, 'GenerateMac');
    throwIfDryRun(input);
    const { secret } = await currentMaterial(services, key);
    return { Mac: computeMac(algorithm, secret, input.Message as Buffer), MacAlgorithm: algorithm, KeyId: key.arn };
  },
};
