// ARNs and the four ways to name a key: key id, key ARN, alias name, alias ARN.

import type { Scope } from './key.js';

/** Region names as AWS forms them (us-east-1, cn-north-1, us-gov-west-1, ap-southeast-5...). */
export function isRegionName(text: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-\d+$/.test(text);
}

/** A 12-digit AWS account id. */
export function isAccountId(text: string): boolean {
  return /^\d{12}$/.test(text);
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** arn:<partition>:iam::ACCOUNT:root: the account as a principal (the default key policy, a grant's issuing account). */
export function accountRootArn(scope: Scope): string {
  return `arn:${partitionOf(scope.region)}:iam::${scope.accountId}:root`;
}

export function keyArn(scope: Scope, keyId: string): string {
  return `arn:${partitionOf(scope.region)}:kms:${scope.region}:${scope.accountId}:key/${keyId}`;
}

export function aliasArn(scope: Scope, aliasName: string): string {
  return `arn:${partitionOf(scope.region)}:kms:${scope.region}:${scope.accountId}:${aliasName}`;
}

export type KeyIdentifier =
  | { readonly kind: 'keyId'; readonly keyId: string }
  | { readonly kind: 'keyArn'; readonly scope: Scope; readonly keyId: string; readonly arn: string }
  | { readonly kind: 'aliasName'; readonly aliasName: string }
  | { readonly kind: 'aliasArn'; readonly scope: Scope; readonly aliasName: string; readonly arn: string }
  | { readonly kind: 'invalid'; readonly raw: string };

const ARN = /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/;

export function parseKeyIdentifier(raw: string): KeyIdentifier {
  if (raw.startsWith('alias/')) return { kind: 'aliasName', aliasName: raw };
  const m = ARN.exec(raw);
  if (m) {
    const scope = { region: m[2]!, accountId: m[3]! };
    const resource = m[4]!;
    if (resource.startsWith('alias/')) return { kind: 'aliasArn', scope, aliasName: resource, arn: raw };
    return { kind: 'keyArn', scope, keyId: resource.slice('key/'.length), arn: raw };
  }
  if (raw.startsWith('arn:')) return { kind: 'invalid', raw };
  return { kind: 'keyId', keyId: raw };
}

export function sameScope(a: Scope, b: Scope): boolean {
  return a.accountId === b.accountId && a.region === b.region;
}
