// The little XML this server writes: escaped text and elements. Output only, so no parser.

// XML 1.0 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF];
// the others cannot be written even as character references (expat, which botocore uses,
// rejects "&#x1;"), so they become U+FFFD. Lone surrogates are caught by the `u` flag.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const SPECIAL = /[&<>"'\r\n\t]/g;
const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;',
  // As character references so parsers' line-ending and whitespace normalization keeps them
  // (a bare CR would come back as LF).
  '\r': '&#xD;', '\n': '&#xA;', '\t': '&#x9;',
};

/** Text safe in element content and in double-quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(SPECIAL, (c) => ENTITY[c] ?? c);
}

/** `<name attrs>content</name>`, or `<name attrs/>` when there is no content. */
export function element(name: string, content: string, attributes = ''): string {
  return content === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${content}</${name}>`;
}

/** ` xmlns="uri"` or ` xmlns:prefix="uri"`. */
export function xmlnsAttribute(uri: string, prefix?: string): string {
  return prefix === undefined || prefix === '' ? ` xmlns="${escapeXml(uri)}"` : ` xmlns:${prefix}="${escapeXml(uri)}"`;
}
