/**
 * Email alerts through the outbox: a real SQLite store, the nodemailer adapter, a real SMTP server
 * on loopback (smtp-server) and mailparser as the independent reader of what arrived. A mail names
 * the product, version, file and the engines before → after; a 4xx is retried later, a dead server
 * leaves the delivery pending with a one-line error, a 5xx is given up, and re-running delivery
 * never sends a delivered alert again. The SMTP password (from the environment) appears nowhere.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { alertMessageId, deliverDueAlerts, plannedDeliveries, targetKey, type EmailTarget, type Mailer } from '../../src/core/alerts/alerts.ts';
import type { DetectionEvent } from '../../src/core/monitor/detection-events.ts';
import { KyselyOutboxStore } from '../../src/store/kysely-outbox-store.ts';
import { openSQLiteStore } from '../../src/store/sqlite.ts';
import { createWebhookSender } from '../../src/alerts/webhook-sender.ts';
import { createSmtpMailer } from '../../src/vendors/mail.ts';
import { startSmtpReceiver, type SmtpReceiver } from './smtp-receiver.ts';

const PASSWORD = 'pw-Very-Secret-42';
const env = { ABSOLVE_SMTP_PASSWORD: PASSWORD };
const scratch = mkdtempSync(join(tmpdir(), 'absolve-email-alerts-'));
let smtp: SmtpReceiver;

before(async () => {
  smtp = await startSmtpReceiver({ user: 'alerts', pass: PASSWORD });
});
after(async () => {
  await smtp.close();
  rmSync(scratch, { recursive: true, force: true });
});

const event: DetectionEvent = {
  id: `monitor-7:${'c'.repeat(64)}:virustotal`,
  at: '2026-12-05T10:00:00.000Z',
  scanId: 'monitor-7',
  previousScanId: 'monitor-6',
  sha256: 'c'.repeat(64),
  via: 'virustotal',
  kind: 'increasing-detections',
  before: ['Microsoft'],
  after: ['Kaspersky', 'Microsoft'],
  results: { Kaspersky: 'HEUR:Trojan.Win32.Generic', Microsoft: 'Trojan:Win32/Wacatac.B!ml' },
};
const context = () => ({ paths: ['setup.msi!/bin/app.exe'], releases: ['contoso-app@1.2.0'] });
const policy = { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 3_600_000, leaseMs: 60_000, batch: 10 };
const webhook = createWebhookSender();

function target(port: number, overrides: Partial<EmailTarget> = {}): EmailTarget {
  return { smtp: { host: '127.0.0.1', port, secure: false, user: 'alerts' }, from: 'Absolve <absolve@contoso.example>', to: ['release@contoso.example', 'Ops <ops@contoso.example>'], events: [], ...overrides };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function withOutbox<T>(name: string, run: (outbox: KyselyOutboxStore) => Promise<T>): Promise<T> {
  const opened = await openSQLiteStore(join(scratch, name, 'absolve.db'), { create: true });
  try {
    return await run(new KyselyOutboxStore(opened.db));
  } finally {
    await opened.store.close();
  }
}

describe('email alerts through the outbox', () => {
  it('sends one mail naming product, version, file and engines; a re-run sends nothing more', async () => {
    const t = target(smtp.port);
    const mailer = createSmtpMailer(t.smtp, env);
    const before = smtp.accepted.length;
    await withOutbox('once', async (outbox) => {
      assert.equal(await outbox.enqueue(plannedDeliveries([event], [t], context, event.at)), 1);
      const clock = new Date('2026-12-05T10:00:00.000Z');
      const first = await deliverDueAlerts(outbox, { webhook, mailer }, [t], () => clock, policy);
      assert.equal(first.delivered.length, 1);
      // Delivery again, later, and the same event planned again: nothing new is sent.
      assert.equal(await outbox.enqueue(plannedDeliveries([event], [t], context, event.at)), 0);
      assert.deepEqual(await deliverDueAlerts(outbox, { webhook, mailer }, [t], () => new Date('2026-12-06T10:00:00.000Z'), policy), { delivered: [], retrying: [], givenUp: [] });
      assert.equal(smtp.accepted.length - before, 1, 'exactly one mail');
      const rows = JSON.stringify(await outbox.listDeliveries({}));
      assert.ok(!rows.includes(PASSWORD));
    });
    mailer.close();
    const got = smtp.accepted.at(-1);
    assert.ok(got !== undefined);
    assert.equal(got.from, 'absolve@contoso.example');
    assert.deepEqual(got.to, ['release@contoso.example', 'ops@contoso.example']);
    const mail = await simpleParser(got.raw);
    assert.equal(mail.messageId, alertMessageId(event.id, targetKey(t)));
    assert.match(mail.messageId ?? '', /^<[0-9a-f]{32}\.[0-9a-f]{32}@absolve\.alerts>$/);
    assert.equal(mail.headers.get('x-absolve-event'), event.id);
    assert.equal(mail.subject, '[Absolve] increasing-detections: setup.msi!/bin/app.exe in contoso-app@1.2.0: Microsoft → Kaspersky, Microsoft');
    const text = mail.text ?? '';
    for (const line of ['Product: contoso-app', 'Version: 1.2.0', 'File: setup.msi!/bin/app.exe', `SHA-256: ${'c'.repeat(64)}`, 'Engines before: Microsoft', 'Engines after: Kaspersky, Microsoft', '  Kaspersky: HEUR:Trojan.Win32.Generic', `Event: ${event.id}`]) {
      assert.ok(text.split('\n').includes(line), `the body has '${line}':\n${text}`);
    }
    assert.ok(!got.raw.toString('latin1').includes(PASSWORD));
  });

  it('a temporary 4xx is retried after the backoff, then delivered once', async () => {
    const t = target(smtp.port, { to: ['retry@contoso.example'] });
    const mailer = createSmtpMailer(t.smtp, env);
    smtp.script.push(451);
    const dataBefore = smtp.dataCount;
    const acceptedBefore = smtp.accepted.length;
    await withOutbox('retry', async (outbox) => {
      await outbox.enqueue(plannedDeliveries([event], [t], context, event.at));
      const first = await deliverDueAlerts(outbox, { webhook, mailer }, [t], () => new Date('2026-12-05T10:00:00.000Z'), policy);
      assert.equal(first.retrying.length, 1);
      const [pending] = await outbox.listDeliveries({ pendingOnly: true });
      assert.match(pending?.lastError ?? '', /^127\.0\.0\.1:\d+: .*451/);
      assert.equal(pending?.nextAt, '2026-12-05T10:01:00.000Z', 'first retry after the base delay');
      assert.deepEqual((await deliverDueAlerts(outbox, { webhook, mailer }, [t], () => new Date('2026-12-05T10:00:30.000Z'), policy)).delivered, [], 'not before the backoff');
      assert.equal((await deliverDueAlerts(outbox, { webhook, mailer }, [t], () => new Date('2026-12-05T10:01:00.000Z'), policy)).delivered.length, 1);
      assert.deepEqual((await deliverDueAlerts(outbox, { webhook, mailer }, [t], () => new Date('2026-12-05T11:00:00.000Z'), policy)).delivered, []);
      const [row] = await outbox.listDeliveries({});
      assert.equal(row?.attempts, 2);
      assert.equal(row?.lastError, null);
    });
    mailer.close();
    assert.equal(smtp.dataCount - dataBefore, 2, 'one refused attempt, one accepted');
    assert.equal(smtp.accepted.length - acceptedBefore, 1);
  });

  it('a dead server leaves the delivery pending with a one-line error; a 5xx is given up', async () => {
    const dead = target(await freePort(), { to: ['dead@contoso.example'] });
    const refusing = target(smtp.port, { to: ['refused@contoso.example'] });
    const deadMailer = createSmtpMailer(dead.smtp, env);
    const mailer = createSmtpMailer(refusing.smtp, env);
    smtp.script.push(550);
    await withOutbox('dead', async (outbox) => {
      await outbox.enqueue(plannedDeliveries([event], [dead], context, event.at));
      const outcome = await deliverDueAlerts(outbox, { webhook, mailer: deadMailer }, [dead], () => new Date('2026-12-05T10:00:00.000Z'), policy);
      assert.equal(outcome.retrying.length, 1);
      const [row] = await outbox.listDeliveries({ pendingOnly: true });
      assert.ok(row !== undefined, 'still pending');
      assert.equal(row.deliveredAt, null);
      assert.equal(row.failedAt, null);
      assert.match(row.lastError ?? '', new RegExp(`^127\\.0\\.0\\.1:${dead.smtp.port}: \\S`));
      assert.ok(!(row.lastError ?? '').includes('\n'), 'one line');
      assert.ok(!(row.lastError ?? '').includes(PASSWORD));
    });
    await withOutbox('refused', async (outbox) => {
      await outbox.enqueue(plannedDeliveries([event], [refusing], context, event.at));
      const outcome = await deliverDueAlerts(outbox, { webhook, mailer }, [refusing], () => new Date('2026-12-05T10:00:00.000Z'), policy);
      assert.equal(outcome.givenUp.length, 1);
      const [row] = await outbox.listDeliveries({});
      assert.notEqual(row?.failedAt, null);
      assert.match(row?.lastError ?? '', /550/);
    });
    deadMailer.close();
    mailer.close();
  });

  it('without ABSOLVE_SMTP_PASSWORD the delivery waits (pending, the variable named), and no mail is tried', async () => {
    const t = target(smtp.port, { to: ['nopass@contoso.example'] });
    const mailer: Mailer = createSmtpMailer(t.smtp, {});
    const dataBefore = smtp.dataCount;
    await withOutbox('nopass', async (outbox) => {
      await outbox.enqueue(plannedDeliveries([event], [t], context, event.at));
      assert.equal((await deliverDueAlerts(outbox, { webhook, mailer }, [t], () => new Date('2026-12-05T10:00:00.000Z'), policy)).retrying.length, 1);
      const [row] = await outbox.listDeliveries({ pendingOnly: true });
      assert.match(row?.lastError ?? '', /ABSOLVE_SMTP_PASSWORD/);
    });
    assert.equal(smtp.dataCount, dataBefore);
  });

  it('webhook and email targets share the outbox; each event kind filter applies', () => {
    const t = target(smtp.port, { to: ['solved-only@contoso.example'], events: ['solved-detections'] });
    assert.deepEqual(plannedDeliveries([event], [t], context, event.at), []);
    const all = plannedDeliveries([event], [target(smtp.port), { url: 'https://hooks.example/x', format: 'json', events: [] }], context, event.at);
    assert.deepEqual(all.map((d) => d.format), ['email', 'json']);
    assert.equal(all[0]?.targetLabel, `mail to release@contoso.example, Ops <ops@contoso.example> via 127.0.0.1:${smtp.port}`);
  });
});
