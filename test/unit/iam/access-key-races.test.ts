// Access key changes racing each other: UpdateAccessKey must never bring back a key that a
// concurrent DeleteAccessKey removed (a revoked, perhaps leaked, key would work again).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { IamDirectories } from '../../../src/iam/directories.js';
import { runIamAction } from '../../../src/iam/iam-service.js';
import { resolveIdentity } from '../../../src/iam/identity.js';
import type { IamRequest, IamServices } from '../../../src/iam/operations/iam-operation.js';
import { rootPrincipal } from '../../../src/iam/principal.js';
import { interfereBeforeCommit } from '../../helpers/interfering-store.js';
import { servicesFactory } from '../../helpers/services.js';

const A = '111122223333';
const factory = servicesFactory('kms-iam-races-');
after(() => factory.cleanup());

async function call(services: IamServices, action: string, input: Record<string, unknown>) {
  const caller = (await resolveIdentity(rootPrincipal(A), services.directories))!;
  const request: IamRequest = { input, caller, accountId: A, region: 'us-east-1', services };
  return runIamAction(action, request);
}

test('UpdateAccessKey racing DeleteAccessKey does not bring the deleted key back', async () => {
  const kms = await factory.makeServices();
  const services: IamServices = { store: kms.store, rootKey: kms.rootKey, clock: kms.clock, directories: new IamDirectories(kms.store) };
  await call(services, 'CreateUser', { UserName: 'bob' });
  const key = (await call(services, 'CreateAccessKey', { UserName: 'bob' })) as { AccessKey: { AccessKeyId: string } };
  const id = key.AccessKey.AccessKeyId;

  const racing = interfereBeforeCommit(
    kms,
    async () => void (await call(services, 'DeleteAccessKey', { UserName: 'bob', AccessKeyId: id })),
    (changes) => changes.some((c) => c.kind === 'putAccessKey'),
  );
  const raced: IamServices = { ...services, store: racing.services.store, directories: new IamDirectories(racing.services.store) };
  const outcome = await call(raced, 'UpdateAccessKey', { UserName: 'bob', AccessKeyId: id, Status: 'Active' }).then(
    () => 'updated',
    (err: Error) => err.name,
  );
  assert.ok(racing.happened());
  assert.equal(await kms.store.getAccessKey(id), undefined, 'the deleted key stays deleted');
  assert.equal(outcome, 'NoSuchEntity');
});
