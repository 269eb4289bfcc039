// DeriveSharedSecret: https://docs.aws.amazon.com/kms/latest/APIReference/API_DeriveSharedSecret.html

import { ValidationException } from '../../../errors/aws-errors.js';
import { isAsymmetricKeySpec, type AsymmetricKeySpec } from '../../../crypto/specs/asymmetric-key.js';
import { deriveSharedSecret, InvalidPeerKeyError } from '../../../crypto/specs/key-agreement.js';
import { currentMaterial } from '../../key-material.js';
import { ensureKeyUsage } from '../../key-usage.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import type { KeyRecord } from '../../model/key.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { refuseRecipient } from '../crypto/common.js';

export const DeriveSharedSecret = defineOperation({
  name: 'DeriveSharedSecret',
  readOnly: true,
  dryRun: true,
  keys: [{ member: 'KeyId', action: 'kms:DeriveSharedSecret', forms: 'key-or-alias', state: CRYPTO_RULE }],
  // This server's own refusal (AWS supports Recipient), before the key is looked up, as for Decrypt.
  validate: ({ input }) => refuseRecipient(input),
  check({ key }) {
    agreementKeySpec(key('KeyId'));
  },
  async run({ input, services, key }) {
    const read = key('KeyId');
    const keySpec = agreementKeySpec(read);
    const { secret } = await currentMaterial(services, read);
    let shared: Buffer;
    try {
      shared = deriveSharedSecret(keySpec, secret, input.PublicKey as Buffer);
    } catch (err) {
      if (err instanceof InvalidPeerKeyError) {
        // AWS: PublicKey must be a DER-encoded SubjectPublicKeyInfo on the key's curve.
        // Unconfirmed wording: no recorded AWS response found. (LocalStack answers an empty message here.)
        throw new ValidationException(`PublicKey must be a DER-encoded SubjectPublicKeyInfo (SPKI) public key on the ${keySpec} curve.`);
      }
      throw err;
    }
    return { KeyId: read.arn, SharedSecret: shared, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: read.origin };
  },
});

/** The check: a KEY_AGREEMENT key with an asymmetric spec. Pure (run calls it again for the narrowed spec). */
function agreementKeySpec(key: KeyRecord): AsymmetricKeySpec {
  ensureKeyUsage(key, 'KEY_AGREEMENT', 'DeriveSharedSecret');
  // Unconfirmed wording: no recorded AWS response found.
  if (!isAsymmetricKeySpec(key.keySpec)) throw new ValidationException(`${key.arn} cannot derive shared secrets.`);
  return key.keySpec;
}
