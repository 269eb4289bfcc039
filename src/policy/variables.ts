// Policy variables: ${aws:username}, ${aws:PrincipalTag/team}, ... in Resource and condition values,
// the escapes ${*} ${?} ${$} for a literal * ? $, and the default form ${key, 'text'}.
// "Policy variables" in the IAM User Guide: variables work only under "Version": "2012-10-17" (under
// 2008-10-17 or with no Version, "${aws:username}" is a literal string); a variable whose key has no
// value "is effectively null. There is no equal or like value", so that value matches nothing; a
// multivalued key cannot be a variable.

import { lookupKey, type RequestContext } from './context.js';

/** A run of template text. `literal` text (from an escape or a variable) never holds wildcards. */
export interface Chunk {
  readonly text: string;
  readonly literal: boolean;
}

type Part = Chunk | { readonly key: string; readonly fallback: string | undefined };

/** Fixed text (no variables: the compiler precompiles it once) or text with variables, resolved per request. */
export type Template =
  | { readonly dynamic: false; readonly chunks: readonly Chunk[] }
  | { readonly dynamic: true; readonly parts: readonly Part[] };

export type FixedTemplate = Extract<Template, { dynamic: false }>;
export type DynamicTemplate = Extract<Template, { dynamic: true }>;
export const isFixed = (t: Template): t is FixedTemplate => !t.dynamic;
export const isDynamic = (t: Template): t is DynamicTemplate => t.dynamic;

const VARIABLE = /^\s*([^\s,'}]+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/;

/** Splits a policy value into text and variables; with `variables` false it is all pattern text. */
export function parseTemplate(value: string, variables: boolean): Template {
  if (!variables || !value.includes('${')) return { dynamic: false, chunks: [{ text: value, literal: false }] };
  const parts: Part[] = [];
  let text = '';
  let dynamic = false;
  let i = 0;
  const flush = () => {
    if (text !== '') parts.push({ text, literal: false });
    text = '';
  };
  while (i < value.length) {
    const start = value.indexOf('${', i);
    const end = start < 0 ? -1 : value.indexOf('}', start);
    if (start < 0 || end < 0) {
      text += value.slice(i);
      break;
    }
    text += value.slice(i, start);
    const body = value.slice(start + 2, end);
    i = end + 1;
    if (body === '*' || body === '?' || body === '$') {
      flush();
      parts.push({ text: body, literal: true });
      continue;
    }
    const m = VARIABLE.exec(body);
    if (!m) {
      // Not a variable form: AWS cannot substitute it; keep the text as written.
      text += value.slice(start, end + 1);
      continue;
    }
    flush();
    parts.push({ key: m[1]!.toLowerCase(), fallback: m[2]?.replaceAll("''", "'") });
    dynamic = true;
  }
  flush();
  return dynamic ? { dynamic, parts } : { dynamic, chunks: parts as Chunk[] };
}

/** The chunks of a template for this request, or undefined when a variable has no value and no default. */
export function resolveTemplate(template: Template, request: RequestContext): readonly Chunk[] | undefined {
  if (!template.dynamic) return template.chunks;
  const chunks: Chunk[] = [];
  for (const part of template.parts) {
    if ('text' in part) {
      chunks.push(part);
      continue;
    }
    const value = lookupKey(request, part.key);
    if (value === undefined || Array.isArray(value)) {
      if (part.fallback === undefined) return undefined;
      chunks.push({ text: part.fallback, literal: true });
    } else {
      chunks.push({ text: String(value), literal: true });
    }
  }
  return chunks;
}

export function chunksText(chunks: readonly Chunk[]): string {
  return chunks.length === 1 ? chunks[0]!.text : chunks.map((c) => c.text).join('');
}
