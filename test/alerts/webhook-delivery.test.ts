/**
 * Alerts end to end: the outbox in a real SQLite store, real HTTP POSTs to receivers on loopback.
 * A receiver that fails first gets the alert on the next attempt; two deliverers racing send each
 * alert once; a receiver that refuses for good is given up; the webhook URL (a secret) appears in
 * no stored row and no error.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createWebhookSender } from '../../src/alerts/webhook-sender.ts';
import { deliverDueAlerts, plannedDeliveries, type WebhookTarget } from '../../src/core/alerts/alerts.ts';
import type { DetectionEvent } from '../../src/core/monitor/detection-events.ts';
import { KyselyOutboxStore } from '../../src/store/kysely-outbox-store.ts';
import { openSQLiteStore } from '../../src/store/sqlite.ts';

interface Received {
  path: string;
  key: string | undefined;
  body: unknown;
}

const received: Received[] = [];
/** Answers per path, consumed in order; 200 once a list is empty. */
const scripted = new Map<string, Array<{ status: number; headers?: Record<string, string> }>>();
let server: Server;
let base = '';
const scratch = mkdtempSync(join(tmpdir(), 'absolve-alerts-'));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

before(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const path = req.url ?? '';
      received.push({ path, key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(text) as unknown });
      const next = scripted.get(path)?.shift() ?? { status: 200 };
      res.writeHead(next.status, next.headers ?? {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(scratch, { recursive: true, force: true });
});

const event: DetectionEvent = {
  id: `monitor-1:${'b'.repeat(64)}:virustotal`,
  at: '2026-12-05T10:00:00.000Z',
  scanId: 'monitor-1',
  previousScanId: 'monitor-0',
  sha256: 'b'.repeat(64),
  via: 'virustotal',
  kind: 'new-detections',
  before: [],
  after: ['Microsoft'],
  results: { Microsoft: 'Trojan:Win32/Wacatac.B!ml' },
};
const context = () => ({ paths: ['setup.msi!/bin/app.exe'], releases: ['contoso@1.2.0'] });

describe('webhook alerts through the outbox', () => {
  it('delivers each alert once in its format, retrying a failing receiver, racing deliverers included', async () => {
    const targets: WebhookTarget[] = [
      { url: `${base}/slack/T000-secret`, format: 'slack', events: [] },
      { url: `${base}/teams/workflow-secret`, format: 'teams', events: ['new-detections'] },
      { url: `${base}/json/hook-secret`, format: 'json', events: [] },
    ];
    scripted.set('/json/hook-secret', [{ status: 503, headers: { 'retry-after': '120' } }]);
    const path = join(scratch, 'a', 'absolve.db');
    const a = await openSQLiteStore(path, { create: true });
    const b = await openSQLiteStore(path, { create: true });
    try {
      const outboxA = new KyselyOutboxStore(a.db);
      const outboxB = new KyselyOutboxStore(b.db);
      await outboxA.enqueue(plannedDeliveries([event], targets, context, event.at));
      let clock = new Date('2026-12-05T10:00:00.000Z');
      const sender = createWebhookSender();
      const policy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, leaseMs: 60_000, batch: 10 };
      const [first, second] = await Promise.all([
        deliverDueAlerts(outboxA, sender, targets, () => clock, policy),
        deliverDueAlerts(outboxB, sender, targets, () => clock, policy),
      ]);
      const delivered = [...first.delivered, ...second.delivered];
      assert.equal(delivered.length, 2);
      assert.equal(new Set(delivered).size, 2, 'no delivery sent by both deliverers');
      assert.equal([...first.retrying, ...second.retrying].length, 1);

      clock = new Date('2026-12-05T10:01:00.000Z');
      assert.deepEqual((await deliverDueAlerts(outboxA, sender, targets, () => clock, policy)).delivered, [], 'Retry-After (120 s) is honoured');
      clock = new Date('2026-12-05T10:02:01.000Z');
      assert.equal((await deliverDueAlerts(outboxA, sender, targets, () => clock, policy)).delivered.length, 1);
      clock = new Date('2026-12-05T12:00:00.000Z');
      assert.deepEqual(await deliverDueAlerts(outboxA, sender, targets, () => clock, policy), { delivered: [], retrying: [], givenUp: [] });

      const byPath = (p: string) => received.filter((r) => r.path === p);
      assert.equal(byPath('/slack/T000-secret').length, 1);
      assert.equal(byPath('/teams/workflow-secret').length, 1);
      assert.equal(byPath('/json/hook-secret').length, 2, 'one failed attempt, one delivery');
      assert.ok(received.every((r) => r.key === event.id), 'the event id is the idempotency key of every attempt');
      const slack = byPath('/slack/T000-secret')[0]?.body as { text: string };
      assert.match(slack.text, /new-detections for setup\.msi!\/bin\/app\.exe in contoso@1\.2\.0 \(virustotal\): none → Microsoft; Microsoft: Trojan:Win32\/Wacatac\.B!ml/);
      const teams = byPath('/teams/workflow-secret')[0]?.body as { type: string; attachments: Array<{ contentType: string; content: { type: string; body: unknown[] } }> };
      assert.equal(teams.type, 'message');
      assert.equal(teams.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
      assert.equal(teams.attachments[0]?.content.type, 'AdaptiveCard');
      const json = byPath('/json/hook-secret')[1]?.body as { schema: string; id: string; after: string[] };
      assert.deepEqual([json.schema, json.id, json.after], ['absolve.alert/v1', event.id, ['Microsoft']]);
      const rows = JSON.stringify(await outboxA.listDeliveries({}));
      assert.ok(!rows.includes('secret'), 'no webhook URL in the store');
    } finally {
      await a.store.close();
      await b.store.close();
    }
  });

  it('a receiver that refuses for good is given up; a dead one is retried; errors never show the URL', async () => {
    scripted.set('/gone/secret-404', [{ status: 404 }]);
    const targets: WebhookTarget[] = [
      { url: `${base}/gone/secret-404`, format: 'json', events: [] },
      { url: 'http://127.0.0.1:1/dead/secret-dead', format: 'json', events: [] },
    ];
    const opened = await openSQLiteStore(join(scratch, 'b', 'absolve.db'), { create: true });
    try {
      const outbox = new KyselyOutboxStore(opened.db);
      await outbox.enqueue(plannedDeliveries([{ ...event, id: 'monitor-2:x:virustotal' }], targets, context, event.at));
      const clock = new Date('2026-12-05T10:00:00.000Z');
      const outcome = await deliverDueAlerts(outbox, createWebhookSender({ timeoutMs: 5_000 }), targets, () => clock);
      assert.equal(outcome.givenUp.length, 1);
      assert.equal(outcome.retrying.length, 1);
      const rows = await outbox.listDeliveries({});
      for (const r of rows) assert.ok(r.lastError !== null && !r.lastError.includes('secret'), r.lastError ?? '');
    } finally {
      await opened.store.close();
    }
  });
});
