// Grants: stored, listed, retired and revoked as AWS does; enforced by the authorize step (authorization/grants.ts).

import type { Operation } from '../../context.js';
import { CreateGrant } from './create-grant.js';
import { ListGrants } from './list-grants.js';
import { ListRetirableGrants } from './list-retirable-grants.js';
import { RetireGrant } from './retire-grant.js';
import { RevokeGrant } from './revoke-grant.js';

export const GRANT_OPERATIONS: readonly Operation[] = [CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant];
