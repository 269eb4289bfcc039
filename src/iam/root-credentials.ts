// An account and an access key of its root user: what the bootstrap account gets at first start
// and what `kms-server accounts create` makes. The secret is stored only wrapped under the root key.

import { accessKeySecretAad } from '../crypto/material-aad.js';
import type { RootKeyProvider } from '../crypto/root-key/root-key-provider.js';
import { SecretMaterial } from '../crypto/secret.js';
import type { Change, Store } from '../store/store.js';
import { rootArn } from './model/arns.js';
import { newAccessKeyId, newSecretAccessKey } from './model/ids.js';

export interface RootCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Registers the account (again, harmlessly, if it exists) and a root access key for it; a given key is registered as it is. */
export async function addRootAccessKey(
  store: Store,
  rootKey: RootKeyProvider,
  accountId: string,
  now: number,
  given?: RootCredentials,
): Promise<RootCredentials> {
  const credentials = given ?? { accessKeyId: newAccessKeyId('AKIA', accountId), secretAccessKey: newSecretAccessKey() };
  const wrappedSecret = await wrapAccessKeySecret(rootKey, credentials.accessKeyId, credentials.secretAccessKey);
  const existing = await store.getAccount(accountId);
  const changes: Change[] = [
    ...(existing ? [] : [{ kind: 'putAccount' as const, account: { accountId, createdAt: now } }]),
    { kind: 'putAccessKey', accessKey: { accessKeyId: credentials.accessKeyId, wrappedSecret, accountId, principalArn: rootArn(accountId), createdAt: now } },
  ];
  await store.commit(changes);
  return credentials;
}

/** A secret access key as stored: wrapped under the root key, bound to its access key id. */
export async function wrapAccessKeySecret(rootKey: RootKeyProvider, accessKeyId: string, secretAccessKey: string): Promise<Buffer> {
  const secret = new SecretMaterial(Buffer.from(secretAccessKey, 'utf8'));
  try {
    return await rootKey.wrap(secret, accessKeySecretAad(accessKeyId));
  } finally {
    secret.dispose();
  }
}
