// Key policies: every key has exactly one, named "default".

import { NotFoundException } from '../../../errors/aws-errors.js';

export const DEFAULT_POLICY_NAME = 'default';

/** AWS: "The only valid name is default." */
export function ensureDefaultPolicyName(policyName: unknown): void {
  if (policyName !== undefined && policyName !== DEFAULT_POLICY_NAME) {
    // Unconfirmed wording: no recorded AWS response found.
    throw new NotFoundException(`No such policy exists: ${String(policyName)}. The only valid policy name is default.`);
  }
}
