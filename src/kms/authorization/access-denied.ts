// AccessDeniedException in AWS's current wording (IAM User Guide, "Access denied error messages"):
// who, which action, which resource, and why. `detail` names the policy statement that decided, for
// the server's log line only: it never goes on the wire.

import { AccessDeniedException } from '../../errors/aws-errors.js';
import type { StatementTrace } from '../../policy/index.js';

export type DenialCause =
  | 'no resource-based policy allows'
  | 'no identity-based policy allows'
  | 'no session policy allows'
  | 'explicit deny in a resource-based policy'
  | 'explicit deny in an identity-based policy'
  | 'explicit deny in a session policy';

export class AuthorizationDenied extends AccessDeniedException {
  /** Every statement of the policies that applied and how each fared: computed only when asked (the --dev explanation). */
  trace?: () => readonly StatementTrace[];

  constructor(
    readonly principalArn: string,
    readonly action: string,
    readonly resource: string,
    cause: DenialCause,
    /** For the log: the policy and statement that decided, or that nothing allowed. */
    readonly detail: string,
  ) {
    super(
      cause.startsWith('explicit deny')
        ? `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} with an ${cause}`
        : `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} because ${cause} the ${action} action`,
    );
  }

  withTrace(trace: () => readonly StatementTrace[]): this {
    this.trace = trace;
    return this;
  }
}
