// VerifyMac: https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html

import { KMSInvalidMacException } from '../../../errors/aws-errors.js';
import { verifyMac } from '../../../crypto/specs/hmac.js';
import type { Operation } from '../../context.js';
import { currentMaterial } from '../../key-material.js';
import { throwIfDryRun } from '../crypto/common.js';
import { macKey } from './common.js';

export const VerifyMac: Operation = {
  name: 'VerifyMac',
  async run(input, caller, services) {
    const { key, algorithm } = await macKey(input, caller, services, 'VerifyMac');
    throwIfDryRun(input);
    const { secret } = await currentMaterial(services, key);
    // AWS: "If the HMAC does not verify, the VerifyMac operation fails with a KMSInvalidMacException."
    if (!verifyMac(algorithm, secret, input.Message as Buffer, input.Mac as Buffer)) throw new KMSInvalidMacException('');
    return { KeyId: key.arn, MacValid: true, MacAlgorithm: algorithm };
  },
};
