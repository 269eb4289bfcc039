// The error a call fails with, for tests that assert exact error names and messages.

import type { Caller } from '../../src/kms/context.js';
import type { Scope } from '../../src/kms/model/key.js';

/** The error `promise` rejects with; throws when it resolves instead. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected a failure');
}

/** Just the name (the AWS error code) of the error `promise` rejects with. */
export async function failureName(promise: Promise<unknown>): Promise<string> {
  return (await failure(promise)).name;
}

/** The root principal of `scope`'s account calling with a test access key. */
export function rootCaller(scope: Scope): Caller {
  return { scope, principalArn: `arn:aws:iam::${scope.accountId}:root`, accessKeyId: 'AKIATEST', devMode: false };
}
