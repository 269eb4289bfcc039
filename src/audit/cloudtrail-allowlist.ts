// Which request and response members a CloudTrail record may carry, per service: an allowlist
// of wire member names (PascalCase, as in src/protocol/model/*.json). A member not listed here is
// dropped wherever it appears (fail closed); a listed member is still dropped when the model marks
// its shape `sensitive` or `blob`, or when its value is a Buffer (src/audit/cloudtrail-redact.ts).
//
// Sources: the KMS Developer Guide's CloudTrail examples (docs.aws.amazon.com/kms/latest/
// developerguide/ct-*.html: ct-encrypt, ct-decrypt, ct-generatedatakey, ct-createkey,
// ct-creategrant, ct-put-key-policy, ct-delete-key) and ../shared/docs/research-production-kms.md
// §1.6 ("Redacted: the Plaintext parameter of Encrypt, the ciphertext of Decrypt, the response of
// every cryptographic operation and of GetKeyPolicy"). Members not seen in an AWS example are
// listed only when they name, describe or configure a resource and carry no secret; such
// inclusions are UNCONFIRMED against real records and marked (u).

/** Never allowlisted, whatever a future edit does: the test suite checks these stay out. */
export const NEVER_RECORDED: ReadonlySet<string> = new Set([
  'Plaintext', 'CiphertextBlob', 'CiphertextForRecipient', 'PrivateKeyPlaintext', 'PrivateKeyCiphertextBlob',
  'PublicKey', 'EncryptedKeyMaterial', 'ImportToken', 'Message', 'Signature', 'Mac', 'SharedSecret',
  'Recipient', 'AttestationDocument', 'KeyStorePassword', 'XksProxyAuthenticationCredential',
  'RawSecretAccessKey', 'SecretAccessKey', 'SessionToken', 'Password', 'TokenCode',
  // Grant tokens are "not secret" for AWS, but they are bearer material; kept out until confirmed.
  'GrantToken', 'GrantTokens',
]);

const KMS_REQUEST = [
  // ct-encrypt / ct-decrypt / ct-generatedatakey
  'KeyId', 'EncryptionContext', 'EncryptionAlgorithm', 'KeySpec', 'NumberOfBytes',
  // ReEncrypt (research note §1.6: source/destination algorithm, context and key)
  'SourceKeyId', 'DestinationKeyId', 'SourceEncryptionContext', 'DestinationEncryptionContext',
  'SourceEncryptionAlgorithm', 'DestinationEncryptionAlgorithm',
  // Sign/Verify (§1.6: signingAlgorithm, messageType), MACs, key agreement (u)
  'SigningAlgorithm', 'MessageType', 'MacAlgorithm', 'KeyPairSpec', 'KeyAgreementAlgorithm',
  // ct-createkey
  'Description', 'Origin', 'BypassPolicyLockoutSafetyCheck', 'CustomerMasterKeySpec', 'KeyUsage',
  'MultiRegion', 'CustomKeyStoreId', 'XksKeyId', 'Tags', 'TagKey', 'TagValue', 'TagKeys',
  // ct-put-key-policy records the policy document itself
  'Policy', 'PolicyName',
  // ct-creategrant
  'GranteePrincipal', 'RetiringPrincipal', 'Operations', 'Constraints', 'EncryptionContextSubset',
  'EncryptionContextEquals', 'Name', 'GrantId',
  // aliases, deletion, rotation, import, replication (u)
  'AliasName', 'TargetKeyId', 'PendingWindowInDays', 'RotationPeriodInDays', 'ValidTo', 'ExpirationModel',
  'WrappingAlgorithm', 'WrappingKeySpec', 'ImportType', 'KeyMaterialId', 'KeyMaterialDescription',
  'IncludeKeyMaterial', 'ReplicaRegion', 'PrimaryRegion', 'Limit', 'Marker', 'DryRun', 'DryRunModifiers',
  // custom key stores (u): names and endpoints, never the password or the XKS credential
  'CustomKeyStoreName', 'NewCustomKeyStoreName', 'CustomKeyStoreType', 'CloudHsmClusterId',
  'XksProxyConnectivity', 'XksProxyUriEndpoint', 'XksProxyUriPath', 'XksProxyVpcEndpointServiceName',
  'XksProxyVpcEndpointServiceOwner',
];

