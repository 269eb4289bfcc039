// Generic request validation driven by the KMS service model: decode (types; fails fast with
// SerializationException), then check constraints (all violations in one ValidationException).
import { UnknownOperationException, ValidationException } from '../errors/aws-errors.js';
import { ConstraintChecker } from './validation/constraints.js';
import { decodeInputBody } from './validation/decode.js';
import { inputShapeOf, isOperation, shapeOf, type ShapeResolver } from './kms-model.js';

/** "1 validation error detected: a" / "2 validation errors detected: a; b". */
export function formatValidationMessage(violations: readonly string[]): string {
  const noun = violations.length === 1 ? 'error' : 'errors';
  return `${violations.length} validation ${noun} detected: ${violations.join('; ')}`;
}

function decodeThenCheck(
  input: unknown,
  inputShape: string,
  resolve: ShapeResolver,
  checker: ConstraintChecker,
): Record<string, unknown> {
  const decoded = decodeInputBody(input, inputShape, resolve);
  const violations = checker.check(decoded, inputShape);
  if (violations.length > 0) throw new ValidationException(formatValidationMessage(violations));
  return decoded;
}

// One checker for the KMS model, so its per-shape caches are shared across requests.
const kmsChecker = new ConstraintChecker(shapeOf);

/**
 * Returns the operation's input with only modelled members, blobs as Buffer and timestamps as
 * Date. Throws SerializationException for a body of the wrong JSON types, ValidationException
 * for constraint violations, UnknownOperationException for an operation not in the model.
 */
export function decodeAndValidateInput(operation: string, input: unknown): Record<string, unknown> {
  if (!isOperation(operation)) throw new UnknownOperationException();
  const inputShape = inputShapeOf(operation);
  if (inputShape === undefined) return {};
  return decodeThenCheck(input, inputShape, shapeOf, kmsChecker);
}

/** The same against any structure shape of any model (used by tests with synthetic shapes). */
export function decodeAndValidate(input: unknown, inputShape: string, resolve: ShapeResolver): Record<string, unknown> {
  return decodeThenCheck(input, inputShape, resolve, new ConstraintChecker(resolve));
}
