// DeriveSharedSecret: https://docs.aws.amazon.com/kms/latest/APIReference/API_DeriveSharedSecret.html

import { UnsupportedOperationException, ValidationException } from '../../../errors/aws-errors.js';
import { isAsymmetricKeySpec, type AsymmetricKeySpec } from '../../../crypto/specs/asymmetric-key.js';
import { deriveSharedSecret, InvalidPeerKeyError } from '../../../crypto/specs/key-agreement.js';
import type { OperationInput } from '../../context.js';
import { currentMaterial } from '../../key-material.js';
import { ensureKeyUsage } from '../../key-usage.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import type { KeyRecord } from '../../model/key.js';
import { defineOperation } from '../../pipeline/pipeline.js';

export const DeriveSharedSecret = defineOperation({
  name: 'DeriveSharedSecret',
  readOnly: true,
  dryRun: true,
  keys: [{ member: 'KeyId', action: 'kms:DeriveSharedSecret', forms: 'key-or-alias', state: CRYPTO_RULE }],
  check({ input, key }) {
    agreementKeySpec(key('KeyId'), input);
  },
  async run({ input, services, key }) {
    const read = key('KeyId');
    const keySpec = agreementKeySpec(read, input);
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

/** The check: a KEY_AGREEMENT key with an asymmetric spec, and no Recipient. Pure (run calls it again for the narrowed spec). */
function agreementKeySpec(key: KeyRecord, input: OperationInput): AsymmetricKeySpec {
  ensureKeyUsage(key, 'KEY_AGREEMENT', 'DeriveSharedSecret');
  // Unconfirmed wording: no recorded AWS response found.
  if (!isAsymmetricKeySpec(key.keySpec)) throw new ValidationException(`${key.arn} cannot derive shared secrets.`);
  if (input.Recipient !== undefined) {
    // This server's own refusal: AWS supports Recipient. It comes after the key's own checks (the
    // pipeline resolves and checks the key first), where AWS would look at the attestation, and
    // before DryRun, which must not promise a call this server would refuse.
    throw new UnsupportedOperationException('Recipient (Nitro Enclaves attestation) is not supported by this server.');
  }
  return key.keySpec;
}
