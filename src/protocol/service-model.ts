// The shape of a trimmed botocore service model (scripts/gen-kms-model.py, gen-query-models.py)
// and typed access to one. Protocol-neutral: the JSON 1.1 (KMS) and Query (IAM, STS) layers
// read the same structure; the XML traits are simply absent from the KMS model.

export type ShapeType =
  | 'structure' | 'list' | 'map'
  | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'blob' | 'timestamp';

/** XML serialization traits (botocore names), on a shape or on a reference to it. */
export interface XmlTraits {
  readonly locationName?: string;
  readonly flattened?: boolean;
  readonly xmlNamespace?: { readonly uri?: string; readonly prefix?: string };
  readonly timestampFormat?: string;
}

/** Constraints any shape may carry (botocore names), plus the traits above. */
export interface ShapeConstraints extends XmlTraits {
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly sensitive?: boolean;
  /** Present on error shapes of the Query models. */
  readonly error?: { readonly code: string; readonly httpStatusCode: number; readonly senderFault?: boolean };
  readonly exception?: boolean;
}

export interface StructureShape extends ShapeConstraints {
  readonly type: 'structure';
  /** Wire member name -> shape name, in model order (which is also message order). */
  readonly members: Readonly<Record<string, string>>;
  /** Traits on the member references, by member name (only members that have any). */
  readonly memberTraits?: Readonly<Record<string, XmlTraits>>;
  readonly required?: readonly string[];
}
export interface ListShape extends ShapeConstraints {
  readonly type: 'list';
  readonly member: string;
  readonly memberTraits?: XmlTraits;
}
export interface MapShape extends ShapeConstraints {
  readonly type: 'map';
  readonly key: string;
  readonly value: string;
  readonly keyTraits?: XmlTraits;
  readonly valueTraits?: XmlTraits;
}
export interface ScalarShape extends ShapeConstraints {
  readonly type: Exclude<ShapeType, 'structure' | 'list' | 'map'>;
}
export type Shape = StructureShape | ListShape | MapShape | ScalarShape;

export interface OperationModel {
  readonly input?: string;
  readonly output?: string;
  /** Query protocol: the element wrapping the output inside <{Action}Response>. */
  readonly resultWrapper?: string;
  readonly errors: readonly string[];
}

export interface ServiceModel {
  readonly metadata: Readonly<Record<string, string>>;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

/** Looks a shape up by name; throws on an unknown name (a model bug, not a client error). */
export type ShapeResolver = (shapeName: string) => Shape;

/** A resolver over one model; `label` names the model in the error for an unknown shape. */
export function shapeResolverFor(model: ServiceModel, label: string): ShapeResolver {
  return (shapeName) => {
    const shape = Object.hasOwn(model.shapes, shapeName) ? model.shapes[shapeName] : undefined;
    if (shape === undefined) throw new Error(`${label} model has no shape named ${shapeName}`);
    return shape;
  };
}

/** Own-property lookup so names like `constructor` or `__proto__` are never operations. */
export function operationOf(model: ServiceModel, operation: string): OperationModel | undefined {
  return Object.hasOwn(model.operations, operation) ? model.operations[operation] : undefined;
}
