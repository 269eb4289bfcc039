// What every operation handler receives: who is calling, in which account and region, and the
// services it may use. No HTTP types here.

import type { Clock } from './model/clock.js';
import type { Scope } from './model/key.js';
import type { Store } from '../store/store.js';
import type { RootKeyProvider } from '../crypto/root-key/root-key-provider.js';
import type { MaterialCache } from './material-cache.js';
import type { UsageRecorder } from './usage-recorder.js';
import type { OperationObserver, OperationSpec } from './pipeline/operation-spec.js';
import type { CallerIdentity } from '../iam/identity.js';
import type { IamDirectories } from '../iam/directories.js';

export interface Caller {
  readonly scope: Scope;
  readonly principalArn: string;
  readonly accessKeyId: string;
  /**
   * The principal with its IAM policies, as resolved for this request. Absent: the account's
   * root user (tools and tests that build a Caller by hand).
   */
  readonly identity?: CallerIdentity;
  /** The client's address (aws:SourceIp), when the request came over the network. */
  readonly sourceIp?: string;
  /** Dev mode: LocalStack's _custom_id_ / _custom_key_material_ tags are honoured. */
  readonly devMode: boolean;
}

export interface KmsServices {
  readonly store: Store;
  readonly rootKey: RootKeyProvider;
  readonly clock: Clock;
  readonly materials: MaterialCache;
  /** Last-usage tracking for GetKeyLastUsage (absent in tools that serve no requests). */
  readonly usage?: UsageRecorder;
  /** Accounts' IAM directories: who callers are and which IAM policies apply (absent in tools that serve no requests). */
  readonly directories?: IamDirectories;
  /** Told of every call that went through the pipeline, success or failure (pipeline/pipeline.ts). */
  readonly observers?: readonly OperationObserver[];
}

export type OperationInput = Readonly<Record<string, unknown>>;
export type OperationOutput = Record<string, unknown>;

export interface Operation {
  /** AWS's operation name, as in X-Amz-Target. */
  readonly name: string;
  /** What the operation declares to the pipeline, which runs it (pipeline/pipeline.ts). */
  readonly spec: OperationSpec;
  run(input: OperationInput, caller: Caller, services: KmsServices, requestId?: string): Promise<OperationOutput>;
}
