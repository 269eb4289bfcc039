// The seed file's `identities` section: what it creates, that applying it twice changes nothing,
// that a seeded access key names its principal with its policies, and the validation messages.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { principalOf } from '../../../src/auth/caller-authenticator.js';
import { accessKeySecretAad } from '../../../src/crypto/material-aad.js';
import { SECRET_ACCESS } from '../../../src/crypto/secret.js';
import { IamDirectories } from '../../../src/iam/directories.js';
import { resolveIdentity } from '../../../src/iam/identity.js';
import { findGroup, findRole, findUser } from '../../../src/iam/model/directory.js';
import type { Scope } from '../../../src/kms/model/key.js';
import { applySeed } from '../../../src/seed/apply-seed.js';
import { SeedError } from '../../../src/seed/seed-plan.js';
import { servicesFactory } from '../../helpers/services.js';

const { makeServices, cleanup } = servicesFactory('kms-seed-identities-');
after(cleanup);

const defaults: Scope = { accountId: '111122223333', region: 'us-east-1' };

const SEED = `
identities:
  - accountId: "222222222222"
    accessKeys:
      - { accessKeyId: AKIAROOTEXAMPLE00001, secretAccessKey: root-secret-0123456789 }
    policies:
      - policyName: kms-use
        path: /team/
        document: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: kms:Encrypt, Resource: "*" }] }
    groups:
      - groupName: devs
        managedPolicies: [arn:aws:iam::222222222222:policy/team/kms-use]
    users:
      - userName: bob
        tags: { team: red }
        groups: [devs]
        policies:
          assume: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: sts:AssumeRole, Resource: "*" }] }
        managedPolicies: [arn:aws:iam::aws:policy/IAMReadOnlyAccess]
        accessKeys:
          - { accessKeyId: AKIABOBEXAMPLE000001, secretAccessKey: bob-secret-0123456789 }
          - { accessKeyId: AKIABOBEXAMPLE000002, secretAccessKey: bob-secret-9876543210, status: Inactive }
    roles:
      - roleName: decrypter
        path: /apps/
        maxSessionDuration: 7200
        trustPolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: sts:AssumeRole }] }
        policies:
          decrypt: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}'
`;

async function seeded() {
  const services = await makeServices();
  const directories = new IamDirectories(services.store);
  const withIam = { ...services, directories };
  const summary = await applySeed(withIam, parseYaml(SEED), defaults);
  return { services: withIam, directories, summary };
}

