// Access key ids carry their account as AWS's do: decoded the way published analyses decode AWS's.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountOfAccessKeyId, newAccessKeyId } from '../../../src/iam/model/ids.js';

test('an id made for an account decodes to that account, with the prefix and AWS\'s alphabet', () => {
  for (const account of ['000000000000', '111122223333', '609629065308', '999999999999']) {
    for (const prefix of ['AKIA', 'ASIA'] as const) {
      const id = newAccessKeyId(prefix, account);
      assert.match(id, new RegExp(`^${prefix}[A-Z2-7]{16}$`));
      assert.equal(accountOfAccessKeyId(id), account, id);
    }
  }
});

test('AWS\'s own examples decode as published (Tal Be\'ery: ASIAY34FZKBOKMUTVV7A is 609629065308)', () => {
  assert.equal(accountOfAccessKeyId('ASIAY34FZKBOKMUTVV7A'), '609629065308');
});

test('ids of another form name no account: symbols outside base32, old generation (first data bit 0), wrong length', () => {
  for (const id of ['AKIABOBEXAMPLE000001', 'AKIAAAAAAAAAAAAAAAAA', 'AKIAY34FZKBOKMUTVV7', 'short']) assert.equal(accountOfAccessKeyId(id), undefined, id);
});
