/**
 * Release-history benchmark: `absolve release add` of a 1,000-file release and `absolve release
 * diff` of two such releases, on SQLite, on a PostgreSQL server (when one is reachable at
 * $BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres) and on PGlite. Prints
 * medians and ratios to SQLite, never timed assertions.
 *
 * Two views: the command as a user runs it (a child process: startup, audit of 1,000 PEs, blob
 * copies, the transaction), next to `absolve audit` of the same folder; and the store alone, in
 * this process (the recording transaction; loading both releases and diffing them).
 *
 *   node --import tsx bench/releases.ts        (also run at the end of `npm run bench`)
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { diffReleases } from '../src/core/releases/diff-releases.ts';
import type { ReleaseStore } from '../src/core/releases/ports.ts';
import { releaseContentSha256 } from '../src/core/releases/record-release.ts';
import type { ReleaseDraft } from '../src/core/releases/release.types.ts';
import { summarizeAudit } from '../src/core/audit-summary.ts';
import { createStoreOpener } from '../src/store/open-store.ts';

const root = resolve(import.meta.dirname, '..');
const work = join(root, 'bench', '.work', 'releases');
const fixtures = join(root, 'test', 'fixtures', 'pe');
const pki = join(root, 'test', 'fixtures', 'pki');
const cliEntry = join(root, 'src', 'app', 'cli-entry.ts');
const tsxLoader = import.meta.resolve('tsx');
const FILES = 1000;
const runs = Number(process.env.BENCH_RUNS ?? 3);

const signed = ['signed-sha256.exe', 'signed-sha512.dll', 'signed-dual.exe', 'signed-ecdsa.exe'];
const unsigned = ['app-x64-gui.exe', 'app-x64-console.exe', 'lib-x64.dll', 'lib-x86.dll'];

/** v1: 1,000 PEs (3/4 signed with certificate A); v2: the same paths with 10% rebuilt, 5% re-signed with B, 2% removed, 2% added. */
function buildCorpus(): { v1: string; v2: string } {
  const v1 = join(work, 'v1');
  const v2 = join(work, 'v2');
  const marker = join(work, '.complete');
  if (existsSync(marker)) return { v1, v2 };
  rmSync(work, { recursive: true, force: true });
  const write = (dir: string, i: number, fixture: string, tag: string): void => {
    const target = join(dir, `module-${i % 20}`, `file-${String(i).padStart(4, '0')}.${fixture.endsWith('.dll') ? 'dll' : 'exe'}`);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, Buffer.concat([readFileSync(join(fixtures, fixture)), Buffer.from(`\0bench ${tag} ${i}`)]));
  };
  for (let i = 0; i < FILES; i++) {
    const fixture = i % 4 === 3 ? (unsigned[i % unsigned.length] ?? 'lib-x64.dll') : (signed[i % signed.length] ?? 'signed-sha256.exe');
    write(v1, i, fixture, 'v1');
    if (i % 50 === 0) continue; // removed in v2
    if (i % 20 === 1) write(v2, i, 'signed-otherca.exe', 'v2');
    else write(v2, i, fixture, i % 10 === 2 ? 'v2' : 'v1');
  }
  for (let i = FILES; i < FILES + FILES / 50; i++) write(v2, i, 'signed-sha256.exe', 'v2');
  writeFileSync(marker, '');
  return { v1, v2 };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function cli(args: readonly string[], env: Record<string, string>): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', tsxLoader, cliEntry, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0 && !(args[0] === 'audit' && r.status === 1)) throw new Error(`absolve ${args.slice(0, 4).join(' ')} exited ${r.status}: ${r.stderr}`);
  return seconds;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

interface Backend {
  name: string;
  url: string;
  cleanup(): Promise<void>;
}

