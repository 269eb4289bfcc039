// ImportKeyMaterial: https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html
//
// Error messages here paraphrase the API reference (the quotes beside them); their wording is
// unconfirmed against a recorded AWS response unless a comment names one.

import {
  ExpiredImportTokenException,
  IncorrectKeyMaterialException,
  InvalidCiphertextException,
  InvalidImportTokenException,
  KMSInvalidStateException,
  UnsupportedOperationException,
  ValidationException,
} from '../../../errors/aws-errors.js';
import { unwrapKeyMaterial } from '../../../crypto/import-wrapping.js';
import type { SecretMaterial } from '../../../crypto/secret.js';
import type { Change } from '../../../store/store.js';
import type { KmsServices, OperationInput } from '../../context.js';
import { openImportToken } from '../../import-token.js';
import { wrapMaterial } from '../../key-factory.js';
import { commitKey, versionGuard } from '../../key-mutation.js';
import { newMaterialId } from '../../model/key-ids.js';
import { ANY_STATE, IMPORT_KEY_MATERIAL_RULE } from '../../model/key-state.js';
import { isSymmetricEncryption } from '../../model/key-spec.js';
import type { ExpirationModel, KeyRecord, MaterialRecord, MaterialState } from '../../model/key.js';
import { isReplicaKey, primaryOf, replicasOf } from '../../model/multi-region.js';
import { readRelatedSet } from '../../multi-region-deletion.js';
import { isAssociated, isImported, isPendingRotation, keyWithMaterials } from '../../model/material.js';
import { defineOperation } from '../../pipeline/pipeline.js';
import { acceptImportedMaterial, ensureExternalKey, materialFingerprint, MAX_VALID_TO_MS, sameFingerprint } from './common.js';

type ImportType = 'NEW_KEY_MATERIAL' | 'EXISTING_KEY_MATERIAL';

interface ImportRequest {
  readonly expirationModel: ExpirationModel;
  readonly validTo?: number;
  readonly importType?: ImportType;
  readonly description?: string;
  readonly keyMaterialId?: string;
}

interface UnwrappedMaterial {
  readonly secret: SecretMaterial;
  readonly fingerprint: Buffer;
}

export const ImportKeyMaterial = defineOperation({
  name: 'ImportKeyMaterial',
  readOnly: false,
  dryRun: false,
  // Key id or key ARN only. The key state is ANY_STATE here because AWS refuses a key that is not
  // EXTERNAL before applying the key-state row (IMPORT_KEY_MATERIAL_RULE): `check` applies both.
  keys: [{ member: 'KeyId', action: 'kms:ImportKeyMaterial', forms: 'key', state: ANY_STATE }],
  // The request's own rules (ExpirationModel, ValidTo, ImportType) before the key is looked up.
  validate({ input, services }) {
    checkRequest(readRequest(input), services.clock.now());
  },
  check({ input, key }) {
    ensureExternalKey(key('KeyId'), IMPORT_KEY_MATERIAL_RULE);
    checkSymmetricOnlyParameters(key('KeyId'), readRequest(input));
  },
  async run({ input, services, key: keyOf }) {
    const key = keyOf('KeyId');
    // Unwrapped again on each attempt (the pipeline runs this again after a concurrent change), and
    // disposed when the attempt ends.
    const unwrapped = await unwrapWithToken(services, key, input.ImportToken as Buffer, input.EncryptedKeyMaterial as Buffer);
    try {
      return await importInto(services, key, readRequest(input), unwrapped);
    } finally {
      unwrapped.secret.dispose();
    }
  },
});

function readRequest(input: OperationInput): ImportRequest {
  // AWS: "Specifies whether the key material expires. The default is KEY_MATERIAL_EXPIRES."
  const expirationModel = (input.ExpirationModel as ExpirationModel | undefined) ?? 'KEY_MATERIAL_EXPIRES';
  const validTo = (input.ValidTo as Date | undefined)?.getTime();
  const importType = input.ImportType as ImportType | undefined;
  const keyMaterialId = input.KeyMaterialId as string | undefined;
  return {
    expirationModel,
    ...(validTo !== undefined ? { validTo } : {}),
    ...(importType !== undefined ? { importType } : {}),
    ...(input.KeyMaterialDescription !== undefined ? { description: input.KeyMaterialDescription as string } : {}),
    ...(keyMaterialId !== undefined ? { keyMaterialId } : {}),
  };
}

