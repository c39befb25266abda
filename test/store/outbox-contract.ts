/** The OutboxStore contract on SQLite and PostgreSQL: idempotent enqueue, exclusive leases, retries, giving up. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plannedDeliveries, type OutboxStore } from '../../src/core/alerts/alerts.ts';
import type { DetectionEvent } from '../../src/core/monitor/detection-events.ts';

export function runOutboxContract(name: string, open: () => Promise<{ outbox: OutboxStore; close: () => Promise<void> }>): void {
  const event: DetectionEvent = {
    id: 'scan-1:' + 'a'.repeat(64) + ':virustotal',
    at: '2026-12-05T10:00:00.000Z',
    scanId: 'scan-1',
    previousScanId: 'scan-0',
    sha256: 'a'.repeat(64),
    via: 'virustotal',
    kind: 'new-detections',
    before: [],
    after: ['Microsoft'],
    results: { Microsoft: 'Trojan:Win32/Wacatac.B!ml' },
  };
  const targets = [
    { url: 'https://hooks.example.test/secret-token-1', format: 'slack' as const, events: [] },
    { url: 'https://hooks.example.test/secret-token-2', format: 'json' as const, events: ['solved-detections' as const] },
  ];

  describe(`OutboxStore contract: ${name}`, () => {
    it('enqueues once per (event, target), never stores the URL, claims exclusively, retries and gives up', async () => {
      const { outbox, close } = await open();
      try {
        const planned = plannedDeliveries([event], targets, () => ({ paths: ['app.exe'], releases: ['app@1.0'] }), '2026-12-05T10:00:00.000Z');
        assert.equal(planned.length, 1, 'the second target only wants solved-detections');
        assert.equal(await outbox.enqueue(planned), 1);
        assert.equal(await outbox.enqueue(planned), 0, 'enqueueing again adds nothing');
        const listed = await outbox.listDeliveries({});
        assert.ok(!JSON.stringify(listed).includes('secret-token'), 'the webhook URL (a secret) is not stored');
        assert.equal(listed[0]?.targetLabel, 'https://hooks.example.test/…');

        const first = await outbox.claimDue('2026-12-05T10:00:00.000Z', 60_000, 10);
        assert.equal(first.length, 1);
        assert.deepEqual(await outbox.claimDue('2026-12-05T10:00:30.000Z', 60_000, 10), [], 'a live lease keeps others away');
        const [d] = first;
        assert.ok(d !== undefined);
        await outbox.markFailed(d.id, 'HTTP 500', '2026-12-05T10:00:01.000Z', '2026-12-05T10:05:00.000Z');
        assert.deepEqual(await outbox.claimDue('2026-12-05T10:04:00.000Z', 60_000, 10), [], 'not due before its next attempt');
        const retry = await outbox.claimDue('2026-12-05T10:05:00.000Z', 60_000, 10);
        assert.equal(retry[0]?.attempts, 1);
        await outbox.markDelivered(d.id, '2026-12-05T10:05:01.000Z');
        assert.deepEqual(await outbox.claimDue('2026-12-05T11:00:00.000Z', 60_000, 10), [], 'delivered: never again');
        assert.deepEqual(await outbox.listDeliveries({ pendingOnly: true }), []);
        const done = (await outbox.listDeliveries({}))[0];
        assert.deepEqual([done?.attempts, done?.deliveredAt, done?.lastError], [2, '2026-12-05T10:05:01.000Z', null]);
      } finally {
        await close();
      }
    });

    it('a dead deliverer’s lease runs out; a given-up delivery stays with its error', async () => {
      const { outbox, close } = await open();
      try {
        const planned = plannedDeliveries([{ ...event, id: 'scan-2:x:virustotal' }], targets.slice(0, 1), () => ({ paths: [], releases: [] }), '2026-12-05T10:00:00.000Z');
        await outbox.enqueue(planned);
        assert.equal((await outbox.claimDue('2026-12-05T10:00:00.000Z', 60_000, 10)).length, 1);
        const again = await outbox.claimDue('2026-12-05T10:01:01.000Z', 60_000, 10);
        assert.equal(again.length, 1, 'claimable after the lease');
        await outbox.markFailed(again[0]?.id ?? '', 'HTTP 404', '2026-12-05T10:01:02.000Z', null);
        assert.deepEqual(await outbox.claimDue('2026-12-06T00:00:00.000Z', 60_000, 10), []);
        const [row] = await outbox.listDeliveries({});
        assert.deepEqual([row?.failedAt, row?.lastError], ['2026-12-05T10:01:02.000Z', 'HTTP 404']);
      } finally {
        await close();
      }
    });
  });
}
