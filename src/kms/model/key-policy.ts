// The default key policy AWS attaches to keys created through the API (the grammar check is
// authorization/key-policy-cache.ts's checkKeyPolicy).

import { accountRootArn } from './arn.js';
import type { Scope } from './key.js';

export function defaultKeyPolicy(scope: Scope): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: accountRootArn(scope) },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

/**
 * The key policy of an AWS managed key (alias/aws/SERVICE), in the form AWS gives them (e.g. the
 * aws/s3 key's "auto-s3-2"): the account's principals may use it only through the service
 * (kms:ViaService SERVICE.REGION.amazonaws.com, kms:CallerAccount), and the account may read its
 * metadata directly. No AWS service sits in front of this server, so no request carries
 * kms:ViaService and, as in AWS, these keys can be described and listed but not used directly.
 */
export function awsManagedKeyPolicy(scope: Scope, aliasName: string): string {
  const service = aliasName.slice('alias/aws/'.length);
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: `auto-${service}-2`,
      Statement: [
        {
          Sid: `Allow access through ${service} for all principals in the account that are authorized to use ${service}`,
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': `${service}.${scope.region}.amazonaws.com`, 'kms:CallerAccount': scope.accountId } },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: accountRootArn(scope) },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}
