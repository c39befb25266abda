/**
 * The scan history over Kysely (SQLite, PostgreSQL, PGlite): one implementation of the ScanStore
 * port. Verdicts are written as the engines answer, each (scan, sample, via, engine) once.
 */
import { sql, SqliteAdapter, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { ScanStore } from '../core/scans/ports.ts';
import type { ScanDetail, ScanHeader, ScanTargetRecord, ScannedFile } from '../core/scans/scan-report.ts';
import { countFile } from '../core/scans/scan-report.ts';
import { makeVerdict } from '../core/scans/verdicts.ts';
import type { EngineVia, Verdict, VerdictCategory } from '../core/scans/scan.types.ts';
import { fileCellsAggregate, NO_ANSWER_CATEGORIES, type SQLDialect } from './migrations.ts';
import type { ScanTable, StoreDatabase, VerdictTable } from './schema.ts';

/** Rows per multi-row INSERT (12 columns): far below both databases' bound-parameter limits. */
const INSERT_CHUNK_ROWS = 200;
/** Hashes per IN (…) list. */
const LOOKUP_CHUNK = 500;
/** previousVerdicts reads a file's newest answers in a window of this many rows per engine (a round, a retry). */
const RECENT_ROWS_PER_ENGINE = 2;

export function scanHeaderOf(row: Selectable<ScanTable>): ScanHeader {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    trigger: row.trigger as ScanHeader['trigger'],
    engines: JSON.parse(row.engines_json) as string[],
    release: row.product === null || row.version === null ? null : { product: row.product, version: row.version },
    inputs: JSON.parse(row.inputs_json) as string[],
  };
}

/** A stored verdict as the port returns it: the classifier label is derived again (rules improve; the name is the fact). */
function verdictOf(row: Pick<Selectable<VerdictTable>, 'engine' | 'via' | 'category' | 'result' | 'engine_version' | 'definitions_date' | 'scanned_at' | 'detail'>): Verdict {
  return makeVerdict({
    engine: row.engine,
    via: row.via as EngineVia,
    category: row.category as VerdictCategory,
    result: row.result,
    engineVersion: row.engine_version,
    definitionsDate: row.definitions_date,
    scannedAt: row.scanned_at,
    ...(row.detail === null ? {} : { detail: row.detail }),
  });
}

/** One verdict_current row as verdict_current_file holds it (fileCellsAggregate's column order). */
type CurrentVerdictCell = [via: string, engine: string, category: string, result: string | null, engineVersion: string | null, definitionsDate: string | null, scannedAt: string, detail: string | null];

function verdictOfCell([via, engine, category, result, engine_version, definitions_date, scanned_at, detail]: CurrentVerdictCell): Verdict {
  return verdictOf({ via, engine, category, result, engine_version, definitions_date, scanned_at, detail });
}

