// IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser, TagUser, UntagUser, ListUserTags.

import { DeleteConflict, EntityAlreadyExists, LimitExceeded, ValidationError } from '../../errors/query-errors.js';
import { iamArn, rootArn } from '../model/arns.js';
import { findUser, groupsOfUser, type IamDirectory, newUser, type UserEntry } from '../model/directory.js';
import { byName, inputTags, isoDate, mergeTags, noSuchUser, paginate, pathOf, removeTags, tagsOut, underPrefix } from './common.js';
import type { IamOperations, IamRequest } from './iam-operation.js';

/** IAM's default quota of users per account. */
const MAX_USERS = 5000;

export function userArn(accountId: string, user: Pick<UserEntry, 'path' | 'userName'>): string {
  return iamArn(accountId, 'user', user.path, user.userName);
}

export function userOut(accountId: string, user: UserEntry, withTags = false): Record<string, unknown> {
  return {
    Path: user.path,
    UserName: user.userName,
    UserId: user.userId,
    Arn: userArn(accountId, user),
    CreateDate: isoDate(user.createDate),
    ...(withTags && user.tags.length > 0 && { Tags: tagsOut(user.tags) }),
  };
}

export function requireUser(dir: Readonly<IamDirectory>, name: string): UserEntry {
  const user = findUser(dir, name);
  if (!user) throw noSuchUser(name);
  return user;
}

/** The ARN of the named user (as it is, or as it would be created); the caller itself when no name is sent. */
export function userResource(request: IamRequest, dir: Readonly<IamDirectory>, name = request.input.UserName as string | undefined): string {
  if (name === undefined) return implicitUser(request) === undefined ? rootArn(request.accountId) : request.caller.principal.arn;
  const user = findUser(dir, name);
  return userArn(request.accountId, user ?? { path: pathOf(request.input), userName: name });
}

/** UserName, or the calling user's own name (IAM: "defaults to the user making the request"). */
export function targetUserName(request: IamRequest): string | undefined {
  return (request.input.UserName as string | undefined) ?? implicitUser(request);
}

/**
 * The user a call without UserName is about: the calling user, or undefined for the root user.
 * A role session is no user: IAM refuses the call (it must never fall through to the root user's
 * keys or identity, which a session could otherwise create, list, deactivate or delete).
 */
function implicitUser(request: IamRequest): string | undefined {
  const { principal } = request.caller;
  if (principal.kind === 'root') return undefined;
  if (principal.kind === 'user' && principal.userName !== undefined) return principal.userName;
  throw new ValidationError('Must specify userName when calling with non-User credentials');
}

