// Read-check-write of one key record with optimistic concurrency: a concurrent change makes the
// commit fail on the version check, and the whole read-check-write runs again.

import { AccessDeniedException } from '../errors/aws-errors.js';
import { StoreConflictError } from '../store/store.js';
import type { Caller, KmsServices } from './context.js';
import { resolveKeyInState, type ResolveOptions } from './key-resolver.js';
import type { StateRule } from './model/key-state.js';
import type { KeyRecord } from './model/key.js';

const MAX_ATTEMPTS = 5;

/** `change` returns the updated record, or the same object when nothing changes. It may be async
 *  (e.g. read related keys); it runs again, on a fresh read, when the commit meets a concurrent change. */
export async function mutateKey(
  services: KmsServices,
  caller: Caller,
  identifier: string,
  rule: StateRule,
  options: ResolveOptions,
  change: (key: KeyRecord) => KeyRecord | Promise<KeyRecord>,
): Promise<KeyRecord> {
  for (let attempt = 1; ; attempt++) {
    const key = await resolveKeyInState(services, caller, identifier, rule, options);
    const updated = await change(key);
    if (updated === key) return key;
    const next = { ...updated, version: key.version + 1 };
    try {
      await services.store.commit([{ kind: 'putKey', key: next, expectedVersion: key.version }]);
      return next;
    } catch (err) {
      if (!(err instanceof StoreConflictError) || err.reason !== 'version' || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

/** AWS managed keys' policies allow no management calls; AWS answers AccessDenied. */
export function ensureCustomerManaged(key: KeyRecord, caller: Caller, action: string): void {
  if (key.keyManager === 'AWS') {
    throw new AccessDeniedException(
      `User: ${caller.principalArn} is not authorized to perform: kms:${action} on resource: ${key.arn} because no resource-based policy allows the kms:${action} action`,
    );
  }
}
