// Operations called as the HTTP layer calls them, without HTTP: the JSON body decoded and validated
// against the service model, the handler run, and its output encoded as AWS JSON 1.1 and parsed
// back. A test sees exactly the members (and their encoding) that go on the wire.

import type { Caller, KmsServices } from '../../src/kms/context.js';
import type { Scope } from '../../src/kms/model/key.js';
import { OPERATIONS } from '../../src/kms/operations/index.js';
import { encodeOutput } from '../../src/protocol/json11.js';
import { decodeAndValidateInput } from '../../src/protocol/validate.js';

export type WireBody = Record<string, unknown>;
export type WireCall = (operation: string, body?: WireBody) => Promise<WireBody>;

/** A caller of `scope` (root of its account) sending JSON bodies to the operations over `services`. */
export function wireCaller(services: KmsServices, scope: Scope): WireCall {
  const caller: Caller = { scope, principalArn: `arn:aws:iam::${scope.accountId}:root`, accessKeyId: 'AKIATEST', devMode: false };
  return async (operation, body = {}) => {
    const handler = OPERATIONS.get(operation);
    if (!handler) throw new Error(`no operation ${operation}`);
    const input = decodeAndValidateInput(operation, JSON.parse(JSON.stringify(body)));
    return JSON.parse(encodeOutput(await handler.run(input, caller, services))) as WireBody;
  };
}

/** Base64 of bytes, as a JSON body carries a blob. */
export function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
