// CreateKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html

import {
  AlreadyExistsException,
  CustomKeyStoreNotFoundException,
  UnsupportedOperationException,
  ValidationException,
} from '../../../errors/aws-errors.js';
import { StoreConflictError } from '../../../store/store.js';
import { buildNewKey } from '../../key-factory.js';
import { SYMMETRIC_MATERIAL_BYTES } from '../../key-material.js';
import { importPrivateKey, InvalidKeyMaterialError, isAsymmetricKeySpec } from '../../../crypto/specs/asymmetric-key.js';
import { hmacKeyLength, type HmacKeySpec } from '../../../crypto/specs/hmac.js';
import { SecretMaterial } from '../../../crypto/secret.js';
import { toKeyMetadata } from '../../key-metadata.js';
import { isWellFormedKeyId } from '../../model/key-ids.js';
import { checkPrincipalsExist } from '../../authorization/principal-check.js';
import { checkKeyPolicy } from '../../authorization/key-policy-cache.js';
import { defaultKeyPolicy } from '../../model/key-policy.js';
import { allowedKeyUsages, familyOf, isKnownKeySpec } from '../../model/key-spec.js';
import type { KeyUsage, Origin, Tag } from '../../model/key.js';
import { checkRequestTags } from '../../model/tags.js';
import { ensureNoLockout } from '../../authorization/lockout-check.js';
import { defineOperation } from '../../pipeline/pipeline.js';

// LocalStack's tags for deterministic keys, honoured in --dev so suites written for it work unchanged.
const CUSTOM_ID_TAG = '_custom_id_';
const CUSTOM_MATERIAL_TAG = '_custom_key_material_';

export const CreateKey = defineOperation({
  name: 'CreateKey',
  // It writes: the pipeline would run it again on a version conflict, which its inserts never meet
  // (a key id already taken is a 'duplicate', answered below).
  readOnly: false,
  dryRun: false,
  keys: [],
  async run({ input, caller, services }) {
    const keySpec = chooseKeySpec(input.KeySpec as string | undefined, input.CustomerMasterKeySpec as string | undefined);
    const keyUsage = chooseKeyUsage(keySpec, input.KeyUsage as KeyUsage | undefined);
    const origin = ((input.Origin as Origin | undefined) ?? 'AWS_KMS') satisfies Origin;
    if (origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE' || input.CustomKeyStoreId !== undefined) {
      const id = input.CustomKeyStoreId as string | undefined;
      if (id === undefined) {
        throw new ValidationException(`Origin ${origin} requires a CustomKeyStoreId.`);
      }
      // Unconfirmed wording: no recorded AWS response found.
      throw new CustomKeyStoreNotFoundException(`Custom key store '${id}' does not exist.`);
    }
    const policy = (input.Policy as string | undefined) ?? defaultKeyPolicy(caller.scope);
    checkKeyPolicy(policy);
    await checkPrincipalsExist(policy, services.directories);
    let tags = (input.Tags as Tag[] | undefined) ?? [];
    checkRequestTags(tags);
    const custom = caller.devMode ? readCustomTags(tags, keySpec) : {};
    if (custom.material) tags = tags.filter((t) => t.TagKey !== CUSTOM_MATERIAL_TAG);

    const { key, changes } = await buildNewKey(services, {
      scope: caller.scope,
      ...(custom.keyId ? { keyId: custom.keyId } : {}),
      ...(custom.material ? { materials: [custom.material] } : {}),
      description: (input.Description as string | undefined) ?? '',
      keyUsage,
      keySpec,
      origin,
      keyManager: 'CUSTOMER',
      multiRegion: (input.MultiRegion as boolean | undefined) ?? false,
      policy,
      tags,
    });
    custom.material?.dispose();
    // The default policy needs no check: it is AWS's, and lets the account manage the key.
    if (input.Policy !== undefined) ensureNoLockout(caller, key, policy, input, services.clock.now());
    try {
      await services.store.commit(changes);
    } catch (err) {
      if (err instanceof StoreConflictError && err.reason === 'duplicate') {
        // Only a --dev _custom_id_ can collide; no AWS counterpart.
        throw new AlreadyExistsException(`A key with id ${key.keyId} already exists`);
      }
      throw err;
    }
    return { KeyMetadata: toKeyMetadata(key) };
  },
});

