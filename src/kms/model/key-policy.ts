// Key policies: the default one AWS attaches to keys created through the API, and a syntax check.

import { loadPolicy } from '../../policy/index.js';
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
 * Precondition: a key policy AWS would accept: the full policy grammar (src/policy/parse.ts), so a
 * stored policy is always one the authorization step can evaluate. MalformedPolicyDocumentException
 * says what is wrong and where.
 */
export function checkPolicySyntax(policy: string): void {
  loadPolicy(policy, 'resource', 'key policy');
}
