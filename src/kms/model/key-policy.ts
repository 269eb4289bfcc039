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
