// Reading a seed file's YAML. Neither seed format has a numeric field, so a plain scalar that YAML
// would read as a number is kept as the text written: an unquoted account id keeps its leading
// zeros (012345678901) and a backing key made only of digits (or looking like 1e5...) stays hex.

import { parseDocument, visit } from 'yaml';
import { SeedError } from './seed-plan.js';

/** Parses one YAML document; throws SeedError naming `source` on a syntax error. */
export function parseSeedYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) throw new SeedError(`${source}: invalid YAML: ${error.message}`);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && node.type === 'PLAIN' && node.source !== undefined) node.value = node.source;
    },
  });
  return doc.toJS({ maxAliasCount: 100 });
}
