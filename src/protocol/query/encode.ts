// The bytes of a Query (IAM, STS) answer: the operation's output as XML in the layout AWS sends
// and botocore's QueryParser / the JS SDK's AwsQueryProtocol read:
//   <{Action}Response xmlns="{xmlNamespace}">
//     <{resultWrapper}>...members in model order...</{resultWrapper}>   (only with an output)
//     <ResponseMetadata><RequestId>{id}</RequestId></ResponseMetadata>
//   </{Action}Response>
// and errors as IAM and STS send them (botocore's own test of QueryParser uses this form):
//   <ErrorResponse xmlns="..."><Error><Type>Sender</Type><Code>..</Code><Message>..</Message></Error>
//   <RequestId>..</RequestId></ErrorResponse>
import type { QueryService } from '../query-model.js';
import { operationOf, type ListShape, type MapShape, type Shape, type StructureShape, type XmlTraits } from '../service-model.js';
import { isJsonObject } from '../validation/decode.js';
import { mapEntryParts, traitsOf } from './traits.js';
import { element, escapeXml, xmlnsAttribute } from './xml.js';

/** What AWS's Query endpoints answer with (IAM and STS send text/xml). */
export const QUERY_CONTENT_TYPE = 'text/xml';

function namespaceAttribute(traits: XmlTraits): string {
  const ns = traits.xmlNamespace;
  return ns?.uri === undefined ? '' : xmlnsAttribute(ns.uri, ns.prefix);
}

function toDate(value: unknown, where: string): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new TypeError(`${where}: not a timestamp`);
}

/**
 * ISO 8601 in UTC. IAM writes whole seconds ("2013-06-06T17:12:53Z"), STS milliseconds when it
 * has them ("2011-07-15T23:28:33.359Z", its AssumeRole example): milliseconds are written only
 * when not zero, so a handler that keeps IAM's dates to the second gets IAM's exact form.
 * botocore (dateutil) and the JS SDK (parseRfc3339DateTimeWithOffset) read both.
 */
export function formatQueryTimestamp(date: Date, format?: string): string {
  switch (format) {
    case 'epoch-seconds': return String(date.getTime() / 1000);
    case 'rfc822': case 'http-date': return date.toUTCString();
    default: return date.toISOString().replace('.000Z', 'Z');
  }
}

class QueryEncoder {
  readonly #service: QueryService;

  constructor(service: QueryService) {
    this.#service = service;
  }

  /** A structure's members, in model order; undefined and null members are left out. */
  members(value: unknown, shape: StructureShape, where: string): string {
    if (!isJsonObject(value)) throw new TypeError(`${where}: not a structure`);
    let out = '';
    for (const [member, shapeName] of Object.entries(shape.members)) {
      const memberValue = Object.hasOwn(value, member) ? value[member] : undefined;
      if (memberValue === undefined || memberValue === null) continue;
      const memberShape = this.#service.resolve(shapeName);
      const traits = traitsOf(memberShape, shape.memberTraits?.[member]);
      out += this.#named(memberValue, memberShape, traits, traits.locationName ?? member, `${where}.${member}`);
    }
    return out;
  }

  /** The element(s) for one value under `name`: flattened lists and maps are several siblings. */
  #named(value: unknown, shape: Shape, traits: XmlTraits, name: string, where: string): string {
    if (shape.type === 'list') return this.#list(value, shape, traits, name, where);
    if (shape.type === 'map') return this.#map(value, shape, traits, name, where);
    return element(name, this.#content(value, shape, traits, where), namespaceAttribute(traits));
  }

