// The policy lockout safety check of PutKeyPolicy, CreateKey and ReplicateKey (KMS API Reference,
// BypassPolicyLockoutSafetyCheck): a new key policy must still allow its author to change it,
// "to reduce the risk of the KMS key becoming unmanageable", unless the caller says to skip it.

import { MalformedPolicyDocumentException } from '../../errors/aws-errors.js';
import type { Caller, OperationInput } from '../context.js';
import type { KeyRecord } from '../model/key.js';
import { decide } from './authorize.js';

/** Precondition: `policyText` lets `caller` call PutKeyPolicy on `key`, or the input bypasses the check. */
export function ensureNoLockout(caller: Caller, key: KeyRecord, policyText: string, input: OperationInput, now: number): void {
  if (input.BypassPolicyLockoutSafetyCheck === true) return;
  const decision = decide({ caller, action: 'kms:PutKeyPolicy', key, input, now }, policyText);
  if (decision.decision !== 'Allow') {
    // AWS, as CreateKey and PutKeyPolicy answer it (terraform-provider-aws acceptance tests expect this text).
    throw new MalformedPolicyDocumentException('The new key policy will not allow you to update the key policy in the future.');
  }
}
