// Microbenchmark of the compiled policy evaluator: the default key policy plus one IAM policy whose
// Allow carries a kms:EncryptionContext condition (the case of ../shared/docs/research-next-deps.md
// section 1). Prints µs per evaluation; not a test, no assertions on timing.
//
//   npx tsc -p tsconfig.json && node dist/bench/policy-eval.js [--iterations 1000000]

import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { encryptionContextKeys, type RequestContext } from '../src/policy/context.js';
import { loadPolicy } from '../src/policy/compile.js';
import { evaluate, type EvaluationInput } from '../src/policy/evaluate.js';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '1000000' } } });
const iterations = Number(values.iterations);

const account = '111122223333';
const keyArn = `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const keyPolicyText = JSON.stringify({
  Version: '2012-10-17',
  Id: 'key-default-1',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
});
const iamPolicyText = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: `arn:aws:kms:*:${account}:key/*`,
      Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'IT' } },
    },
  ],
});

function measure(label: string, run: () => void, n: number): void {
  for (let i = 0; i < Math.min(n, 100_000); i++) run(); // warm-up
  const start = performance.now();
  for (let i = 0; i < n; i++) run();
  const us = ((performance.now() - start) * 1000) / n;
  console.log(`${label.padEnd(58)} ${us.toFixed(3).padStart(8)} µs/eval  ${Math.round(1e6 / us).toLocaleString('en-US').padStart(11)} evals/s`);
}

const compileStart = performance.now();
const input: EvaluationInput = { keyPolicy: loadPolicy(keyPolicyText, 'resource'), identityPolicies: [loadPolicy(iamPolicyText, 'identity', 'it-users')] };
const compileUs = (performance.now() - compileStart) * 1000;

const caller = { arn: `arn:aws:iam::${account}:user/alice`, accountId: account, type: 'User' as const, username: 'alice', userId: 'AIDAEXAMPLE000000001' };
const allowed: RequestContext = { caller, action: 'kms:Decrypt', resource: keyArn, keys: encryptionContextKeys({ Department: 'IT' }) };
const denied: RequestContext = { ...allowed, keys: encryptionContextKeys({ Department: 'HR' }) };
if (evaluate(allowed, input).decision !== 'Allow' || evaluate(denied, input).decision !== 'ImplicitDeny') throw new Error('unexpected decisions');

console.log(`node ${process.version}, ${iterations.toLocaleString('en-US')} iterations; parse + compile of both policies: ${compileUs.toFixed(0)} µs (cold)`);
measure('Allow (root delegation + IAM EncryptionContext match)', () => evaluate(allowed, input), iterations);
measure('ImplicitDeny (EncryptionContext mismatch)', () => evaluate(denied, input), iterations);
measure('Allow, request context built per call', () => evaluate({ caller, action: 'kms:Decrypt', resource: keyArn, keys: encryptionContextKeys({ Department: 'IT' }) }, input), iterations);
