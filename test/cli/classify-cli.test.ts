/** `absolve classify` end to end (the two acceptance examples). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/fixtures.ts';

function classify(...args: string[]): { code: number | null; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'app', 'cli-entry.ts'), 'classify', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout };
}

describe('absolve classify', () => {
  it("Microsoft 'Trojan:Win32/Wacatac.B!ml' is a generic ML verdict", () => {
    const r = classify('Microsoft', 'Trojan:Win32/Wacatac.B!ml', '--format', 'json');
    assert.equal(r.code, 0);
    const c = JSON.parse(r.stdout) as { generic: boolean; kind: string };
    assert.deepEqual([c.generic, c.kind], [true, 'ml']);
  });

  it("ESET-NOD32 'Win32/Emotet.A' is a specific family", () => {
    const r = classify('ESET-NOD32', 'Win32/Emotet.A', '--format', 'json');
    const c = JSON.parse(r.stdout) as { generic: boolean; kind: string };
    assert.deepEqual([c.generic, c.kind], [false, 'family']);
  });

  it('prints a readable table by default', () => {
    const r = classify('Symantec', 'WS.Reputation.1');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /reputation/);
  });
});
