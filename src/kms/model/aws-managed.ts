// AWS managed keys: alias/aws/<service> names that KMS lists before first use, and the key each
// creates when a caller first names it.

const AWS_MANAGED_ALIAS_PREFIX = 'alias/aws/';

/** The predefined aliases ListAliases shows (without TargetKeyId) before their key exists. */
export const PREDEFINED_AWS_ALIASES: readonly string[] = [
  'alias/aws/acm',
  'alias/aws/dynamodb',
  'alias/aws/ebs',
  'alias/aws/elasticfilesystem',
  'alias/aws/es',
  'alias/aws/glue',
  'alias/aws/kinesisvideo',
  'alias/aws/lambda',
  'alias/aws/rds',
  'alias/aws/redshift',
  'alias/aws/s3',
  'alias/aws/secretsmanager',
  'alias/aws/ssm',
  'alias/aws/xray',
];

export function isAwsManagedAliasName(aliasName: string): boolean {
  return aliasName.startsWith(AWS_MANAGED_ALIAS_PREFIX);
}

export function awsManagedKeyDescription(aliasName: string): string {
  const service = aliasName.slice(AWS_MANAGED_ALIAS_PREFIX.length);
  return `Default key that protects my ${service} resources when no other key is defined`;
}
