/**
 * Seeds a store with the service's load shape (issue 10 item 6): at scale 1, 10,000 artifacts
 * (100 releases × 100 files, 10 products) × 70 engines × 90 daily monitor scans = 63 million
 * verdict rows, plus 900,000 scan targets and about 10,000 detection events. Releases go through
 * the store's own saveRelease (so the release route reads real rows); the history is written with
 * bulk INSERT … SELECT over recursive CTEs (one statement per day, the same SQL on SQLite and
 * PostgreSQL), which is what makes 63 M rows take minutes rather than hours.
 *
 * The verdicts follow a formula the tests can recompute (verdictAt): per (day d, artifact i,
 * engine e) — failure when (31i + 17e + d) mod 401 = 0, a detection when (i + e) mod 50 = 0 from
 * day i mod 90 on or when (7i + 13e + 3d) mod 997 = 0, otherwise undetected.
 */
import { sql, type Kysely } from 'kysely';
import type { ReleaseStore } from '../src/core/releases/ports.ts';
import { dialectOf } from '../src/store/kysely-scan-store.ts';
import { backfillCurrentVerdicts, backfillFileVerdicts } from '../src/store/migrations.ts';
import type { StoreDatabase } from '../src/store/schema.ts';
import { draft } from '../test/store/sample-data.ts';

export const FILES_PER_RELEASE = 100;
export const RELEASES_PER_PRODUCT = 10;
export const ENGINES = 70;
export const DAYS = 90;
export const FULL_ARTIFACTS = 10_000;
const BASE_DAY = Date.parse('2026-09-01T03:00:00.000Z');

export interface SeedShape {
  artifacts: number;
  engines: number;
  days: number;
}

export function shapeFor(scale: number): SeedShape {
  const artifacts = Math.max(FILES_PER_RELEASE, Math.round((FULL_ARTIFACTS * scale) / FILES_PER_RELEASE) * FILES_PER_RELEASE);
  return { artifacts, engines: ENGINES, days: DAYS };
}

export const engineName = (e: number): string => `Engine${String(e).padStart(2, '0')}`;
export const scanIdOf = (d: number): string => `bench-monitor-${String(d).padStart(3, '0')}`;
export const dayAt = (d: number): string => new Date(BASE_DAY + d * 86_400_000).toISOString();
export const releaseOf = (r: number): { product: string; version: string } => ({ product: `product-${String(Math.floor(r / RELEASES_PER_PRODUCT)).padStart(2, '0')}`, version: `1.${r % RELEASES_PER_PRODUCT}.0` });

/** The category the seed writes for day d (0-based), artifact i (1-based, in sha256 order) and engine e (1-based). */
export function verdictAt(d: number, i: number, e: number): 'failure' | 'malicious' | 'undetected' {
  if ((31 * i + 17 * e + d) % 401 === 0) return 'failure';
  if (((i + e) % 50 === 0 && d >= i % 90) || (7 * i + 13 * e + 3 * d) % 997 === 0) return 'malicious';
  return 'undetected';
}

export interface SeedResult {
  shape: SeedShape;
  releases: Array<{ product: string; version: string }>;
  verdictRows: number;
  events: number;
  seconds: { releases: number; history: number; finish: number };
}

/** `WITH RECURSIVE` numbers 1..n (both dialects; PostgreSQL's generate_series would do too, SQLite has none built in). */
const numbers = (name: string, n: number) => sql.raw(`${name}(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM ${name} WHERE n < ${n})`);

