// The chain digest: canonical (property order does not matter) and sensitive to seq, link and every field.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../../src/audit/canonical-json.js';
import { GENESIS_DIGEST, chainDigest } from '../../../src/audit/chain.js';
import { auditEvent } from '../../contract/store-audit-contract.js';

test('canonical JSON sorts keys at every depth and drops undefined', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
});

test('the digest does not depend on property order', () => {
  const e = auditEvent(1);
  const reordered = { ...e, record: Object.fromEntries(Object.entries(e.record).reverse()) };
  assert.equal(chainDigest(GENESIS_DIGEST, 1, e), chainDigest(GENESIS_DIGEST, 1, reordered));
});

test('the digest changes with the seq, the previous digest, the record and each indexed field', () => {
  const e = auditEvent(1);
  const base = chainDigest(GENESIS_DIGEST, 1, e);
  assert.match(base, /^[0-9a-f]{64}$/);
  assert.notEqual(chainDigest(GENESIS_DIGEST, 2, e), base);
  assert.notEqual(chainDigest('1'.repeat(64), 1, e), base);
  assert.notEqual(chainDigest(GENESIS_DIGEST, 1, { ...e, record: { ...e.record, eventName: 'Encrypt' } }), base);
  for (const change of [{ eventTime: 1 }, { eventName: 'X' }, { readOnly: !e.readOnly }, { username: 'mallory' }, { resourceNames: ['x'] }, { accountId: '999999999999' }]) {
    assert.notEqual(chainDigest(GENESIS_DIGEST, 1, { ...e, ...change }), base, JSON.stringify(change));
  }
  assert.throws(() => chainDigest('nothex', 1, e));
});
