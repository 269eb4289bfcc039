// AWS managed policies that can be attached here (arn:aws:iam::aws:policy/NAME), with AWS's
// documents (AWS Managed Policy Reference Guide). Only those whose meaning is complete on this
// server: full administration, IAM, and the KMS ones. AWS's own JSON, one statement list each.

export interface AwsManagedPolicy {
  readonly name: string;
  readonly policyId: string;
  readonly description: string;
  readonly defaultVersionId: string;
  readonly document: string;
}

const doc = (statements: readonly object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const POLICIES: readonly AwsManagedPolicy[] = [
  {
    name: 'AdministratorAccess',
    policyId: 'ANPAIWMBCKSKIEE64ZLYK',
    description: 'Provides full access to AWS services and resources.',
    defaultVersionId: 'v1',
    document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
  },
  {
    name: 'IAMFullAccess',
    policyId: 'ANPAI7XKCFMBPM3QQRRVQ',
    description: 'Provides full access to IAM via the AWS Management Console.',
    defaultVersionId: 'v2',
    document: doc([{ Effect: 'Allow', Action: ['iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization', 'organizations:DescribeOrganizationalUnit', 'organizations:DescribePolicy', 'organizations:ListChildren', 'organizations:ListParents', 'organizations:ListPoliciesForTarget', 'organizations:ListRoots', 'organizations:ListPolicies', 'organizations:ListTargetsForPolicy'], Resource: '*' }]),
  },
  {
    name: 'IAMReadOnlyAccess',
    policyId: 'ANPAJKSO7NDY4T57MWDSQ',
    description: 'Provides read only access to IAM via the AWS Management Console.',
    defaultVersionId: 'v4',
    document: doc([{ Effect: 'Allow', Action: ['iam:GenerateCredentialReport', 'iam:GenerateServiceLastAccessedDetails', 'iam:Get*', 'iam:List*', 'iam:SimulateCustomPolicy', 'iam:SimulatePrincipalPolicy'], Resource: '*' }]),
  },
  {
    name: 'AWSKeyManagementServicePowerUser',
    policyId: 'ANPAJNPP7PPPPMJRV2SA4',
    description: 'Provides access to AWS Key Management Service (KMS).',
    defaultVersionId: 'v2',
    document: doc([
      {
        Effect: 'Allow',
        Action: ['kms:CreateAlias', 'kms:CreateKey', 'kms:DeleteAlias', 'kms:Describe*', 'kms:GenerateRandom', 'kms:Get*', 'kms:List*', 'kms:TagResource', 'kms:UntagResource', 'iam:ListGroups', 'iam:ListRoles', 'iam:ListUsers'],
        Resource: '*',
      },
    ]),
  },
];

const BY_ARN = new Map(POLICIES.map((p) => [awsManagedPolicyArn(p.name), p]));

export function awsManagedPolicyArn(name: string): string {
  return `arn:aws:iam::aws:policy/${name}`;
}

export function findAwsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return BY_ARN.get(arn);
}

export function awsManagedPolicies(): readonly AwsManagedPolicy[] {
  return POLICIES;
}
