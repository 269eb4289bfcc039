// Wildcard patterns (* and ?) compiled once into the cheapest test that decides them: always,
// exact, prefix, suffix, or a non-backtracking glob match over the pattern's tokens. No regex is
// built from a pattern: a backtracking regex such as ^.*a.*a.*x$ takes super-linear time on a long
// caller-controlled value, while these matchers take O(value length x pattern length) at worst.
// Characters are UTF-16 code units, as `.` was in the regexes these replace.

import type { Chunk } from './variables.js';

export type Matcher = (value: string) => boolean;

const always: Matcher = () => true;

/** ANY_ONE: ?, any one character; ANY_RUN: *, any run of characters, the empty one included. */
const ANY_ONE = -1;
const ANY_RUN = -2;
/** The same two, not matching a colon (wildcards inside one part of an ARN). */
const PART_ONE = -3;
const PART_RUN = -4;
const COLON = 0x3a;

/**
 * Classic glob match with only unrestricted wildcards: greedy two pointers, and on a mismatch back to
 * the last * with one more character given to it. O(n*m) at worst, no recursion.
 */
function globMatch(tokens: Int32Array, value: string): boolean {
  const n = value.length;
  const m = tokens.length;
  let v = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (v < n) {
    const tok = t < m ? tokens[t]! : 0;
    if (t < m && tok === ANY_RUN) {
      star = t++;
      mark = v;
    } else if (t < m && (tok === ANY_ONE || tok === value.charCodeAt(v))) {
      t++;
      v++;
    } else if (star >= 0) {
      t = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (t < m && tokens[t] === ANY_RUN) t++;
  return t === m;
}

/**
 * Glob match with wildcards that may not match a colon too: a simulation of the pattern's automaton
 * over the set of pattern positions reached so far (no backtracking). O(n*m) at worst.
 */
function classGlobMatch(tokens: Int32Array, value: string): boolean {
  const m = tokens.length;
  let cur = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  const close = (set: Uint8Array) => {
    for (let j = 0; j < m; j++) if (set[j] && (tokens[j] === ANY_RUN || tokens[j] === PART_RUN)) set[j + 1] = 1;
  };
  cur[0] = 1;
  close(cur);
  for (let v = 0; v < value.length; v++) {
    const c = value.charCodeAt(v);
    next.fill(0);
    let live = false;
    for (let j = 0; j < m; j++) {
      if (!cur[j]) continue;
      const tok = tokens[j]!;
      if (tok === ANY_RUN || (tok === PART_RUN && c !== COLON)) {
        next[j] = 1;
        live = true;
      } else if (tok === c || tok === ANY_ONE || (tok === PART_ONE && c !== COLON)) {
        next[j + 1] = 1;
        live = true;
      }
    }
    if (!live) return false;
    close(next);
    [cur, next] = [next, cur];
  }
  return cur[m] === 1;
}

function tokenMatcher(tokens: number[]): Matcher {
  const compiled = Int32Array.from(tokens);
  if (tokens.some((t) => t === PART_ONE || t === PART_RUN)) return (v) => classGlobMatch(compiled, v);
  return (v) => globMatch(compiled, v);
}

function codes(text: string, out: number[]): void {
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
}

/**
 * A string pattern: * matches any run of characters, ? any one character (IAM User Guide,
 * "Condition operators", StringLike). With `ignoreCase`, values must be lower-cased by the caller.
 */
export function wildcardMatcher(chunks: readonly Chunk[], ignoreCase = false): Matcher {
  const norm = (t: string) => (ignoreCase ? t.toLowerCase() : t);
  if (chunks.length === 1 && !chunks[0]!.literal) {
    const text = norm(chunks[0]!.text);
    if (text === '*') return always;
    const first = text.search(/[*?]/);
    if (first < 0) return (v) => v === text;
    if (first === text.length - 1 && text.endsWith('*')) {
      const prefix = text.slice(0, -1);
      return (v) => v.startsWith(prefix);
    }
    if (first === 0 && text.startsWith('*') && !/[*?]/.test(text.slice(1))) {
      const suffix = text.slice(1);
      return (v) => v.endsWith(suffix);
    }
  }
  const tokens: number[] = [];
  let wild = false;
  for (const c of chunks) {
    const text = norm(c.text);
    if (c.literal) {
      codes(text, tokens);
      continue;
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 0x2a) {
        // Runs of * are one *.
        if (tokens[tokens.length - 1] !== ANY_RUN) tokens.push(ANY_RUN);
        wild = true;
      } else if (ch === 0x3f) {
        tokens.push(ANY_ONE);
        wild = true;
      } else {
        tokens.push(ch);
      }
    }
  }
  if (!wild) {
    const exact = norm(chunks.map((c) => c.text).join(''));
    return (v) => v === exact;
  }
  return tokenMatcher(tokens);
}

/**
 * An ARN pattern (Resource, ArnLike/ArnEquals): wildcards stay inside one colon-separated part of
 * arn:partition:service:region:account:resource, except that a * ending a part may run past the
 * colons (IAM User Guide, "IAM JSON policy elements: Resource"), and the resource part may hold
 * colons of its own. Case-sensitive.
 */
export function arnMatcher(chunks: readonly Chunk[]): Matcher {
  const all = chunks.map((c) => c.text).join('');
  if (chunks.length === 1 && !chunks[0]!.literal) {
    if (all === '*') return always;
    if (!/[*?]/.test(all)) return (v) => v === all;
  }
  // Flatten to characters that know whether they are wildcards.
  const chars: { ch: number; wild: boolean }[] = [];
  for (const c of chunks) {
    for (let i = 0; i < c.text.length; i++) {
      const ch = c.text.charCodeAt(i);
      chars.push({ ch, wild: !c.literal && (ch === 0x2a || ch === 0x3f) });
    }
  }
  const tokens: number[] = [];
  let part = 0;
  let wild = false;
  for (let i = 0; i < chars.length; i++) {
    const { ch, wild: isWild } = chars[i]!;
    if (!isWild) {
      if (ch === COLON) part++;
      tokens.push(ch);
      continue;
    }
    wild = true;
    const inResource = part >= 5;
    if (ch === 0x3f) {
      tokens.push(inResource ? ANY_ONE : PART_ONE);
    } else {
      const next = chars[i + 1];
      const endsPart = next === undefined || (next.ch === COLON && !next.wild);
      const tok = inResource || endsPart ? ANY_RUN : PART_RUN;
      // A * next to another * of the same kind adds nothing.
      if (tokens[tokens.length - 1] !== tok) tokens.push(tok);
    }
  }
  if (!wild) return (v) => v === all;
  return tokenMatcher(tokens);
}

/** Builds matchers for strings known only per request (values with variables), keeping the last few. */
export function cachedMatcher(build: (chunks: readonly Chunk[]) => Matcher, limit = 64): (chunks: readonly Chunk[]) => Matcher {
  const cache = new Map<string, Matcher>();
  return (chunks) => {
    const key = chunks.map((c) => (c.literal ? `L${c.text.length}:${c.text}` : `P${c.text.length}:${c.text}`)).join('');
    let m = cache.get(key);
    if (m === undefined) {
      m = build(chunks);
      if (cache.size >= limit) cache.delete(cache.keys().next().value!);
      cache.set(key, m);
    }
    return m;
  };
}
