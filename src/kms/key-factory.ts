// Builds a new key: its record, its wrapped material versions and its tags, as one list of
// store changes for the caller to commit (with an alias, when it has one).

import type { SecretMaterial } from '../crypto/secret.js';
import { keyMaterialAad } from '../crypto/material-aad.js';
import type { Change } from '../store/store.js';
import type { KmsServices } from './context.js';
import { keyArn } from './model/arn.js';
import { newKeyId, newMaterialId } from './model/key-ids.js';
import { generateMaterialAsync } from './key-material.js';
import type { KeyManager, KeyRecord, KeyUsage, MaterialRecord, Origin, Scope, Tag } from './model/key.js';

export interface NewKeyParams {
  readonly scope: Scope;
  /** Fixed id (seed files, _custom_id_); a fresh one otherwise. */
  readonly keyId?: string;
  readonly description: string;
  readonly keyUsage: KeyUsage;
  readonly keySpec: string;
  readonly origin: Origin;
  readonly keyManager: KeyManager;
  readonly multiRegion: boolean;
  readonly policy: string;
  readonly tags: readonly Tag[];
  /** Given material versions, oldest first (the last one is current). Generated when absent. */
  readonly materials?: readonly SecretMaterial[];
  readonly enabled?: boolean;
}

export async function buildNewKey(services: KmsServices, params: NewKeyParams): Promise<{ key: KeyRecord; changes: Change[] }> {
  const keyId = params.keyId ?? newKeyId(params.multiRegion);
  const arn = keyArn(params.scope, keyId);
  const now = services.clock.now();
  const given = params.materials ?? (params.origin === 'EXTERNAL' ? [] : [await generateMaterialAsync(params.keySpec)]);
  const materials: MaterialRecord[] = [];
  for (const [i, secret] of given.entries()) {
    const current = i === given.length - 1;
    materials.push(await wrapMaterial(services, arn, secret, now, current ? 'CURRENT' : 'NON_CURRENT'));
  }
  if (!params.materials) for (const secret of given) secret.dispose();
  const current = materials.at(-1);
  const pendingImport = params.origin === 'EXTERNAL' && !current;
  const key: KeyRecord = {
    arn,
    keyId,
    accountId: params.scope.accountId,
    region: params.scope.region,
    createdAt: now,
    description: params.description,
    keyUsage: params.keyUsage,
    keySpec: params.keySpec,
    origin: params.origin,
    keyManager: params.keyManager,
    state: pendingImport ? 'PendingImport' : params.enabled === false ? 'Disabled' : 'Enabled',
    multiRegion: params.multiRegion,
    // A new multi-Region key is the primary of its set (model/multi-region.ts).
    ...(params.multiRegion ? { primaryRegion: params.scope.region } : {}),
    policy: params.policy,
    ...(current ? { currentMaterialId: current.materialId } : {}),
    version: 1,
  };
  const changes: Change[] = [{ kind: 'putKey', key }, ...materials.map((material) => ({ kind: 'putMaterial' as const, material }))];
  if (params.tags.length > 0) changes.push({ kind: 'putTags', keyArn: arn, tags: params.tags });
  return { key, changes };
}

/** A material record of `arn` holding `secret` wrapped under the root key (AAD: key ARN and material
 *  id). `materialId`: a new one unless given (a rotation or import names it; replicas share it). */
export async function wrapMaterial(
  services: KmsServices,
  arn: string,
  secret: SecretMaterial,
  createdAt: number,
  state: MaterialRecord['state'],
  materialId: string = newMaterialId(),
): Promise<MaterialRecord> {
  const wrapped = await services.rootKey.wrap(secret, keyMaterialAad(arn, materialId));
  return { keyArn: arn, materialId, wrapped, createdAt, state };
}