function checkRequest(request: ImportRequest, now: number): void {
  const { expirationModel, validTo } = request;
  // AWS: "When the value of ExpirationModel is KEY_MATERIAL_EXPIRES, you must specify a value for the
  // ValidTo parameter. When value is KEY_MATERIAL_DOES_NOT_EXPIRE, you must omit the ValidTo parameter."
  if (expirationModel === 'KEY_MATERIAL_EXPIRES' && validTo === undefined) {
    // AWS (LocalStack snapshot test_import_key_symmetric, import-expiring-key-without-valid-to).
    throw new ValidationException('A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
  }
  if (expirationModel === 'KEY_MATERIAL_DOES_NOT_EXPIRE' && validTo !== undefined) {
    throw new ValidationException('The parameter ValidTo cannot be specified for a key with an expiration model of KEY_MATERIAL_DOES_NOT_EXPIRE');
  }
  if (validTo !== undefined) {
    // AWS: "The value of this parameter must be a future date and time. The maximum value is 365 days from the request date."
    if (validTo <= now) throw new ValidationException('ValidTo must be a date and time in the future.');
    if (validTo > now + MAX_VALID_TO_MS) throw new ValidationException('ValidTo must be no more than 365 days from the request date.');
  }
  if (request.keyMaterialId !== undefined && request.importType === 'NEW_KEY_MATERIAL') {
    // AWS: "You cannot specify a key material ID with ImportType set to NEW_KEY_MATERIAL."
    throw new ValidationException('You cannot specify a key material ID with ImportType set to NEW_KEY_MATERIAL.');
  }
}

/** AWS: KeyMaterialDescription and KeyMaterialId are "only usable with symmetric encryption keys". */
function checkSymmetricOnlyParameters(key: KeyRecord, request: ImportRequest): void {
  if (isSymmetricEncryption(key.keySpec)) return;
  for (const [name, value] of [['KeyMaterialDescription', request.description], ['KeyMaterialId', request.keyMaterialId]] as const) {
    if (value !== undefined) throw new ValidationException(`${name} is supported only for symmetric encryption KMS keys; ${key.arn} is ${key.keySpec}.`);
  }
}

/** Opens the import token (it must be this key's and unexpired), unwraps and checks the material. */
async function unwrapWithToken(services: KmsServices, key: KeyRecord, token: Buffer, encrypted: Buffer): Promise<UnwrappedMaterial> {
  const contents = await openImportToken(services, key.arn, token);
  if (!contents) {
    // AWS: "the provided import token is invalid or is associated with a different KMS key."
    throw new InvalidImportTokenException('The import token is invalid or is associated with a different KMS key.');
  }
  try {
    if (services.clock.now() > contents.expiresAt) {
      // AWS: "You cannot use an expired public key or import token in an ImportKeyMaterial request."
      throw new ExpiredImportTokenException('The import token has expired. Use GetParametersForImport to get a new import token and public key.');
    }
    const raw = unwrapKeyMaterial(contents.wrappingKeySpec, contents.algorithm, contents.wrappingPrivateKey, encrypted);
    if (!raw) {
      // AWS (InvalidCiphertextException): "From the ImportKeyMaterial operation, the request was
      // rejected because KMS could not decrypt the encrypted (wrapped) key material."
      throw new InvalidCiphertextException(
        `KMS could not decrypt the encrypted key material with the ${contents.wrappingKeySpec} wrapping key and the ${contents.algorithm} wrapping algorithm of the import token.`,
      );
    }
    try {
      const secret = acceptImportedMaterial(key, raw);
      return { secret, fingerprint: materialFingerprint(key.keyId, secret) };
    } finally {
      raw.dispose();
    }
  } finally {
    contents.wrappingPrivateKey.dispose();
  }
}

interface Placement {
  readonly materialId: string;
  readonly state: MaterialState;
  /** The record this import revives or replaces, when there is one. */
  readonly existing?: MaterialRecord;
  readonly currentMaterialId?: string;
  readonly extraChanges?: Change[];
  /** A replica: the materials of its primary it must hold before it is Enabled. */
  readonly alsoRequired?: readonly string[];
}

async function importInto(services: KmsServices, key: KeyRecord, request: ImportRequest, unwrapped: UnwrappedMaterial) {
  const materials = await services.store.listMaterials(key.arn);
  const placement = isReplicaKey(key)
    ? await placeInReplica(services, key, request, materials, unwrapped.fingerprint)
    : await placeInKey(services, key, request, materials, unwrapped.fingerprint);
  const { existing, materialId } = placement;
  const description = request.description ?? existing?.description;
  const record: MaterialRecord = {
    ...(await wrapMaterial(services, key.arn, unwrapped.secret, existing?.createdAt ?? services.clock.now(), placement.state, materialId)),
    ...(existing?.rotationType !== undefined ? { rotationType: existing.rotationType } : {}),
    importState: 'IMPORTED',
    expirationModel: request.expirationModel,
    ...(request.validTo !== undefined ? { validTo: request.validTo } : {}),
    ...(description !== undefined ? { description } : {}),
    fingerprint: unwrapped.fingerprint,
  };
  const others = materials.filter((m) => m.materialId !== materialId);
  const { currentMaterialId: _c, ...keyFields } = key;
  const currentMaterialId = placement.currentMaterialId ?? key.currentMaterialId;
  const updated = keyWithMaterials(
    { ...keyFields, ...(currentMaterialId !== undefined ? { currentMaterialId } : {}) },
    [...others, record],
    placement.alsoRequired,
  );
  try {
    // Guarded by the version of the key as resolved: a concurrent change runs the import again.
    await commitKey(services, key, updated, [{ kind: 'putMaterial', material: record }, ...(placement.extraChanges ?? [])]);
  } finally {
    services.materials.forgetKey(key.arn);
  }
  // AWS: KeyMaterialId and CurrentKeyMaterialId are reported for symmetric encryption keys.
  return { KeyId: key.arn, ...(isSymmetricEncryption(key.keySpec) ? { KeyMaterialId: materialId } : {}) };
}

/** A single-Region key or the primary of a multi-Region key. */
async function placeInKey(
  services: KmsServices,
  key: KeyRecord,
  request: ImportRequest,
  materials: readonly MaterialRecord[],
  fingerprint: Buffer,
): Promise<Placement> {
  const same = materials.find((m) => sameFingerprint(m, fingerprint));
  // AWS: "If no key material has ever been imported into the KMS key, and this parameter is omitted,
  // the parameter defaults to NEW_KEY_MATERIAL. After the first key material is imported, if this
  // parameter is omitted then the parameter defaults to EXISTING_KEY_MATERIAL."
  const importType = request.importType ?? (materials.length > 0 ? 'EXISTING_KEY_MATERIAL' : 'NEW_KEY_MATERIAL');
  if (same) {
    if (importType === 'NEW_KEY_MATERIAL') {
      // AWS (IncorrectKeyMaterialException): "KMS expected new key material but the key material being
      // imported is already associated with the KMS key."
      throw new IncorrectKeyMaterialException(
        `KMS expected new key material, but the key material being imported is already associated with ${key.arn} (key material id ${same.materialId}).`,
      );
    }
    checkKeyMaterialId(key, request, same);
    return { materialId: same.materialId, state: same.state, existing: same };
  }
  if (importType === 'EXISTING_KEY_MATERIAL') {
    // AWS: "you can reimport the same key material into that KMS key, but you cannot import different key material."
    throw new IncorrectKeyMaterialException(
      materials.length > 0
        ? `The key material being imported is not the key material previously imported into ${key.arn}.`
        : `No key material has been imported into ${key.arn}; import new key material (ImportType NEW_KEY_MATERIAL).`,
    );
  }
  if (materials.length === 0) {
    const materialId = newMaterialId();
    return { materialId, state: 'CURRENT', currentMaterialId: materialId };
  }
  if (!isSymmetricEncryption(key.keySpec)) {
    // AWS: "For asymmetric and HMAC keys, you cannot change the key material after the initial import."
    throw new UnsupportedOperationException(
      `${key.arn} is a ${key.keySpec} key: you cannot change the key material of asymmetric and HMAC keys after the initial import.`,
    );
  }
  const pending = materials.find((m) => isPendingRotation(m.state));
  if (pending && isImported(pending)) {
    // AWS allows one key material pending rotation: it must be rotated in (RotateKeyOnDemand) or deleted first.
    // AWS (LocalStack's provider, written against its recorded test): "New key material (id: <new id>)
    // cannot be imported into KMS key <key ARN>, because another key material (id: <pending id>) is
    // pending rotation." AWS derives the new id from the key and the material; ours are random, so
    // the message names the id this material would have been given.
    throw new KMSInvalidStateException(
      `New key material (id: ${newMaterialId()}) cannot be imported into KMS key ${key.arn}, because another key material (id: ${pending.materialId}) is pending rotation.`,
    );
  }
  const materialId = pending?.materialId ?? newMaterialId();
  // AWS: "PENDING_ROTATION identifies key material that has been imported for on-demand key rotation
  // but the rotation hasn't completed"; "PENDING_MULTI_REGION_IMPORT_AND_ROTATION ... indicates key
  // material that has been imported into the primary Region key but not all of the replica Region keys."
  const replicas = key.multiRegion ? replicasOf(await readRelatedSet(services, key)) : [];
  const state: MaterialState = replicas.length > 0 ? 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION' : 'PENDING_ROTATION';
  // A deleted pending material is "not permanently associated with the KMS key": its slot takes the new material.
  return { materialId, state };
}

/**
 * A replica of a multi-Region key. AWS: "You cannot directly import new key material into the
 * replica Region keys"; a replica takes "the same key material imported to the primary Region key".
 */
async function placeInReplica(
  services: KmsServices,
  key: KeyRecord,
  request: ImportRequest,
  materials: readonly MaterialRecord[],
  fingerprint: Buffer,
): Promise<Placement> {
  if (request.importType === 'NEW_KEY_MATERIAL' && materials.length > 0) {
    throw new UnsupportedOperationException(
      `You cannot import new key material into the replica key ${key.arn}. Import it into the primary key, then import the same key material into the replica with ImportType EXISTING_KEY_MATERIAL.`,
    );
  }
  const set = await readRelatedSet(services, key);
  const primary = primaryOf(set);
  const primaryMaterials = primary ? await services.store.listMaterials(primary.arn) : [];
  const own = materials.find((m) => sameFingerprint(m, fingerprint));
  const ofPrimary = primaryMaterials.find((m) => sameFingerprint(m, fingerprint));
  const match = own ?? ofPrimary;
  if (!match) {
    throw new IncorrectKeyMaterialException(
      `The key material being imported is not the key material of the primary key ${primary?.arn ?? 'of ' + key.arn}.`,
    );
  }
  checkKeyMaterialId(key, request, match);
  const state: MaterialState = own ? own.state : isPendingRotation(match.state) ? 'PENDING_ROTATION' : match.state;
  const currentMaterialId = primary?.currentMaterialId ?? key.currentMaterialId ?? (state === 'CURRENT' ? match.materialId : undefined);
  // The primary's materials decide this import (which material it is, whether every replica now
  // holds it). A versioned put of the primary makes a concurrent change of them (another replica's
  // import, a deletion) fail this commit, so the retry decides again on what that change left.
  const extraChanges: Change[] = primary ? [versionGuard(primary)] : [];
  if (primary && ofPrimary?.state === 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION') {
    // Once every replica holds it, the primary's new material only waits for the rotation.
    let everywhere = true;
    for (const replica of replicasOf(set)) {
      if (replica.arn === key.arn) continue;
      const theirs = await services.store.getMaterial(replica.arn, ofPrimary.materialId);
      if (!theirs || !isImported(theirs)) everywhere = false;
    }
    if (everywhere) extraChanges.push({ kind: 'putMaterial', material: { ...ofPrimary, state: 'PENDING_ROTATION' } });
  }
  const { description: _d, ...primaryFields } = match;
  return {
    materialId: match.materialId,
    state,
    existing: own ?? { ...primaryFields, keyArn: key.arn },
    alsoRequired: primaryMaterials.filter((m) => isAssociated(m.state)).map((m) => m.materialId),
    ...(currentMaterialId !== undefined ? { currentMaterialId } : {}),
    extraChanges,
  };
}

/** AWS: with a KeyMaterialId, KMS "matches the computed identifier against the specified key material ID". */
function checkKeyMaterialId(key: KeyRecord, request: ImportRequest, match: MaterialRecord): void {
  if (request.keyMaterialId !== undefined && request.keyMaterialId !== match.materialId) {
    throw new IncorrectKeyMaterialException(
      `The key material being imported is not key material ${request.keyMaterialId} of ${key.arn}.`,
    );
  }
}