  #content(value: unknown, shape: Shape, traits: XmlTraits, where: string): string {
    switch (shape.type) {
      case 'structure': return this.members(value, shape, where);
      case 'string':
        if (typeof value !== 'string') throw new TypeError(`${where}: not a string`);
        return escapeXml(value);
      case 'boolean':
        if (typeof value !== 'boolean') throw new TypeError(`${where}: not a boolean`);
        return value ? 'true' : 'false';
      case 'integer': case 'long': case 'float': case 'double':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${where}: not a finite number`);
        return String(value);
      case 'timestamp': return formatQueryTimestamp(toDate(value, where), traits.timestampFormat);
      case 'blob':
        if (!(value instanceof Uint8Array)) throw new TypeError(`${where}: not bytes`);
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
      case 'list': case 'map':
        throw new Error(`${where}: ${shape.type} content is written by its own method`);
    }
  }

  #list(value: unknown, shape: ListShape, traits: XmlTraits, name: string, where: string): string {
    if (!Array.isArray(value)) throw new TypeError(`${where}: not a list`);
    const memberShape = this.#service.resolve(shape.member);
    const memberTraits = traitsOf(memberShape, shape.memberTraits);
    if (traits.flattened === true) {
      // Flattened: the elements are siblings named by the member's locationName (else the list's).
      const elementName = memberTraits.locationName ?? name;
      return value.map((item, i) => this.#named(item, memberShape, memberTraits, elementName, `${where}[${i}]`)).join('');
    }
    const elementName = memberTraits.locationName ?? 'member';
    const items = value.map((item, i) => this.#named(item, memberShape, memberTraits, elementName, `${where}[${i}]`)).join('');
    // An empty list is an empty element (IAM: "<Users/>"); both SDKs read it as [].
    return element(name, items, namespaceAttribute(traits));
  }

  #map(value: unknown, shape: MapShape, traits: XmlTraits, name: string, where: string): string {
    if (!isJsonObject(value)) throw new TypeError(`${where}: not a map`);
    const { valueShape, valueTraits, keyName, valueName } = mapEntryParts(shape, this.#service.resolve);
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => element(keyName, escapeXml(k)) + this.#named(v, valueShape, valueTraits, valueName, `${where}.${k}`));
    if (traits.flattened === true) return entries.map((e) => element(name, e)).join('');
    return element(name, entries.map((e) => element('entry', e)).join(''), namespaceAttribute(traits));
  }
}

function responseMetadata(requestId: string): string {
  return `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>`;
}

/**
 * The XML body of a successful `action`. `output` follows the operation's output shape (Dates
 * for timestamps, Buffers for blobs); members the model does not name are ignored. Throws
 * TypeError when a member has the wrong type, which is a handler bug, not a client error.
 */
export function encodeQueryResult(service: QueryService, action: string, output: unknown, requestId: string): string {
  const operation = operationOf(service.model, action);
  if (operation === undefined) throw new Error(`${service.label} model has no operation ${action}`);
  let result = '';
  if (operation.output !== undefined) {
    const shape = service.resolve(operation.output);
    if (shape.type !== 'structure') throw new Error(`output shape ${operation.output} is not a structure`);
    // botocore reads the result from the resultWrapper element; the models give it for every
    // operation with an output, and it is always {Action}Result.
    const wrapper = operation.resultWrapper ?? `${action}Result`;
    result = element(wrapper, new QueryEncoder(service).members(output ?? {}, shape, action));
  }
  return `<${action}Response${xmlnsAttribute(service.xmlNamespace)}>${result}${responseMetadata(requestId)}</${action}Response>`;
}

export interface QueryErrorFields {
  readonly code: string;
  readonly message: string;
  readonly httpStatus: number;
  /** Defaults to httpStatus < 500 (the models mark every 4xx error senderFault). */
  readonly senderFault?: boolean;
}

/**
 * The XML body of an error. An empty message is left out (the element would tell SDKs nothing;
 * botocore then reports Message ''). Use with the error's httpStatus and QUERY_CONTENT_TYPE.
 */
export function encodeQueryError(error: QueryErrorFields, xmlNamespace: string, requestId: string): string {
  const sender = error.senderFault ?? error.httpStatus < 500;
  const message = error.message === '' ? '' : `<Message>${escapeXml(error.message)}</Message>`;
  return `<ErrorResponse${xmlnsAttribute(xmlNamespace)}><Error><Type>${sender ? 'Sender' : 'Receiver'}</Type>` +
    `<Code>${escapeXml(error.code)}</Code>${message}</Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
}
