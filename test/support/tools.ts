/**
 * External tools in tests: a test that needs one (clamscan, yara, 7z, …) is skipped with a message
 * where the tool is missing and CI is unset; with CI set (`.ci/run` installs every tool) a missing
 * tool fails the test instead of hiding it.
 */
import { spawnSync } from 'node:child_process';

export const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

/** True when `command` is on PATH. */
export function hasTool(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * The `skip` option for a node:test `test`/`describe` needing these tools: false when all are there,
 * a message naming the missing ones otherwise; throws under CI, where a missing tool is a failure.
 */
export function skipUnlessTools(...commands: string[]): false | string {
  const missing = commands.filter((command) => !hasTool(command));
  if (missing.length === 0) return false;
  const message = `needs ${missing.join(', ')} (installed by .ci/run)`;
  if (inCI) throw new Error(`CI is set but ${message} is missing`);
  return message;
}
