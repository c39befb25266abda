/**
 * Crash safety of `absolve release add`: a release of 300 distinct PE files (fixtures with an
 * appended overlay), recorded into one SQLite store by a child process that is SIGKILLed at
 * spread-out points of a full run's duration (startup, audit, blob copies, the transaction).
 * After every kill the store is consistent (integrity and foreign-key checks, no orphan or
 * dangling rows, no release without all of its files) and every blob hashes to its name; a
 * final run completes and a second one changes nothing. test/store/store-crash.test.ts kills
 * deterministically inside the transaction, on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { absolve, buildRelease, spawnAbsolve, type ReleaseLayout } from '../store/cli-harness.ts';
import { sqliteCensus } from '../store/consistency.ts';

const FILES = 300;
/** Kill points as fractions of a complete run's duration, denser towards the end (blob copies, the transaction). */
const KILL_AT = [0.2, 0.4, 0.6, 0.7, 0.78, 0.84, 0.88, 0.91, 0.94, 0.97, 1.0];
const fixtures = ['signed-sha256.exe', 'signed-sha512.dll', 'app-x64-gui.exe', 'lib-x64.dll', 'signed-otherca.exe', 'signed-dual.exe'];

const scratch = mkdtempSync(join(tmpdir(), 'absolve-release-crash-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const layout: ReleaseLayout = {};
for (let i = 0; i < FILES; i++) layout[`part-${i % 6}/file-${String(i).padStart(3, '0')}.exe`] = { fixture: fixtures[i % fixtures.length] ?? 'app-x64-gui.exe', overlay: `distinct overlay ${i}` };
const release = buildRelease(join(scratch, 'release'), layout);

function addArgs(dbPath: string, version: string): string[] {
  return ['release', 'add', 'Crash', version, release, '--db', `sqlite:${dbPath}`, '--jobs', '2', '--no-progress', '--fail-on', 'none', '--format', 'json'];
}

function run(dbPath: string, version: string, killAfterMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const p = spawnAbsolve(addArgs(dbPath, version));
    p.stdout?.resume();
    p.stderr?.resume();
    const timer = setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** Every blob under its final name hashes to that name; returns how many there are. */
function checkBlobs(root: string): number {
  const dir = join(root, 'sha256');
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const prefix of readdirSync(dir)) {
    for (const rest of readdirSync(join(dir, prefix))) {
      const name = prefix + rest;
      assert.equal(createHash('sha256').update(readFileSync(join(dir, prefix, rest))).digest('hex'), name, `blob ${name}`);
      n++;
    }
  }
  return n;
}

describe('release add killed with SIGKILL', { timeout: 600_000 }, () => {
  it('leaves a consistent store after every kill; re-runs complete and duplicate nothing', async () => {
    // How long complete runs take: the first copies every blob, later ones find them present.
    const baseline = join(scratch, 'baseline', 'absolve.db');
    // A new store's folder must exist (or --create).
    for (const folder of ['baseline', 'crash']) mkdirSync(join(scratch, folder), { recursive: true });
    const timed = (version: string): number => {
      const started = Date.now();
      const full = absolve(addArgs(baseline, version));
      assert.equal(full.code, 0, full.stderr);
      assert.equal((JSON.parse(full.stdout) as { release: { files: number } }).release.files, FILES);
      return Date.now() - started;
    };
    const copying = timed('1.0');
    const steady = timed('1.1');

    // Each kill interrupts the recording of another version of the same files, so every run
    // audits, copies (or finds) the blobs and writes a transaction, and kills keep landing
    // in all of those phases.
    const db = join(scratch, 'crash', 'absolve.db');
    const blobs = join(scratch, 'crash', 'blobs');
    const versions = KILL_AT.map((_, i) => `1.${i}`);
    const recorded = new Set<string>();
    const outcomes: string[] = [];
    for (const [i, fraction] of KILL_AT.entries()) {
      const version = versions[i] ?? '';
      const duration = checkBlobs(blobs) >= FILES ? steady : copying;
      const r = await run(db, version, Math.round(duration * fraction));
      const killed = r.signal === 'SIGKILL';
      if (!killed) assert.equal(r.code, 0, `a run that was not killed must succeed (kill at ${fraction})`);
      const census = existsSync(db) ? await sqliteCensus(db) : undefined;
      assert.deepEqual(census?.problems ?? [], [], `after a kill at ${Math.round(fraction * 100)}% of ${duration} ms`);
      if (census?.releases.includes(`Crash ${version}`) === true) recorded.add(version);
      assert.deepEqual(census?.releases ?? [], [...recorded].sort().map((v) => `Crash ${v}`), 'only completed releases exist');
      assert.equal(census?.releaseArtifacts ?? 0, recorded.size * FILES, 'every recorded release has all of its files');
      assert.equal(census?.artifacts ?? 0, recorded.size > 0 ? FILES : 0, 'files are stored once, whatever the number of releases');
      const blobCount = checkBlobs(blobs);
      const partials = existsSync(join(blobs, 'tmp')) ? readdirSync(join(blobs, 'tmp')).length : 0;
      outcomes.push(`${Math.round(fraction * 100)}% of ${duration} ms ${killed ? 'killed' : 'finished'} (${recorded.has(version) ? 'recorded' : 'not recorded'}, ${blobCount} blobs, ${partials} partial)`);
    }
    console.log(`# full runs ${copying} ms (copying blobs), ${steady} ms (blobs present); ${outcomes.join('; ')}`);

    for (const version of versions) {
      const completed = absolve(addArgs(db, version));
      assert.equal(completed.code, 0, completed.stderr);
      assert.equal((JSON.parse(completed.stdout) as { outcome: string }).outcome, recorded.has(version) ? 'unchanged' : 'created', version);
    }
    const again = absolve(addArgs(db, versions[0] ?? ''));
    assert.equal((JSON.parse(again.stdout) as { outcome: string }).outcome, 'unchanged');
    const census = await sqliteCensus(db);
    assert.deepEqual(census, { problems: [], releases: versions.map((v) => `Crash ${v}`).sort(), releaseArtifacts: versions.length * FILES, artifacts: FILES });
    assert.equal(checkBlobs(blobs), FILES, 'one blob per distinct file, none twice');
    assert.deepEqual(await sqliteCensus(baseline), { problems: [], releases: ['Crash 1.0', 'Crash 1.1'], releaseArtifacts: 2 * FILES, artifacts: FILES });
  });
});
