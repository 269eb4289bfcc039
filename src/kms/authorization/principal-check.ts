// A key policy may name only principals that exist: AWS refuses one naming an IAM user or role
// that does not ("MalformedPolicyDocumentException: Policy contains a statement with one or more
// invalid principals.", KMS API Reference, PutKeyPolicy/CreateKey, and as users quote it), which
// catches a typo in a role name before it silently allows nobody. Accounts (root ARNs, ids),
// "*", services, assumed-role sessions and unique ids are not looked up.

import { MalformedPolicyDocumentException } from '../../errors/aws-errors.js';
import type { IamDirectories } from '../../iam/directories.js';
import { findRole, findUser } from '../../iam/model/directory.js';
import type { PolicyDocument } from '../../policy/index.js';
import { keyPolicies } from './key-policy-cache.js';

const ENTITY = /^arn:aws:iam::(\d{12}):(user|role)(\/(?:[^/]+\/)*)([^/]+)$/;

export const INVALID_PRINCIPALS = 'Policy contains a statement with one or more invalid principals.';

function awsPrincipals(doc: PolicyDocument): string[] {
  const out: string[] = [];
  for (const s of doc.statements) {
    for (const block of [s.principal, s.notPrincipal]) {
      if (block && block !== '*') out.push(...(block.AWS ?? []));
    }
  }
  return out;
}

/** Precondition: the policy parses (checkKeyPolicy). Without directories (tools serving no requests) nothing is looked up. */
export async function checkPrincipalsExist(policyText: string, directories: IamDirectories | undefined): Promise<void> {
  if (!directories) return;
  for (const arn of awsPrincipals(keyPolicies.get(policyText).document)) {
    const m = ENTITY.exec(arn);
    if (!m) continue;
    const [, accountId, kind, path, name] = m as unknown as [string, string, 'user' | 'role', string, string];
    const { dir } = await directories.current(accountId);
    const entity = kind === 'user' ? findUser(dir, name) : findRole(dir, name);
    // The name and the path must both be the entity's (ARNs are compared exactly).
    const entityName = entity && ('userName' in entity ? entity.userName : entity.roleName);
    if (!entity || entity.path !== path || entityName !== name) throw new MalformedPolicyDocumentException(INVALID_PRINCIPALS);
  }
}
