// GetPublicKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html

import { UnsupportedOperationException } from '../../../errors/aws-errors.js';
import { isAsymmetricKeySpec, publicKeySpki } from '../../../crypto/specs/asymmetric-key.js';
import type { Operation } from '../../context.js';
import { resolveKeyInState } from '../../key-resolver.js';
import { currentMaterial } from '../../key-material.js';
import { algorithmLists } from '../../key-metadata.js';
import { CRYPTO_RULE } from '../../model/key-state.js';

export const GetPublicKey: Operation = {
  name: 'GetPublicKey',
  async run(input, caller, services) {
    const key = await resolveKeyInState(services, caller, input.KeyId as string, CRYPTO_RULE);
    // AWS: "GetPublicKey ... supports only asymmetric KMS keys."
    if (!isAsymmetricKeySpec(key.keySpec)) {
      // Unconfirmed wording: no recorded AWS response found.
      throw new UnsupportedOperationException(`${key.arn} key spec ${key.keySpec} is not valid for GetPublicKey: only asymmetric KMS keys have a public key.`);
    }
    const { secret } = await currentMaterial(services, key);
    return {
      KeyId: key.arn,
      PublicKey: publicKeySpki(key.keySpec, secret),
      CustomerMasterKeySpec: key.keySpec,
      KeySpec: key.keySpec,
      KeyUsage: key.keyUsage,
      ...algorithmLists(key),
    };
  },
};
