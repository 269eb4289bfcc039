// The XML traits in force for one use of a shape: the reference's override the shape's own, as
// botocore.model.ShapeResolver.resolve_shape_ref merges them.
import type { MapShape, Shape, ShapeResolver, XmlTraits } from '../service-model.js';

export function traitsOf(shape: Shape, refTraits: XmlTraits | undefined): XmlTraits {
  const own: XmlTraits = {
    ...(shape.locationName !== undefined && { locationName: shape.locationName }),
    ...(shape.flattened !== undefined && { flattened: shape.flattened }),
    ...(shape.xmlNamespace !== undefined && { xmlNamespace: shape.xmlNamespace }),
    ...(shape.timestampFormat !== undefined && { timestampFormat: shape.timestampFormat }),
  };
  return { ...own, ...refTraits };
}

/** A map's key and value shapes with their traits and element names ("key"/"value" unless renamed). */
export interface MapEntryParts {
  readonly valueShape: Shape;
  readonly valueTraits: XmlTraits;
  readonly keyName: string;
  readonly valueName: string;
}

export function mapEntryParts(shape: MapShape, resolve: ShapeResolver): MapEntryParts {
  const keyShape = resolve(shape.key);
  const valueShape = resolve(shape.value);
  const valueTraits = traitsOf(valueShape, shape.valueTraits);
  return { valueShape, valueTraits, keyName: traitsOf(keyShape, shape.keyTraits).locationName ?? 'key', valueName: valueTraits.locationName ?? 'value' };
}
