/** Detection-change events over Kysely (SQLite, PostgreSQL, PGlite): the EventStore port. */
import type { Kysely, Selectable } from 'kysely';
import type { DetectionEvent, DetectionEventKind } from '../core/monitor/detection-events.ts';
import type { EventQuery, EventStore } from '../core/monitor/ports.ts';
import type { EngineVia } from '../core/scans/scan.types.ts';
import type { DetectionEventTable, StoreDatabase } from './schema.ts';

export function eventOf(row: Selectable<DetectionEventTable>): DetectionEvent {
  return {
    id: row.id,
    at: row.at,
    scanId: row.scan_id,
    previousScanId: row.previous_scan_id,
    sha256: row.sha256,
    via: row.via as EngineVia,
    kind: row.kind as DetectionEventKind,
    before: JSON.parse(row.before_json) as string[],
    after: JSON.parse(row.after_json) as string[],
    results: JSON.parse(row.results_json) as Record<string, string>,
  };
}

export class KyselyEventStore implements EventStore {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async recordEvents(events: readonly DetectionEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      const fresh: string[] = [];
      for (const e of events) {
        const inserted = await trx
          .insertInto('detection_event')
          .values({
            id: e.id,
            at: e.at,
            scan_id: e.scanId,
            previous_scan_id: e.previousScanId,
            sha256: e.sha256,
            via: e.via,
            kind: e.kind,
            before_json: JSON.stringify(e.before),
            after_json: JSON.stringify(e.after),
            results_json: JSON.stringify(e.results),
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted !== undefined) fresh.push(inserted.id);
      }
      return fresh;
    });
  }

  async listEvents(query: EventQuery): Promise<DetectionEvent[]> {
    if (query.sha256In === undefined) return (await this.listChunk(query, undefined)).map(eventOf);
    // A release's files can be thousands: one query per chunk (SQLite binds at most 32,766 parameters, PostgreSQL
    // 65,535), each with the order and limit, then the chunks merged in that order and cut to the limit.
    const unique = [...new Set(query.sha256In.map((s) => s.toLowerCase()))];
    const rows: Array<Selectable<DetectionEventTable>> = [];
    for (let i = 0; i < unique.length; i += SHA256_CHUNK) rows.push(...(await this.listChunk(query, unique.slice(i, i + SHA256_CHUNK))));
    const sign = query.newestFirst === true ? -1 : 1;
    rows.sort((a, b) => sign * (compareText(a.at, b.at) || compareText(a.id, b.id)));
    return (query.limit === undefined ? rows : rows.slice(0, query.limit)).map(eventOf);
  }

  private async listChunk(query: EventQuery, sha256s: string[] | undefined): Promise<Array<Selectable<DetectionEventTable>>> {
    let q = this.db.selectFrom('detection_event').selectAll();
    if (query.since !== undefined) q = q.where('at', '>=', query.since);
    if (query.sha256 !== undefined) q = q.where('sha256', '=', query.sha256);
    if (sha256s !== undefined) q = q.where('sha256', 'in', sha256s);
    if (query.kinds !== undefined && query.kinds.length > 0) q = q.where('kind', 'in', [...query.kinds]);
    // The (at, id) index serves both directions.
    q = query.newestFirst === true ? q.orderBy('at', 'desc').orderBy('id', 'desc') : q.orderBy('at').orderBy('id');
    if (query.limit !== undefined) q = q.limit(query.limit);
    return q.execute();
  }
}

/** Files per `sha256 IN (…)` query: well under every dialect's bound-parameter limit. */
const SHA256_CHUNK = 500;

/** Code-unit order, as SQL's `ORDER BY` on these ASCII columns (ISO times, hex/UUID ids). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
