// Groups and their members: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
// AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser.

import { DeleteConflict, EntityAlreadyExists, LimitExceeded } from '../../errors/query-errors.js';
import { iamArn } from '../model/arns.js';
import { findGroup, findUser, type GroupEntry, groupsOfUser, type IamDirectory, newGroup } from '../model/directory.js';
import { byName, isoDate, noSuchGroup, paginate, pathOf, underPrefix } from './common.js';
import type { IamOperations, IamRequest } from './iam-operation.js';
import { requireUser, userOut, userResource } from './users.js';

const MAX_GROUPS = 300;
/** "Groups an IAM user can be a member of: 10". */
const MAX_GROUPS_PER_USER = 10;

export function groupArn(accountId: string, group: Pick<GroupEntry, 'path' | 'groupName'>): string {
  return iamArn(accountId, 'group', group.path, group.groupName);
}

function groupOut(accountId: string, group: GroupEntry): Record<string, unknown> {
  return { Path: group.path, GroupName: group.groupName, GroupId: group.groupId, Arn: groupArn(accountId, group), CreateDate: isoDate(group.createDate) };
}

export function requireGroup(dir: Readonly<IamDirectory>, name: string): GroupEntry {
  const group = findGroup(dir, name);
  if (!group) throw noSuchGroup(name);
  return group;
}

export function groupResource(r: IamRequest, dir: Readonly<IamDirectory>): string {
  const name = r.input.GroupName as string;
  return groupArn(r.accountId, findGroup(dir, name) ?? { path: pathOf(r.input), groupName: name });
}

export const GROUP_OPERATIONS: IamOperations = {
  CreateGroup: {
    action: 'iam:CreateGroup',
    resource: groupResource,
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const name = r.input.GroupName as string;
        if (findGroup(dir, name)) throw new EntityAlreadyExists(`Group with name ${name} already exists.`);
        if (dir.groups.length >= MAX_GROUPS) throw new LimitExceeded(`Cannot exceed quota for GroupsPerAccount: ${MAX_GROUPS}`);
        const group = newGroup(name, { path: pathOf(r.input), now: r.services.clock.now() });
        dir.groups.push(group);
        return { result: { Group: groupOut(r.accountId, group) } };
      }),
  },
  GetGroup: {
    action: 'iam:GetGroup',
    resource: groupResource,
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      const group = requireGroup(dir, r.input.GroupName as string);
      const users = group.members.map((m) => findUser(dir, m)).filter((u) => u !== undefined);
      return { Group: groupOut(r.accountId, group), ...paginate(users, r.input, 'Users', (u) => userOut(r.accountId, u)) };
    },
  },
  ListGroups: {
    action: 'iam:ListGroups',
    resource: (r) => `arn:aws:iam::${r.accountId}:group${(r.input.PathPrefix as string | undefined) ?? '/'}`,
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      const groups = dir.groups.filter((g) => underPrefix(g.path, r.input)).sort(byName((g: GroupEntry) => g.groupName));
      return paginate(groups, r.input, 'Groups', (g) => groupOut(r.accountId, g));
    },
  },
  UpdateGroup: {
    action: 'iam:UpdateGroup',
    resource: groupResource,
    // As UpdateUser: the permission is needed on the new name and path too.
    alsoOn: (r, dir) => {
      if (r.input.NewGroupName === undefined && r.input.NewPath === undefined) return [];
      const group = findGroup(dir, r.input.GroupName as string);
      const path = (r.input.NewPath as string | undefined) ?? group?.path ?? '/';
      return [groupArn(r.accountId, { path, groupName: (r.input.NewGroupName as string | undefined) ?? group?.groupName ?? (r.input.GroupName as string) })];
    },
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const group = requireGroup(dir, r.input.GroupName as string);
        const newName = (r.input.NewGroupName as string | undefined) ?? group.groupName;
        const other = findGroup(dir, newName);
        if (other && other !== group) throw new EntityAlreadyExists(`Group with name ${newName} already exists.`);
        dir.groups[dir.groups.indexOf(group)] = { ...group, groupName: newName, path: (r.input.NewPath as string | undefined) ?? group.path };
        return { result: {} };
      }),
  },
  DeleteGroup: {
    action: 'iam:DeleteGroup',
    resource: groupResource,
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const group = requireGroup(dir, r.input.GroupName as string);
        if (group.members.length > 0) throw new DeleteConflict('Cannot delete entity, must remove users from group first.');
        if (Object.keys(group.inlinePolicies).length > 0) throw new DeleteConflict('Cannot delete entity, must delete policies first.');
        if (group.attachedPolicies.length > 0) throw new DeleteConflict('Cannot delete entity, must detach all policies first.');
        dir.groups.splice(dir.groups.indexOf(group), 1);
        return { result: {} };
      }),
  },
  AddUserToGroup: {
    action: 'iam:AddUserToGroup',
    resource: groupResource,
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const group = requireGroup(dir, r.input.GroupName as string);
        const user = requireUser(dir, r.input.UserName as string);
        if (group.members.some((m) => m.toLowerCase() === user.userName.toLowerCase())) return { result: {}, changed: false };
        if (groupsOfUser(dir, user.userName).length >= MAX_GROUPS_PER_USER) throw new LimitExceeded(`Cannot exceed quota for GroupsPerUser: ${MAX_GROUPS_PER_USER}`);
        group.members.push(user.userName);
        return { result: {} };
      }),
  },
  RemoveUserFromGroup: {
    action: 'iam:RemoveUserFromGroup',
    resource: groupResource,
    run: (r) =>
      r.services.directories.mutate(r.accountId, (dir) => {
        const group = requireGroup(dir, r.input.GroupName as string);
        const user = requireUser(dir, r.input.UserName as string);
        const before = group.members.length;
        group.members = group.members.filter((m) => m.toLowerCase() !== user.userName.toLowerCase());
        return { result: {}, changed: group.members.length !== before };
      }),
  },
  ListGroupsForUser: {
    action: 'iam:ListGroupsForUser',
    resource: (r, dir) => userResource(r, dir),
    run: async (r) => {
      const { dir } = await r.services.directories.current(r.accountId);
      const user = requireUser(dir, r.input.UserName as string);
      return paginate(groupsOfUser(dir, user.userName), r.input, 'Groups', (g) => groupOut(r.accountId, g));
    },
  },
};
