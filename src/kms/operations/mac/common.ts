// What GenerateMac and VerifyMac share: a GENERATE_VERIFY_MAC key and the algorithm its spec allows.

import type { MacAlgorithm } from '../../../crypto/specs/hmac.js';
import type { Caller, KmsServices, OperationInput } from '../../context.js';
import { resolveKeyInState } from '../../key-resolver.js';
import { ensureAlgorithm, ensureKeyUsage } from '../../key-usage.js';
import { CRYPTO_RULE } from '../../model/key-state.js';
import { macAlgorithmsOf } from '../../model/key-spec.js';
import type { KeyRecord } from '../../model/key.js';

export async function macKey(
  input: OperationInput,
  caller: Caller,
  services: KmsServices,
  operation: string,
): Promise<{ key: KeyRecord; algorithm: MacAlgorithm }> {
  const key = await resolveKeyInState(services, caller, input.KeyId as string, CRYPTO_RULE);
  ensureKeyUsage(key, 'GENERATE_VERIFY_MAC', operation);
  const algorithm = input.MacAlgorithm as MacAlgorithm;
  ensureAlgorithm(key, algorithm, macAlgorithmsOf(key.keySpec, key.keyUsage) ?? []);
  return { key, algorithm };
}
