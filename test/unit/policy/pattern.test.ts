// Wildcard and ARN patterns, and policy-variable templates, on their own.
/* eslint-disable no-template-curly-in-string -- ${...} here is policy-variable text, not a template */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RequestContext } from '../../../src/policy/context.js';
import { arnMatcher, wildcardMatcher } from '../../../src/policy/pattern.js';
import { parseTemplate, resolveTemplate, type Chunk } from '../../../src/policy/variables.js';

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

// --- The glob matchers against regexes built from the same patterns (the implementation they replaced) ---

const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

function wildcardRegex(chunks: readonly Chunk[]): RegExp {
  let source = '';
  for (const c of chunks) {
    for (const ch of c.text) source += c.literal ? escapeRegex(ch) : ch === '*' ? '.*' : ch === '?' ? '.' : escapeRegex(ch);
  }
  return new RegExp(`^${source}$`, 's');
}

function arnRegex(chunks: readonly Chunk[]): RegExp {
  const chars: { ch: string; wild: boolean }[] = [];
  for (const c of chunks) for (const ch of c.text) chars.push({ ch, wild: !c.literal && (ch === '*' || ch === '?') });
  let source = '';
  let part = 0;
  chars.forEach(({ ch, wild }, i) => {
    if (!wild) {
      if (ch === ':') part++;
      source += escapeRegex(ch);
    } else if (ch === '?') {
      source += part >= 5 ? '.' : '[^:]';
    } else {
      const next = chars[i + 1];
      source += part >= 5 || next === undefined || (next.ch === ':' && !next.wild) ? '.*' : '[^:]*';
    }
  });
  return new RegExp(`^${source}$`, 's');
}

const chunksArb = (alphabet: string[]) =>
  fc.array(fc.record({ text: fc.string({ unit: fc.constantFrom(...alphabet, '*', '?'), maxLength: 6 }), literal: fc.boolean() }), { minLength: 1, maxLength: 3 });
const valueArb = (alphabet: string[]) => fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 12 });

test('wildcardMatcher decides exactly what the equivalent regex decides', () => {
  const alphabet = ['a', 'b', '/'];
  fc.assert(
    fc.property(chunksArb(alphabet), fc.array(valueArb([...alphabet, '*', '?']), { minLength: 1, maxLength: 8 }), (chunks, values) => {
      const m = wildcardMatcher(chunks);
      const re = wildcardRegex(chunks);
      for (const v of values) assert.equal(m(v), re.test(v), `${JSON.stringify(chunks)} on ${JSON.stringify(v)}`);
    }),
    { numRuns: 2000 },
  );
});

test('wildcardMatcher with ignoreCase decides what the case-folded regex decides', () => {
  fc.assert(
    fc.property(chunksArb(['a', 'B', '/']), valueArb(['a', 'b', '/']), (chunks, v) => {
      const lower = chunks.map((c) => ({ ...c, text: c.text.toLowerCase() }));
      assert.equal(wildcardMatcher(chunks, true)(v), wildcardRegex(lower).test(v));
    }),
    { numRuns: 1000 },
  );
});

test('arnMatcher decides exactly what the equivalent part-aware regex decides', () => {
  const alphabet = ['a', 'b', ':', '/'];
  const prefixed = fc.tuple(fc.constantFrom('', 'arn:aws:', 'arn:aws:kms:a:b:'), chunksArb(alphabet)).map(([head, chunks]) => (head ? [{ text: head, literal: false }, ...chunks] : chunks));
  fc.assert(
    fc.property(prefixed, fc.array(fc.tuple(fc.constantFrom('', 'arn:aws:', 'arn:aws:kms:a:b:'), valueArb(alphabet)).map(([h, v]) => h + v), { minLength: 1, maxLength: 8 }), (chunks, values) => {
      const m = arnMatcher(chunks);
      const re = arnRegex(chunks);
      for (const v of values) assert.equal(m(v), re.test(v), `${JSON.stringify(chunks)} on ${JSON.stringify(v)}`);
    }),
    { numRuns: 2000 },
  );
});

test('long adversarial values against many-star patterns return promptly with the right answer', () => {
  const n = 200_000;
  const as = 'a'.repeat(n);
  assert.equal(wildcardMatcher(p('*a*a*a*x'))(as), false);
  assert.equal(wildcardMatcher(p('*a*a*a*x'))(`${as}x`), true);
  const slashes = '/'.repeat(n);
  assert.equal(wildcardMatcher(p('*/*.csv'))(slashes), false);
  assert.equal(wildcardMatcher(p('*/*.csv'))(`${'/.cs'.repeat(n / 4)}`), false);
  assert.equal(wildcardMatcher(p('*/*.csv'))(`${slashes}.csv`), true);
  assert.equal(wildcardMatcher(p('*a?a*a*x'), true)(as), false);
  const arn = `arn:aws:kms:us-east-1:111122223333:key/${'a'.repeat(n)}`;
  assert.equal(arnMatcher(p('arn:aws:kms:*:111122223333:key/*a*a*a*x'))(arn), false);
  assert.equal(arnMatcher(p('arn:aws:kms:*:111122223333:key/*a*a*a*x'))(`${arn}x`), true);
  assert.equal(arnMatcher(p('arn:aws:k*s:u*1:*:*a*a*x'))(`arn:aws:kms:us-east-1:${'a'.repeat(n)}`), false);
  assert.equal(arnMatcher(p('arn:aws:k*s:u*1:*:*a*a*x'))(`arn:aws:k${'a'.repeat(n)}`), false);
});
