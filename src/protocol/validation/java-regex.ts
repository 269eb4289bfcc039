// Service-model patterns are java.util.regex patterns checked with full-match semantics
// (Matcher.matches()). This translates the subset Java and JS share to an anchored JS RegExp
// with the `u` flag (so `.`/classes see code points, as Java does) and rejects constructs whose
// meaning would silently differ, so a model update can never weaken validation unnoticed.

export class UnsupportedJavaPatternError extends Error {
  constructor(pattern: string, reason: string) {
    super(`Unsupported Java regex construct in ${JSON.stringify(pattern)}: ${reason}`);
  }
}

// Java's predefined whitespace is ASCII-only; JS `\s` also matches Unicode spaces.
const JAVA_SPACE_CHARS = '\\t\\n\\x0B\\f\\r ';
// Java's `.` (without DOTALL) excludes these line terminators; JS's `.` does not exclude U+0085.
const JAVA_DOT = '[^\\n\\r\\u0085\\u2028\\u2029]';

const GENERAL_CATEGORY = /^(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfson]?)$/;
// Java's POSIX classes are US-ASCII only.
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  Lower: 'a-z', Upper: 'A-Z', ASCII: '\\x00-\\x7F', Alpha: 'a-zA-Z', Digit: '0-9',
  Alnum: 'a-zA-Z0-9', Punct: '!-\\/:-@\\[-`{-~', Graph: '!-~', Print: ' -~', Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F', XDigit: '0-9a-fA-F', Space: JAVA_SPACE_CHARS,
};

const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'p', 'P']);

