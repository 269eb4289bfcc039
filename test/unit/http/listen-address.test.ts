// Which listen addresses other machines can reach (they make --dev's warning an error).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackAddress } from '../../../src/http/listen-address.js';

test('127.0.0.0/8, ::1 in any spelling, IPv4-mapped loopback and localhost are loopback', () => {
  for (const address of ['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '0000::0001', '::ffff:127.0.0.1', 'localhost']) {
    assert.equal(isLoopbackAddress(address), true, address);
  }
});

test('the wildcard addresses, private and public addresses are not', () => {
  for (const address of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.10', '128.0.0.1', '::2', '::ffff:10.0.0.1', 'fe80::1', 'example.com']) {
    assert.equal(isLoopbackAddress(address), false, address);
  }
});
