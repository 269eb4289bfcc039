// The actions AWS lets a principal of another account perform on a key, named by its key ARN (each
// operation's "Cross-account use: Yes" in the KMS API Reference; KMS Developer Guide, "Allowing users
// in other accounts to use a KMS key"). For every other operation a key of another account is not
// found, as before. Key ids and aliases always name keys of the caller's own account.

const CROSS_ACCOUNT_ACTIONS: ReadonlySet<string> = new Set([
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:DeriveSharedSecret',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateMac',
  'kms:GetKeyRotationStatus',
  'kms:GetPublicKey',
  'kms:ListGrants',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:Sign',
  'kms:Verify',
  'kms:VerifyMac',
]);

export function allowsCrossAccount(action: string): boolean {
  return CROSS_ACCOUNT_ACTIONS.has(action);
}