function literal(ch: string): string {
  // \u{...} is a valid atom both inside and outside classes in `u` mode, and never a range dash.
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

/** Translates a Java pattern to JS source (unanchored). Exported for tests. */
export function translateJavaPattern(pattern: string): string {
  const fail = (reason: string): never => {
    throw new UnsupportedJavaPatternError(pattern, reason);
  };
  const chars = Array.from(pattern); // code points, so astral literals stay whole
  let out = '';
  let i = 0;
  let inClass = false;
  let classAtomCount = 0;
  let prevClassAtomWasEscape = false;
  let inBraces = false;
  let lastWasQuantifier = false;

  // Reads `{...}` after \p / \x; returns the inside.
  const readBraced = (): string => {
    if (chars[i] !== '{') fail('expected {');
    const end = chars.indexOf('}', i);
    if (end < 0) fail('unterminated {');
    const body = chars.slice(i + 1, end).join('');
    i = end + 1;
    return body;
  };

  // Translates the escape whose letter is at chars[i] (the backslash was already consumed).
  const escape = (): string => {
    const c = chars[i++];
    if (c === undefined) return fail('trailing backslash');
    if (!/[0-9A-Za-z]/.test(c)) return literal(c);
    switch (c) {
      case 'd': case 'D': case 'w': case 'W': case 't': case 'n': case 'r': case 'f':
        return `\\${c}`;
      case 's':
        return inClass ? JAVA_SPACE_CHARS : `[${JAVA_SPACE_CHARS}]`;
      case 'S':
        return inClass ? fail('\\S inside a character class') : `[^${JAVA_SPACE_CHARS}]`;
      case 'b': case 'B':
        return inClass ? fail(`\\${c} inside a character class`) : `\\${c}`;
      case 'e': return '\\x1B';
      case 'a': return '\\x07';
      case 'u': {
        const hex = chars.slice(i, i + 4).join('');
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
        i += 4;
        return `\\u${hex}`;
      }
      case 'x': {
        if (chars[i] === '{') {
          const hex = readBraced();
          if (!/^[0-9a-fA-F]+$/.test(hex)) fail('bad \\x{} escape');
          return `\\u{${hex}}`;
        }
        const hex = chars.slice(i, i + 2).join('');
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail('bad \\x escape');
        i += 2;
        return `\\x${hex}`;
      }
      case '0': {
        let octal = '';
        while (octal.length < 3 && /[0-7]/.test(chars[i] ?? '')) octal += chars[i++];
        if (octal === '' || Number.parseInt(octal, 8) > 0o377) fail('bad octal escape');
        return literal(String.fromCodePoint(Number.parseInt(octal, 8)));
      }
      case 'c': {
        const ctl = chars[i++];
        if (ctl === undefined || !/[A-Za-z]/.test(ctl)) fail('bad \\c escape');
        return `\\c${ctl}`;
      }
      case 'p': case 'P': {
        const name = chars[i] === '{' ? readBraced() : (chars[i++] ?? '');
        const bare = name.replace(/^Is/, '');
        if (GENERAL_CATEGORY.test(bare)) return `\\${c}{${bare}}`;
        const posix = POSIX_CLASSES[name];
        if (posix === undefined) return fail(`\\${c}{${name}}`);
        if (inClass) return c === 'p' ? posix : fail(`\\P{${name}} inside a character class`);
        return c === 'p' ? `[${posix}]` : `[^${posix}]`;
      }
      case 'Q': {
        let quoted = '';
        while (i < chars.length && !(chars[i] === '\\' && chars[i + 1] === 'E')) quoted += literal(chars[i++] ?? '');
        i += 2; // skip \E (or run past the end, which Java also allows)
        return quoted;
      }
      default:
        if (/[1-9]/.test(c) && !inClass) return `\\${c}`; // back-reference
        return fail(`\\${c}`);
    }
  };

  while (i < chars.length) {
    const c = chars[i++] as string;
    if (inClass) {
      const atStart = classAtomCount === 0;
      if (c === '\\') {
        const isClassEscape = CLASS_ESCAPES.has(chars[i] ?? '');
        out += escape();
        prevClassAtomWasEscape = isClassEscape;
      } else if (c === ']' && !atStart) {
        out += ']';
        inClass = false;
        continue;
      } else if (c === '[') {
        fail('nested character class (Java union)');
      } else if (c === '&' && chars[i] === '&') {
        fail('character class intersection');
      } else if (c === '-') {
        // Java treats a dash next to a class escape or at an edge as literal; JS `u` mode
        // rejects the former, so spell it as an escaped literal there.
        const nextIsClassEscape = chars[i] === '\\' && CLASS_ESCAPES.has(chars[i + 1] ?? '');
        const atEdge = atStart || chars[i] === ']';
        out += prevClassAtomWasEscape || nextIsClassEscape || atEdge ? literal('-') : '-';
        prevClassAtomWasEscape = false;
      } else {
        out += c === ']' ? literal(']') : c;
        prevClassAtomWasEscape = false;
      }
      classAtomCount++;
      continue;
    }

    const wasQuantifier: boolean = lastWasQuantifier;
    lastWasQuantifier = false;
    if (inBraces) {
      out += c;
      if (c === '}') {
        inBraces = false;
        lastWasQuantifier = true;
      }
      continue;
    }
    switch (c) {
      case '\\':
        out += escape();
        break;
      case '[':
        inClass = true;
        classAtomCount = 0;
        prevClassAtomWasEscape = false;
        out += '[';
        if (chars[i] === '^') {
          out += '^';
          i++;
        }
        break;
      case '.':
        out += JAVA_DOT;
        break;
      case '(':
        if (chars[i] === '?') {
          const rest = chars.slice(i, i + 3).join('');
          const ok = rest.startsWith('?:') || rest.startsWith('?=') || rest.startsWith('?!') ||
            rest === '?<=' || rest === '?<!' || /^\?<[A-Za-z]/.test(rest);
          if (!ok) fail('inline flags, atomic groups or other special groups');
        }
        out += '(';
        break;
      case '*': case '+': case '?':
        if (wasQuantifier && c === '+') fail('possessive quantifier');
        out += c;
        // `x*?` is lazy in both; the `?` itself is not a new quantifier.
        lastWasQuantifier = !(wasQuantifier && c === '?');
        break;
      case '{':
        inBraces = true;
        out += '{';
        break;
      case ']': case '}':
        out += literal(c); // literal in Java, a syntax error in JS `u` mode
        break;
      default:
        out += c;
    }
  }
  if (inClass) fail('unterminated character class');
  return out;
}

/** Compiles a Java model pattern to a JS RegExp that must match the whole input. */
export function compileJavaPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${translateJavaPattern(pattern)})$`, 'u');
}
