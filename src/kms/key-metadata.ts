// The KeyMetadata structure AWS returns for a key (DescribeKey, CreateKey).

import type { KeyRecord } from './model/key.js';
import type { OperationOutput } from './context.js';
import { encryptionAlgorithmsOf, keyAgreementAlgorithmsOf, macAlgorithmsOf, isSymmetricEncryption } from './model/key-spec.js';
import { isAsymmetricKeySpec } from '../crypto/specs/asymmetric-key.js';
import { signingAlgorithmsFor } from '../crypto/specs/signing.js';
import { multiRegionConfiguration } from './model/multi-region.js';

/** `related`: a multi-Region key's related keys (multi-region.ts loadRelatedSet); the key alone when absent. */
export function toKeyMetadata(key: KeyRecord, related: readonly KeyRecord[] = []): OperationOutput {
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
  // AWS: "This value is present only when the KeyState of the KMS key is PendingReplicaDeletion."
  if (key.state === 'PendingReplicaDeletion' && key.pendingWindowInDays !== undefined) {
    metadata.PendingDeletionWindowInDays = key.pendingWindowInDays;
  }
  metadata.Origin = key.origin;
  Object.assign(metadata, importedMaterialExpiry(key));
  metadata.KeyManager = key.keyManager;
  metadata.CustomerMasterKeySpec = key.keySpec;
  metadata.KeySpec = key.keySpec;
  Object.assign(metadata, algorithmLists(key));
  metadata.MultiRegion = key.multiRegion;
  // AWS: "This field is present only when the value of the MultiRegion field is True."
  if (key.multiRegion) metadata.MultiRegionConfiguration = multiRegionConfiguration(key, related);
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

/**
 * ExpirationModel and ValidTo of a key with imported material (set by ImportKeyMaterial). AWS:
 * ExpirationModel "is present only when Origin is EXTERNAL"; ValidTo "is present only for KMS keys
 * whose Origin is EXTERNAL and the ExpirationModel is KEY_MATERIAL_EXPIRES".
 */
function importedMaterialExpiry(key: Pick<KeyRecord, 'origin' | 'expirationModel' | 'validTo'>): OperationOutput {
  if (key.origin !== 'EXTERNAL' || key.expirationModel === undefined) return {};
  return {
    ...(key.expirationModel === 'KEY_MATERIAL_EXPIRES' && key.validTo !== undefined ? { ValidTo: new Date(key.validTo) } : {}),
    ExpirationModel: key.expirationModel,
  };
}