async function postgresBackend(): Promise<Backend | undefined> {
  const admin = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `absolve_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const query = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  try {
    await query(`create database ${name}`);
  } catch (error) {
    console.log(`bench: no PostgreSQL server at ${admin.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message}); PostgreSQL runs on PGlite only`);
    return undefined;
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { name: 'PostgreSQL', url: url.toString(), cleanup: () => query(`drop database if exists ${name} with (force)`) };
}

interface Result {
  name: string;
  add: number;
  addChanged: number;
  diff: number;
  save: number;
  load: number;
}

async function benchBackend(backend: Backend, dirs: { v1: string; v2: string }): Promise<Result> {
  const env = { ABSOLVE_BLOBS: join(work, `blobs-${backend.name}`), NO_COLOR: '1' };
  const trust = ['--trust', join(pki, 'ca.crt'), '--trust', join(pki, 'ca-b.crt'), '--at', '2026-06-01T00:00:00Z', '--no-progress'];
  const add: number[] = [];
  const addChanged: number[] = [];
  const diff: number[] = [];
  for (let i = 0; i < runs; i++) {
    add.push(cli(['release', 'add', 'Bench', `1.0-${i}`, dirs.v1, '--db', backend.url, ...trust, '--format', 'json'], env));
    addChanged.push(cli(['release', 'add', 'Bench', `2.0-${i}`, dirs.v2, '--db', backend.url, ...trust, '--format', 'json'], env));
    diff.push(cli(['release', 'diff', 'Bench', `1.0-${i}`, `2.0-${i}`, '--db', backend.url, '--format', 'json'], env));
  }

  // The store alone: record the audited v1 again under other versions; load two releases and diff them.
  const opened = await createStoreOpener({ env, cwd: work })(backend.url, { create: false });
  const store: ReleaseStore = opened.store;
  const save: number[] = [];
  const load: number[] = [];
  try {
    const v1 = await store.getRelease({ product: 'Bench', version: '1.0-0' });
    if (v1 === undefined) throw new Error('bench: release 1.0-0 is missing');
    for (let i = 0; i < runs; i++) {
      const draft: ReleaseDraft = {
        header: { ...v1.header, product: 'BenchStore', version: `s${i}`, createdAt: new Date().toISOString(), contentSha256: releaseContentSha256(v1.artifacts), summary: summarizeAudit(v1.artifacts) },
        artifacts: v1.artifacts,
      };
      save.push(await timeAsync(() => store.saveRelease(draft, { replace: false, deriveFindings: () => [] })));
      load.push(
        await timeAsync(async () => {
          const [a, b] = await Promise.all([store.getRelease({ product: 'Bench', version: `1.0-${i}` }), store.getRelease({ product: 'Bench', version: `2.0-${i}` })]);
          if (a === undefined || b === undefined) throw new Error('bench: a release is missing');
          diffReleases(a, b);
        }),
      );
    }
  } finally {
    await store.close();
  }
  return { name: backend.name, add: median(add), addChanged: median(addChanged), diff: median(diff), save: median(save), load: median(load) };
}

export async function benchReleases(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const dirs = buildCorpus();
  console.log(`\nbench: release history, ${FILES}-file releases (v2: 10% rebuilt, 5% re-signed, 2% removed, 2% added), medians of ${runs} runs`);
  const audit = median(Array.from({ length: runs }, () => cli(['audit', dirs.v1, '--format', 'json', '--output', join(work, 'audit.json'), '--no-progress'], {})));

  const backends: Backend[] = [];
  const sqliteDir = join(work, `sqlite-${process.pid}`);
  backends.push({ name: 'SQLite', url: `sqlite:${join(sqliteDir, 'absolve.db')}`, cleanup: () => Promise.resolve(rmSync(sqliteDir, { recursive: true, force: true })) });
  const server = await postgresBackend();
  if (server !== undefined) backends.push(server);
  const pgliteDir = join(work, `pglite-${process.pid}`);
  backends.push({ name: 'PGlite', url: `pglite:${join(pgliteDir, 'pgdata')}`, cleanup: () => Promise.resolve(rmSync(pgliteDir, { recursive: true, force: true })) });

  const results: Result[] = [];
  try {
    for (const b of backends) results.push(await benchBackend(b, dirs));
  } finally {
    for (const b of backends) await b.cleanup();
    rmSync(join(work, 'blobs-SQLite'), { recursive: true, force: true });
    rmSync(join(work, 'blobs-PostgreSQL'), { recursive: true, force: true });
    rmSync(join(work, 'blobs-PGlite'), { recursive: true, force: true });
  }

  const base = results[0];
  if (base === undefined) return;
  const ratio = (x: number, y: number): string => `${(x / y).toFixed(2)}×`;
  const pad = (s: string, n: number): string => s.padEnd(n);
  console.log(`  reference: absolve audit of v1 (child process)   ${audit.toFixed(2)} s`);
  console.log(`  ${pad('', 11)}${pad('release add v1', 22)}${pad('release add v2', 22)}${pad('release diff', 20)}${pad('store: record 1,000', 24)}store: load 2 + diff`);
  for (const r of results) {
    const cell = (x: number, y: number): string => pad(`${x.toFixed(2)} s (${ratio(x, y)})`, 22);
    console.log(`  ${pad(r.name, 11)}${cell(r.add, base.add)}${cell(r.addChanged, base.addChanged)}${pad(`${r.diff.toFixed(2)} s (${ratio(r.diff, base.diff)})`, 20)}${pad(`${(r.save * 1000).toFixed(0)} ms (${ratio(r.save, base.save)})`, 24)}${(r.load * 1000).toFixed(0)} ms (${ratio(r.load, base.load)})`);
  }
  console.log(`  (ratios to SQLite; release add v1 on SQLite = ${ratio(base.add, audit)} the audit alone: the rest is startup, blobs and the transaction)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await benchReleases();