describe('seed identities', () => {
  test('creates the account, its root key, policies, groups, users with keys and roles', async () => {
    const { services, directories, summary } = await seeded();
    assert.deepEqual(summary.identities, { usersCreated: 1, rolesCreated: 1, accessKeysCreated: 3 });
    assert.ok(await services.store.getAccount('222222222222'));
    const { dir } = await directories.current('222222222222');
    const bob = findUser(dir, 'bob')!;
    assert.match(bob.userId, /^AIDA[A-Z2-7]{17}$/);
    assert.deepEqual(bob.tags, [{ Key: 'team', Value: 'red' }]);
    assert.deepEqual(findGroup(dir, 'devs')!.members, ['bob']);
    const role = findRole(dir, 'decrypter')!;
    assert.equal(role.path, '/apps/');
    assert.equal(role.maxSessionDuration, 7200);
    assert.equal(dir.policies[0]!.arn, 'arn:aws:iam::222222222222:policy/team/kms-use');

    const key = (await services.store.getAccessKey('AKIABOBEXAMPLE000001'))!;
    assert.equal(key.principalArn, 'arn:aws:iam::222222222222:user/bob');
    assert.equal(key.ownerId, bob.userId);
    const secret = await services.rootKey.unwrap(key.wrappedSecret, accessKeySecretAad(key.accessKeyId));
    assert.equal(secret.exposeSecret(SECRET_ACCESS).toString('utf8'), 'bob-secret-0123456789');
    assert.equal((await services.store.getAccessKey('AKIABOBEXAMPLE000002'))!.status, 'Inactive');
    assert.equal((await services.store.getAccessKey('AKIAROOTEXAMPLE00001'))!.principalArn, 'arn:aws:iam::222222222222:root');

    // Bob's key names bob, with his inline, attached and group policies, and his tag.
    const identity = (await resolveIdentity(principalOf(key), directories))!;
    assert.deepEqual(identity.identityPolicies.map((p) => p.name), [
      'inline policy assume of user bob',
      'managed policy arn:aws:iam::aws:policy/IAMReadOnlyAccess',
      'managed policy arn:aws:iam::222222222222:policy/team/kms-use (v1)',
    ]);
    assert.deepEqual(identity.policyCaller.tags, { team: 'red' });
  });

  test('applying twice creates nothing new and keeps the ids', async () => {
    const { services, directories } = await seeded();
    const before = (await directories.current('222222222222')).dir;
    const again = await applySeed(services, parseYaml(SEED), defaults);
    assert.deepEqual(again.identities, { usersCreated: 0, rolesCreated: 0, accessKeysCreated: 0 });
    const after_ = (await directories.current('222222222222')).dir;
    assert.equal(findUser(after_, 'bob')!.userId, findUser(before, 'bob')!.userId);
    assert.equal(findRole(after_, 'decrypter')!.roleId, findRole(before, 'decrypter')!.roleId);
    assert.deepEqual(findGroup(after_, 'devs')!.members, ['bob']);
    assert.equal(after_.policies[0]!.versions.length, 1);
  });

  const invalid: readonly { name: string; yaml: string; message: RegExp }[] = [
    { name: 'unknown field', yaml: 'identities:\n  - accountId: "222222222222"\n    userz: []\n', message: /identities\[0\]\.userz: unknown field/ },
    { name: 'bad account', yaml: 'identities:\n  - accountId: "22"\n', message: /identities\[0\]\.accountId: expected 12 digits, got 22/ },
    {
      name: 'malformed inline policy',
      yaml: 'identities:\n  - users:\n      - userName: bob\n        policies:\n          p: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: kms:Encrypt }] }\n',
      message: /identities\[0\]\.users\[0\]\.policies\.p: Statement\[0\]: a statement must have Resource or NotResource\./,
    },
    {
      name: 'trust policy without Principal',
      yaml: 'identities:\n  - roles:\n      - roleName: r\n        trustPolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: sts:AssumeRole }] }\n',
      message: /identities\[0\]\.roles\[0\]\.trustPolicy: Statement\[0\]: a statement must have Principal or NotPrincipal\./,
    },
    {
      name: 'unknown group',
      yaml: 'identities:\n  - users:\n      - userName: bob\n        groups: [nope]\n',
      message: /identities\[0\]\.users\[0\]: group nope is not defined in this account's groups/,
    },
    {
      name: 'unknown managed policy',
      yaml: 'identities:\n  - users:\n      - userName: bob\n        managedPolicies: [arn:aws:iam::111122223333:policy/nope]\n',
      message: /managed policy arn:aws:iam::111122223333:policy\/nope is neither defined/,
    },
    {
      name: 'duplicate access key',
      yaml: 'identities:\n  - accessKeys:\n      - { accessKeyId: AKIADUPLICATE0000001, secretAccessKey: aaaaaaaaaaaaaaaaaaaa }\n      - { accessKeyId: AKIADUPLICATE0000001, secretAccessKey: bbbbbbbbbbbbbbbbbbbb }\n',
      message: /access key AKIADUPLICATE0000001 appears twice/,
    },
  ];
  for (const c of invalid) {
    test(`refused before anything is written: ${c.name}`, async () => {
      const services = await makeServices();
      const directories = new IamDirectories(services.store);
      await assert.rejects(applySeed({ ...services, directories }, parseYaml(c.yaml), defaults), (err: unknown) => {
        assert.ok(err instanceof SeedError, String(err));
        assert.match(err.message, c.message);
        return true;
      });
      assert.equal(await services.store.getIamVersion('111122223333'), undefined);
      assert.equal(await services.store.getIamVersion('222222222222'), undefined);
    });
  }
});
