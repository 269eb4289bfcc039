// Response shapes as they go on the wire, against what AWS sends: which members are present, which
// are absent, and key id versus key ARN. The recorded AWS responses are LocalStack's
// tests/aws/services/kms/test_kms.snapshot.json (recorded against AWS); the rest is the API reference.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Scope } from '../../../../src/kms/model/key.js';
import { servicesFactory, type TestServices } from '../../../helpers/services.js';
import { wireCaller, type WireBody, type WireCall } from '../../../helpers/wire.js';

const { makeServices, cleanup } = servicesFactory('kms-wire-');
after(cleanup);

const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };

async function setup(): Promise<{ services: TestServices; call: WireCall }> {
  const services = await makeServices();
  return { services, call: wireCaller(services, scope) };
}

async function createKey(call: WireCall, body: WireBody = {}): Promise<WireBody> {
  return (await call('CreateKey', body)).KeyMetadata as WireBody;
}

describe('RotateKeyOnDemand', () => {
  test('answers the key ARN as KeyId', async () => {
    const { call } = await setup();
    const key = await createKey(call);
    assert.deepEqual(await call('RotateKeyOnDemand', { KeyId: key.KeyId }), { KeyId: key.Arn });
  });
});
