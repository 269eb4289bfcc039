// The XML traits in force for one use of a shape: the reference's override the shape's own, as
// botocore.model.ShapeResolver.resolve_shape_ref merges them.
import type { Shape, XmlTraits } from '../service-model.js';

export function traitsOf(shape: Shape, refTraits: XmlTraits | undefined): XmlTraits {
  const own: XmlTraits = {
    ...(shape.locationName !== undefined && { locationName: shape.locationName }),
    ...(shape.flattened !== undefined && { flattened: shape.flattened }),
    ...(shape.xmlNamespace !== undefined && { xmlNamespace: shape.xmlNamespace }),
    ...(shape.timestampFormat !== undefined && { timestampFormat: shape.timestampFormat }),
  };
  return { ...own, ...refTraits };
}
