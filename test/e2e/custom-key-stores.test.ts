// Custom key stores: none can exist here (no CloudHSM cluster, no XKS proxy); every operation
// answers as AWS does for that situation.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CreateKeyCommand,
  DeleteCustomKeyStoreCommand,
  DescribeCustomKeyStoresCommand,
  DisconnectCustomKeyStoreCommand,
  GenerateRandomCommand,
  KMSClient,
  UpdateCustomKeyStoreCommand,
} from '@aws-sdk/client-kms';
import { awsError, startServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
let kms: KMSClient;

before(async () => {
  server = await startServer();
  kms = server.client();
});
after(async () => {
  kms?.destroy();
  await server?.stop();
});

test('DescribeCustomKeyStores lists none; naming one is CustomKeyStoreNotFoundException', async () => {
  const all = await kms.send(new DescribeCustomKeyStoresCommand({}));
  assert.deepEqual(all.CustomKeyStores, []);
  assert.equal(all.Truncated, false);
  for (const input of [{ CustomKeyStoreId: 'cks-1234567890abcdef0' }, { CustomKeyStoreName: 'mine' }]) {
    assert.equal((await awsError(() => kms.send(new DescribeCustomKeyStoresCommand(input)))).name, 'CustomKeyStoreNotFoundException');
  }
});

test('every operation on a store id is CustomKeyStoreNotFoundException, also for keys and GenerateRandom', async () => {
  const id = 'cks-1234567890abcdef0';
  for (const send of [
    () => kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id })),
    () => kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id })),
    () => kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: id, NewCustomKeyStoreName: 'x' })),
    () => kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id })),
    () => kms.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id })),
    () => kms.send(new GenerateRandomCommand({ NumberOfBytes: 8, CustomKeyStoreId: id })),
  ]) {
    assert.equal((await awsError(send)).name, 'CustomKeyStoreNotFoundException');
  }
});

test('CreateCustomKeyStore: no CloudHSM cluster and no reachable XKS proxy', async () => {
  const hsm = await awsError(() =>
    kms.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: 'hsm', CloudHsmClusterId: 'cluster-234abcdefgh', TrustAnchorCertificate: 'cert', KeyStorePassword: 'password1' })),
  );
  assert.equal(hsm.name, 'CloudHsmClusterNotFoundException');
  const xks = await awsError(() =>
    kms.send(
      new CreateCustomKeyStoreCommand({
        CustomKeyStoreName: 'xks',
        CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
        XksProxyUriEndpoint: 'https://xks.example.com',
        XksProxyUriPath: '/kms/xks/v1',
        XksProxyConnectivity: 'PUBLIC_ENDPOINT',
        XksProxyAuthenticationCredential: { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'a'.repeat(43) },
      }),
    ),
  );
  assert.equal(xks.name, 'XksProxyUriUnreachableException');
});
