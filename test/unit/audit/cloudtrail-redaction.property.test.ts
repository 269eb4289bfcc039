// Redaction, property style: for every operation of the KMS, IAM and STS models, an input and an
// output where every member (recursively) holds its own secret marker; no marker of a member
// that is a blob, sensitive, outside the allowlist, under such a member, or named in
// NEVER_RECORDED may appear in the record's JSON, raw, in base64 or in hex.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALLOWLISTS, NEVER_RECORDED, type AuditedService } from '../../../src/audit/cloudtrail-allowlist.js';
import { cloudTrailRecord, type AuditedCall } from '../../../src/audit/cloudtrail-record.js';
import { kmsModel, shapeOf as kmsShapeOf } from '../../../src/protocol/kms-model.js';
import { iamModel, iamShapeOf, stsModel, stsShapeOf } from '../../../src/protocol/query-model.js';
import type { ServiceModel, ShapeResolver } from '../../../src/protocol/service-model.js';

const SERVICES: readonly [AuditedService, ServiceModel, ShapeResolver][] = [
  ['kms', kmsModel, kmsShapeOf], ['iam', iamModel, iamShapeOf], ['sts', stsModel, stsShapeOf],
];

type Mode = 'typed' | 'all-buffers';

class Markers {
  private n = 0;
  readonly forbidden: string[] = [];
  readonly allowed: string[] = [];
  next(forbidden: boolean): string {
    this.n += 1;
    const marker = `MK${String(this.n).padStart(6, '0')}X`;
    (forbidden ? this.forbidden : this.allowed).push(marker);
    return marker;
  }
}

const MAX_DEPTH = 8;

/** A value of shape `shapeName` where every leaf is a fresh marker; `forbidden` taints a subtree. */
function build(
  shapeName: string, resolve: ShapeResolver, allow: ReadonlySet<string>, markers: Markers, mode: Mode,
  forbidden: boolean, depth: number,
): unknown {
  const shape = resolve(shapeName);
  const tainted = forbidden || shape.sensitive === true || shape.type === 'blob' || mode === 'all-buffers';
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      if (depth >= MAX_DEPTH) return out;
      for (const [member, memberShape] of Object.entries(shape.members)) {
        const memberForbidden = forbidden || !allow.has(member) || NEVER_RECORDED.has(member);
        out[member] = build(memberShape, resolve, allow, markers, mode, memberForbidden, depth + 1);
      }
      // A member the model does not have: never copied.
      out.NotInTheModel = markers.next(true);
      out.NotInTheModelBytes = Buffer.from(markers.next(true));
      return out;
    }
    case 'list':
      return depth >= MAX_DEPTH ? [] : [
        build(shape.member, resolve, allow, markers, mode, forbidden, depth + 1),
        build(shape.member, resolve, allow, markers, mode, forbidden, depth + 1),
      ];
    case 'map': {
      if (depth >= MAX_DEPTH) return {};
      const key = markers.next(forbidden || resolve(shape.key).sensitive === true);
      return { [key]: build(shape.value, resolve, allow, markers, mode, forbidden, depth + 1) };
    }
    case 'blob':
      return Buffer.from(markers.next(true));
    case 'string':
      return tainted && mode === 'all-buffers' ? Buffer.from(markers.next(true)) : markers.next(tainted);
    case 'boolean': case 'integer': case 'long': case 'float': case 'double': case 'timestamp':
      // Scalars carry no marker text; in all-buffers mode even they are Buffers, to be dropped.
      if (mode === 'all-buffers') return Buffer.from(markers.next(true));
      return shape.type === 'timestamp' ? new Date(0) : shape.type === 'boolean' ? true : 1;
    default:
      return undefined;
  }
}

function leaks(json: string, markers: readonly string[]): string[] {
  return markers.filter((m) => {
    const bytes = Buffer.from(m);
    return json.includes(m) || json.includes(bytes.toString('base64')) || json.includes(bytes.toString('hex')) ||
      json.includes(bytes.toString('base64').replace(/=+$/, ''));
  });
}

for (const mode of ['typed', 'all-buffers'] as const) {
  test(`no forbidden marker reaches any record (${mode})`, () => {
    let allowedSeen = 0;
    for (const [service, model, resolve] of SERVICES) {
      for (const [operation, op] of Object.entries(model.operations)) {
        const markers = new Markers();
        const input = op.input === undefined ? {}
          : build(op.input, resolve, ALLOWLISTS[service].request, markers, mode, false, 0) as Record<string, unknown>;
        const output = op.output === undefined ? {}
          : build(op.output, resolve, ALLOWLISTS[service].response, markers, mode, false, 0) as Record<string, unknown>;
        for (const readOnly of [false, true]) {
          const call: AuditedCall = {
            service, operation, region: 'us-east-1', eventTime: new Date(0), requestId: 'r', eventId: 'e',
            keys: [{ arn: 'arn:aws:kms:us-east-1:111122223333:key/k', accountId: '111122223333' }],
            input, output, readOnly, recipientAccountId: '111122223333',
          };
          const json = JSON.stringify(cloudTrailRecord(call));
          assert.deepEqual(leaks(json, markers.forbidden), [], `${service}:${operation} leaks`);
          allowedSeen += markers.allowed.filter((m) => json.includes(m)).length;
        }
      }
    }
    // Not vacuous: in typed mode allowlisted members do get through.
    if (mode === 'typed') assert.ok(allowedSeen > 100, `only ${allowedSeen} allowed markers recorded`);
    else assert.equal(allowedSeen, 0);
  });
}

test('NEVER_RECORDED names are in no allowlist', () => {
  for (const [service] of SERVICES) {
    for (const name of NEVER_RECORDED) {
      assert.ok(!ALLOWLISTS[service].request.has(name) && !ALLOWLISTS[service].response.has(name), `${service}:${name}`);
    }
  }
});

test('every secret-bearing member the models know is covered by NEVER_RECORDED or is a blob/sensitive shape', () => {
  // Guards the allowlist against a model update: a member named like a secret must stay out.
  const secretLike = /(Plaintext|Ciphertext|Secret|Password|SessionToken|Signature|PrivateKey|PublicKey|ImportToken|KeyMaterial$|Mac$|Message$|TokenCode|Attestation|Credential$)/;
  // Names that match but hold no secret: ListKeyRotations' IncludeKeyMaterial is an enum
  // (ALL_KEY_MATERIAL | ROTATIONS_ONLY).
  const notSecret = new Set(['IncludeKeyMaterial']);
  for (const [service, model, resolve] of SERVICES) {
    for (const shape of Object.values(model.shapes)) {
      if (shape.type !== 'structure') continue;
      for (const [member, memberShape] of Object.entries(shape.members)) {
        if (!secretLike.test(member) || notSecret.has(member)) continue;
        const target = resolve(memberShape);
        const guarded = NEVER_RECORDED.has(member) || target.sensitive === true || target.type === 'blob' ||
          (!ALLOWLISTS[service].request.has(member) && !ALLOWLISTS[service].response.has(member));
        assert.ok(guarded, `${service}: member ${member} looks secret and is allowlisted`);
      }
    }
  }
});
