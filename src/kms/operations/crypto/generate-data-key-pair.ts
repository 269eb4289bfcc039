// GenerateDataKeyPair: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPair.html
// A fresh key pair whose private key (PKCS#8 DER) is encrypted under a symmetric KMS key.

import { UnsupportedOperationException } from '../../../errors/aws-errors.js';
import type { EncryptionContext } from '../../../crypto/encryption-context.js';
import { SECRET_ACCESS } from '../../../crypto/secret.js';
import { generateDataKeyPairAsync, type DataKeyPairSpec } from '../../../crypto/specs/data-key-pair.js';
import type { OperationOutput } from '../../context.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import type { KeyDeclaration, OperationRequest, ResolvedRequest } from '../../pipeline/operation-spec.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { ensureSymmetricEncryptionKey, refuseRecipient, sealUnderKey, SYMMETRIC_DEFAULT } from './common.js';

/** The KeyId of GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext, each with its own action. */
export function dataKeyPairDeclaration(action: 'kms:GenerateDataKeyPair' | 'kms:GenerateDataKeyPairWithoutPlaintext'): KeyDeclaration {
  return { member: 'KeyId', action, forms: 'key-or-alias', state: CRYPTO_RULE };
}

/** The input checks GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext share, before the key is looked up. */
export function validateDataKeyPairRequest({ input }: OperationRequest): void {
  refuseRecipient(input);
  if (input.KeyPairSpec === 'SM2') {
    // This server's own wording (no China Regions here); unconfirmed against AWS.
    throw new UnsupportedOperationException('KeyPairSpec SM2 is supported only in the China Regions; this server does not support SM2.');
  }
}

/** The key check GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext share. */
export function checkDataKeyPairRequest({ key }: ResolvedRequest, operation: string): void {
  ensureSymmetricEncryptionKey(key('KeyId'), operation);
}

/** The work GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext share; includes the plaintext private key. */
export async function generateDataKeyPairOutput({ input, services, key }: ResolvedRequest): Promise<OperationOutput & { PrivateKeyPlaintext: Buffer }> {
  const spec = input.KeyPairSpec as string;
  const pair = await generateDataKeyPairAsync(spec as DataKeyPairSpec);
  const privateKey = Buffer.from(pair.privateKeyPkcs8.exposeSecret(SECRET_ACCESS));
  pair.privateKeyPkcs8.dispose();
  const sealed = await sealUnderKey(services, key('KeyId'), SYMMETRIC_DEFAULT, privateKey, input.EncryptionContext as EncryptionContext | undefined);
  return {
    PrivateKeyCiphertextBlob: sealed.ciphertext,
    PrivateKeyPlaintext: privateKey,
    PublicKey: pair.publicKeySpki,
    KeyId: key('KeyId').arn,
    KeyPairSpec: spec,
    KeyMaterialId: sealed.materialId,
  };
}

export const GenerateDataKeyPair = defineOperation({
  name: 'GenerateDataKeyPair',
  readOnly: true,
  dryRun: true,
  keys: [dataKeyPairDeclaration('kms:GenerateDataKeyPair')],
  validate: validateDataKeyPairRequest,
  check: (request) => checkDataKeyPairRequest(request, 'GenerateDataKeyPair'),
  run: (request) => generateDataKeyPairOutput(request),
});
