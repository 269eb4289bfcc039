// Wildcard patterns (* and ?) compiled once into the cheapest test that decides them: always,
// exact, prefix, suffix, or an anchored regex.

import type { Chunk } from './variables.js';

export type Matcher = (value: string) => boolean;

const always: Matcher = () => true;

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
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
  let source = '';
  let wild = false;
  for (const c of chunks) {
    const text = norm(c.text);
    if (c.literal) {
      source += escapeRegex(text);
      continue;
    }
    for (const ch of text) {
      if (ch === '*') source += '.*';
      else if (ch === '?') source += '.';
      else {
        source += escapeRegex(ch);
        continue;
      }
      wild = true;
    }
  }
  if (!wild) {
    const exact = norm(chunks.map((c) => c.text).join(''));
    return (v) => v === exact;
  }
  const re = new RegExp(`^${source}$`, 's');
  return (v) => re.test(v);
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
  const chars: { ch: string; wild: boolean }[] = [];
  for (const c of chunks) for (const ch of c.text) chars.push({ ch, wild: !c.literal && (ch === '*' || ch === '?') });
  let source = '';
  let part = 0;
  let wild = false;
  for (let i = 0; i < chars.length; i++) {
    const { ch, wild: isWild } = chars[i]!;
    if (!isWild) {
      if (ch === ':') part++;
      source += escapeRegex(ch);
      continue;
    }
    wild = true;
    const inResource = part >= 5;
    if (ch === '?') {
      source += inResource ? '.' : '[^:]';
    } else {
      const next = chars[i + 1];
      const endsPart = next === undefined || (next.ch === ':' && !next.wild);
      source += inResource || endsPart ? '.*' : '[^:]*';
    }
  }
  if (!wild) return (v) => v === all;
  const re = new RegExp(`^${source}$`, 's');
  return (v) => re.test(v);
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
