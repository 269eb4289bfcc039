// Key material per key spec: generating it for a new key, and loading the material a key
// currently uses (unwrapped through the cache).

import { randomBytes } from 'node:crypto';
import { KMSInternalException, KMSInvalidStateException } from '../errors/aws-errors.js';
import { generatePrivateKey, generatePrivateKeyAsync, isAsymmetricKeySpec } from '../crypto/specs/asymmetric-key.js';
import { generateHmacKey, type HmacKeySpec } from '../crypto/specs/hmac.js';
import { SecretMaterial } from '../crypto/secret.js';
import type { KmsServices } from './context.js';
import { familyOf } from './model/key-spec.js';
import type { KeyRecord } from './model/key.js';

export const SYMMETRIC_MATERIAL_BYTES = 32;

export function generateMaterial(keySpec: string): SecretMaterial {
  switch (familyOf(keySpec)) {
    case 'SYMMETRIC': {
      const bytes = randomBytes(SYMMETRIC_MATERIAL_BYTES);
      const secret = new SecretMaterial(bytes);
      bytes.fill(0);
      return secret;
    }
    case 'HMAC':
      return generateHmacKey(keySpec as HmacKeySpec);
    default:
      if (!isAsymmetricKeySpec(keySpec)) throw new RangeError(`no material generator for ${keySpec}`);
      return generatePrivateKey(keySpec);
  }
}

/** As generateMaterial, but asymmetric key generation (RSA-4096 takes seconds) runs off the event loop. */
export async function generateMaterialAsync(keySpec: string): Promise<SecretMaterial> {
  if (isAsymmetricKeySpec(keySpec)) return generatePrivateKeyAsync(keySpec);
  return generateMaterial(keySpec);
}

export interface LoadedMaterial {
  readonly materialId: string;
  readonly secret: SecretMaterial;
}

/** The material that a key encrypts, signs or MACs with now. */
export async function currentMaterial(services: KmsServices, key: KeyRecord): Promise<LoadedMaterial> {
  const materialId = key.currentMaterialId;
  const material = materialId === undefined ? undefined : await services.store.getMaterial(key.arn, materialId);
  if (!materialId || !material) throw new KMSInternalException('The key has no current key material.');
  // Imported material that was deleted or expired: the key is (or is about to be) PendingImport.
  if (material.wrapped.length === 0) throw new KMSInvalidStateException(`${key.arn} is pending import.`);
  return { materialId, secret: await services.materials.unwrap(material) };
}
