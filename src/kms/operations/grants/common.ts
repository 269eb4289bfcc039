// Grant rules shared by CreateGrant, ListGrants, ListRetirableGrants, RetireGrant and RevokeGrant:
// identifiers, which operations fit which key, constraints, list entries and markers.
// Grants are stored and managed as AWS does; what they allow is decided in authorization/grants.ts.

import { randomBytes } from 'node:crypto';
import {
  InvalidGrantIdException,
  InvalidGrantTokenException,
  InvalidMarkerException,
  NotFoundException,
  ValidationException,
} from '../../../errors/aws-errors.js';
import { InvalidMarkerError } from '../../../store/store.js';
import type { OperationOutput } from '../../context.js';
import { isSymmetricEncryption } from '../../model/key-spec.js';
import type { GrantConstraints, GrantRecord, KeyRecord } from '../../model/key.js';

/** AWS: "If you include a value, it must be between 1 and 100, inclusive. If you do not include a value, it defaults to 50." */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

export function pageLimit(input: Readonly<Record<string, unknown>>): number {
  return Math.min((input.Limit as number | undefined) ?? DEFAULT_LIMIT, MAX_LIMIT);
}

/** A grant id: 64 hex characters, as AWS's (e.g. 0123...0123 in the API reference). */
export function newGrantId(): string {
  return randomBytes(32).toString('hex');
}

const GRANT_ID = /^[0-9a-f]{64}$/;

export function checkGrantId(grantId: string): void {
  // Unconfirmed wording: no recorded AWS response found.
  if (!GRANT_ID.test(grantId)) throw new InvalidGrantIdException('Invalid grant ID');
}

/** 288 random bytes in base64url: 384 characters, the length range of AWS's grant tokens. It names
 *  nothing by itself: the store maps it to its grant. */
export function newGrantToken(): string {
  return randomBytes(288).toString('base64url');
}

const GRANT_TOKEN = /^[A-Za-z0-9_-]{384}$/;

export function isWellFormedGrantToken(token: string): boolean {
  return GRANT_TOKEN.test(token);
}

export function invalidGrantToken(): InvalidGrantTokenException {
  // Unconfirmed wording: no recorded AWS response found.
  return new InvalidGrantTokenException('Invalid grant token');
}

export function grantNotFound(grantId: string): NotFoundException {
  // Unconfirmed wording: no recorded AWS response found.
  return new NotFoundException(`Grant ID ${grantId} not found`);
}

// ---------------------------------------------------------------------------------------------
// Grant operations by key type: the "Grant operations" table of the developer guide (grants.html)
// and the key type table (symm-asymm-compare.html).

/** Valid on every key. */
const ANY_KEY = ['CreateGrant', 'DescribeKey', 'RetireGrant'];
const SYMMETRIC_ENCRYPTION = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
];
const ASYMMETRIC_ENCRYPTION = ['Decrypt', 'Encrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey'];
const SIGN_VERIFY = ['Sign', 'Verify', 'GetPublicKey'];
const MAC = ['GenerateMac', 'VerifyMac'];
const KEY_AGREEMENT = ['DeriveSharedSecret', 'GetPublicKey'];

/** Every GrantOperation (the IAM action without "kms:") a grant can allow, on some key type. */
export const GRANT_OPERATIONS: ReadonlySet<string> = new Set([...ANY_KEY, ...SYMMETRIC_ENCRYPTION, ...ASYMMETRIC_ENCRYPTION, ...SIGN_VERIFY, ...MAC, ...KEY_AGREEMENT]);
/** The operations whose requests carry an encryption context: the ones grant constraints apply to. */
export const CONTEXT_GRANT_OPERATIONS: ReadonlySet<string> = new Set(SYMMETRIC_ENCRYPTION);

function grantOperationsFor(key: KeyRecord): readonly string[] {
  switch (key.keyUsage) {
    case 'ENCRYPT_DECRYPT':
      return [...ANY_KEY, ...(isSymmetricEncryption(key.keySpec) ? SYMMETRIC_ENCRYPTION : ASYMMETRIC_ENCRYPTION)];
    case 'SIGN_VERIFY':
      return [...ANY_KEY, ...SIGN_VERIFY];
    case 'GENERATE_VERIFY_MAC':
      return [...ANY_KEY, ...MAC];
    case 'KEY_AGREEMENT':
      return [...ANY_KEY, ...KEY_AGREEMENT];
  }
}

/** Precondition: every operation is supported on the key (AWS: "If you try, KMS returns a ValidationError exception"). */
export function checkOperationsFitKey(key: KeyRecord, operations: readonly string[]): void {
  const allowed = grantOperationsFor(key);
  const invalid = operations.filter((op) => !allowed.includes(op));
  if (invalid.length > 0) {
    // Unconfirmed wording: no recorded AWS response found.
    throw new ValidationException(
      `Grant operations [${invalid.join(', ')}] are not supported on ${key.arn} (KeySpec ${key.keySpec}, KeyUsage ${key.keyUsage}).`,
    );
  }
}