function chooseKeySpec(keySpec: string | undefined, customerMasterKeySpec: string | undefined): string {
  // AWS: CustomerMasterKeySpec is deprecated but still accepted; both at once must not disagree.
  if (keySpec !== undefined && customerMasterKeySpec !== undefined && keySpec !== customerMasterKeySpec) {
    // Unconfirmed wording: no recorded AWS response found.
    throw new ValidationException('You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
  }
  const spec = keySpec ?? customerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  // Unconfirmed wording (the validator refuses specs outside the model's enum first).
  if (!isKnownKeySpec(spec)) throw new ValidationException(`KeySpec ${spec} is not valid.`);
  if (familyOf(spec) === 'SM2') {
    // AWS: "The SM2 key spec is only available in China Regions."
    // This server's own wording (no China Regions here); unconfirmed against AWS.
    throw new UnsupportedOperationException('KeySpec SM2 is supported only in the China Regions; this server does not support SM2.');
  }
  return spec;
}

function chooseKeyUsage(keySpec: string, requested: KeyUsage | undefined): KeyUsage {
  // AWS: "This parameter is optional when you are creating a symmetric encryption KMS key; otherwise, it is required."
  if (requested === undefined) {
    if (keySpec !== 'SYMMETRIC_DEFAULT') {
      // AWS (LocalStack snapshot test_hmac_create_key_invalid_operations).
      throw new ValidationException('You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
    }
    return 'ENCRYPT_DECRYPT';
  }
  const allowed = allowedKeyUsages(keySpec);
  if (!allowed.includes(requested)) {
    // AWS (recorded, as the wire-messages issue quotes it; LocalStack's models.py answers the same):
    // "KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048", no list of values, no final period.
    throw new ValidationException(`KeyUsage ${requested} is not compatible with KeySpec ${keySpec}`);
  }
  return requested;
}

// The messages of the --dev tags below have no AWS counterpart.
function readCustomTags(tags: readonly Tag[], keySpec: string): { keyId?: string; material?: SecretMaterial } {
  const result: { keyId?: string; material?: SecretMaterial } = {};
  const id = tags.find((t) => t.TagKey === CUSTOM_ID_TAG)?.TagValue;
  if (id !== undefined) {
    if (!isWellFormedKeyId(id)) throw new ValidationException(`${CUSTOM_ID_TAG} must be a key id (a UUID or mrk- and 32 hex digits).`);
    result.keyId = id;
  }
  const material = tags.find((t) => t.TagKey === CUSTOM_MATERIAL_TAG)?.TagValue;
  if (material !== undefined) result.material = customMaterial(Buffer.from(material, 'base64'), keySpec);
  return result;
}

/** LocalStack's _custom_key_material_: raw bytes for symmetric and HMAC keys, a DER private key otherwise. */
function customMaterial(bytes: Buffer, keySpec: string): SecretMaterial {
  try {
    if (isAsymmetricKeySpec(keySpec)) return importPrivateKey(keySpec, bytes);
    const expected = familyOf(keySpec) === 'HMAC' ? hmacKeyLength(keySpec as HmacKeySpec) : SYMMETRIC_MATERIAL_BYTES;
    if (bytes.length !== expected) {
      throw new ValidationException(`${CUSTOM_MATERIAL_TAG} must be ${expected} bytes of base64 for a ${keySpec} key.`);
    }
    return new SecretMaterial(bytes);
  } catch (err) {
    if (err instanceof InvalidKeyMaterialError) {
      throw new ValidationException(`${CUSTOM_MATERIAL_TAG} must be a DER-encoded ${keySpec} private key (PKCS#8).`);
    }
    throw err;
  } finally {
    bytes.fill(0);
  }
}

