import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as kms from '../../../../src/errors/aws-errors.js';
import * as q from '../../../../src/errors/query-errors.js';
import { iamModel, stsModel } from '../../../../src/protocol/query-model.js';

test('every modelled IAM/STS error class has the model code and HTTP status', () => {
  const classes: [new (m?: string) => kms.KmsError, string, typeof iamModel][] = [
    [q.NoSuchEntity, 'NoSuchEntityException', iamModel],
    [q.EntityAlreadyExists, 'EntityAlreadyExistsException', iamModel],
    [q.DeleteConflict, 'DeleteConflictException', iamModel],
    [q.LimitExceeded, 'LimitExceededException', iamModel],
    [q.InvalidInput, 'InvalidInputException', iamModel],
    [q.MalformedPolicyDocument, 'MalformedPolicyDocumentException', iamModel],
    [q.MalformedPolicyDocument, 'MalformedPolicyDocumentException', stsModel],
    [q.EntityTemporarilyUnmodifiable, 'EntityTemporarilyUnmodifiableException', iamModel],
    [q.UnmodifiableEntity, 'UnmodifiableEntityException', iamModel],
    [q.PolicyNotAttachable, 'PolicyNotAttachableException', iamModel],
    [q.ConcurrentModification, 'ConcurrentModificationException', iamModel],
    [q.ServiceFailure, 'ServiceFailureException', iamModel],
    [q.PolicyEvaluation, 'PolicyEvaluationException', iamModel],
    [q.PackedPolicyTooLarge, 'PackedPolicyTooLargeException', stsModel],
    [q.RegionDisabledException, 'RegionDisabledException', stsModel],
    [q.ExpiredTokenException, 'ExpiredTokenException', stsModel],
  ];
  for (const [Cls, shapeName, model] of classes) {
    const shape = model.shapes[shapeName];
    assert.ok(shape?.error !== undefined && shape.exception === true, shapeName);
    const err = new Cls('m');
    assert.ok(err instanceof kms.KmsError);
    assert.equal(err.code, shape.error.code, shapeName);
    assert.equal(err.httpStatus, shape.error.httpStatusCode, shapeName);
    assert.equal(q.isSenderFault(err), shape.error.senderFault === true, shapeName);
    assert.equal(err.name, err.code);
  }
});

test('protocol and authentication codes and statuses', () => {
  const expected: [kms.KmsError, string, number][] = [
    [new q.ValidationError(), 'ValidationError', 400],
    [new q.InvalidAction(), 'InvalidAction', 400],
    [new q.MissingAction(), 'MissingAction', 400],
    [new q.InvalidParameterValue(), 'InvalidParameterValue', 400],
    [new q.AccessDenied(), 'AccessDenied', 403],
    [new q.InvalidClientTokenId(), 'InvalidClientTokenId', 403],
    [new q.SignatureDoesNotMatch(), 'SignatureDoesNotMatch', 403],
    [new q.IncompleteSignature(), 'IncompleteSignature', 400],
    [new q.MissingAuthenticationToken(), 'MissingAuthenticationToken', 403],
    [new q.ExpiredToken(), 'ExpiredToken', 400],
  ];
  for (const [err, code, status] of expected) {
    assert.equal(err.code, code);
    assert.equal(err.httpStatus, status, code);
    assert.equal(q.isSenderFault(err), true);
  }
});

test('toQueryError maps the shared JSON-protocol errors, keeping their messages', () => {
  const cases: [kms.KmsError, string, number, string][] = [
    [new kms.UnrecognizedClientException('The security token included in the request is invalid.'), 'InvalidClientTokenId', 403,
      'The security token included in the request is invalid.'],
    [new kms.UnrecognizedClientException(), 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.'],
    [new kms.InvalidSignatureException('The request signature we calculated does not match'), 'SignatureDoesNotMatch', 403,
      'The request signature we calculated does not match'],
    [new kms.IncompleteSignatureException('Authorization header requires x'), 'IncompleteSignature', 400, 'Authorization header requires x'],
    [new kms.MissingAuthenticationTokenException('Missing Authentication Token'), 'MissingAuthenticationToken', 403, 'Missing Authentication Token'],
    [new kms.ValidationException('1 validation error detected: x'), 'ValidationError', 400, '1 validation error detected: x'],
    [new kms.AccessDeniedException('User: a is not authorized'), 'AccessDenied', 403, 'User: a is not authorized'],
  ];
  for (const [input, code, status, message] of cases) {
    const out = q.toQueryError(input);
    assert.equal(out.code, code);
    assert.equal(out.httpStatus, status);
    assert.equal(out.message, message);
  }
});

test('toQueryError passes Query errors and other AWS codes through, and hides anything else', () => {
  const own = new q.NoSuchEntity('gone');
  assert.equal(q.toQueryError(own), own);
  const throttled = new kms.ThrottlingException('slow down');
  assert.equal(q.toQueryError(throttled), throttled);
  for (const thing of [new Error('db path /secret'), 'string', undefined, { code: 'NoSuchEntity' }]) {
    const out = q.toQueryError(thing);
    assert.ok(out instanceof q.ServiceFailure);
    assert.equal(out.httpStatus, 500);
    assert.equal(q.isSenderFault(out), false);
    assert.doesNotMatch(out.message, /secret/);
  }
});
