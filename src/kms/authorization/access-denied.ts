// AccessDeniedException in AWS's current wording (IAM User Guide, "Access denied error messages"):
// who, which action, which resource, and why. `detail` names the policy statement that decided, for
// the server's log line only: it never goes on the wire.

import { AccessDeniedException } from '../../errors/aws-errors.js';

export type DenialCause = 'no resource-based policy allows' | 'explicit deny in a resource-based policy' | 'no identity-based policy allows';

export class AuthorizationDenied extends AccessDeniedException {
  constructor(
    principalArn: string,
    action: string,
    resource: string,
    cause: DenialCause,
    /** For the log: the policy and statement that decided, or that nothing allowed. */
    readonly detail: string,
  ) {
    super(
      cause === 'explicit deny in a resource-based policy'
        ? `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in a resource-based policy`
        : `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} because ${cause} the ${action} action`,
    );
  }
}
