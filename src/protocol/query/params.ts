// The flat "A.B.member.1.C" parameter names of a Query request, indexed as a tree so the decoder
// can ask "is anything under this prefix?" and "which children does it have?" without rescanning.

export class QueryParams {
  readonly #values = new Map<string, string>();
  readonly #children = new Map<string, Set<string>>();

  constructor(params: URLSearchParams) {
    for (const [name, value] of params) {
      // A repeated name keeps its first value, as URLSearchParams.get does.
      if (this.#values.has(name)) continue;
      this.#values.set(name, value);
      const segments = name.split('.');
      let prefix = '';
      for (const segment of segments) {
        let children = this.#children.get(prefix);
        if (children === undefined) {
          children = new Set();
          this.#children.set(prefix, children);
        }
        children.add(segment);
        prefix = joinName(prefix, segment);
      }
    }
  }

  value(name: string): string | undefined {
    return this.#values.get(name);
  }

  /** Whether any parameter is named `prefix.<something>`. */
  hasChildren(prefix: string): boolean {
    return this.#children.has(prefix);
  }

  /** The next segments after `prefix.`, in first-seen order. */
  children(prefix: string): readonly string[] {
    return [...(this.#children.get(prefix) ?? [])];
  }
}

export function joinName(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}
