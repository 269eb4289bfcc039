// What an operation declares so that one pipeline can run it: the keys it names (input member,
// the kms: action it needs on each, the identifier forms AWS accepts there, the key-state row),
// whether it writes, its own checks, and the step that does the work. The pipeline
// (pipeline.ts) runs the steps in AWS's order; the operation file keeps only what is its own.

import type { Caller, KmsServices, OperationInput, OperationOutput } from '../context.js';
import type { StateRule } from '../model/key-state.js';
import type { KeyRecord } from '../model/key.js';

/**
 * Which of the four identifier forms a member takes. 'key-or-alias': key id, key ARN, alias name
 * or alias ARN. 'key': key id or key ARN; an alias is InvalidArnException ("Key Aliases are not
 * supported for this operation."). 'key-or-not-found': key id or key ARN; an alias is
 * NotFoundException (CreateAlias/UpdateAlias's TargetKeyId, which have no InvalidArnException).
 */
export type IdentifierForms = 'key-or-alias' | 'key' | 'key-or-not-found';

export interface KeyDeclaration {
  /** The input member that names the key, e.g. 'KeyId' or 'DestinationKeyId'. */
  readonly member: string;
  /** The IAM action this key must allow, e.g. 'kms:Encrypt' (ReEncrypt: kms:ReEncryptFrom and kms:ReEncryptTo). */
  readonly action: `kms:${string}`;
  readonly forms: IdentifierForms;
  /** The operation's row of AWS's key-state table. */
  readonly state: StateRule;
  /** The member may be absent (then no key is resolved for it unless `locate` finds one). */
  readonly optional?: boolean;
  /**
   * AWS managed keys' key policy allows customers no such call (management of a key AWS owns):
   * AccessDeniedException. The authorization step applies it until policies are evaluated.
   */
  readonly customerManagedOnly?: boolean;
  /**
   * What authorizes the call on this key: its key policy (the default), or the grant it acts on
   * (RetireGrant: "Permission to retire a grant is determined primarily by the grant. A policy
   * alone cannot allow access to this operation", KMS API Reference), or the caller's IAM
   * policies alone through the operation's identityPermissions (ListAliases: "kms:ListAliases
   * (IAM policy)", with KeyId or without).
   */
  readonly authorizedBy?: 'key-policy' | 'grant' | 'identity';
  /**
   * The identifier to resolve, when it is not simply the member's value (RetireGrant: a GrantToken
   * names the grant, and then the KeyId sent beside it is not looked at). Undefined: none named.
   */
  identifier?(input: OperationInput): unknown;
  /**
   * Finds the key some other way when the member is absent (Decrypt: the key the ciphertext
   * names). Returns undefined when there is none. Pure reads only.
   */
  locate?(request: OperationRequest): Promise<KeyRecord | undefined>;
}

export interface IdentityPermission {
  readonly action: `kms:${string}`;
  /** The resource ARN; "*" when absent. */
  resource?(request: OperationRequest): string;
}

/** The request as the pipeline hands it to an operation's steps. */
export interface OperationRequest {
  readonly input: OperationInput;
  readonly caller: Caller;
  readonly services: KmsServices;
}

/** A request with its keys resolved, authorized and found in a usable state. */
export interface ResolvedRequest extends OperationRequest {
  /** Resolved keys by member name; a declared optional member that named nothing is absent. */
  readonly keys: ReadonlyMap<string, KeyRecord>;
  /** The key of `member`; throws if the declaration resolved none (a bug, not a caller error). */
  key(member: string): KeyRecord;
}

export interface OperationSpec {
  /** AWS's operation name, as in X-Amz-Target. */
  readonly name: string;
  /** False for operations that write: the pipeline then runs every step again, from a fresh read, when a commit meets a concurrent change. */
  readonly readOnly: boolean;
  /** The keys the operation names, resolved in this order. */
  readonly keys: readonly KeyDeclaration[];
  /**
   * Permissions that no key policy governs, decided by the caller's IAM policies alone, before the
   * keys' (KMS API Reference, "Required permissions"): the alias of CreateAlias/UpdateAlias/
   * DeleteAlias, and for an operation that names no key, kms:<Name> on "*". Default: that last one
   * when `keys` is empty, none otherwise.
   */
  readonly identityPermissions?: readonly IdentityPermission[];
  /** The operation takes a DryRun member: after the checks, DryRun answers DryRunOperationException. */
  readonly dryRun: boolean;
  /**
   * Checks of the input alone (members that exclude each other, values the model cannot express),
   * before any key is looked up: a call that cannot be right whatever its keys is refused as such.
   */
  validate?(request: OperationRequest): void;
  /** The operation's own checks of its input against the keys (key usage, algorithms, ...), before DryRun. */
  check?(request: ResolvedRequest): void | Promise<void>;
  /** The work. A writing operation commits with the versions of the keys it was given. */
  run(request: ResolvedRequest): Promise<OperationOutput>;
}

/** What observers (last-usage tracking, later the audit trail) learn of every call, failed or not. */
export interface OperationEvent {
  readonly operation: string;
  readonly caller: Caller;
  /** The keys resolved before the call ended, in declaration order (a key resolved twice once). */
  readonly keys: readonly KeyRecord[];
  readonly requestId: string | undefined;
  /** Epoch milliseconds on the services' clock when the call ended. */
  readonly at: number;
  readonly outcome: { readonly ok: true; readonly output: OperationOutput } | { readonly ok: false; readonly error: unknown };
}

export type OperationObserver = (event: OperationEvent) => void;
