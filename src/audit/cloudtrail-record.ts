// One served call -> one CloudTrail event record (issue "Audit trail: a CloudTrail event for every
// call"). Pure: ids and times come in with the call. Field names, order and forms follow the
// CloudTrail User Guide ("CloudTrail record contents", "userIdentity element", "AWS service
// events") and the KMS Developer Guide's ct-*.html examples; see cloudtrail-allowlist.ts for what
// requestParameters/responseElements may carry and ../shared/docs/research-production-kms.md §1.6.
import { kmsModel, shapeOf as kmsShapeOf } from '../protocol/kms-model.js';
import { iamModel, iamShapeOf, stsModel, stsShapeOf } from '../protocol/query-model.js';
import { operationOf, type ServiceModel, type ShapeResolver } from '../protocol/service-model.js';
import { ALLOWLISTS, type AuditedService } from './cloudtrail-allowlist.js';
import { cloudTrailTime, userIdentity, type AuditedCaller } from './cloudtrail-identity.js';
import { redactStructure } from './cloudtrail-redact.js';

export type { AuditedCaller } from './cloudtrail-identity.js';

/** ct-encrypt (2025) carries "1.11"; older examples carry 1.08/1.02. */
const EVENT_VERSION = '1.11';

export interface AuditedKey { readonly arn: string; readonly accountId: string }

export interface AuditedCall {
  service: AuditedService;
  operation: string;
  region: string;
  eventTime: Date;
  requestId: string;
  eventId: string;
  sourceIp?: string;
  userAgent?: string;
  /** Absent: the request named no known identity. */
  caller?: AuditedCaller;
  /** Decoded input: Buffers for blobs, Date for timestamps. */
  input: Readonly<Record<string, unknown>>;
  /** On success. */
  output?: Readonly<Record<string, unknown>>;
  /** On failure. */
  error?: { code: string; message: string };
  /** KMS keys the call resolved. */
  keys: readonly AuditedKey[];
  readOnly: boolean;
  recipientAccountId: string;
}

interface ServiceInfo { readonly model: ServiceModel; readonly resolve: ShapeResolver; readonly source: string }

const SERVICES: Readonly<Record<AuditedService, ServiceInfo>> = {
  kms: { model: kmsModel, resolve: kmsShapeOf, source: 'kms.amazonaws.com' },
  iam: { model: iamModel, resolve: iamShapeOf, source: 'iam.amazonaws.com' },
  sts: { model: stsModel, resolve: stsShapeOf, source: 'sts.amazonaws.com' },
};

/**
 * KMS operations whose response CloudTrail never records (responseElements null): every
 * cryptographic operation, GetKeyPolicy (research note §1.6; ct-encrypt, ct-decrypt,
 * ct-generatedatakey), and the ones returning key material, import parameters or public keys.
 */
const KMS_NO_RESPONSE: ReadonlySet<string> = new Set([
  'Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateRandom', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac',
  'DeriveSharedSecret', 'GetPublicKey', 'GetParametersForImport', 'ImportKeyMaterial', 'GetKeyPolicy',
]);

/** GenerateRandom logs requestParameters null (research note §1.6). */
const KMS_NO_REQUEST: ReadonlySet<string> = new Set(['GenerateRandom']);

/**
 * Since December 2022 CloudTrail puts the key ARN in responseElements.keyId for these even though
 * the API does not return it (ct-creategrant; ct-delete-key says the same of DeleteKey).
 * Other management operations may do so too: UNCONFIRMED, not added.
 */
const KMS_KEY_ARN_IN_RESPONSE: ReadonlySet<string> = new Set(['CreateGrant']);

/** IAM is a global service: CloudTrail records its events in us-east-1. */
function awsRegion(call: AuditedCall): string {
  return call.service === 'iam' ? 'us-east-1' : call.region;
}

