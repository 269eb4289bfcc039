// Wildcard and ARN patterns, and policy-variable templates, on their own.
/* eslint-disable no-template-curly-in-string -- ${...} here is policy-variable text, not a template */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '../../../src/policy/context.js';
import { arnMatcher, wildcardMatcher } from '../../../src/policy/pattern.js';
import { parseTemplate, resolveTemplate } from '../../../src/policy/variables.js';

const p = (text: string) => [{ text, literal: false }];

test('string wildcards: exact, prefix, suffix, ? and regex metacharacters taken literally', () => {
  assert.equal(wildcardMatcher(p('abc'))('abc'), true);
  assert.equal(wildcardMatcher(p('abc'))('abcd'), false);
  assert.equal(wildcardMatcher(p('ab*'))('abzzz'), true);
  assert.equal(wildcardMatcher(p('*yz'))('xxyz'), true);
  assert.equal(wildcardMatcher(p('a?c*'))('abcde'), true);
  assert.equal(wildcardMatcher(p('a.c'))('abc'), false);
  assert.equal(wildcardMatcher(p('(a|b)*'))('(a|b)x'), true);
  assert.equal(wildcardMatcher(p('*'))(''), true);
  assert.equal(wildcardMatcher(p('a*b'))('a\nb'), true);
  assert.equal(wildcardMatcher(p('KMS:Enc*'), true)('kms:encrypt'), true);
});

test('ARN patterns: wildcards stay in their part unless they end it; the resource part may hold colons', () => {
  const arn = 'arn:aws:logs:us-east-1:111122223333:log-group:app:*';
  assert.equal(arnMatcher(p('arn:aws:logs:*:111122223333:log-group:*'))(arn), true);
  assert.equal(arnMatcher(p('arn:aws:lo*s:us-east-1:111122223333:*'))(arn), true);
  assert.equal(arnMatcher(p('arn:aws:l*1:111122223333:*'))(arn), false);
  assert.equal(arnMatcher(p('arn:aws:logs:us-east-?:111122223333:*'))(arn), true);
  assert.equal(arnMatcher(p('arn:aws:logs:us-east-??:111122223333:*'))(arn), false);
  assert.equal(arnMatcher(p('arn:aws:*'))(arn), true);
  assert.equal(arnMatcher(p('*'))('anything'), true);
});

test('templates: variables, defaults, escapes; nothing is substituted when variables are off', () => {
  const request: RequestContext = {
    caller: { arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', type: 'User', username: 'alice' },
    action: 'kms:Encrypt',
    resource: 'k',
  };
  const text = (value: string, variables = true) => resolveTemplate(parseTemplate(value, variables), request)?.map((c) => c.text).join('');
  assert.equal(text('home/${aws:username}/*'), 'home/alice/*');
  assert.equal(text('${AWS:UserName}'), 'alice');
  assert.equal(text('${aws:PrincipalTag/team}'), undefined);
  assert.equal(text("${aws:PrincipalTag/team, 'it''s none'}"), "it's none");
  assert.equal(text('${*}${?}${$}'), '*?$');
  assert.equal(text('${not a variable}'), '${not a variable}');
  assert.equal(text('${unterminated'), '${unterminated');
  assert.equal(text('${aws:username}', false), '${aws:username}');
  const literal = resolveTemplate(parseTemplate('a${*}', true), request)!;
  assert.equal(wildcardMatcher(literal)('a*'), true);
  assert.equal(wildcardMatcher(literal)('ab'), false);
});
