/**
 * Service load bench (issue 10 item 6): a store seeded with the monitor's history (bench/load-seed.ts:
 * at `--scale 1`, 10,000 artifacts × 70 engines × 90 days = 63 M verdict rows), the real HTTP service
 * (`absolve serve`'s startServer: createApi on @hono/node-server) on loopback, and concurrent load from
 * a separate process (bench/load-client.ts, Node's http client). Reports p50/p95/p99 and errors of the
 * release, matrix and events routes, per database. Figures, never assertions.
 *
 *   npm run bench                                   (scale 0.01 at the end of the bench: 630 k rows; BENCH_SKIP_LOAD=1 skips it)
 *   npm run bench -- --scale 1                      (the same through the bench runner)
 *   node --import tsx bench/load.ts --scale 1 --db postgres   (the full size; seeding takes minutes)
 *   options: --scale S (0 < S ≤ 1), --db sqlite|postgres|both, --concurrency N[,N…] (1,2,4,8,16: a sweep), --requests N per route (300),
 *            --reseed (seed again even when a seeded store of that scale exists)
 *   profile: node --cpu-prof --cpu-prof-dir bench/.work/prof --import tsx bench/load.ts --scale 0.1 --db postgres
 *
 * Seeded stores are kept (bench/.work/load/ for SQLite, database absolve_bench_load_<scale> on the server at
 * $BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres) and reused by the next run of the same scale.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { startServer } from '../src/app/serve-runtime.ts';
import { scanDeps } from '../src/app/scan-runtime.ts';
import { newToken } from '../src/core/access/tokens.ts';
import { createStoreOpener } from '../src/store/open-store.ts';
import { KyselyTokenStore } from '../src/store/kysely-token-store.ts';
import { openPostgresStore } from '../src/store/postgres.ts';
import type { StoreDatabase } from '../src/store/schema.ts';
import { openSQLiteStore } from '../src/store/sqlite.ts';
import { dayAt, DAYS, seedLoadStore, shapeFor, type SeedResult } from './load-seed.ts';
import type { ReleaseStore } from '../src/core/releases/ports.ts';

const root = resolve(import.meta.dirname, '..');
const work = join(root, 'bench', '.work', 'load');
const tsxLoader = import.meta.resolve('tsx');
/** Issue 10's latency target for the release, matrix and events routes. */
const P95_TARGET_MS = 50;
const adminURL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Options {
  scale: number;
  dbs: Array<'sqlite' | 'postgres'>;
  /** The in-flight counts to measure at, ascending (1 is always measured: the service time of each route). */
  concurrency: number[];
  requests: number;
  reseed: boolean;
}

interface SeedMarker {
  scale: number;
  artifacts: number;
  verdictRows: number;
  events: number;
  seconds: SeedResult['seconds'];
  releases: Array<{ product: string; version: string }>;
  token: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({ args: argv, options: { scale: { type: 'string' }, db: { type: 'string' }, concurrency: { type: 'string' }, requests: { type: 'string' }, reseed: { type: 'boolean' } }, allowPositionals: false });
  const scale = Number(values.scale ?? process.env.BENCH_LOAD_SCALE ?? 0.01);
  if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be a number in (0, 1]');
  const db = values.db ?? process.env.BENCH_LOAD_DB ?? 'both';
  if (db !== 'sqlite' && db !== 'postgres' && db !== 'both') throw new Error('--db must be sqlite, postgres or both');
  return {
    scale,
    dbs: db === 'both' ? ['sqlite', 'postgres'] : [db],
    concurrency: parseConcurrency(values.concurrency ?? process.env.BENCH_LOAD_CONCURRENCY ?? '1,2,4,8,16'),
    requests: Number(values.requests ?? 300),
    reseed: values.reseed === true,
  };
}

function parseConcurrency(text: string): number[] {
  const counts = text.split(',').map((part) => Number(part.trim()));
  if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 256)) throw new Error('--concurrency takes whole numbers from 1 to 256, comma-separated (e.g. 1,4,16)');
  return [...new Set([1, ...counts])].sort((a, b) => a - b);
}

const tag = (scale: number): string => String(scale).replace('.', '_');

/** The seed marker table: the store is complete (a seed killed half-way is seeded again). */
async function readMarker(db: Kysely<StoreDatabase>): Promise<SeedMarker | undefined> {
  try {
    const r = await sql<{ body: string }>`SELECT body FROM bench_seed`.execute(db);
    return r.rows[0] === undefined ? undefined : (JSON.parse(r.rows[0].body) as SeedMarker);
  } catch {
    return undefined;
  }
}

async function seedInto(handle: { store: ReleaseStore; db: Kysely<StoreDatabase> }, dialect: 'sqlite' | 'postgres', scale: number): Promise<SeedMarker> {
  const seeded = await seedLoadStore({ ...handle, dialect }, scale, (line) => process.stderr.write(`  ${line}\n`));
  const { token, record } = newToken('bench', 'read', new Date());
  await new KyselyTokenStore(handle.db).saveToken(record);
  const marker: SeedMarker = { scale, artifacts: seeded.shape.artifacts, verdictRows: seeded.verdictRows, events: seeded.events, seconds: seeded.seconds, releases: seeded.releases, token };
  await sql`CREATE TABLE bench_seed (body TEXT NOT NULL)`.execute(handle.db);
  await sql`INSERT INTO bench_seed (body) VALUES (${JSON.stringify(marker)})`.execute(handle.db);
  return marker;
}