/** Operations a constraint can go with: those taking an encryption context (the symmetric
 *  cryptographic operations), and the three the constraint does not apply to. */
const CONSTRAINABLE = [...ANY_KEY, ...SYMMETRIC_ENCRYPTION];
const MAX_CONSTRAINT_PAIRS = 8;
const MAX_CONSTRAINT_VALUE = 384;

/** The constraints to store: the members given, or undefined when none is given. */
export function grantConstraints(given: unknown): GrantConstraints | undefined {
  if (given === undefined) return undefined;
  const c = given as GrantConstraints;
  const constraints: GrantConstraints = {
    ...(c.EncryptionContextEquals !== undefined && { EncryptionContextEquals: c.EncryptionContextEquals }),
    ...(c.EncryptionContextSubset !== undefined && { EncryptionContextSubset: c.EncryptionContextSubset }),
  };
  if (constraints.EncryptionContextEquals === undefined && constraints.EncryptionContextSubset === undefined) return undefined;
  return constraints;
}

/** AWS's rules for constraints (those of grantConstraints): only with operations that take an
 *  encryption context (so never for cryptographic operations of asymmetric or HMAC keys), up to 8
 *  pairs per constraint, values up to 384 characters. */
export function checkConstraints(key: KeyRecord, operations: readonly string[], constraints: GrantConstraints | undefined): void {
  if (constraints === undefined) return;
  for (const [member, context] of Object.entries(constraints) as [string, Record<string, string>][]) {
    if (Object.keys(context).length > MAX_CONSTRAINT_PAIRS) {
      // Unconfirmed wording: no recorded AWS response found. (this and the next two)
      throw new ValidationException(`Constraints.${member} can include up to ${MAX_CONSTRAINT_PAIRS} encryption context pairs.`);
    }
    if (Object.values(context).some((value) => value.length > MAX_CONSTRAINT_VALUE)) {
      throw new ValidationException(`An encryption context value in Constraints.${member} cannot exceed ${MAX_CONSTRAINT_VALUE} characters.`);
    }
  }
  const symmetric = key.keyUsage === 'ENCRYPT_DECRYPT' && isSymmetricEncryption(key.keySpec);
  const unconstrainable = operations.filter((op) => !symmetric ? !ANY_KEY.includes(op) : !CONSTRAINABLE.includes(op));
  if (unconstrainable.length > 0) {
    throw new ValidationException(
      `Grant constraints are supported only on operations that accept an encryption context; [${unconstrainable.join(', ')}] on ${key.arn} do not.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Name idempotency: same Name and parameters on the same key is the same grant.

/** True when `grant` was made with these parameters (operations compared as a set, constraints by content). */
export function sameGrantParameters(
  grant: GrantRecord,
  params: { granteePrincipal: string; retiringPrincipal?: string; operations: readonly string[]; constraints?: GrantConstraints },
): boolean {
  return (
    grant.granteePrincipal === params.granteePrincipal &&
    grant.retiringPrincipal === params.retiringPrincipal &&
    canonicalOperations(grant.operations) === canonicalOperations(params.operations) &&
    canonicalConstraints(grant.constraints) === canonicalConstraints(params.constraints)
  );
}

function canonicalOperations(operations: readonly string[]): string {
  return JSON.stringify([...new Set(operations)].sort());
}

function canonicalConstraints(constraints: GrantConstraints | undefined): string {
  if (constraints === undefined) return 'none';
  const sorted = (context: Readonly<Record<string, string>> | undefined) =>
    context === undefined ? null : Object.keys(context).sort().map((k) => [k, context[k]]);
  return JSON.stringify([sorted(constraints.EncryptionContextEquals), sorted(constraints.EncryptionContextSubset)]);
}

// ---------------------------------------------------------------------------------------------

/** A GrantListEntry of ListGrants and ListRetirableGrants. */
export function toGrantListEntry(grant: GrantRecord): OperationOutput {
  return {
    KeyId: grant.keyArn,
    GrantId: grant.grantId,
    ...(grant.name !== undefined && { Name: grant.name }),
    CreationDate: new Date(grant.createdAt),
    GranteePrincipal: grant.granteePrincipal,
    ...(grant.retiringPrincipal !== undefined && { RetiringPrincipal: grant.retiringPrincipal }),
    IssuingAccount: grant.issuingAccount,
    Operations: [...grant.operations],
    ...(grant.constraints !== undefined && { Constraints: grant.constraints }),
  };
}

/** Runs a store list, turning a marker the store did not make into InvalidMarkerException. */
export async function withMarker<T>(list: () => Promise<T>): Promise<T> {
  try {
    return await list();
  } catch (err) {
    // Unconfirmed wording: no recorded AWS response found.
    if (err instanceof InvalidMarkerError) throw new InvalidMarkerException('Invalid marker');
    throw err;
  }
}