export async function seedLoadStore(
  target: { store: ReleaseStore; db: Kysely<StoreDatabase>; dialect: 'sqlite' | 'postgres' },
  scale: number | SeedShape,
  progress: (line: string) => void = () => {},
): Promise<SeedResult> {
  const shape = typeof scale === 'number' ? shapeFor(scale) : scale;
  if (shape.artifacts % FILES_PER_RELEASE !== 0) throw new Error(`the artifact count must be a multiple of ${FILES_PER_RELEASE}`);
  const { db } = target;
  const t0 = performance.now();
  const releases: SeedResult['releases'] = [];
  for (let r = 0; r < shape.artifacts / FILES_PER_RELEASE; r++) {
    const { product, version } = releaseOf(r);
    const files = Array.from({ length: FILES_PER_RELEASE }, (_, f) => ({ path: `setup-${version}/bin/module-${String(f).padStart(3, '0')}.${f % 4 === 3 ? 'dll' : 'exe'}`, content: `bench ${product} ${version} ${f}` }));
    await target.store.saveRelease(draft(product, version, files, { createdAt: dayAt(r % DAYS) }), { replace: false, deriveFindings: () => [] });
    releases.push({ product, version });
  }
  const t1 = performance.now();
  progress(`seed: ${releases.length} releases (${shape.artifacts} artifacts) in ${((t1 - t0) / 1000).toFixed(1)} s`);

  // The (sha256, via, recorded_at) index is dropped during the load and built once at the end: maintained row by
  // row, its inserts land all over a 63 M-row index (each day touches every file) and the load crawls once the
  // index outgrows the cache. The primary key (scan_id first) grows at its end and is kept.
  await sql`DROP INDEX IF EXISTS verdict_sha256_via`.execute(db);
  // Artifact numbers 1..N in sha256 order: what verdictAt's i means.
  const artifacts = sql.raw(`a AS (SELECT sha256, path, ROW_NUMBER() OVER (ORDER BY sha256) AS i FROM release_artifact)`);
  const category = (d: number) =>
    sql.raw(`CASE WHEN (31 * a.i + 17 * e.n + ${d}) % 401 = 0 THEN 'failure' WHEN ((a.i + e.n) % 50 = 0 AND ${d} >= a.i % 90) OR (7 * a.i + 13 * e.n + ${3 * d}) % 997 = 0 THEN 'malicious' ELSE 'undetected' END`);
  let verdictRows = 0;
  let events = 0;
  for (let d = 0; d < shape.days; d++) {
    const id = scanIdOf(d);
    const at = dayAt(d);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('scan').values({ id, started_at: at, finished_at: at, trigger: 'monitor', engines_json: '["virustotal"]', product: null, version: null, inputs_json: '["(bench)"]' }).execute();
      await sql`WITH ${artifacts} INSERT INTO scan_target (scan_id, ordinal, path, parent_path, sha256, size) SELECT ${id}, a.i, a.path, NULL, a.sha256, 1000 FROM a`.execute(trx);
      const cat = category(d);
      const inserted = await sql`
        WITH RECURSIVE ${numbers('e', shape.engines)}, ${artifacts}
        INSERT INTO verdict (scan_id, sha256, via, engine, category, result, engine_version, definitions_date, scanned_at, detail, reused, recorded_at)
        SELECT ${id}, a.sha256, 'virustotal', CASE WHEN e.n < 10 THEN 'Engine0' || e.n ELSE 'Engine' || e.n END, ${cat},
               CASE WHEN ${cat} = 'malicious' THEN 'Trojan:Win32/Bench.' || e.n ELSE NULL END, '1.0', ${at.slice(0, 10)}, ${at}, NULL, 0, ${at}
        FROM a CROSS JOIN e`.execute(trx);
      verdictRows += Number(inserted.numAffectedRows ?? 0);
      if (d > 0) {
        const ev = await sql`
          WITH ${artifacts}
          INSERT INTO detection_event (id, at, scan_id, previous_scan_id, sha256, via, kind, before_json, after_json, results_json)
          SELECT ${id} || ':' || a.sha256 || ':virustotal', ${at}, ${id}, ${scanIdOf(d - 1)}, a.sha256, 'virustotal', 'new-detections', '[]', '["Engine50"]', '{"Engine50":"Trojan:Win32/Bench.50"}'
          FROM a WHERE a.i % 90 = ${d}`.execute(trx);
        events += Number(ev.numAffectedRows ?? 0);
      }
    });
    if (d % 10 === 9) progress(`seed: day ${d + 1}/${shape.days}, ${verdictRows.toLocaleString('en')} verdict rows, ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  }
  const t2 = performance.now();
  await finishSeed(db, [scanIdOf(shape.days - 1), scanIdOf(shape.days - 2)]);
  const t3 = performance.now();
  progress(`seed: history in ${((t2 - t1) / 1000).toFixed(1)} s, finishing (derived tables, statistics) in ${((t3 - t2) / 1000).toFixed(1)} s`);
  return { shape, releases, verdictRows, events, seconds: { releases: (t1 - t0) / 1000, history: (t2 - t1) / 1000, finish: (t3 - t2) / 1000 } };
}

/**
 * After bulk inserts (which bypass addVerdicts): the dropped index again, the standing verdicts, planner statistics.
 * The standing verdicts are derived as migrations 0006 and 0007 do (backfillCurrentVerdicts), over the last two days only:
 * every file and engine is answered every day and the seed's failures never fall on two days in a row
 * ((31i + 17e + d) mod 401 = 0 cannot hold for d and d + 1), so the newest answer is always in one of them — the
 * same result as over all 90 days, without sorting 63 M rows.
 */
async function finishSeed(db: Kysely<StoreDatabase>, lastDays: string[]): Promise<void> {
  await sql`CREATE INDEX verdict_sha256_via ON verdict (sha256, via, recorded_at)`.execute(db);
  await db.deleteFrom('verdict_current').execute();
  await backfillCurrentVerdicts(db as Kysely<unknown>, lastDays);
  await backfillFileVerdicts(db as Kysely<unknown>, dialectOf(db));
  await sql`ANALYZE`.execute(db);
}
