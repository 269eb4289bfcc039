// Key policies: the default one AWS attaches to keys created through the API, and a syntax check.

import { MalformedPolicyDocumentException } from '../../errors/aws-errors.js';
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

/** Precondition: a key policy is a JSON object with a Statement. Full evaluation comes with policy enforcement. */
export function checkPolicySyntax(policy: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    // Unconfirmed wording: no recorded AWS response found.
    throw new MalformedPolicyDocumentException('The policy document is not valid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !('Statement' in doc)) {
    // Unconfirmed wording: no recorded AWS response found.
    throw new MalformedPolicyDocumentException('The policy document must be a JSON object with a Statement.');
  }
}