/** A file's newest answer per engine as the port returns them: in (via, engine) order, with the scan of the newest. */
function newestOf(rows: Array<Selectable<VerdictTable>>): { scanId: string; verdicts: Verdict[] } {
  const list = rows.sort((a, b) => compareText(a.via, b.via) || compareText(a.engine, b.engine));
  const latest = list.reduce((a, b) => (compareText(a.recorded_at, b.recorded_at) >= 0 ? a : b));
  return { scanId: latest.scan_id, verdicts: list.map(verdictOf) };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * verdict_current after new verdict rows (migration 0006): the standing verdict moves only forward, by
 * (recorded_at, scan_id) as newestAnswers orders them; no-answer categories never replace it. Called in the
 * transaction that writes the rows (addVerdicts, and the import in kysely-store.ts).
 */
export async function keepCurrentVerdicts(db: Kysely<StoreDatabase>, rows: ReadonlyArray<Insertable<VerdictTable>>): Promise<void> {
  const answers = rows.filter((r) => !(NO_ANSWER_CATEGORIES as readonly string[]).includes(r.category));
  if (answers.length === 0) return;
  const dialect = dialectOf(db);
  const files = [...new Set(answers.map((r) => r.sha256))].sort(compareText);
  // The files' verdict_current_file rows are their locks (migration 0007): created when new, then locked in one
  // order before verdict_current moves, so two writers of one file (two engines' answers in two transactions) take
  // turns, and the second one's aggregate, read after the first committed (READ COMMITTED: a snapshot per
  // statement), holds both. SQLite has one writer at a time.
  for (let i = 0; i < files.length; i += LOOKUP_CHUNK) {
    const chunk = files.slice(i, i + LOOKUP_CHUNK);
    await db.insertInto('verdict_current_file').values(chunk.map((sha256) => ({ sha256, cells: '[]' }))).onConflict((oc) => oc.column('sha256').doNothing()).execute();
    if (dialect === 'postgres') await db.selectFrom('verdict_current_file').select('sha256').where('sha256', 'in', chunk).orderBy('sha256').forUpdate().execute();
  }
  await db
    .insertInto('verdict_current')
    .values(answers)
    .onConflict((oc) =>
      oc
        .columns(['sha256', 'via', 'engine'])
        .doUpdateSet((eb) => ({
          scan_id: eb.ref('excluded.scan_id'),
          category: eb.ref('excluded.category'),
          result: eb.ref('excluded.result'),
          engine_version: eb.ref('excluded.engine_version'),
          definitions_date: eb.ref('excluded.definitions_date'),
          scanned_at: eb.ref('excluded.scanned_at'),
          detail: eb.ref('excluded.detail'),
          reused: eb.ref('excluded.reused'),
          recorded_at: eb.ref('excluded.recorded_at'),
        }))
        .where((eb) =>
          eb.or([
            eb('excluded.recorded_at', '>', eb.ref('verdict_current.recorded_at')),
            eb.and([eb('excluded.recorded_at', '=', eb.ref('verdict_current.recorded_at')), eb('excluded.scan_id', '>', eb.ref('verdict_current.scan_id'))]),
          ]),
        ),
    )
    .execute();
  for (let i = 0; i < files.length; i += LOOKUP_CHUNK) {
    const chunk = sql.join(files.slice(i, i + LOOKUP_CHUNK));
    await sql`UPDATE verdict_current_file SET cells = (SELECT ${sql.raw(fileCellsAggregate(dialect))} FROM verdict_current v WHERE v.sha256 = verdict_current_file.sha256) WHERE sha256 IN (${chunk})`.execute(db);
  }
}

export function dialectOf(db: Kysely<StoreDatabase>): SQLDialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

export class KyselyScanStore implements ScanStore {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async beginScan(header: ScanHeader): Promise<void> {
    await this.db
      .insertInto('scan')
      .values({
        id: header.id,
        started_at: header.startedAt,
        finished_at: header.finishedAt,
        trigger: header.trigger,
        engines_json: JSON.stringify(header.engines),
        product: header.release?.product ?? null,
        version: header.release?.version ?? null,
        inputs_json: JSON.stringify(header.inputs),
      })
      .execute();
  }

  async addTargets(scanId: string, targets: readonly ScanTargetRecord[]): Promise<void> {
    for (let i = 0; i < targets.length; i += INSERT_CHUNK_ROWS) {
      const chunk = targets.slice(i, i + INSERT_CHUNK_ROWS);
      await this.db
        .insertInto('scan_target')
        .values(chunk.map((t) => ({ scan_id: scanId, ordinal: t.ordinal, path: t.path, parent_path: t.parentPath, sha256: t.sha256, size: t.size })))
        .onConflict((oc) => oc.columns(['scan_id', 'ordinal']).doNothing())
        .execute();
    }
  }

  async addVerdicts(scanId: string, sha256: string, verdicts: readonly Verdict[], reused: boolean): Promise<void> {
    if (verdicts.length === 0) return;
    const recordedAt = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < verdicts.length; i += INSERT_CHUNK_ROWS) {
        const rows = verdicts.slice(i, i + INSERT_CHUNK_ROWS).map((v) => ({
          scan_id: scanId,
          sha256,
          via: v.via,
          engine: v.engine,
          category: v.category,
          result: v.result,
          engine_version: v.engineVersion,
          definitions_date: v.definitionsDate,
          scanned_at: v.scannedAt,
          detail: v.detail ?? null,
          reused: reused ? 1 : 0,
          recorded_at: recordedAt,
        }));
        await trx.insertInto('verdict').values(rows).onConflict((oc) => oc.columns(['scan_id', 'sha256', 'via', 'engine']).doNothing()).execute();
        await keepCurrentVerdicts(trx, rows);
      }
    });
  }

  async finishScan(scanId: string, finishedAt: string): Promise<void> {
    await this.db.updateTable('scan').set({ finished_at: finishedAt }).where('id', '=', scanId).execute();
  }

  async freshVerdicts(sha256s: readonly string[], via: EngineVia, notBefore: string): Promise<Map<string, Verdict[]>> {
    return this.latestAnswers(sha256s, via, { notBefore, includeReused: false });
  }

  /**
   * A monitored file holds 90 days × 70 engines of answers; the comparison needs one per engine. The engines that
   * ever answered are verdict_current's rows; the newest answers before the scan are read newest first, a window of
   * RECENT_ROWS_PER_ENGINE rows per engine (`verdict_sha256_via` serves the order), and only a file where some
   * engine's last answer is older than that window (an engine that stopped answering) is read whole.
   */
  async previousVerdicts(sha256s: readonly string[], via: EngineVia, scanId: string): Promise<Map<string, { scanId: string; verdicts: Verdict[] }>> {
    const current = await this.db.selectFrom('scan').select('started_at').where('id', '=', scanId).executeTakeFirst();
    if (current === undefined) return new Map();
    const bounds = { via, excludeScanId: scanId, recordedBefore: current.started_at };
    const unique = [...new Set(sha256s)];
    const enginesOf = new Map<string, number>();
    for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
      const counts = await this.db
        .selectFrom('verdict_current')
        .select(['sha256', (eb) => eb.fn.countAll<number | string>().as('engines')])
        .where('sha256', 'in', unique.slice(i, i + LOOKUP_CHUNK))
        .where('via', '=', via)
        .groupBy('sha256')
        .execute();
      for (const row of counts) enginesOf.set(row.sha256, Number(row.engines));
    }
    const out = new Map<string, { scanId: string; verdicts: Verdict[] }>();
    const readWhole: string[] = [];
    for (const sha256 of unique) {
      const engines = enginesOf.get(sha256);
      if (engines === undefined) continue; // never answered by this adapter: nothing before
      const window = engines * RECENT_ROWS_PER_ENGINE;
      const rows = await this.db
        .selectFrom('verdict')
        .selectAll()
        .where('sha256', '=', sha256)
        .where('via', '=', via)
        .where('recorded_at', '<=', bounds.recordedBefore)
        .where('scan_id', '!=', scanId)
        .where('category', 'not in', [...NO_ANSWER_CATEGORIES])
        .orderBy('recorded_at', 'desc')
        .orderBy('scan_id', 'desc')
        .limit(window)
        .execute();
      const newest = new Map<string, Selectable<VerdictTable>>();
      for (const row of rows) if (!newest.has(row.engine)) newest.set(row.engine, row);
      // A full window that misses an engine: its newest answer, if any, lies further back.
      if (rows.length === window && newest.size < engines) {
        readWhole.push(sha256);
        continue;
      }
      if (newest.size === 0) continue;
      out.set(sha256, newestOf([...newest.values()]));
    }
    if (readWhole.length > 0) for (const [sha256, found] of await this.newestAnswers(readWhole, bounds)) out.set(sha256, found);
    return out;
  }

  /**
   * From verdict_current_file (migration 0007): per file its standing verdicts as one JSON array, kept with
   * verdict_current. The matrix of 100 files × 70 engines reads 100 rows, not 7,000: per row and column the
   * drivers build a JS object and strings, and PostgreSQL walks the index range (~20 ms at 63 M verdict rows,
   * bench/load.ts). JSON, not a separator, because detection names come from remote engines and may hold any character.
   */
  async currentVerdicts(sha256s: readonly string[]): Promise<Map<string, Verdict[]>> {
    const out = new Map<string, Verdict[]>();
    const unique = [...new Set(sha256s)];
    for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
      const rows = await this.db.selectFrom('verdict_current_file').select(['sha256', 'cells']).where('sha256', 'in', unique.slice(i, i + LOOKUP_CHUNK)).execute();
      for (const row of rows) {
        const list = JSON.parse(row.cells) as CurrentVerdictCell[];
        if (list.length > 0) out.set(row.sha256, list.sort((a, b) => compareText(a[0], b[0]) || compareText(a[1], b[1])).map(verdictOfCell));
      }
    }
    return out;
  }

  /** Per file and (via, engine), its newest answer within the bounds: an engine that failed since keeps the state it had. */
  private async newestAnswers(
    sha256s: readonly string[],
    bounds: { via?: EngineVia; excludeScanId?: string; recordedBefore?: string },
  ): Promise<Map<string, { scanId: string; verdicts: Verdict[] }>> {
    const out = new Map<string, { scanId: string; verdicts: Verdict[] }>();
    const unique = [...new Set(sha256s)];
    for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
      let query = this.db
        .selectFrom('verdict')
        .selectAll()
        .where('sha256', 'in', unique.slice(i, i + LOOKUP_CHUNK))
        .where('category', 'not in', [...NO_ANSWER_CATEGORIES]);
      if (bounds.via !== undefined) query = query.where('via', '=', bounds.via);
      if (bounds.excludeScanId !== undefined) query = query.where('scan_id', '!=', bounds.excludeScanId);
      if (bounds.recordedBefore !== undefined) query = query.where('recorded_at', '<=', bounds.recordedBefore);
      const rows = await query.execute();
      const newest = new Map<string, Map<string, Selectable<VerdictTable>>>();
      for (const row of rows) {
        let engines = newest.get(row.sha256);
        if (engines === undefined) newest.set(row.sha256, (engines = new Map<string, Selectable<VerdictTable>>()));
        const key = `${row.via}\u0000${row.engine}`;
        const seen = engines.get(key);
        if (seen === undefined || compareText(seen.recorded_at, row.recorded_at) < 0 || (seen.recorded_at === row.recorded_at && compareText(seen.scan_id, row.scan_id) < 0)) engines.set(key, row);
      }
      for (const [sha256, engines] of newest) out.set(sha256, newestOf([...engines.values()]));
    }
    return out;
  }

  private async latestAnswers(sha256s: readonly string[], via: EngineVia, options: { notBefore: string; includeReused: boolean }): Promise<Map<string, Verdict[]>> {
    const rows = await this.latestRows(sha256s, via, options);
    return new Map([...rows].map(([sha256, list]) => [sha256, list.map(verdictOf)]));
  }


  /**
   * Per sha256, the rows of the newest asking (one scan's answers from `via`) that holds at least one
   * real answer (not only failure/timeout), within the bounds given.
   */
  private async latestRows(
    sha256s: readonly string[],
    via: EngineVia,
    options: { notBefore: string; includeReused: boolean },
  ): Promise<Map<string, Array<Selectable<VerdictTable>>>> {
    const out = new Map<string, Array<Selectable<VerdictTable>>>();
    const unique = [...new Set(sha256s)];
    for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
      let query = this.db.selectFrom('verdict').selectAll().where('sha256', 'in', unique.slice(i, i + LOOKUP_CHUNK)).where('via', '=', via);
      if (!options.includeReused) query = query.where('reused', '=', 0);
      query = query.where('recorded_at', '>=', options.notBefore);
      const rows = await query.execute();
      const bySample = new Map<string, Map<string, Array<Selectable<VerdictTable>>>>();
      for (const row of rows) {
        let scans = bySample.get(row.sha256);
        if (scans === undefined) bySample.set(row.sha256, (scans = new Map<string, Array<Selectable<VerdictTable>>>()));
        let list = scans.get(row.scan_id);
        if (list === undefined) scans.set(row.scan_id, (list = []));
        list.push(row);
      }
      for (const [sha256, scans] of bySample) {
        const candidates = [...scans.values()]
          .filter((list) => list.some((r) => r.category !== 'failure' && r.category !== 'timeout'))
          .sort((a, b) => compareText(b[0]?.recorded_at ?? '', a[0]?.recorded_at ?? '') || compareText(b[0]?.scan_id ?? '', a[0]?.scan_id ?? ''));
        const best = candidates[0];
        if (best !== undefined) out.set(sha256, best.sort((a, b) => compareText(a.engine, b.engine)));
      }
    }
    return out;
  }

  async listScans(options: { release?: { product: string; version: string }; limit?: number }): Promise<ScanHeader[]> {
    let query = this.db.selectFrom('scan').selectAll();
    if (options.release !== undefined) query = query.where('product', '=', options.release.product).where('version', '=', options.release.version);
    const rows = await query.execute();
    const headers = rows.map(scanHeaderOf).sort((a, b) => compareText(b.startedAt, a.startedAt) || compareText(b.id, a.id));
    return options.limit === undefined ? headers : headers.slice(0, options.limit);
  }

  async getScan(scanId: string): Promise<ScanDetail | undefined> {
    const row = await this.db.selectFrom('scan').selectAll().where('id', '=', scanId).executeTakeFirst();
    if (row === undefined) return undefined;
    const targets = await this.db.selectFrom('scan_target').selectAll().where('scan_id', '=', scanId).orderBy('ordinal').execute();
    const verdictRows = await this.db.selectFrom('verdict').selectAll().where('scan_id', '=', scanId).execute();
    const bySample = new Map<string, Array<Selectable<VerdictTable>>>();
    for (const v of verdictRows) {
      let list = bySample.get(v.sha256);
      if (list === undefined) bySample.set(v.sha256, (list = []));
      list.push(v);
    }
    const files: ScannedFile[] = targets.map((t) => {
      const rows = (bySample.get(t.sha256) ?? []).sort((a, b) => compareText(a.via, b.via) || compareText(a.engine, b.engine));
      const verdicts = rows.map(verdictOf);
      return {
        ordinal: t.ordinal,
        path: t.path,
        parentPath: t.parent_path,
        sha256: t.sha256,
        size: Number(t.size),
        verdicts,
        reused: rows.some((r) => r.reused === 1),
        ...countFile(verdicts),
      };
    });
    return { ...scanHeaderOf(row), files };
  }
}
