/**
 * SIGKILL inside the recording transaction, deterministically: a child process records a release
 * of 30,000 synthetic files and prints `in-transaction` from inside the transaction (after the
 * release row, before its files); the parent kills it 0–250 ms later, then checks the store:
 * consistent, and the killed release absent (or, had it committed first, complete).
 * test/cli/release-crash.test.ts kills the real `release add` at random points instead.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../support/fixtures.ts';
import { postgresCensus, sqliteCensus, type StoreCensus } from './consistency.ts';
import { postgresTarget, type PostgresTarget } from './postgres-target.ts';

const FILES = 30_000;
const KILL_DELAYS_MS = [0, 30, 100, 250];
const child = join(repoRoot, 'test', 'store', 'crash-child.ts');
const tsxLoader = import.meta.resolve('tsx');
const scratch = mkdtempSync(join(tmpdir(), 'absolve-store-crash-'));
let target: PostgresTarget | undefined;
before(async () => {
  target = await postgresTarget();
});
after(async () => {
  await target?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs the child; with `killAfterMs`, SIGKILLs it that long after it reports being inside the transaction. */
function record(url: string, version: string, killAfterMs?: number): Promise<{ committed: boolean; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', tsxLoader, child, url, String(FILES), version], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    p.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (killAfterMs !== undefined && !killed && out.includes('in-transaction')) {
        killed = true;
        setTimeout(() => p.kill('SIGKILL'), killAfterMs);
      }
    });
    p.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      if (killAfterMs === undefined && code !== 0) reject(new Error(`crash child exited ${code}: ${err}`));
      else resolve({ committed: out.includes('committed'), killed: signal === 'SIGKILL' });
    });
  });
}

async function killLoop(url: string, census: () => Promise<StoreCensus>): Promise<void> {
  const expected: string[] = [];
  for (const [i, delay] of KILL_DELAYS_MS.entries()) {
    const version = `killed-${i}`;
    const r = await record(url, version, delay);
    const c = await census();
    assert.deepEqual(c.problems, [], `after a kill ${delay} ms into the transaction`);
    if (r.committed) expected.push(`Crash ${version}`);
    else assert.ok(r.killed, 'the child was killed before it committed');
    assert.deepEqual(c.releases, [...expected].sort(), `kill after ${delay} ms: only committed releases exist`);
    assert.equal(c.releaseArtifacts, expected.length * FILES);
  }
  console.log(`# ${url.split(':')[0]}: ${KILL_DELAYS_MS.length - expected.length} of ${KILL_DELAYS_MS.length} kills landed inside the transaction`);
  await record(url, 'complete');
  const c = await census();
  assert.deepEqual(c.problems, []);
  assert.ok(c.releases.includes('Crash complete'));
  assert.equal(c.releaseArtifacts, (expected.length + 1) * FILES);
}

async function concurrentWriters(url: string, census: () => Promise<StoreCensus>): Promise<void> {
  await recordOutcome(url, 'first'); // the product exists: the writers race on the release key
  const outcomes = await Promise.all([0, 1, 2].map(() => recordOutcome(url, 'same')));
  assert.deepEqual(outcomes.sort(), ['created', 'unchanged', 'unchanged']);
  const c = await census();
  assert.deepEqual(c.problems, []);
  assert.equal(c.releaseArtifacts, 2 * (FILES / 10));
}

function recordOutcome(url: string, version: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', tsxLoader, child, url, String(FILES / 10), version], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    p.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(/committed (\w+)/.exec(out)?.[1] ?? '?') : reject(new Error(`writer exited ${code}: ${err}`))));
  });
}

describe('three processes record the same release at once', { timeout: 300_000 }, () => {
  it('SQLite: one creates it, the others find it unchanged', async () => {
    const path = join(scratch, 'concurrent', 'absolve.db');
    mkdirSync(join(scratch, 'concurrent'), { recursive: true });
    await concurrentWriters(`sqlite:${path}`, () => sqliteCensus(path));
  });

  it('PostgreSQL: one creates it, the others find it unchanged', async (t) => {
    if (target?.kind === 'pglite') {
      t.skip('PGlite serves one process at a time; this needs a PostgreSQL server');
      return;
    }
    const url = await (target as PostgresTarget).freshURL();
    await concurrentWriters(url, () => postgresCensus(url));
  });
});

describe('SIGKILL inside the release transaction', { timeout: 300_000 }, () => {
  it('SQLite: the store stays consistent and holds only committed releases', async () => {
    const path = join(scratch, 'sqlite', 'absolve.db');
    mkdirSync(join(scratch, 'sqlite'), { recursive: true });
    await killLoop(`sqlite:${path}`, () => sqliteCensus(path));
  });

  it('PostgreSQL: the store stays consistent and holds only committed releases', async () => {
    const url = await (target as PostgresTarget).freshURL();
    await killLoop(url, () => postgresCensus(url));
  });
});
