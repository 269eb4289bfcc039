// ListAliases: https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html
// Without KeyId the list includes the predefined alias/aws/ names whose keys do not exist yet,
// without a TargetKeyId, as AWS shows them.

import { InvalidMarkerException } from '../../../errors/aws-errors.js';
import type { OperationOutput } from '../../context.js';
import { aliasArn } from '../../model/arn.js';
import { PREDEFINED_AWS_ALIASES } from '../../model/aws-managed.js';
import { ANY_STATE } from '../../model/key-state.js';
import type { AliasRecord, Scope } from '../../model/key.js';
import { defineOperation } from '../../pipeline/pipeline.js';

const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 50;
const ALL = 1_000_000;

export const ListAliases = defineOperation({
  name: 'ListAliases',
  readOnly: true,
  dryRun: false,
  // KeyId is optional: without it, every alias of the account and Region. A key id or key ARN only
  // (an alias is InvalidArnException); any key state.
  // kms:ListAliases is an IAM-only permission on "*" ("kms:ListAliases (IAM policy)"): the key's
  // policy is not consulted, whether KeyId is sent or not.
  identityPermissions: [{ action: 'kms:ListAliases' }],
  keys: [{ member: 'KeyId', action: 'kms:ListAliases', forms: 'key', state: ANY_STATE, optional: true, authorizedBy: 'identity' }],
  // A marker this server never gave is refused before the key is looked up.
  validate({ input }) {
    if (input.Marker !== undefined) decodeMarker(input.Marker as string);
  },
  async run({ input, caller, services, keys }) {
    const limit = Math.min((input.Limit as number | undefined) ?? DEFAULT_LIMIT, MAX_LIMIT);
    const after = input.Marker === undefined ? undefined : decodeMarker(input.Marker as string);
    const targetKeyId = keys.get('KeyId')?.keyId;
    const stored = (await services.store.listAliases(caller.scope, { limit: ALL }, targetKeyId)).items;
    const entries = stored.map((alias) => toEntry(caller.scope, alias));
    if (targetKeyId === undefined) {
      const existing = new Set(stored.map((a) => a.aliasName));
      for (const name of PREDEFINED_AWS_ALIASES) {
        if (!existing.has(name)) entries.push({ AliasName: name, AliasArn: aliasArn(caller.scope, name) });
      }
    }
    entries.sort((a, b) => compare(a.AliasName as string, b.AliasName as string));
    const remaining = after === undefined ? entries : entries.filter((e) => compare(e.AliasName as string, after) > 0);
    const page = remaining.slice(0, limit);
    const truncated = remaining.length > limit;
    return {
      Aliases: page,
      ...(truncated ? { NextMarker: encodeMarker(page.at(-1)!.AliasName as string) } : {}),
      Truncated: truncated,
    };
  },
});

function toEntry(scope: Scope, alias: AliasRecord): OperationOutput {
  return {
    AliasName: alias.aliasName,
    AliasArn: aliasArn(scope, alias.aliasName),
    TargetKeyId: alias.targetKeyId,
    CreationDate: new Date(alias.createdAt),
    LastUpdatedDate: new Date(alias.updatedAt),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function encodeMarker(lastName: string): string {
  return Buffer.from(`alias:${lastName}`, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): string {
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  // Unconfirmed wording: no recorded AWS response found.
  if (!text.startsWith('alias:')) throw new InvalidMarkerException('Invalid marker');
  return text.slice('alias:'.length);
}
