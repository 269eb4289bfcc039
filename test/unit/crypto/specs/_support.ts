// Independent checkers for the spec tests: node:crypto with only the public key, the `openssl`
// command line, and @noble for what OpenSSL 3.0 lacks. Nothing here calls the code under test.

import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shake256 } from '@noble/hashes/sha3.js';

export function spkiKey(spki: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
}

export function digest(hash: string, message: Uint8Array): Buffer {
  return createHash(hash).update(message).digest();
}

export const opensslAvailable = spawnSync('openssl', ['version']).status === 0;
export const skipWithoutOpenssl = opensslAvailable ? false : 'the openssl command is not installed';

/** Runs `openssl` in a scratch directory holding `files`; returns exit status, output and the `outputs` files it wrote. */
export function openssl(
  args: string[],
  files: Record<string, Uint8Array | string>,
  outputs: string[] = [],
): { status: number | null; output: string; files: Record<string, Buffer | undefined> } {
  const dir = mkdtempSync(join(tmpdir(), 'specs-openssl-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const result = spawnSync('openssl', args, { cwd: dir });
    const written: Record<string, Buffer | undefined> = {};
    for (const name of outputs) written[name] = existsSync(join(dir, name)) ? readFileSync(join(dir, name)) : undefined;
    return { status: result.status, output: `${result.stdout.toString()}${result.stderr.toString()}`, files: written };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function spkiPem(spki: Uint8Array): string {
  return spkiKey(spki).export({ format: 'pem', type: 'spki' }).toString();
}

/** FIPS 204 §6.2 / Algorithm 2 with an empty context: μ = SHAKE256(SHAKE256(pk, 64) ‖ 0 ‖ 0 ‖ M, 64). */
export function mlDsaMu(publicKey: Uint8Array, message: Uint8Array): Uint8Array {
  const tr = shake256(publicKey, { dkLen: 64 });
  return shake256(Buffer.concat([tr, Uint8Array.of(0, 0), message]), { dkLen: 64 });
}

export function flipBit(bytes: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[bit >> 3] = copy[bit >> 3]! ^ (0x80 >> (bit & 7));
  return copy;
}
