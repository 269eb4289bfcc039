import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  KmsError, SerializationException, UnknownOperationException, ValidationException,
} from '../../../src/errors/aws-errors.js';
import {
  errorShapesOf, hasShape, inputShapeOf, isOperation, kmsModel, operationNames, outputShapeOf, shapeOf,
  type Shape, type ShapeResolver,
} from '../../../src/protocol/kms-model.js';
import { decodeAndValidate, decodeAndValidateInput, formatValidationMessage } from '../../../src/protocol/validate.js';
import { compileJavaPattern } from '../../../src/protocol/validation/java-regex.js';

// --- helpers ---

function thrown(fn: () => unknown): KmsError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof KmsError, `expected a KmsError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

function validationMessage(operation: string, input: unknown): string {
  const err = thrown(() => decodeAndValidateInput(operation, input));
  assert.ok(err instanceof ValidationException, `expected ValidationException, got ${err.code}: ${err.message}`);
  return err.message;
}

function serializationMessage(operation: string, input: unknown): string {
  const err = thrown(() => decodeAndValidateInput(operation, input));
  assert.ok(err instanceof SerializationException, `expected SerializationException, got ${err.code}: ${err.message}`);
  return err.message;
}

const one = (violation: string) => `1 validation error detected: ${violation}`;
const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

// --- the model ---

test('model: 54 operations with typed accessors', () => {
  assert.equal(operationNames().length, 54);
  assert.ok(isOperation('Encrypt'));
  assert.ok(!isOperation('encrypt'));
  assert.ok(!isOperation('constructor'));
  assert.ok(!isOperation('__proto__'));
  assert.equal(inputShapeOf('Encrypt'), 'EncryptRequest');
  assert.equal(outputShapeOf('Encrypt'), 'EncryptResponse');
  assert.equal(outputShapeOf('CreateAlias'), undefined);
  assert.ok(errorShapesOf('Encrypt').includes('NotFoundException'));
  assert.deepEqual(errorShapesOf('NoSuchOperation'), []);
  assert.match(String((kmsModel as unknown as Record<string, unknown>)['_generated']), /Apache-2\.0.*gen-kms-model\.py|gen-kms-model\.py.*Apache-2\.0/);
});

test('model: every shape reference resolves', () => {
  const refs: string[] = [];
  for (const op of Object.values(kmsModel.operations)) {
    if (op.input !== undefined) refs.push(op.input);
    if (op.output !== undefined) refs.push(op.output);
    refs.push(...op.errors);
  }
  for (const shape of Object.values(kmsModel.shapes)) {
    if (shape.type === 'structure') refs.push(...Object.values(shape.members));
    if (shape.type === 'list') refs.push(shape.member);
    if (shape.type === 'map') refs.push(shape.key, shape.value);
  }
  for (const ref of refs) assert.ok(hasShape(ref), `missing shape ${ref}`);
  assert.throws(() => shapeOf('NoSuchShape'), /NoSuchShape/);
});

// --- Java patterns ---

test('patterns: every pattern in the KMS model compiles to an anchored unicode RegExp', () => {
  const patterns = Object.values(kmsModel.shapes).flatMap((s) => (s.pattern === undefined ? [] : [s.pattern]));
  assert.ok(patterns.length >= 16);
  for (const p of patterns) {
    const re = compileJavaPattern(p);
    assert.ok(re.flags.includes('u'), p);
    assert.ok(re.source.startsWith('^(?:') && re.source.endsWith(')$'), p);
  }
});

test('patterns: full-match semantics and Java character classes', () => {
  const alias = compileJavaPattern('^[a-zA-Z0-9:/_-]+$');
  assert.ok(alias.test('alias/my-key_1:x'));
  assert.ok(!alias.test('alias/bad name'));
  // Unanchored model patterns still have to match the whole value.
  assert.ok(compileJavaPattern('[0-9]{12}').test('111122223333'));
  assert.ok(!compileJavaPattern('[\\w]+').test('ab cd'));
  assert.ok(!compileJavaPattern('cluster-[2-7a-zA-Z]{11,16}').test('xcluster-abcdefghijk'));
  // A dash after a range is literal in Java.
  const xksKeyId = compileJavaPattern('^[a-zA-Z0-9-_.]+$');
  assert.ok(xksKeyId.test('a-b_c.d'));
  assert.ok(!xksKeyId.test('a+b'));
  // Java's \s is ASCII whitespace only.
  const desc = compileJavaPattern('^[a-zA-Z0-9:/_\\s.-]+$');
  assert.ok(desc.test('a b\tc'));
  assert.ok(!desc.test('a\u00A0b'));
  // The policy pattern is Latin-1 plus tab/LF/CR, counted in code points.
  const policy = compileJavaPattern('[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+');
  assert.ok(policy.test('{"Version": "2012-10-17"}\n\té'));
  assert.ok(!policy.test('\u4e2d'));
  assert.ok(!policy.test('\u{1F600}'));
  assert.ok(!policy.test('\u0001'));
  // Java's `.` excludes U+0085; escaped punctuation stays literal.
  assert.ok(!compileJavaPattern('a.b').test('a\u0085b'));
  assert.ok(compileJavaPattern('a\\.b').test('a.b'));
  assert.ok(!compileJavaPattern('a\\.b').test('axb'));
});

test('patterns: constructs whose meaning differs in JS are rejected, not mistranslated', () => {
  for (const p of ['a++', '(?i)abc', '(?>a)', '[a-z&&[^b]]', '[[a]b]', '[\\S]', '\\Z', '\\p{javaLowerCase}']) {
    assert.throws(() => compileJavaPattern(p), /Unsupported Java regex/, p);
  }
});

// --- constraints, each kind with AWS's exact message ---

test('required: missing and null members are "Value null ... Member must not be null"', () => {
  assert.equal(
    validationMessage('Encrypt', {}),
    '2 validation errors detected: '
      + "Value null at 'keyId' failed to satisfy constraint: Member must not be null; "
      + "Value null at 'plaintext' failed to satisfy constraint: Member must not be null",
  );
  assert.equal(
    validationMessage('DescribeKey', { KeyId: null }),
    one("Value null at 'keyId' failed to satisfy constraint: Member must not be null"),
  );
});

test('string length: max and min, counted in characters (code points)', () => {
  assert.equal(
    validationMessage('DescribeKey', { KeyId: 'k'.repeat(2049) }),
    one(`Value '${'k'.repeat(2049)}' at 'keyId' failed to satisfy constraint: Member must have length less than or equal to 2048`),
  );
  assert.equal(
    validationMessage('DescribeKey', { KeyId: '' }),
    one("Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1"),
  );
  // 2048 astral characters are 4096 UTF-16 units but only 2048 characters.
  const emoji = '\u{1F511}'.repeat(2048);
  assert.equal((decodeAndValidateInput('DescribeKey', { KeyId: emoji }) as { KeyId: string }).KeyId, emoji);
  assert.match(validationMessage('DescribeKey', { KeyId: `${emoji}x` }), /less than or equal to 2048$/);
});

test('blob length counts bytes; blob values are not printed', () => {
  assert.equal(
    validationMessage('Decrypt', { CiphertextBlob: b64(6145) }),
    one("Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length less than or equal to 6144"),
  );
  assert.equal(
    validationMessage('Decrypt', { CiphertextBlob: '' }),
    one("Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length greater than or equal to 1"),
  );
  assert.ok(decodeAndValidateInput('Decrypt', { CiphertextBlob: b64(6144) }));
});

test('list length and list items', () => {
  const tokens = Array.from({ length: 11 }, (_, i) => `t${i}`);
  assert.equal(
    validationMessage('Encrypt', { KeyId: 'k', Plaintext: b64(1), GrantTokens: tokens }),
    one(`Value '[${tokens.join(', ')}]' at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10`),
  );
  assert.equal(
    validationMessage('Encrypt', { KeyId: 'k', Plaintext: b64(1), GrantTokens: ['ok', ''] }),
    one("Value '' at 'grantTokens.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1"),
  );
});

test('nested structures in lists use "<list>.<n>.member.<member>" paths', () => {
  assert.equal(
    validationMessage('TagResource', { KeyId: 'k', Tags: [{ TagKey: 'a', TagValue: 'b' }, { TagKey: '', TagValue: 'v' }, { TagKey: 'c' }] }),
    '2 validation errors detected: '
      + "Value '' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1; "
      + "Value null at 'tags.3.member.tagValue' failed to satisfy constraint: Member must not be null",
  );
});

test('nested structure members use dotted paths', () => {
  const msg = validationMessage('CreateGrant', {
    KeyId: 'k', GranteePrincipal: 'p', Operations: ['Decrypt'],
    Constraints: { EncryptionContextSubset: { a: 'b' } },
    Name: 'bad name!',
  });
  assert.equal(msg, one("Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$"));
});

test('numeric range: value less/greater than or equal, value quoted', () => {
  assert.equal(
    validationMessage('GenerateRandom', { NumberOfBytes: 0 }),
    one("Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1"),
  );
  assert.equal(
    validationMessage('GenerateRandom', { NumberOfBytes: 1025 }),
    one("Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024"),
  );
  assert.equal(
    validationMessage('ListKeys', { Limit: 1001 }),
    one("Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000"),
  );
  assert.deepEqual(decodeAndValidateInput('GenerateRandom', { NumberOfBytes: 1024 }), { NumberOfBytes: 1024 });
});

test('enum: "Member must satisfy enum value set: [A, B, C]"', () => {
  assert.equal(
    validationMessage('Encrypt', { KeyId: 'k', Plaintext: b64(1), EncryptionAlgorithm: 'AES' }),
    one("Value 'AES' at 'encryptionAlgorithm' failed to satisfy constraint: "
      + 'Member must satisfy enum value set: [SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]'),
  );
  // AWS's own order for the MAC algorithms (LocalStack snapshot test_invalid_generate_mac[HMAC_256-INVALID]).
  assert.equal(
    validationMessage('GenerateMac', { KeyId: 'k', Message: b64(1), MacAlgorithm: 'INVALID' }),
    one("Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: "
      + 'Member must satisfy enum value set: [HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]'),
  );
  assert.match(
    validationMessage('CreateGrant', { KeyId: 'k', GranteePrincipal: 'p', Operations: ['Decrypt', 'Nope'] }),
    /^1 validation error detected: Value 'Nope' at 'operations\.2\.member' failed to satisfy constraint: Member must satisfy enum value set: \[Decrypt, Encrypt, /,
  );
});

test('pattern: "Member must satisfy regular expression pattern: <java pattern>"', () => {
  assert.equal(
    validationMessage('PutKeyPolicy', { KeyId: 'k', Policy: '{"a":"\u4e2d"}' }),
    one("Value '{\"a\":\"\u4e2d\"}' at 'policy' failed to satisfy constraint: "
      + 'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+'),
  );
});

test('several violations on one member and across members are all reported, in model order', () => {
  assert.equal(
    validationMessage('CreateAlias', { AliasName: '' }),
    '3 validation errors detected: '
      + "Value '' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$; "
      + "Value '' at 'aliasName' failed to satisfy constraint: Member must have length greater than or equal to 1; "
      + "Value null at 'targetKeyId' failed to satisfy constraint: Member must not be null",
  );
  assert.equal(formatValidationMessage(['a']), '1 validation error detected: a');
  assert.equal(formatValidationMessage(['a', 'b']), '2 validation errors detected: a; b');
});

test('sensitive members never echo their value', () => {
  assert.equal(
    validationMessage('Encrypt', { KeyId: 'k', Plaintext: b64(4097) }),
    one("Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096"),
  );
  assert.equal(
    validationMessage('Encrypt', { KeyId: 'k', Plaintext: '' }),
    one("Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1"),
  );
  const secret = 'short-secret/+';
  const msg = validationMessage('UpdateCustomKeyStore', {
    CustomKeyStoreId: 'cks-1',
    KeyStorePassword: 'pw',
    XksProxyAuthenticationCredential: { AccessKeyId: 'lowercase-not-allowed', RawSecretAccessKey: secret },
  });
  assert.ok(!msg.includes(secret) && !msg.includes("'pw'") && !msg.includes('lowercase-not-allowed'), msg);
  assert.equal(
    msg,
    '4 validation errors detected: '
      + "Value at 'keyStorePassword' failed to satisfy constraint: Member must have length greater than or equal to 7; "
      + "Value at 'xksProxyAuthenticationCredential.accessKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Z2-7]+$; "
      + "Value at 'xksProxyAuthenticationCredential.rawSecretAccessKey' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\/+=]+$; "
      + "Value at 'xksProxyAuthenticationCredential.rawSecretAccessKey' failed to satisfy constraint: Member must have length greater than or equal to 43",
  );
});

// --- decoding ---

test('blobs are decoded from base64 to Buffer', () => {
  const out = decodeAndValidateInput('Encrypt', { KeyId: 'k', Plaintext: Buffer.from('hello').toString('base64') });
  assert.ok(Buffer.isBuffer(out['Plaintext']));
  assert.equal((out['Plaintext'] as Buffer).toString(), 'hello');
  for (const text of ['aGk=', 'aGVs', 'aA==', '+/+/']) assert.ok(decodeAndValidateInput('Decrypt', { CiphertextBlob: text }));
});

test('invalid base64 is a SerializationException', () => {
  const cases: Array<[string, string]> = [
    ['aGk', "'aGk' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3"],
    ['aGk=a', "'aGk=a' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5"],
    ['a-b_', "'a-b_' can not be converted to a Blob: Invalid Base64 character: '-'"],
    ['aG k', "'aG k' can not be converted to a Blob: Invalid Base64 character: ' '"],
    ['=+/=', "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='"],
    ['a===', "'a===' can not be converted to a Blob: Invalid Base64 character: '='"],
    ['+/+=', "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"],
    ['aB==', "'aB==' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"],
  ];
  for (const [text, message] of cases) {
    assert.equal(serializationMessage('Decrypt', { CiphertextBlob: text }), message, text);
  }
  // A sensitive blob's text is not echoed.
  assert.equal(
    serializationMessage('Encrypt', { KeyId: 'k', Plaintext: 'c2VjcmV0' + '!' + '===' }),
    "Value can not be converted to a Blob: Invalid Base64 character: '!'",
  );
});

test('timestamps are epoch seconds decoded to Date', () => {
  const out = decodeAndValidateInput('ImportKeyMaterial', {
    KeyId: 'k', ImportToken: b64(4), EncryptedKeyMaterial: b64(4), ValidTo: 1700000000.5,
  });
  assert.ok(out['ValidTo'] instanceof Date);
  assert.equal((out['ValidTo'] as Date).getTime(), 1700000000500);
  assert.equal(
    serializationMessage('ImportKeyMaterial', { KeyId: 'k', ImportToken: b64(4), EncryptedKeyMaterial: b64(4), ValidTo: '2030-01-01' }),
    'STRING_VALUE can not be converted to a Timestamp',
  );
});

test('type mismatches are SerializationExceptions with AWS JSON 1.1 wording', () => {
  const cases: Array<[string, unknown, string]> = [
    ['DescribeKey', { KeyId: 5 }, 'NUMBER_VALUE can not be converted to a String'],
    ['DescribeKey', { KeyId: true }, 'TRUE_VALUE can not be converted to a String'],
    ['DescribeKey', { KeyId: { a: 1 } }, 'Start of structure or map found where not expected.'],
    ['DescribeKey', { KeyId: ['k'] }, 'Start of list found where not expected'],
    ['GenerateRandom', { NumberOfBytes: '32' }, 'STRING_VALUE can not be converted to an Integer'],
    ['GenerateRandom', { NumberOfBytes: false }, 'FALSE_VALUE can not be converted to an Integer'],
    ['GenerateRandom', { NumberOfBytes: 2 ** 31 }, 'NUMBER_VALUE can not be converted to an Integer'],
    ['Encrypt', { KeyId: 'k', Plaintext: b64(1), DryRun: 'true' }, 'STRING_VALUE can not be converted to a Boolean'],
    ['Encrypt', { KeyId: 'k', Plaintext: 12 }, 'NUMBER_VALUE can not be converted to a Blob'],
    ['Encrypt', { KeyId: 'k', Plaintext: b64(1), GrantTokens: 'tok' }, 'Expected list or null'],
    ['Encrypt', { KeyId: 'k', Plaintext: b64(1), GrantTokens: { a: 'b' } }, 'Start of structure or map found where not expected.'],
    ['Encrypt', { KeyId: 'k', Plaintext: b64(1), GrantTokens: [1] }, 'NUMBER_VALUE can not be converted to a String'],
    ['Encrypt', { KeyId: 'k', Plaintext: b64(1), EncryptionContext: 'x' }, 'Expected map or null'],
    ['Encrypt', { KeyId: 'k', Plaintext: b64(1), EncryptionContext: ['x'] }, 'Start of list found where not expected'],
    ['Encrypt', { KeyId: 'k', Plaintext: b64(1), EncryptionContext: { a: 1 } }, 'NUMBER_VALUE can not be converted to a String'],
    ['CreateGrant', { KeyId: 'k', GranteePrincipal: 'p', Operations: ['Decrypt'], Constraints: 'x' }, 'Expected null'],
    ['CreateGrant', { KeyId: 'k', GranteePrincipal: 'p', Operations: ['Decrypt'], Constraints: [] }, 'Start of list found where not expected'],
  ];
  for (const [op, input, message] of cases) {
    assert.equal(serializationMessage(op, input), message, JSON.stringify(input));
  }
});

test('type errors win over constraint errors (decoding happens first)', () => {
  assert.equal(serializationMessage('Encrypt', { Plaintext: 7 }), 'NUMBER_VALUE can not be converted to a Blob');
});

test('a body that is not a JSON object is a SerializationException', () => {
  assert.equal(serializationMessage('ListKeys', []), 'Start of list found where not expected');
  for (const body of [null, 'x', 1, true, undefined]) {
    assert.equal(serializationMessage('ListKeys', body), '', String(body));
  }
});

test('fractional numbers for integers are truncated, as AWS does', () => {
  assert.deepEqual(decodeAndValidateInput('GenerateRandom', { NumberOfBytes: 32.9 }), { NumberOfBytes: 32 });
});

test('unknown members are dropped; null means absent; null list items and map entries are skipped', () => {
  const out = decodeAndValidateInput('Encrypt', {
    KeyId: 'k', Plaintext: b64(2), Unknown: { deep: [1, 2] }, keyId: 'case-sensitive', EncryptionAlgorithm: null,
    GrantTokens: ['a', null, 'b'], EncryptionContext: { x: 'y', gone: null },
  });
  assert.deepEqual(Object.keys(out).sort(), ['EncryptionContext', 'GrantTokens', 'KeyId', 'Plaintext']);
  assert.deepEqual(out['GrantTokens'], ['a', 'b']);
  assert.deepEqual(out['EncryptionContext'], { x: 'y' });
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
});

test('map keys such as __proto__ stay ordinary data', () => {
  const input = JSON.parse('{"KeyId":"k","Plaintext":"AA==","EncryptionContext":{"__proto__":"v","a":"b"}}') as unknown;
  const out = decodeAndValidateInput('Encrypt', input);
  const ctx = out['EncryptionContext'] as Record<string, unknown>;
  assert.deepEqual(Object.keys(ctx), ['__proto__', 'a']);
  assert.equal(Object.getPrototypeOf(ctx), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(ctx, '__proto__')?.value, 'v');
});

test('an operation not in the model is an UnknownOperationException', () => {
  for (const op of ['NoSuchThing', 'encrypt', 'constructor', 'toString']) {
    assert.ok(thrown(() => decodeAndValidateInput(op, {})) instanceof UnknownOperationException, op);
  }
});

// --- generic forms not used by today's KMS model, exercised on a synthetic model ---

test('map key/value constraints and structure values (synthetic model)', () => {
  const shapes: Record<string, Shape> = {
    Req: { type: 'structure', members: { Attrs: 'AttrMap', Items: 'ItemList' }, required: [] },
    AttrMap: { type: 'map', key: 'AttrKey', value: 'AttrValue' },
    AttrKey: { type: 'string', min: 1, max: 4, pattern: '[a-z]+' },
    AttrValue: { type: 'integer', min: 0, max: 9 },
    ItemList: { type: 'list', member: 'Item', max: 1 },
    Item: { type: 'structure', members: { Name: 'AttrKey' } },
  };
  const resolve: ShapeResolver = (name) => {
    const shape = shapes[name];
    if (shape === undefined) throw new Error(name);
    return shape;
  };
  const err = thrown(() => decodeAndValidate({ Attrs: { ok: 1, BAD: 10 }, Items: [{ Name: 'a' }, { Name: 'b' }] }, 'Req', resolve));
  assert.ok(err instanceof ValidationException);
  assert.match(
    err.message,
    new RegExp('^3 validation errors detected: '
      + "Value '\\{ok=1, BAD=10\\}' at 'attrs' failed to satisfy constraint: Map keys must satisfy constraint: "
      + '\\[Member must have length less than or equal to 4, Member must have length greater than or equal to 1, '
      + 'Member must satisfy regular expression pattern: \\[a-z\\]\\+\\]; '
      + "Value '\\{ok=1, BAD=10\\}' at 'attrs' failed to satisfy constraint: Map value must satisfy constraint: "
      + '\\[Member must have value less than or equal to 9, Member must have value greater than or equal to 0\\]; '
      + "Value '\\[com\\.amazonaws\\.kms\\.Item@[0-9a-f]+, com\\.amazonaws\\.kms\\.Item@[0-9a-f]+\\]' at 'items' failed to satisfy constraint: "
      + 'Member must have length less than or equal to 1$'),
  );
});

// --- every operation accepts valid input ---

// Values for string shapes whose pattern a generic filler cannot satisfy.
const PATTERN_SAMPLES: Readonly<Record<string, string>> = {
  AccountIdType: '111122223333',
  AliasNameType: 'alias/example',
  BackingKeyIdResponseType: 'ab'.repeat(32),
  BackingKeyIdType: 'ab'.repeat(32),
  CloudHsmClusterIdType: 'cluster-234abcdefgh',
  GrantNameType: 'grant-1',
  KeyMaterialDescriptionType: 'material 1',
  MarkerType: 'marker',
  PolicyNameType: 'default',
  PolicyType: '{"Version":"2012-10-17","Statement":[]}',
  PrincipalIdType: 'arn:aws:iam::111122223333:role/Example',
  RegionType: 'us-east-1',
  XksKeyIdType: 'xks-key-1',
  XksProxyAuthenticationAccessKeyIdType: 'ABCDEFGHIJKLMNOPQRST',
  XksProxyAuthenticationRawSecretAccessKeyType: 'a'.repeat(43),
  XksProxyUriEndpointType: 'https://xks.example.com',
  XksProxyUriPathType: '/kms/xks/v1',
  XksProxyVpcEndpointServiceNameType: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef',
};

/** Builds [wire JSON, expected decoded value] for a shape; `full` fills optional members too. */
function sample(shapeName: string, full: boolean): [unknown, unknown] {
  const shape = shapeOf(shapeName);
  switch (shape.type) {
    case 'structure': {
      const wire: Record<string, unknown> = {};
      const decoded: Record<string, unknown> = {};
      const required = new Set(shape.required ?? []);
      for (const [name, member] of Object.entries(shape.members)) {
        if (!full && !required.has(name)) continue;
        [wire[name], decoded[name]] = sample(member, full);
      }
      return [wire, decoded];
    }
    case 'list': {
      const [w, d] = sample(shape.member, full);
      return [[w], [d]];
    }
    case 'map': {
      const [w, d] = sample(shape.value, full);
      return [{ key: w }, { key: d }];
    }
    case 'string': {
      if (shape.enum !== undefined) return [shape.enum[0], shape.enum[0]];
      if (shape.pattern !== undefined) {
        const value = PATTERN_SAMPLES[shapeName];
        assert.ok(value !== undefined, `no sample for patterned shape ${shapeName}`);
        return [value, value];
      }
      const value = 'x'.repeat(Math.max(shape.min ?? 1, 1));
      return [value, value];
    }
    case 'blob': {
      const bytes = Buffer.alloc(Math.max(shape.min ?? 1, 1), 1);
      return [bytes.toString('base64'), bytes];
    }
    case 'integer': case 'long': {
      const n = shape.min ?? 1;
      return [n, n];
    }
    case 'boolean': return [true, true];
    case 'timestamp': return [1700000000, new Date(1700000000 * 1000)];
    default: return assert.fail(`unexpected shape type ${shape.type}`);
  }
}

test('every pattern sample matches its pattern', () => {
  for (const [name, value] of Object.entries(PATTERN_SAMPLES)) {
    const shape = shapeOf(name);
    assert.ok(shape.pattern !== undefined, name);
    assert.ok(compileJavaPattern(shape.pattern).test(value), `${name}: ${value}`);
  }
});

test('every one of the 54 operations accepts its minimal valid input', () => {
  const ops = operationNames();
  assert.equal(ops.length, 54);
  for (const op of ops) {
    const inputShape = inputShapeOf(op);
    assert.ok(inputShape !== undefined, op);
    const [wire, expected] = sample(inputShape, false);
    assert.deepEqual(decodeAndValidateInput(op, wire), expected, op);
  }
});

test('every operation accepts a valid input with every member set', () => {
  for (const op of operationNames()) {
    const [wire, expected] = sample(inputShapeOf(op) as string, true);
    assert.deepEqual(decodeAndValidateInput(op, wire), expected, op);
  }
});
