// Running the AWS tools written in Python (the aws CLI, boto3 scripts) from tests: the executable
// without pyenv's shim, and an environment in which the machine's AWS settings cannot leak in.

import { execFileSync } from 'node:child_process';

/**
 * The executable `name` (aws, python3). Under pyenv, `name` is a shim that costs ~0.5 s per start, so
 * the real executable is found once; anywhere else this is just `name`, from PATH.
 */
export function realExecutable(name: string): string {
  try {
    const real = execFileSync('pyenv', ['which', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (real) return real;
  } catch {
    // no pyenv: use PATH
  }
  return name;
}

/**
 * This process's environment without any AWS_* variable, no config file, region us-east-1 and no
 * EC2 metadata lookups, then `settings`.
 */
export function cleanAwsEnv(settings: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => !e[0].startsWith('AWS_') && e[1] !== undefined)),
    AWS_CONFIG_FILE: '/dev/null',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...settings,
  };
}