/** Opens (creating and seeding when needed) the store of this scale; returns its URL for `absolve serve` and the marker. */
async function prepare(dialect: 'sqlite' | 'postgres', options: Options): Promise<{ url: string; marker: SeedMarker; reused: boolean; drop?: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = join(work, `sqlite-${tag(options.scale)}`);
    const path = join(dir, 'absolve.db');
    if (options.reseed) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const handle = await openSQLiteStore(path, { create: true });
    try {
      const existing = await readMarker(handle.db);
      if (existing !== undefined) return { url: `sqlite:${path}`, marker: existing, reused: true };
      await handle.store.close();
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      await handle.store.close();
      throw error;
    }
    const fresh = await openSQLiteStore(path, { create: true });
    try {
      return { url: `sqlite:${path}`, marker: await seedInto(fresh, 'sqlite', options.scale), reused: false };
    } finally {
      await fresh.store.close();
    }
  }
  const name = `absolve_bench_load_${tag(options.scale)}`;
  const admin = new pg.Client({ connectionString: adminURL });
  await admin.connect();
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
    const url = new URL(adminURL);
    url.pathname = `/${name}`;
    if (exists && !options.reseed) {
      const handle = await openPostgresStore(url.toString());
      try {
        const marker = await readMarker(handle.db);
        if (marker !== undefined) return { url: url.toString(), marker, reused: true };
      } finally {
        await handle.store.close();
      }
    }
    if (exists) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    const handle = await openPostgresStore(url.toString());
    try {
      return { url: url.toString(), marker: await seedInto(handle, 'postgres', options.scale), reused: false };
    } finally {
      await handle.store.close();
    }
  } finally {
    await admin.end();
  }
}

function runClient(plan: unknown): Promise<Record<string, { n: number; errors: number; p50: number; p95: number; p99: number; max: number; avgBytes: number }> & { seconds: number; rps: number }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, join(root, 'bench', 'load-client.ts'), JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolvePromise(JSON.parse(out) as never) : reject(new Error(`load client exited ${code}`))));
  });
}

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: adminURL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export async function benchLoad(argv: string[] = []): Promise<void> {
  const options = parseOptions(argv);
  const shape = shapeFor(options.scale);
  console.log(`\nService load: ${shape.artifacts.toLocaleString('en')} artifacts × ${shape.engines} engines × ${shape.days} days = ${(shape.artifacts * shape.engines * shape.days).toLocaleString('en')} verdict rows (scale ${options.scale}); ${options.concurrency.join(', ')} in flight, ${options.requests} requests per route`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  for (const dialect of options.dbs) {
    if (dialect === 'postgres' && !(await pgReachable())) {
      console.log(`postgres: skipped (no server at ${adminURL.replace(/:[^:@/]*@/, ':***@')})`);
      continue;
    }
    const prepared = await prepare(dialect, options);
    const { marker } = prepared;
    const seedSeconds = marker.seconds.releases + marker.seconds.history + marker.seconds.finish;
    console.log(`${dialect}: ${marker.verdictRows.toLocaleString('en')} verdict rows, ${marker.events.toLocaleString('en')} events; seeded in ${seedSeconds.toFixed(0)} s (releases ${marker.seconds.releases.toFixed(0)} s, history ${marker.seconds.history.toFixed(0)} s, finish ${marker.seconds.finish.toFixed(0)} s)${prepared.reused ? ' [reused]' : ''}`);
    const env = { ...process.env, ABSOLVE_BLOBS: join(work, 'blobs') };
    const server = await startServer(
      { port: 0, host: '127.0.0.1', db: prepared.url, createFolders: true },
      { openStore: createStoreOpener({ env, cwd: root }), version: 'bench', now: () => new Date(), log: () => {}, scan: scanDeps(env) },
    );
    try {
      const rel = (r: { product: string; version: string }) => `/api/v1/products/${r.product}/releases/${r.version}`;
      const since = dayAt(DAYS - 3);
      const plan = {
        base: server.url,
        token: marker.token,
        concurrency: 1,
        requests: options.requests,
        routes: {
          release: marker.releases.map(rel),
          matrix: marker.releases.map((r) => `${rel(r)}/matrix`),
          events: [`/api/v1/events?since=${encodeURIComponent(since)}`],
        },
      };
      // A short warm-up (connections, statement caches, page cache), then the measured runs: one request at a time
      // (the service time of each route) and `concurrency` at a time (where queueing adds to it).
      await runClient({ ...plan, requests: Math.min(20, options.requests) });
      // Per route, the most requests in flight at which its p95 stayed under the target (issue 10: 50 ms).
      const withinTarget: Record<string, number> = {};
      const missedTarget = new Set<string>();
      for (const concurrency of options.concurrency) {
        const result = await runClient({ ...plan, concurrency, requests: concurrency === 1 ? Math.min(100, options.requests) : options.requests });
        console.log(`  ${concurrency} at a time: ${result.rps.toFixed(0)} requests/s over ${result.seconds.toFixed(1)} s`);
        for (const route of ['release', 'matrix', 'events'] as const) {
          const r = result[route];
          if (r === undefined) continue;
          if (r.p95 < P95_TARGET_MS && r.errors === 0) {
            if (!missedTarget.has(route)) withinTarget[route] = concurrency;
          } else missedTarget.add(route);
          console.log(`    ${route.padEnd(8)} p50 ${r.p50.toFixed(1).padStart(7)} ms  p95 ${r.p95.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  max ${r.max.toFixed(1).padStart(7)} ms  errors ${r.errors}/${r.n}  ${(r.avgBytes / 1024).toFixed(0)} KiB/answer`);
        }
      }
      console.log(`  p95 < ${P95_TARGET_MS} ms up to: ${(['release', 'matrix', 'events'] as const).map((route) => `${route} ${withinTarget[route] === undefined ? 'none' : `${withinTarget[route]} in flight`}`).join(', ')}`);
      console.log(`  (load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    } finally {
      await server.close();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/load.ts') === true) {
  await benchLoad(process.argv.slice(2));
}
