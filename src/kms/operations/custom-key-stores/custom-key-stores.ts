// The six custom key store operations. This server has no AWS CloudHSM clusters and reaches no
// external key store proxies, so no custom key store can exist: each operation answers what AWS
// answers in that situation, so tools that probe for key stores get AWS-shaped results.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-store-overview.html

import {
  CloudHsmClusterNotFoundException,
  CustomKeyStoreNotFoundException,
  InvalidMarkerException,
  XksProxyUriUnreachableException,
} from '../../../errors/aws-errors.js';
import type { Operation, OperationInput } from '../../context.js';
import { defineOperation } from '../../pipeline/pipeline.js';

function notFound(input: OperationInput): CustomKeyStoreNotFoundException {
  const id = input.CustomKeyStoreId as string | undefined;
  const name = input.CustomKeyStoreName as string | undefined;
  // Unconfirmed wording: no recorded AWS response found.
  return new CustomKeyStoreNotFoundException(
    id !== undefined ? `Custom key store '${id}' does not exist.` : `Custom key store with name '${name ?? ''}' does not exist.`,
  );
}

// No key store operation names a key, and none takes DryRun.

export const DescribeCustomKeyStores = defineOperation({
  name: 'DescribeCustomKeyStores',
  readOnly: true,
  dryRun: false,
  keys: [],
  async run({ input }) {
    // AWS: naming a store that does not exist is CustomKeyStoreNotFoundException; no filter lists all (none).
    if (input.CustomKeyStoreId !== undefined || input.CustomKeyStoreName !== undefined) throw notFound(input);
    // Unconfirmed wording: no recorded AWS response found.
    if (input.Marker !== undefined) throw new InvalidMarkerException('Invalid marker');
    return { CustomKeyStores: [], Truncated: false };
  },
});

export const CreateCustomKeyStore = defineOperation({
  name: 'CreateCustomKeyStore',
  readOnly: false,
  dryRun: false,
  keys: [],
  async run({ input }) {
    if (input.CustomKeyStoreType === 'EXTERNAL_KEY_STORE') {
      // AWS: "KMS was unable to reach the specified XksProxyUriPath." The second sentence is ours (unconfirmed).
      throw new XksProxyUriUnreachableException('KMS was unable to reach the specified XksProxyUriPath. This server connects to no external key store proxy.');
    }
    // AWS_CLOUDHSM (the default type): "KMS cannot find the CloudHSM cluster with the specified cluster ID."
    // Our wording (unconfirmed).
    const cluster = (input.CloudHsmClusterId as string | undefined) ?? '';
    throw new CloudHsmClusterNotFoundException(`CloudHSM cluster '${cluster}' was not found. This server has no AWS CloudHSM clusters.`);
  },
});

/** An operation on a store named by CustomKeyStoreId: none exists. They would write (readOnly: false); none gets that far. */
const unknownStore = (name: string): Operation =>
  defineOperation({
    name,
    readOnly: false,
    dryRun: false,
    keys: [],
    async run({ input }) {
      throw notFound(input);
    },
  });

export const ConnectCustomKeyStore = unknownStore('ConnectCustomKeyStore');
export const DisconnectCustomKeyStore = unknownStore('DisconnectCustomKeyStore');
export const UpdateCustomKeyStore = unknownStore('UpdateCustomKeyStore');
export const DeleteCustomKeyStore = unknownStore('DeleteCustomKeyStore');

export const CUSTOM_KEY_STORE_OPERATIONS: readonly Operation[] = [
  CreateCustomKeyStore,
  DescribeCustomKeyStores,
  ConnectCustomKeyStore,
  DisconnectCustomKeyStore,
  UpdateCustomKeyStore,
  DeleteCustomKeyStore,
];
