// Access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey,
// GetAccessKeyLastUsed. The secret is shown once, in CreateAccessKey's answer, and stored only
// wrapped under the root key. A key is committed together with its user's directory version, so
// it cannot be created for a user that a concurrent DeleteUser removes.

import { wrapAccessKeySecret } from '../root-credentials.js';
import { LimitExceeded, NoSuchEntity } from '../../errors/query-errors.js';
import type { AccessKeyRecord } from '../../store/store.js';
import { rootArn } from '../model/arns.js';
import { newAccessKeyId, newSecretAccessKey } from '../model/ids.js';
import { isoDate } from './common.js';
import type { IamOperations, IamRequest } from './iam-operation.js';
import { requireUser, targetUserName, userArn, userResource } from './users.js';

/** IAM: "Access keys per user: 2". */
const MAX_KEYS_PER_USER = 2;

function keyMetadata(key: AccessKeyRecord): Record<string, unknown> {
  return {
    ...(key.userName !== undefined && { UserName: key.userName }),
    AccessKeyId: key.accessKeyId,
    Status: key.status ?? 'Active',
    CreateDate: isoDate(key.createdAt),
  };
}

/** The key named in the input, owned by the target user (or the root when there is none). */
async function ownedKey(r: IamRequest): Promise<AccessKeyRecord> {
  const id = r.input.AccessKeyId as string;
  const key = await r.services.store.getAccessKey(id);
  const owner = targetUserName(r);
  if (!key || key.session || key.accountId !== r.accountId || key.userName?.toLowerCase() !== owner?.toLowerCase()) {
    throw new NoSuchEntity(`The Access Key with id ${id} cannot be found.`);
  }
  return key;
}

export const ACCESS_KEY_OPERATIONS: IamOperations = {
  CreateAccessKey: {
    action: 'iam:CreateAccessKey',
    resource: (r, dir) => userResource(r, dir, targetUserName(r)),
    run: (r) =>
      r.services.directories.mutate(r.accountId, async (dir) => {
        const name = targetUserName(r);
        const user = name === undefined ? undefined : requireUser(dir, name);
        const existing = await r.services.store.listAccessKeys(r.accountId, user?.userName);
        if (user && existing.length >= MAX_KEYS_PER_USER) throw new LimitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`);
        const accessKeyId = newAccessKeyId('AKIA', r.accountId);
        const secretAccessKey = newSecretAccessKey();
        const wrappedSecret = await wrapAccessKeySecret(r.services.rootKey, accessKeyId, secretAccessKey);
        const record: AccessKeyRecord = {
          accessKeyId,
          wrappedSecret,
          accountId: r.accountId,
          principalArn: user ? userArn(r.accountId, user) : rootArn(r.accountId),
          createdAt: r.services.clock.now(),
          status: 'Active',
          ...(user && { userName: user.userName, ownerId: user.userId }),
        };
        return {
          result: { AccessKey: { ...keyMetadata(record), UserName: user?.userName ?? '', SecretAccessKey: secretAccessKey } },
          changes: [{ kind: 'putAccessKey', accessKey: record }],
        };
      }),
  },
  ListAccessKeys: {
    action: 'iam:ListAccessKeys',
    resource: (r, dir) => userResource(r, dir, targetUserName(r)),
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      const name = targetUserName(r);
      const user = name === undefined ? undefined : requireUser(dir, name);
      const keys = await r.services.store.listAccessKeys(r.accountId, user?.userName);
      return { AccessKeyMetadata: keys.map(keyMetadata), IsTruncated: false };
    },
  },
  UpdateAccessKey: {
    action: 'iam:UpdateAccessKey',
    resource: (r, dir) => userResource(r, dir, targetUserName(r)),
    // Committed with the directory's version, like CreateAccessKey and UpdateUser's rename of the
    // keys: a concurrent DeleteAccessKey (or rename) makes this retry on what it left, so a deleted
    // key is never written back.
    run: (r) =>
      r.services.directories.mutate(r.accountId, async () => {
        const key = await ownedKey(r);
        return { result: {}, changes: [{ kind: 'putAccessKey', accessKey: { ...key, status: r.input.Status as 'Active' | 'Inactive' } }] };
      }),
  },
  DeleteAccessKey: {
    action: 'iam:DeleteAccessKey',
    resource: (r, dir) => userResource(r, dir, targetUserName(r)),
    run: (r) =>
      r.services.directories.mutate(r.accountId, async () => {
        const key = await ownedKey(r);
        return { result: {}, changes: [{ kind: 'deleteAccessKey', accessKeyId: key.accessKeyId }] };
      }),
  },
  GetAccessKeyLastUsed: {
    action: 'iam:GetAccessKeyLastUsed',
    // The key's owner (IAM: the resource is the user the key belongs to); the root for its own keys
    // and for ids that name nothing here (then run() answers NoSuchEntity to whoever may ask).
    resource: async (r) => {
      const key = await r.services.store.getAccessKey(r.input.AccessKeyId as string);
      return key && !key.session && key.accountId === r.accountId ? key.principalArn : rootArn(r.accountId);
    },
    run: async (r) => {
      const key = await r.services.store.getAccessKey(r.input.AccessKeyId as string);
      if (!key || key.session || key.accountId !== r.accountId) throw new NoSuchEntity(`The Access Key with id ${r.input.AccessKeyId as string} cannot be found.`);
      const used = key.lastUsed;
      return {
        ...(key.userName !== undefined && { UserName: key.userName }),
        // IAM's answer for a key never used: ServiceName and Region "N/A", no date.
        AccessKeyLastUsed: used ? { LastUsedDate: isoDate(used.at), ServiceName: used.service, Region: used.region } : { ServiceName: 'N/A', Region: 'N/A' },
      };
    },
  },
};
