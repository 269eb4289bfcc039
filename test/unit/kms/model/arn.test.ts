// Key identifiers and ARNs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliasArn, keyArn, parseKeyIdentifier, partitionOf } from '../../../../src/kms/model/arn.js';
import { isWellFormedKeyId, newKeyId, newMaterialId } from '../../../../src/kms/model/key-ids.js';

const scope = { accountId: '111122223333', region: 'us-east-1' };

test('ARNs of keys and aliases, with the partition of the region', () => {
  assert.equal(keyArn(scope, 'abc'), 'arn:aws:kms:us-east-1:111122223333:key/abc');
  assert.equal(aliasArn(scope, 'alias/x'), 'arn:aws:kms:us-east-1:111122223333:alias/x');
  assert.equal(partitionOf('cn-north-1'), 'aws-cn');
  assert.equal(partitionOf('us-gov-west-1'), 'aws-us-gov');
});

test('the four identifier forms parse to their kind', () => {
  assert.deepEqual(parseKeyIdentifier('1234abcd-12ab-34cd-56ef-1234567890ab'), { kind: 'keyId', keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' });
  assert.deepEqual(parseKeyIdentifier('alias/app'), { kind: 'aliasName', aliasName: 'alias/app' });
  const k = parseKeyIdentifier('arn:aws:kms:eu-west-1:210987654321:key/mrk-0123');
  assert.deepEqual(k, { kind: 'keyArn', scope: { region: 'eu-west-1', accountId: '210987654321' }, keyId: 'mrk-0123', arn: 'arn:aws:kms:eu-west-1:210987654321:key/mrk-0123' });
  const a = parseKeyIdentifier('arn:aws:kms:eu-west-1:210987654321:alias/app');
  assert.equal(a.kind, 'aliasArn');
  assert.equal(parseKeyIdentifier('arn:aws:s3:::bucket').kind, 'invalid');
});

test('fresh ids have AWS shapes', () => {
  assert.ok(isWellFormedKeyId(newKeyId(false)));
  assert.match(newKeyId(true), /^mrk-[0-9a-f]{32}$/);
  assert.match(newMaterialId(), /^[0-9a-f]{64}$/);
  assert.equal(isWellFormedKeyId('not-a-key'), false);
});
