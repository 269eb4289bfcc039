// The KeyMetadata structure AWS returns for a key (DescribeKey, CreateKey).

import type { KeyRecord } from './model/key.js';
import type { OperationOutput } from './context.js';
import { encryptionAlgorithmsOf } from './model/key-spec.js';

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
  const encryption = encryptionAlgorithmsOf(key.keySpec, key.keyUsage);
  if (encryption) metadata.EncryptionAlgorithms = encryption;
  metadata.MultiRegion = key.multiRegion;
  if (key.currentMaterialId !== undefined) metadata.CurrentKeyMaterialId = key.currentMaterialId;
  return metadata;
}
