// CreateKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html

import {
  AlreadyExistsException,
  CustomKeyStoreNotFoundException,
  UnsupportedOperationException,
  ValidationException,
} from '../../../errors/aws-errors.js';
import { StoreConflictError } from '../../../store/store.js';
import type { Operation } from '../../context.js';
import { buildNewKey, SYMMETRIC_MATERIAL_BYTES } from '../../key-factory.js';
import { toKeyMetadata } from '../../key-metadata.js';
import { isWellFormedKeyId } from '../../model/key-ids.js';
import { checkPolicySyntax, defaultKeyPolicy } from '../../model/key-policy.js';
import { allowedKeyUsages, SUPPORTED_KEY_SPECS } from '../../model/key-spec.js';
import type { KeyUsage, Origin, Tag } from '../../model/key.js';
import { checkRequestTags } from '../../model/tags.js';

// LocalStack's tags for deterministic keys, honoured in --dev so suites written for it work unchanged.
const CUSTOM_ID_TAG = '_custom_id_';
const CUSTOM_MATERIAL_TAG = '_custom_key_material_';

export const CreateKey: Operation = {
  name: 'CreateKey',
  async run(input, caller, services) {
    const keySpec = chooseKeySpec(input.KeySpec as string | undefined, input.CustomerMasterKeySpec as string | undefined);
    const keyUsage = chooseKeyUsage(keySpec, input.KeyUsage as KeyUsage | undefined);
    const origin = ((input.Origin as Origin | undefined) ?? 'AWS_KMS') satisfies Origin;
    if (origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE' || input.CustomKeyStoreId !== undefined) {
      const id = input.CustomKeyStoreId as string | undefined;
      if (id === undefined) {
        throw new ValidationException(`Origin ${origin} requires a CustomKeyStoreId.`);
      }
      throw new CustomKeyStoreNotFoundException(`Custom key store '${id}' does not exist.`);
    }
    const policy = (input.Policy as string | undefined) ?? defaultKeyPolicy(caller.scope);
    checkPolicySyntax(policy);
    let tags = (input.Tags as Tag[] | undefined) ?? [];
    checkRequestTags(tags);
    const custom = caller.devMode ? readCustomTags(tags) : {};
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
    try {
      await services.store.commit(changes);
    } catch (err) {
      if (err instanceof StoreConflictError && err.reason === 'duplicate') {
        throw new AlreadyExistsException(`A key with id ${key.keyId} already exists`);
      }
      throw err;
    }
    return { KeyMetadata: toKeyMetadata(key) };
  },
};

function chooseKeySpec(keySpec: string | undefined, customerMasterKeySpec: string | undefined): string {
  if (keySpec !== undefined && customerMasterKeySpec !== undefined && keySpec !== customerMasterKeySpec) {
    throw new ValidationException('You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
  }
  const spec = keySpec ?? customerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  if (!SUPPORTED_KEY_SPECS.includes(spec)) {
    throw new UnsupportedOperationException(`KeySpec ${spec} is not supported by this server yet.`);
  }
  return spec;
}

function chooseKeyUsage(keySpec: string, requested: KeyUsage | undefined): KeyUsage {
  const allowed = allowedKeyUsages(keySpec);
  const usage = requested ?? allowed[0]!;
  if (!allowed.includes(usage)) {
    throw new ValidationException(`KeyUsage ${usage} is not compatible with KeySpec ${keySpec}`);
  }
  return usage;
}

function readCustomTags(tags: readonly Tag[]): { keyId?: string; material?: Buffer } {
  const result: { keyId?: string; material?: Buffer } = {};
  const id = tags.find((t) => t.TagKey === CUSTOM_ID_TAG)?.TagValue;
  if (id !== undefined) {
    if (!isWellFormedKeyId(id)) throw new ValidationException(`${CUSTOM_ID_TAG} must be a key id (a UUID or mrk- and 32 hex digits).`);
    result.keyId = id;
  }
  const material = tags.find((t) => t.TagKey === CUSTOM_MATERIAL_TAG)?.TagValue;
  if (material !== undefined) {
    const bytes = Buffer.from(material, 'base64');
    if (bytes.length !== SYMMETRIC_MATERIAL_BYTES) {
      throw new ValidationException(`${CUSTOM_MATERIAL_TAG} must be ${SYMMETRIC_MATERIAL_BYTES} bytes of base64 for a symmetric key.`);
    }
    result.material = bytes;
  }
  return result;
}

