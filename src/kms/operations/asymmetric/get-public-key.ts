// GetPublicKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html

import { UnsupportedOperationException } from '../../../errors/aws-errors.js';
import { isAsymmetricKeySpec, publicKeySpki, type AsymmetricKeySpec } from '../../../crypto/specs/asymmetric-key.js';
import { currentMaterial } from '../../key-material.js';
import { algorithmLists } from '../../key-metadata.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import type { KeyRecord } from '../../model/key.js';
import { defineOperation } from '../../pipeline/pipeline.js';

export const GetPublicKey = defineOperation({
  name: 'GetPublicKey',
  readOnly: true,
  dryRun: false,
  keys: [{ member: 'KeyId', action: 'kms:GetPublicKey', forms: 'key-or-alias', state: CRYPTO_RULE }],
  check({ key }) {
    asymmetricKeySpec(key('KeyId'));
  },
  async run({ services, key }) {
    const read = key('KeyId');
    const keySpec = asymmetricKeySpec(read);
    const { secret } = await currentMaterial(services, read);
    return {
      KeyId: read.arn,
      PublicKey: publicKeySpki(keySpec, secret),
      CustomerMasterKeySpec: keySpec,
      KeySpec: keySpec,
      KeyUsage: read.keyUsage,
      ...algorithmLists(read),
    };
  },
});

function asymmetricKeySpec(key: KeyRecord): AsymmetricKeySpec {
  // AWS: "GetPublicKey ... supports only asymmetric KMS keys."
  if (!isAsymmetricKeySpec(key.keySpec)) {
    // Unconfirmed wording: no recorded AWS response found.
    throw new UnsupportedOperationException(`${key.arn} key spec ${key.keySpec} is not valid for GetPublicKey: only asymmetric KMS keys have a public key.`);
  }
  return key.keySpec;
}
