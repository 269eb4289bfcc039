// VerifyMac: https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html

import { KMSInvalidMacException } from '../../../errors/aws-errors.js';
import { verifyMac } from '../../../crypto/specs/hmac.js';
import { currentMaterial } from '../../key-material.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { macAlgorithm } from './common.js';

export const VerifyMac = defineOperation({
  name: 'VerifyMac',
  readOnly: true,
  dryRun: true,
  keys: [{ member: 'KeyId', action: 'kms:VerifyMac', forms: 'key-or-alias', state: CRYPTO_RULE }],
  check({ input, key }) {
    macAlgorithm(key('KeyId'), input, 'VerifyMac');
  },
  async run({ input, services, key }) {
    const read = key('KeyId');
    const algorithm = macAlgorithm(read, input, 'VerifyMac');
    const { secret } = await currentMaterial(services, read);
    // AWS: "If the HMAC does not verify, the VerifyMac operation fails with a KMSInvalidMacException."
    if (!verifyMac(algorithm, secret, input.Message as Buffer, input.Mac as Buffer)) throw new KMSInvalidMacException('');
    return { KeyId: read.arn, MacValid: true, MacAlgorithm: algorithm };
  },
});
