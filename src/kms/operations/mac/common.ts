// What GenerateMac and VerifyMac share: a GENERATE_VERIFY_MAC key and the algorithm its spec allows.

import type { MacAlgorithm } from '../../../crypto/specs/hmac.js';
import type { OperationInput } from '../../context.js';
import { ensureAlgorithm, ensureKeyUsage } from '../../key-usage.js';
import { macAlgorithmsOf } from '../../model/key-spec.js';
import type { KeyRecord } from '../../model/key.js';

/**
 * The MAC algorithm `input` asks of `key` (the key the pipeline resolved and found usable), or the
 * error AWS answers: key usage, then the algorithm. Pure: the operations' check, and run again in run.
 */
export function macAlgorithm(key: KeyRecord, input: OperationInput, operation: 'GenerateMac' | 'VerifyMac'): MacAlgorithm {
  ensureKeyUsage(key, 'GENERATE_VERIFY_MAC', operation);
  const algorithm = input.MacAlgorithm as MacAlgorithm;
  ensureAlgorithm(key, algorithm, macAlgorithmsOf(key.keySpec, key.keyUsage) ?? []);
  return algorithm;
}
