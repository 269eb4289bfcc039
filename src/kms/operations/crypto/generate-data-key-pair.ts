// GenerateDataKeyPair: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPair.html
// A fresh key pair whose private key (PKCS#8 DER) is encrypted under a symmetric KMS key.

import { UnsupportedOperationException } from '../../../errors/aws-errors.js';
import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import { SECRET_ACCESS } from '../../../crypto/secret.js';
import { generateDataKeyPairAsync, type DataKeyPairSpec } from '../../../crypto/specs/data-key-pair.js';
import type { Caller, KmsServices, Operation, OperationInput, OperationOutput } from '../../context.js';
import { resolveKeyInState } from '../../key-resolver.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import { ensureSymmetricEncryptionKey, sealUnderKey, SYMMETRIC_DEFAULT, throwIfDryRun } from './common.js';

/** The part GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext share; includes the plaintext private key. */
export async function generateDataKeyPairOutput(
  input: OperationInput,
  caller: Caller,
  services: KmsServices,
  operation: string,
): Promise<OperationOutput & { PrivateKeyPlaintext: Buffer }> {
  if (input.Recipient !== undefined) {
    // This server's own refusal: AWS supports Recipient.
    throw new UnsupportedOperationException('Recipient (Nitro Enclaves attestation) is not supported by this server.');
  }
  const spec = input.KeyPairSpec as string;
  if (spec === 'SM2') {
    // This server's own wording (no China Regions here); unconfirmed against AWS.
    throw new UnsupportedOperationException('KeyPairSpec SM2 is supported only in the China Regions; this server does not support SM2.');
  }
  const key = await resolveKeyInState(services, caller, input.KeyId as string, CRYPTO_RULE);
  ensureSymmetricEncryptionKey(key, operation);
  throwIfDryRun(input);
  const pair = await generateDataKeyPairAsync(spec as DataKeyPairSpec);
  const privateKey = Buffer.from(pair.privateKeyPkcs8.exposeSecret(SECRET_ACCESS));
  pair.privateKeyPkcs8.dispose();
  const sealed = await sealUnderKey(services, key, SYMMETRIC_DEFAULT, privateKey, input.EncryptionContext as EncryptionContext | undefined);
  return {
    PrivateKeyCiphertextBlob: sealed.ciphertext,
    PrivateKeyPlaintext: privateKey,
    PublicKey: pair.publicKeySpki,
    KeyId: key.arn,
    KeyPairSpec: spec,
    KeyMaterialId: sealed.materialId,
  };
}

export const GenerateDataKeyPair: Operation = {
  name: 'GenerateDataKeyPair',
  run: (input, caller, services) => generateDataKeyPairOutput(input, caller, services, 'GenerateDataKeyPair'),
};
