// Every IAM action this server serves, by AWS's action name.

import { ACCESS_KEY_OPERATIONS } from './access-keys.js';
import { GROUP_OPERATIONS } from './groups.js';
import type { IamOperations } from './iam-operation.js';
import { INLINE_POLICY_OPERATIONS } from './inline-policies.js';
import { MANAGED_POLICY_OPERATIONS } from './managed-policies.js';
import { ROLE_OPERATIONS } from './roles.js';
import { USER_OPERATIONS } from './users.js';

export const IAM_OPERATIONS: IamOperations = {
  ...USER_OPERATIONS,
  ...ACCESS_KEY_OPERATIONS,
  ...GROUP_OPERATIONS,
  ...ROLE_OPERATIONS,
  ...INLINE_POLICY_OPERATIONS,
  ...MANAGED_POLICY_OPERATIONS,
};
