// Checks shared by the rotation operations: which keys can rotate. (They name a key by key id or
// key ARN only, AWS: "Specify the key ID or key ARN of the KMS key.": forms 'key' in their declarations.)

import { UnsupportedOperationException } from '../../../errors/aws-errors.js';
import { isSymmetricEncryption } from '../../model/key-spec.js';
import type { KeyRecord, Origin } from '../../model/key.js';
import { isReplicaKey } from '../../model/multi-region.js';
import { notMultiRegionPrimary } from '../../multi-region.js';

const NOT_SYMMETRIC_ENCRYPTION = 'You cannot perform this operation on a non-symmetric key or a key with non-ENCRYPT_DECRYPT key usage.';

/** AWS: "Automatic key rotation is supported only on symmetric encryption KMS keys." */
export function isRotatableSpec(key: KeyRecord): boolean {
  return isSymmetricEncryption(key.keySpec) && key.keyUsage === 'ENCRYPT_DECRYPT';
}

/**
 * AWS: "You cannot enable automatic rotation of asymmetric KMS keys, HMAC KMS keys, ..." The
 * service answers these with an UnsupportedOperationException. Terraform reports have shown it both
 * with an empty message and with the text below; the text is what a user can act on.
 */
export function ensureRotatableSpec(key: KeyRecord): void {
  if (!isRotatableSpec(key)) throw new UnsupportedOperationException(NOT_SYMMETRIC_ENCRYPTION);
}

/** Imported material and custom key stores: AWS's "<arn> origin is EXTERNAL which is not valid for this operation."
 *  (The same wording is recorded for AWS_KMS keys: LocalStack snapshot test_get_parameters_for_import.) */
export function ensureOrigin(key: KeyRecord, allowed: readonly Origin[]): void {
  if (!allowed.includes(key.origin)) {
    throw new UnsupportedOperationException(`${key.arn} origin is ${key.origin} which is not valid for this operation.`);
  }
}

/** AWS: "To enable or disable automatic rotation of a set of related multi-Region keys, set the
 *  property on the primary key." Replica keys refuse, in ReplicateKey's recorded wording (that the
 *  rotation operations use the same text is unconfirmed). */
export function ensureNotReplica(key: KeyRecord): void {
  if (isReplicaKey(key)) throw new UnsupportedOperationException(notMultiRegionPrimary(key.arn));
}
