// What an IAM (or STS) action declares: the IAM action and resource it is authorized on, and the
// work. The caller's identity policies decide (src/iam/iam-service.ts); handlers see no HTTP.

import type { RootKeyProvider } from '../../crypto/root-key/root-key-provider.js';
import type { Clock } from '../../kms/model/clock.js';
import type { Store } from '../../store/store.js';
import type { IamDirectories } from '../directories.js';
import type { CallerIdentity } from '../identity.js';
import type { IamDirectory } from '../model/directory.js';

export interface IamServices {
  readonly store: Store;
  readonly rootKey: RootKeyProvider;
  readonly directories: IamDirectories;
  readonly clock: Clock;
}

export type IamInput = Readonly<Record<string, unknown>>;
export type IamOutput = Record<string, unknown>;

export interface IamRequest {
  readonly input: IamInput;
  readonly caller: CallerIdentity;
  /** The caller's account: IAM acts on it alone. */
  readonly accountId: string;
  readonly region: string;
  readonly services: IamServices;
  readonly sourceIp?: string;
}

export interface IamOperation {
  /** e.g. 'iam:CreateUser'. */
  readonly action: string;
  /** The resource ARN the action is authorized on, given the account's current directory. */
  resource(request: IamRequest, dir: Readonly<IamDirectory>): string | Promise<string>;
  /**
   * Further resources the same action must be allowed on: a rename's new name ("the requester must
   * have appropriate permissions on both the source object and the target object", UpdateUser,
   * UpdateGroup).
   */
  alsoOn?(request: IamRequest, dir: Readonly<IamDirectory>): readonly string[];
  run(request: IamRequest): Promise<IamOutput>;
}

export type IamOperations = Readonly<Record<string, IamOperation>>;
