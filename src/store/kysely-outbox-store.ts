/**
 * The alert outbox over Kysely (SQLite, PostgreSQL, PGlite). A claim is one conditional UPDATE per
 * row (`claimed_until` still free), so two deliverers, in one process or on two machines, never
 * both claim a row; the lease ends by itself when a deliverer dies mid-send.
 */
import type { Kysely, Selectable } from 'kysely';
import type { AlertDelivery, AlertFormat, OutboxStore } from '../core/alerts/alerts.ts';
import type { AlertDeliveryTable, StoreDatabase } from './schema.ts';

function deliveryOf(row: Selectable<AlertDeliveryTable>): AlertDelivery {
  return {
    id: row.id,
    eventId: row.event_id,
    targetKey: row.target_key,
    targetLabel: row.target_label,
    format: row.format as AlertFormat,
    payload: JSON.parse(row.payload_json) as unknown,
    attempts: Number(row.attempts),
    nextAt: row.next_at,
    deliveredAt: row.delivered_at,
    failedAt: row.failed_at,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

export class KyselyOutboxStore implements OutboxStore {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async enqueue(deliveries: readonly AlertDelivery[]): Promise<number> {
    let added = 0;
    for (const d of deliveries) {
      const r = await this.db
        .insertInto('alert_delivery')
        .values({
          id: d.id,
          event_id: d.eventId,
          target_key: d.targetKey,
          target_label: d.targetLabel,
          format: d.format,
          payload_json: JSON.stringify(d.payload),
          attempts: d.attempts,
          next_at: d.nextAt,
          claimed_until: null,
          delivered_at: d.deliveredAt,
          failed_at: d.failedAt,
          last_error: d.lastError,
          created_at: d.createdAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      added += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    return added;
  }

  async claimDue(now: string, leaseMs: number, limit: number): Promise<AlertDelivery[]> {
    const until = new Date(Date.parse(now) + leaseMs).toISOString();
    const candidates = await this.db
      .selectFrom('alert_delivery')
      .select('id')
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('next_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    const claimed: AlertDelivery[] = [];
    for (const { id } of candidates) {
      const row = await this.db
        .updateTable('alert_delivery')
        .set({ claimed_until: until })
        .where('id', '=', id)
        .where('delivered_at', 'is', null)
        .where('failed_at', 'is', null)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .returningAll()
        .executeTakeFirst();
      if (row !== undefined) claimed.push(deliveryOf(row));
    }
    return claimed;
  }

  async markDelivered(id: string, at: string): Promise<void> {
    await this.db.updateTable('alert_delivery').set((eb) => ({ delivered_at: at, claimed_until: null, attempts: eb('attempts', '+', 1), last_error: null })).where('id', '=', id).execute();
  }

  async markFailed(id: string, error: string, at: string, nextAt: string | null): Promise<void> {
    await this.db
      .updateTable('alert_delivery')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500), claimed_until: null, ...(nextAt === null ? { failed_at: at } : { next_at: nextAt }) }))
      .where('id', '=', id)
      .execute();
  }

  async listDeliveries(options: { pendingOnly?: boolean }): Promise<AlertDelivery[]> {
    let q = this.db.selectFrom('alert_delivery').selectAll();
    if (options.pendingOnly === true) q = q.where('delivered_at', 'is', null).where('failed_at', 'is', null);
    return (await q.orderBy('created_at').orderBy('id').execute()).map(deliveryOf);
  }
}
