// Callers, keys and policy builders shared by the policy tests.

import type { Caller, ContextValue, RequestContext } from '../../../src/policy/context.js';
import { contextKeys, encryptionContextKeys } from '../../../src/policy/context.js';

export const A = '111122223333';
export const B = '444455556666';
export const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const OTHER_KEY = `arn:aws:kms:us-east-1:${A}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;
export const ROOT_A = `arn:aws:iam::${A}:root`;
export const ROOT_B = `arn:aws:iam::${B}:root`;
export const ALICE = `arn:aws:iam::${A}:user/alice`;
export const BOB = `arn:aws:iam::${A}:user/bob`;
export const CAROL = `arn:aws:iam::${B}:user/carol`;
export const ROLE = `arn:aws:iam::${A}:role/KeyUser`;
export const SESSION = `arn:aws:sts::${A}:assumed-role/KeyUser/session-1`;

const user = (account: string, name: string, userId: string, tags?: Record<string, string>): Caller => ({
  arn: `arn:aws:iam::${account}:user/${name}`,
  accountId: account,
  type: 'User',
  username: name,
  userId,
  ...(tags ? { tags } : {}),
});

export const callers = {
  rootA: { arn: ROOT_A, accountId: A, type: 'Account', userId: A },
  rootB: { arn: ROOT_B, accountId: B, type: 'Account', userId: B },
  alice: user(A, 'alice', 'AIDAALICEEXAMPLE0001', { Team: 'blue', CostCenter: '42' }),
  bob: user(A, 'bob', 'AIDABOBEXAMPLE000002'),
  carol: user(B, 'carol', 'AIDACAROLEXAMPLE0003'),
  session: { arn: SESSION, accountId: A, type: 'AssumedRole', userId: 'AROAKEYUSEREXAMPLE01:session-1', tags: { team: 'red' } },
  pathSession: {
    arn: `arn:aws:sts::${A}:assumed-role/Ops/s2`,
    accountId: A,
    type: 'AssumedRole',
    userId: 'AROAOPSEXAMPLE000001:s2',
    roleArn: `arn:aws:iam::${A}:role/teams/Ops`,
  },
  cloudtrail: { arn: 'cloudtrail.amazonaws.com', accountId: '', type: 'Service' },
} satisfies Record<string, Caller>;

export type CallerName = keyof typeof callers;

export interface Req {
  caller: CallerName;
  action?: string;
  resource?: string;
  ctx?: Record<string, ContextValue>;
  ec?: Record<string, string>;
  time?: string;
}

export function request(r: Req): RequestContext {
  const keys = new Map([...contextKeys(r.ctx ?? {}), ...encryptionContextKeys(r.ec ?? {})]);
  return {
    caller: callers[r.caller],
    action: r.action ?? 'kms:Encrypt',
    resource: r.resource ?? KEY,
    keys,
    ...(r.time ? { time: new Date(r.time) } : {}),
  };
}

export type Json = Record<string, unknown>;

export const doc = (...statements: Json[]): Json => ({ Version: '2012-10-17', Statement: statements });
export const allow = (o: Json): Json => ({ Effect: 'Allow', Action: 'kms:*', Resource: '*', ...o });
export const deny = (o: Json): Json => ({ Effect: 'Deny', Action: 'kms:*', Resource: '*', ...o });

/** The default key policy AWS gives a key created through the API (KMS Developer Guide, "Default key policy"). */
export const DEFAULT_KEY_POLICY = doc({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: ROOT_A }, Action: 'kms:*', Resource: '*' });
