// Re-runs `osslsigncode verify` on every fixture and checks it still agrees with oracle.json, so a
// fixture or tool drift is noticed. Without osslsigncode on PATH: skipped locally, a failure in CI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, loadOracle } from './helpers.ts';

const REPO = join(FIXTURES, '..', '..');
const probe = spawnSync('osslsigncode', ['--version'], { encoding: 'utf8' });
const available = probe.error === undefined && probe.status === 0;
const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const skip = !available && !inCI ? 'osslsigncode is not on PATH (install the osslsigncode package; this test fails in CI when it is missing)' : false;

/** Splits the recorded command line (no quoting is used in oracle.json). */
function argv(command: string): string[] {
  return command.trim().split(/\s+/);
}

function calculatedDigests(output: string): string[] {
  return [...output.matchAll(/Calculated message digest\s+:\s+([0-9A-F]+)/g)].map((m) => m[1] ?? '');
}

describe('osslsigncode still agrees with oracle.json', () => {
  it('osslsigncode is available', { skip }, () => {
    assert.ok(available, 'osslsigncode is not on PATH but CI is set: install osslsigncode (Debian package "osslsigncode")');
  });

  const oracle = loadOracle();
  for (const [name, file] of Object.entries(oracle.files)) {
    const recorded = file.osslsigncode;
    if (recorded === undefined) continue;
    it(`${name}: ${recorded.verdict}`, { skip: skip === false ? !available : skip }, () => {
      const [tool, ...args] = argv(recorded.command);
      assert.equal(tool, 'osslsigncode');
      const run = spawnSync('osslsigncode', args, { cwd: REPO, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
      const output = `${run.stdout}${run.stderr}`;
      assert.equal(run.status, recorded.exitCode, `${name}: exit code\n${output}`);
      assert.equal(output.includes('MISMATCH'), recorded.digestMismatch, `${name}: digest mismatch flag`);
      assert.deepEqual(calculatedDigests(output), calculatedDigests(recorded.output), `${name}: calculated digests`);
      for (const line of recorded.output.split('\n').filter((l) => /^\s*(Subject|Issuer|Serial)\s*:/.test(l))) {
        assert.ok(output.includes(line), `${name}: missing line ${JSON.stringify(line)}`);
      }
      if (file.osslsigncodeTrusted !== undefined) {
        const [, ...trustedArgs] = argv(file.osslsigncodeTrusted.command);
        const trusted = spawnSync('osslsigncode', trustedArgs, { cwd: REPO, encoding: 'utf8' });
        assert.equal(trusted.status, file.osslsigncodeTrusted.exitCode, `${name}: exit code when trusted`);
      }
    });
  }
});