export const USER_OPERATIONS: IamOperations = {
  CreateUser: {
    action: 'iam:CreateUser',
    resource: (r, dir) => userResource(r, dir),
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const name = r.input.UserName as string;
        if (findUser(dir, name)) throw new EntityAlreadyExists(`User with name ${name} already exists.`);
        if (dir.users.length >= MAX_USERS) throw new LimitExceeded(`Cannot exceed quota for UsersPerAccount: ${MAX_USERS}`);
        const user = newUser(name, {
          path: pathOf(r.input),
          now: r.services.clock.now(),
          tags: inputTags(r.input),
          ...(r.input.PermissionsBoundary !== undefined && { permissionsBoundary: r.input.PermissionsBoundary as string }),
        });
        dir.users.push(user);
        return { result: { User: userOut(r.accountId, user, true) } };
      }),
  },
  GetUser: {
    action: 'iam:GetUser',
    resource: (r, dir) => userResource(r, dir),
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      const name = targetUserName(r);
      // The root user: IAM answers with the account's root identity.
      if (name === undefined) {
        return { User: { Path: '/', UserName: '', UserId: r.accountId, Arn: rootArn(r.accountId), CreateDate: isoDate(0) } };
      }
      return { User: userOut(r.accountId, requireUser(dir, name), true) };
    },
  },
  ListUsers: {
    action: 'iam:ListUsers',
    resource: (r) => `arn:aws:iam::${r.accountId}:user${(r.input.PathPrefix as string | undefined) ?? '/'}`,
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      const users = dir.users.filter((u) => underPrefix(u.path, r.input)).sort(byName((u: UserEntry) => u.userName));
      return paginate(users, r.input, 'Users', (u) => userOut(r.accountId, u));
    },
  },
  UpdateUser: {
    action: 'iam:UpdateUser',
    resource: (r, dir) => userResource(r, dir),
    // Renaming (or moving) needs the permission on the new name too: else a user allowed to update
    // only itself could take a name that policies elsewhere (key policies, trust policies) trust.
    alsoOn: (r, dir) => {
      if (r.input.NewUserName === undefined && r.input.NewPath === undefined) return [];
      const user = findUser(dir, r.input.UserName as string);
      const path = (r.input.NewPath as string | undefined) ?? user?.path ?? '/';
      return [userArn(r.accountId, { path, userName: (r.input.NewUserName as string | undefined) ?? user?.userName ?? (r.input.UserName as string) })];
    },
    run: (r) =>
      r.services.directories.mutate(r.accountId, async (dir) => {
        const user = requireUser(dir, r.input.UserName as string);
        const newName = (r.input.NewUserName as string | undefined) ?? user.userName;
        const other = findUser(dir, newName);
        if (other && other !== user) throw new EntityAlreadyExists(`User with name ${newName} already exists.`);
        const renamed: UserEntry = { ...user, userName: newName, path: (r.input.NewPath as string | undefined) ?? user.path };
        dir.users[dir.users.indexOf(user)] = renamed;
        for (const group of groupsOfUser(dir, user.userName)) group.members = group.members.map((m) => (m.toLowerCase() === user.userName.toLowerCase() ? newName : m));
        // The user's access keys follow the new name (their principal ARN with it).
        const keys = await r.services.store.listAccessKeys(r.accountId, user.userName);
        const arn = userArn(r.accountId, renamed);
        return { result: {}, changes: keys.map((k) => ({ kind: 'putAccessKey' as const, accessKey: { ...k, userName: newName, principalArn: arn } })) };
      }),
  },
  DeleteUser: {
    action: 'iam:DeleteUser',
    resource: (r, dir) => userResource(r, dir),
    run: (r) =>
      r.services.directories.mutate(r.accountId, async (dir) => {
        const user = requireUser(dir, r.input.UserName as string);
        // IAM refuses to delete a user that still has what must be removed first (DeleteUser, "Deleting an IAM user").
        if ((await r.services.store.listAccessKeys(r.accountId, user.userName)).length > 0) throw new DeleteConflict('Cannot delete entity, must delete access keys first.');
        if (Object.keys(user.inlinePolicies).length > 0) throw new DeleteConflict('Cannot delete entity, must delete policies first.');
        if (user.attachedPolicies.length > 0) throw new DeleteConflict('Cannot delete entity, must detach all policies first.');
        if (groupsOfUser(dir, user.userName).length > 0) throw new DeleteConflict('Cannot delete entity, must remove users from group first.');
        dir.users.splice(dir.users.indexOf(user), 1);
        return { result: {} };
      }),
  },
  TagUser: {
    action: 'iam:TagUser',
    resource: (r, dir) => userResource(r, dir),
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const user = requireUser(dir, r.input.UserName as string);
        user.tags = mergeTags(user.tags, inputTags(r.input));
        return { result: {} };
      }),
  },
  UntagUser: {
    action: 'iam:UntagUser',
    resource: (r, dir) => userResource(r, dir),
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const user = requireUser(dir, r.input.UserName as string);
        user.tags = removeTags(user.tags, r.input.TagKeys as string[]);
        return { result: {} };
      }),
  },
  ListUserTags: {
    action: 'iam:ListUserTags',
    resource: (r, dir) => userResource(r, dir),
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      return paginate(requireUser(dir, r.input.UserName as string).tags, r.input, 'Tags', (t) => ({ Key: t.Key, Value: t.Value }));
    },
  },
};