function requestParameters(call: AuditedCall, info: ServiceInfo): Record<string, unknown> | null {
  if (call.service === 'kms' && KMS_NO_REQUEST.has(call.operation)) return null;
  const op = operationOf(info.model, call.operation);
  const kept = redactStructure(call.input, op?.input, info.resolve, ALLOWLISTS[call.service].request);
  // ct-decrypt: "always includes the encryptionAlgorithm in the requestParameters even if the
  // encryption algorithm wasn't specified in the request" (the default is SYMMETRIC_DEFAULT).
  if (call.service === 'kms' && call.operation === 'Decrypt' && kept?.encryptionAlgorithm === undefined) {
    return { ...kept, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  }
  return kept;
}

function responseElements(call: AuditedCall, info: ServiceInfo): Record<string, unknown> | null {
  // Failed and read-only calls record no response (DescribeKey, List*, Get*: UNCONFIRMED for
  // every one, confirmed for the crypto reads above); neither do the KMS operations listed.
  if (call.error !== undefined || call.output === undefined || call.readOnly) return null;
  if (call.service === 'kms' && KMS_NO_RESPONSE.has(call.operation)) return null;
  const op = operationOf(info.model, call.operation);
  const kept = redactStructure(call.output, op?.output, info.resolve, ALLOWLISTS[call.service].response);
  const firstKey = call.keys[0];
  if (call.service === 'kms' && KMS_KEY_ARN_IN_RESPONSE.has(call.operation) && firstKey !== undefined) {
    return { ...kept, keyId: firstKey.arn };
  }
  return kept;
}

function kmsResources(keys: readonly AuditedKey[]): Record<string, unknown>[] {
  // Order as in ct-put-key-policy: accountId, type, ARN.
  return keys.map((key) => ({ accountId: key.accountId, type: 'AWS::KMS::Key', ARN: key.arn }));
}

export function cloudTrailRecord(call: AuditedCall): Record<string, unknown> {
  const info = SERVICES[call.service];
  const record: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentity(call.caller),
    eventTime: cloudTrailTime(call.eventTime),
    eventSource: info.source,
    eventName: call.operation,
    awsRegion: awsRegion(call),
    sourceIPAddress: call.sourceIp ?? 'AWS Internal',
    userAgent: call.userAgent ?? 'AWS Internal',
  };
  if (call.error !== undefined) {
    record.errorCode = call.error.code;
    record.errorMessage = call.error.message;
  }
  record.requestParameters = requestParameters(call, info);
  record.responseElements = responseElements(call, info);
  record.requestID = call.requestId;
  record.eventID = call.eventId;
  record.readOnly = call.readOnly;
  // KMS events always list their keys ([] for GenerateRandom, research note §1.6); IAM and STS
  // records here list none (AWS lists the role for AssumeRole: not modelled, UNCONFIRMED scope).
  if (call.service === 'kms' || call.keys.length > 0) record.resources = kmsResources(call.keys);
  record.eventType = 'AwsApiCall';
  record.managementEvent = true;
  record.recipientAccountId = call.recipientAccountId;
  record.eventCategory = 'Management';
  return record;
}

export interface ServiceEvent {
  eventName: 'RotateKey' | 'DeleteKey' | 'DeleteExpiredKeyMaterial';
  region: string;
  eventTime: Date;
  eventId: string;
  key: AuditedKey;
  /** The key id (not ARN) as serviceEventDetails.keyId of RotateKey carries it. */
  keyId: string;
  /** RotateKey only: AUTOMATIC (scheduled) or ON_DEMAND. */
  rotationType?: 'AUTOMATIC' | 'ON_DEMAND';
}

/**
 * An AwsServiceEvent: what KMS does on its own (scheduled rotation, deletion after the waiting
 * period, expiry of imported key material). Shape from CloudTrail's "AWS service events" page
 * (RotateKey) and ct-delete-key: userIdentity {accountId, invokedBy: "AWS Internal"} - not
 * {type: "AWSService", invokedBy: "kms.amazonaws.com"}, which is the form for a service calling
 * on a customer's behalf - no requestID, sourceIPAddress/userAgent "AWS Internal".
 * serviceEventDetails: RotateKey {rotationType, keyId} (documented); DeleteKey none (documented);
 * DeleteExpiredKeyMaterial none (UNCONFIRMED).
 */
export function serviceEventRecord(event: ServiceEvent): Record<string, unknown> {
  const record: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    userIdentity: { accountId: event.key.accountId, invokedBy: 'AWS Internal' },
    eventTime: cloudTrailTime(event.eventTime),
    eventSource: 'kms.amazonaws.com',
    eventName: event.eventName,
    awsRegion: event.region,
    sourceIPAddress: 'AWS Internal',
    userAgent: 'AWS Internal',
    requestParameters: null,
    // ct-delete-key: since Dec 2022 DeleteKey carries the key ARN in responseElements.keyId.
    responseElements: event.eventName === 'DeleteKey' ? { keyId: event.key.arn } : null,
    eventID: event.eventId,
    readOnly: false,
    resources: kmsResources([event.key]),
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: event.key.accountId,
  };
  if (event.eventName === 'RotateKey') {
    record.serviceEventDetails = { rotationType: event.rotationType ?? 'AUTOMATIC', keyId: event.keyId };
  }
  record.eventCategory = 'Management';
  return record;
}

/**
 * The copy CloudTrail delivers to the key owner's account when the caller is in another account
 * (research note §1.6: "Cross-account calls are logged in both accounts, except access-denied
 * cross-account calls, which appear only in the caller's account"). The copy has its own eventID
 * and both copies carry the same sharedEventID (CloudTrail record contents: sharedEventID).
 * Returns undefined when no copy is delivered (same account, or access denied). The caller's own
 * record should get the same sharedEventID: use withSharedEventId.
 */
export function crossAccountCopy(
  record: Readonly<Record<string, unknown>>, ownerAccountId: string,
  ids: { readonly eventId: string; readonly sharedEventId: string },
): Record<string, unknown> | undefined {
  if (record.recipientAccountId === ownerAccountId) return undefined;
  if (record.errorCode === 'AccessDeniedException' || record.errorCode === 'AccessDenied') return undefined;
  const copy = withSharedEventId(record, ids.sharedEventId);
  copy.eventID = ids.eventId;
  copy.recipientAccountId = ownerAccountId;
  return copy;
}

/** A record with sharedEventID set, placed before recipientAccountId (UNCONFIRMED position). */
export function withSharedEventId(record: Readonly<Record<string, unknown>>, sharedEventId: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name === 'sharedEventID') continue;
    if (name === 'recipientAccountId') out.sharedEventID = sharedEventId;
    out[name] = structuredClone(value);
  }
  if (!('sharedEventID' in out)) out.sharedEventID = sharedEventId;
  return out;
}
