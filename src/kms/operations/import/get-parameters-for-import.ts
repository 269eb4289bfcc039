// GetParametersForImport: https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html

import { generateWrappingKeyPair, type WrappingKeySpec } from '../../../crypto/import-wrapping.js';
import type { KeyPairDer } from '../../../crypto/specs/asymmetric-key.js';
import { sealImportToken } from '../../import-token.js';
import { ANY_STATE, GET_PARAMETERS_FOR_IMPORT_RULE } from '../../model/key-state.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { checkWrappingChoice, ensureExternalKey, IMPORT_PARAMETERS_VALIDITY_MS } from './common.js';

export const GetParametersForImport = defineOperation({
  name: 'GetParametersForImport',
  readOnly: true,
  dryRun: false,
  // AWS: "you cannot use an alias name or alias ARN in this operation" (forms 'key'). The key state
  // is ANY_STATE here because AWS refuses a key that is not EXTERNAL before applying the key-state
  // row (GET_PARAMETERS_FOR_IMPORT_RULE): `check` applies both, in that order.
  keys: [{ member: 'KeyId', action: 'kms:GetParametersForImport', forms: 'key', state: ANY_STATE }],
  check({ input, key }) {
    ensureExternalKey(key('KeyId'), GET_PARAMETERS_FOR_IMPORT_RULE);
    checkWrappingChoice(key('KeyId'), input.WrappingAlgorithm as string, input.WrappingKeySpec as string);
  },
  async run({ input, services, key: keyOf }) {
    const key = keyOf('KeyId');
    // Checked in `check`; this gives the narrowed types.
    const { algorithm, wrappingKeySpec } = checkWrappingChoice(key, input.WrappingAlgorithm as string, input.WrappingKeySpec as string);
    // AWS: "The public key (or "wrapping key") of an RSA key pair that KMS generates."
    const pair = await wrappingKeyPairs.get(key.accountId, wrappingKeySpec);
    // AWS: "Each public key and import token set is valid for 24 hours. The expiration date and time
    // appear in the ParametersValidTo field".
    const expiresAt = services.clock.now() + IMPORT_PARAMETERS_VALIDITY_MS;
    const token = await sealImportToken(services, key.arn, { algorithm, wrappingKeySpec, expiresAt, wrappingPrivateKey: pair.privateKeyPkcs8 });
    return { KeyId: key.arn, ImportToken: token, PublicKey: pair.publicKeySpki, ParametersValidTo: new Date(expiresAt) };
  },
});

/**
 * Wrapping key pairs, one per account and key spec, replaced every few minutes. RSA key generation
 * takes from a fraction of a second (RSA_2048) to several seconds (RSA_4096), too slow for every
 * request. A pair is only ever a transport key: each import token carries its own copy of the
 * private key, sealed to one KMS key, and tokens stay valid after the pair is replaced. (The
 * developer guide once described the wrapping public key as "always unique to your AWS account".)
 */
class WrappingKeyPairs {
  readonly #pairs = new Map<string, { readonly pair: Promise<KeyPairDer>; readonly createdAt: number }>();

  constructor(private readonly maxAgeMs: number) {}

  get(accountId: string, spec: WrappingKeySpec): Promise<KeyPairDer> {
    const id = `${accountId}/${spec}`;
    const now = Date.now();
    const entry = this.#pairs.get(id);
    if (entry && now - entry.createdAt < this.maxAgeMs) return entry.pair;
    // The replaced pair is not zeroed: a request that fetched it a moment ago may still be sealing a token.
    const pair = generateWrappingKeyPair(spec);
    this.#pairs.set(id, { pair, createdAt: now });
    // A failed generation is not cached.
    pair.catch(() => {
      if (this.#pairs.get(id)?.pair === pair) this.#pairs.delete(id);
    });
    return pair;
  }
}

const wrappingKeyPairs = new WrappingKeyPairs(5 * 60_000);
