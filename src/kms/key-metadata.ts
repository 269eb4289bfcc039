// The KeyMetadata structure AWS returns for a key (DescribeKey, CreateKey).

import type { KeyRecord } from './model/key.js';
import type { OperationOutput } from './context.js';
import { encryptionAlgorithmsOf, keyAgreementAlgorithmsOf, macAlgorithmsOf, isSymmetricEncryption } from './model/key-spec.js';
import { isAsymmetricKeySpec } from '../crypto/specs/asymmetric-key.js';
import { signingAlgorithmsFor } from '../crypto/specs/signing.js';

export function toKeyMetadata(key: KeyRecord): OperationOutput {
  const metadata: OperationOutput = {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: new Date(key.createdAt),
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
  };
  if (key.deletionDate !== undefined) metadata.DeletionDate = new Date(key.deletionDate);
  metadata.Origin = key.origin;
  metadata.KeyManager = key.keyManager;
  metadata.CustomerMasterKeySpec = key.keySpec;
  metadata.KeySpec = key.keySpec;
  Object.assign(metadata, algorithmLists(key));
  metadata.MultiRegion = key.multiRegion;
  // AWS: CurrentKeyMaterialId is present for symmetric encryption keys.
  if (key.currentMaterialId !== undefined && isSymmetricEncryption(key.keySpec)) metadata.CurrentKeyMaterialId = key.currentMaterialId;
  return metadata;
}

/** EncryptionAlgorithms, SigningAlgorithms, MacAlgorithms or KeyAgreementAlgorithms, as the key allows. */
export function algorithmLists(key: Pick<KeyRecord, 'keySpec' | 'keyUsage'>): OperationOutput {
  const lists: OperationOutput = {};
  const encryption = encryptionAlgorithmsOf(key.keySpec, key.keyUsage);
  if (encryption) lists.EncryptionAlgorithms = encryption;
  if (key.keyUsage === 'SIGN_VERIFY' && isAsymmetricKeySpec(key.keySpec)) lists.SigningAlgorithms = signingAlgorithmsFor(key.keySpec);
  const mac = macAlgorithmsOf(key.keySpec, key.keyUsage);
  if (mac) lists.MacAlgorithms = mac;
  const agreement = keyAgreementAlgorithmsOf(key.keyUsage);
  if (agreement) lists.KeyAgreementAlgorithms = agreement;
  return lists;
}
