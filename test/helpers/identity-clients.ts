// SDK clients for IAM, STS and KMS on one test server, with any credentials (long-term or
// temporary), and the error an AWS call fails with, as the SDK reports it (code, message, status).

import { execFile } from 'node:child_process';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import { cleanAwsEnv, realExecutable } from './aws-tools.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Credentials as STS returns them. */
export function fromSts(c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Credentials {
  return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
}

/** Credentials as IAM CreateAccessKey returns them. */
export function fromIam(k: { AccessKeyId?: string; SecretAccessKey?: string } | undefined): Credentials {
  return { accessKeyId: k!.AccessKeyId!, secretAccessKey: k!.SecretAccessKey! };
}

export interface Clients {
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly kms: KMSClient;
}

const made: { destroy(): void }[] = [];

export function clientsFor(url: string, credentials: Credentials): Clients {
  const common = { endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 };
  const c = { iam: new IAMClient(common), sts: new STSClient(common), kms: new KMSClient(common) };
  made.push(c.iam, c.sts, c.kms);
  return c;
}

/** Destroys every client clientsFor made. */
export function destroyClients(): void {
  for (const c of made.splice(0)) c.destroy();
}

export interface CallError {
  /** The wire error code (IAM's NoSuchEntity, not the SDK's NoSuchEntityException class name). */
  readonly code: string;
  readonly name: string;
  readonly message: string;
  readonly status: number | undefined;
}

/** Runs fn and returns the AWS error it throws (fails if it does not throw). */
export async function callError(fn: () => Promise<unknown>): Promise<CallError> {
  try {
    await fn();
  } catch (err) {
    const e = err as { name: string; message: string; Code?: string; Error?: { Code?: string }; $metadata?: { httpStatusCode?: number } };
    return { code: e.Error?.Code ?? e.Code ?? e.name, name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

export const doc = (statements: readonly Record<string, unknown>[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
export const allow = (action: string | string[], resource: string | string[] = '*', extra: Record<string, unknown> = {}): Record<string, unknown> => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });
export const deny = (action: string | string[], resource: string | string[] = '*', extra: Record<string, unknown> = {}): Record<string, unknown> => ({ Effect: 'Deny', Action: action, Resource: resource, ...extra });

/** The aws CLI on this machine (fails the test run when it is missing, never skips). */
const AWS_BIN = realExecutable('aws');

/** Runs the aws CLI against `url` with exactly these credentials (no profile, no retries, JSON output). */
export function awsCli(url: string, args: readonly string[], creds: Credentials): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = cleanAwsEnv({
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    ...(creds.sessionToken && { AWS_SESSION_TOKEN: creds.sessionToken }),
  });
  return new Promise((resolve, reject) => {
    execFile(AWS_BIN, ['--endpoint-url', url, '--output', 'json', ...args], { env, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}
