// The operations this server implements, by AWS name.

import type { Operation } from '../context.js';
import { CreateAlias } from './aliases/create-alias.js';
import { DeleteAlias } from './aliases/delete-alias.js';
import { ListAliases } from './aliases/list-aliases.js';
import { UpdateAlias } from './aliases/update-alias.js';
import { Decrypt } from './crypto/decrypt.js';
import { Encrypt } from './crypto/encrypt.js';
import { GenerateDataKey } from './crypto/generate-data-key.js';
import { GenerateDataKeyWithoutPlaintext } from './crypto/generate-data-key-without-plaintext.js';
import { GenerateRandom } from './crypto/generate-random.js';
import { ReEncrypt } from './crypto/re-encrypt.js';
import { DeriveSharedSecret } from './agreement/derive-shared-secret.js';
import { GetPublicKey } from './asymmetric/get-public-key.js';
import { Sign } from './asymmetric/sign.js';
import { Verify } from './asymmetric/verify.js';
import { GenerateDataKeyPair } from './crypto/generate-data-key-pair.js';
import { GenerateDataKeyPairWithoutPlaintext } from './crypto/generate-data-key-pair-without-plaintext.js';
import { GenerateMac } from './mac/generate-mac.js';
import { VerifyMac } from './mac/verify-mac.js';
import { GetKeyPolicy } from './policies/get-key-policy.js';
import { ListKeyPolicies } from './policies/list-key-policies.js';
import { PutKeyPolicy } from './policies/put-key-policy.js';
import { CancelKeyDeletion } from './keys/cancel-key-deletion.js';
import { CreateKey } from './keys/create-key.js';
import { DescribeKey } from './keys/describe-key.js';
import { DisableKey } from './keys/disable-key.js';
import { EnableKey } from './keys/enable-key.js';
import { ListKeys } from './keys/list-keys.js';
import { ListResourceTags } from './keys/list-resource-tags.js';
import { GetKeyLastUsage } from './keys/get-key-last-usage.js';
import { TagResource } from './tags/tag-resource.js';
import { UntagResource } from './tags/untag-resource.js';
import { ScheduleKeyDeletion } from './keys/schedule-key-deletion.js';
import { ReplicateKey } from './multi-region/replicate-key.js';
import { UpdatePrimaryRegion } from './multi-region/update-primary-region.js';
import { UpdateKeyDescription } from './keys/update-key-description.js';
import { GRANT_OPERATIONS } from './grants/index.js';
import { CUSTOM_KEY_STORE_OPERATIONS } from './custom-key-stores/custom-key-stores.js';
import { ROTATION_OPERATIONS } from './rotation/index.js';
import { IMPORT_OPERATIONS } from './import/index.js';

const ALL: readonly Operation[] = [
  CancelKeyDeletion,
  CreateAlias,
  CreateKey,
  Decrypt,
  DeleteAlias,
  DeriveSharedSecret,
  DescribeKey,
  DisableKey,
  EnableKey,
  Encrypt,
  GenerateDataKey,
  GenerateDataKeyPair,
  GenerateDataKeyPairWithoutPlaintext,
  GenerateDataKeyWithoutPlaintext,
  GenerateMac,
  GenerateRandom,
  GetKeyLastUsage,
  GetKeyPolicy,
  GetPublicKey,
  ListKeyPolicies,
  PutKeyPolicy,
  ListAliases,
  ListKeys,
  ListResourceTags,
  ReEncrypt,
  ReplicateKey,
  ScheduleKeyDeletion,
  Sign,
  TagResource,
  UntagResource,
  UpdateAlias,
  UpdateKeyDescription,
  UpdatePrimaryRegion,
  Verify,
  VerifyMac,
  ...ROTATION_OPERATIONS,
  ...IMPORT_OPERATIONS,
  ...GRANT_OPERATIONS,
  ...CUSTOM_KEY_STORE_OPERATIONS,
];

export const OPERATIONS: ReadonlyMap<string, Operation> = new Map(ALL.map((op) => [op.name, op]));
