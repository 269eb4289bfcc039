// The small DER reader/writer and PEM decoder used for the hand-built key wrappers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { der, decodePem, DerError, readChildren, readTlv, readWhole, TAG_INTEGER, TAG_NULL, TAG_OCTET_STRING, TAG_SEQUENCE } from '../../../../src/crypto/specs/der.js';

test('der: short and long length forms, at their boundaries', () => {
  assert.equal(der(TAG_NULL).toString('hex'), '0500');
  assert.equal(der(TAG_OCTET_STRING, Buffer.alloc(127)).subarray(0, 2).toString('hex'), '047f');
  assert.equal(der(TAG_OCTET_STRING, Buffer.alloc(128)).subarray(0, 3).toString('hex'), '048180');
  assert.equal(der(TAG_OCTET_STRING, Buffer.alloc(255)).subarray(0, 3).toString('hex'), '0481ff');
  assert.equal(der(TAG_OCTET_STRING, Buffer.alloc(256)).subarray(0, 4).toString('hex'), '04820100');
  assert.equal(der(TAG_OCTET_STRING, Buffer.alloc(70000)).subarray(0, 5).toString('hex'), '0483011170');
  assert.equal(der(TAG_SEQUENCE, der(TAG_INTEGER, Uint8Array.of(0)), der(TAG_NULL)).toString('hex'), '300502010005' + '00');
});

test('readTlv / readWhole / readChildren round-trip what der writes', () => {
  for (const size of [0, 1, 127, 128, 255, 256, 65535, 65536]) {
    const content = Buffer.alloc(size, 7);
    assert.deepEqual(readWhole(der(TAG_OCTET_STRING, content), TAG_OCTET_STRING), content);
  }
  const sequence = der(TAG_SEQUENCE, der(TAG_INTEGER, Uint8Array.of(1)), der(TAG_OCTET_STRING, Buffer.from('ab')), der(0xa0, der(TAG_NULL)));
  const children = readChildren(readWhole(sequence, TAG_SEQUENCE));
  assert.deepEqual(children.map((c) => c.tag), [TAG_INTEGER, TAG_OCTET_STRING, 0xa0]);
  assert.equal(children[1]!.content.toString(), 'ab');
});

test('the reader refuses what is not canonical DER, or not whole', () => {
  const bad = [
    '', '04', '0401', // truncated
    '0480', // indefinite length
    '048100', '04820005' + '00'.repeat(5), // non-minimal lengths
    '0485ffffffffff', // too long a length
    '1f0100', // multi-byte tag
  ];
  for (const hex of bad) assert.throws(() => readTlv(Buffer.from(hex, 'hex')), DerError, hex);
  assert.throws(() => readWhole(Buffer.from('040100' + '00', 'hex'), TAG_OCTET_STRING), DerError, 'trailing bytes');
  assert.throws(() => readWhole(Buffer.from('0500', 'hex'), TAG_OCTET_STRING), DerError, 'wrong tag');
  assert.throws(() => readChildren(Buffer.from('0500' + '04', 'hex')), DerError);
});

test('decodePem: labels, several blocks, whitespace; refuses encrypted legacy PEM and bad base64', () => {
  const text = 'junk\n-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\r\n-----BEGIN EC PRIVATE KEY-----\r\n  AAEC\r\n  AwQ=\r\n-----END EC PRIVATE KEY-----\n';
  const blocks = decodePem(text);
  assert.deepEqual(blocks.map((b) => b.label), ['EC PARAMETERS', 'EC PRIVATE KEY']);
  assert.equal(blocks[1]!.der.toString('hex'), '0001020304');
  assert.deepEqual(decodePem('no pem here'), []);
  assert.deepEqual(decodePem('-----BEGIN A-----\nAA==\n-----END B-----'), []);
  assert.throws(() => decodePem('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----'), DerError);
  assert.throws(() => decodePem('-----BEGIN PRIVATE KEY-----\nA*A=\n-----END PRIVATE KEY-----'), DerError);
});