const KMS_RESPONSE = [
  // ct-createkey: keyMetadata, with its members as DescribeKey returns them
  'KeyMetadata', 'AWSAccountId', 'KeyId', 'Arn', 'CreationDate', 'Enabled', 'Description', 'KeyUsage',
  'KeyState', 'DeletionDate', 'ValidTo', 'Origin', 'CustomKeyStoreId', 'CloudHsmClusterId', 'ExpirationModel',
  'KeyManager', 'CustomerMasterKeySpec', 'KeySpec', 'EncryptionAlgorithms', 'SigningAlgorithms',
  'KeyAgreementAlgorithms', 'MultiRegion', 'MultiRegionConfiguration', 'MultiRegionKeyType', 'PrimaryKey',
  'ReplicaKeys', 'Region', 'PendingDeletionWindowInDays', 'MacAlgorithms', 'XksKeyConfiguration', 'Id',
  'CurrentKeyMaterialId',
  // ct-creategrant: grantId (and keyId, added by the record builder)
  'GrantId',
  // ScheduleKeyDeletion / CancelKeyDeletion / ReplicateKey / rotation (u)
  'PendingWindowInDays', 'ReplicaKeyMetadata', 'KeyMaterialId', 'RotationType',
  'CustomKeyStoreName',
];

// IAM: CloudTrail records IAM requests nearly whole (policy documents included; IAM User Guide,
// "Logging IAM and AWS STS API calls with AWS CloudTrail"); never a secret access key or password.
const IAM_REQUEST = [
  'UserName', 'NewUserName', 'GroupName', 'NewGroupName', 'RoleName', 'Path', 'NewPath', 'PathPrefix',
  'Description', 'MaxSessionDuration', 'PermissionsBoundary', 'Tags', 'Key', 'Value', 'TagKeys',
  'PolicyArn', 'PolicyName', 'PolicyDocument', 'AssumeRolePolicyDocument', 'VersionId', 'SetAsDefault',
  'AccessKeyId', 'Status', 'Scope', 'OnlyAttached', 'PolicyUsageFilter', 'EntityFilter', 'Marker', 'MaxItems',
  'PolicySourceArn', 'PolicyInputList', 'PermissionsBoundaryPolicyInputList', 'ActionNames', 'ResourceArns',
  'ResourcePolicy', 'ResourceOwner', 'CallerArn', 'ContextEntries', 'ContextKeyName', 'ContextKeyValues',
  'ContextKeyType', 'ResourceHandlingOption',
];

// Responses of IAM mutations: the created entity (CreateUser: user; CreateAccessKey: accessKey
// without SecretAccessKey). Read-only calls record no response (see cloudtrail-record.ts).
const IAM_RESPONSE = [
  'User', 'Group', 'Role', 'AccessKey', 'Policy', 'PolicyVersion',
  'Path', 'UserName', 'UserId', 'GroupName', 'GroupId', 'RoleName', 'RoleId', 'Arn', 'CreateDate',
  'UpdateDate', 'Description', 'MaxSessionDuration', 'AssumeRolePolicyDocument', 'Tags', 'Key', 'Value',
  'AccessKeyId', 'Status', 'PolicyName', 'PolicyId', 'DefaultVersionId', 'AttachmentCount',
  'PermissionsBoundaryUsageCount', 'IsAttachable', 'VersionId', 'IsDefaultVersion', 'Document',
  'PermissionsBoundary', 'PermissionsBoundaryType', 'PermissionsBoundaryArn',
];

// STS: AssumeRole requests keep role, session name, duration, session policies and tags; the
// MFA token code is dropped. Responses keep credentials.accessKeyId and .expiration only: AWS's
// own records also carry credentials.sessionToken (UNCONFIRMED-DEVIATION: we drop it on purpose,
// a session token is a bearer secret here), never the secret access key.
const STS_REQUEST = [
  'RoleArn', 'RoleSessionName', 'DurationSeconds', 'ExternalId', 'Policy', 'PolicyArns', 'arn', 'Tags', 'Key',
  'Value', 'TransitiveTagKeys', 'SourceIdentity', 'SerialNumber', 'AccessKeyId',
];
const STS_RESPONSE = [
  'Credentials', 'AccessKeyId', 'Expiration', 'AssumedRoleUser', 'AssumedRoleId', 'Arn', 'PackedPolicySize',
  'SourceIdentity',
];

export type AuditedService = 'kms' | 'iam' | 'sts';

export interface ServiceAllowlist {
  readonly request: ReadonlySet<string>;
  readonly response: ReadonlySet<string>;
}

function allowlist(request: readonly string[], response: readonly string[]): ServiceAllowlist {
  const keep = (names: readonly string[]): ReadonlySet<string> =>
    new Set(names.filter((name) => !NEVER_RECORDED.has(name)));
  return { request: keep(request), response: keep(response) };
}

export const ALLOWLISTS: Readonly<Record<AuditedService, ServiceAllowlist>> = {
  kms: allowlist(KMS_REQUEST, KMS_RESPONSE),
  iam: allowlist(IAM_REQUEST, IAM_RESPONSE),
  sts: allowlist(STS_REQUEST, STS_RESPONSE),
};
