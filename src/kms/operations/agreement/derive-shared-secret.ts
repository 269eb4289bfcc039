// DeriveSharedSecret: https://docs.aws.amazon.com/kms/latest/APIReference/API_DeriveSharedSecret.html

import { UnsupportedOperationException, ValidationException } from '../../../errors/aws-errors.js';
import { isAsymmetricKeySpec } from '../../../crypto/specs/asymmetric-key.js';
import { deriveSharedSecret, InvalidPeerKeyError } from '../../../crypto/specs/key-agreement.js';
import type { Operation } from '../../context.js';
import { resolveKeyInState } from '../../key-resolver.js';
import { currentMaterial } from '../../key-material.js';
import { ensureKeyUsage } from '../../key-usage.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import { throwIfDryRun } from '../crypto/common.js';

export const DeriveSharedSecret: Operation = {
  name: 'DeriveSharedSecret',
  async run(input, caller, services) {
    if (input.Recipient !== undefined) {
      // This server's own refusal: AWS supports Recipient.
      throw new UnsupportedOperationException('Recipient (Nitro Enclaves attestation) is not supported by this server.');
    }
    const key = await resolveKeyInState(services, caller, input.KeyId as string, CRYPTO_RULE);
    ensureKeyUsage(key, 'KEY_AGREEMENT', 'DeriveSharedSecret');
    // Unconfirmed wording: no recorded AWS response found.
    if (!isAsymmetricKeySpec(key.keySpec)) throw new ValidationException(`${key.arn} cannot derive shared secrets.`);
    throwIfDryRun(input);
    const { secret } = await currentMaterial(services, key);
    let shared: Buffer;
    try {
      shared = deriveSharedSecret(key.keySpec, secret, input.PublicKey as Buffer);
    } catch (err) {
      if (err instanceof InvalidPeerKeyError) {
        // AWS: PublicKey must be a DER-encoded SubjectPublicKeyInfo on the key's curve.
        // Unconfirmed wording: no recorded AWS response found. (LocalStack answers an empty message here.)
        throw new ValidationException(`PublicKey must be a DER-encoded SubjectPublicKeyInfo (SPKI) public key on the ${key.keySpec} curve.`);
      }
      throw err;
    }
    return { KeyId: key.arn, SharedSecret: shared, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: key.origin };
  },
};
