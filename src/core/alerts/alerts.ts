/**
 * Alerts: chosen detection-change events sent to webhooks (generic JSON, Slack, Microsoft Teams)
 * and email (SMTP) through an outbox in the store, never fire-and-forget. Each (event, target) is one delivery row
 * with a stable id; a delivery is claimed with a lease, sent, then marked delivered, so a crash or
 * a second worker never loses one, and the event id in every payload lets a receiver drop the rare
 * repeat (a crash between the send and the mark).
 */
import { createHash } from 'node:crypto';
import type { DetectionEvent, DetectionEventKind } from '../monitor/detection-events.ts';

export const ALERT_SCHEMA = 'absolve.alert/v1';

export type WebhookFormat = 'json' | 'slack' | 'teams';

export interface WebhookTarget {
  url: string;
  format: WebhookFormat;
  /** The event kinds to send; empty = every kind. */
  events: DetectionEventKind[];
}

/** The SMTP server of email alerts; the password is never here (ABSOLVE_SMTP_PASSWORD, read by the adapter). */
export interface SmtpServer {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
}

/** `alerts.email`: one mail per chosen event to every address in `to`. */
export interface EmailTarget {
  smtp: SmtpServer;
  from: string;
  to: string[];
  /** The event kinds to send; empty = every kind. */
  events: DetectionEventKind[];
}

export type AlertTarget = WebhookTarget | EmailTarget;
export type AlertFormat = WebhookFormat | 'email';

export function isEmailTarget(target: AlertTarget): target is EmailTarget {
  return 'smtp' in target;
}

/** What an email delivery stores as its payload (the text is composed when the event is enqueued). */
export interface AlertMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** `<…@absolve.alerts>`, derived from the event id and the target: the same alert always has the same Message-ID, so a receiver can drop a repeat. */
  messageId: string;
  /** The event id, also sent as `X-Absolve-Event`. */
  eventId: string;
}

export interface MailResult {
  ok: boolean;
  /** False when the server refused for good (SMTP 5xx); true for 4xx, a dead server, a timeout. */
  retryable: boolean;
  error?: string;
}

/** One small verb: hand one mail to the SMTP server. The adapter (src/vendors/mail.ts) never throws for a server's problem. */
export interface Mailer {
  send(message: AlertMail): Promise<MailResult>;
  close(): void;
}

export interface AlertDelivery {
  id: string;
  eventId: string;
  /**
   * Which configured target: a hash of its format and URL. Webhook URLs are secrets (a Slack or
   * Teams URL is its own credential), so the store keeps this key and a redacted label, and the URL
   * is looked up in the configuration when the delivery is sent.
   */
  targetKey: string;
  /** `https://hooks.slack.com/…`: scheme and host only, for lists and messages. */
  targetLabel: string;
  format: AlertFormat;
  /** The JSON body to POST; for `email`, the AlertMail. */
  payload: unknown;
  attempts: number;
  nextAt: string;
  deliveredAt: string | null;
  /** Set when the delivery was given up (a permanent error, or too many attempts). */
  failedAt: string | null;
  lastError: string | null;
  createdAt: string;
}

export interface OutboxStore {
  /** Adds deliveries; one whose id is stored already is left alone. Returns how many were new. */
  enqueue(deliveries: readonly AlertDelivery[]): Promise<number>;
  /**
   * Claims up to `limit` deliveries due at `now` (not delivered, not given up, not claimed by a
   * live lease) for `leaseMs`: another claimer skips them until the lease ends.
   */
  claimDue(now: string, leaseMs: number, limit: number): Promise<AlertDelivery[]>;
  markDelivered(id: string, at: string): Promise<void>;
  /** Records a failed attempt: retried at `nextAt`, or given up when `nextAt` is null. */
  markFailed(id: string, error: string, at: string, nextAt: string | null): Promise<void>;
  listDeliveries(options: { pendingOnly?: boolean }): Promise<AlertDelivery[]>;
}

export interface WebhookResponse {
  ok: boolean;
  status: number | null;
  /** False for answers that will not change on a retry (4xx other than 408/429). */
  retryable: boolean;
  /** From Retry-After, when the receiver asked to wait. */
  retryAfterMs?: number;
  error?: string;
}

/** One small verb: POST a JSON body. The adapter (src/alerts) never throws for a receiver's problem. */
export interface WebhookSender {
  post(url: string, body: unknown, options: { idempotencyKey: string; signal?: AbortSignal }): Promise<WebhookResponse>;
}

/** What a receiver is told about the file besides its hash: where it sits in which releases. */
export interface EventContext {
  paths: string[];
  releases: string[];
}

function engines(list: readonly string[]): string {
  return list.length === 0 ? 'none' : list.join(', ');
}

export function describeEvent(event: DetectionEvent, context: EventContext): string {
  const file = context.paths[0] ?? event.sha256;
  const where = context.releases.length === 0 ? '' : ` in ${context.releases.join(', ')}`;
  const names = Object.entries(event.results).map(([engine, name]) => `${engine}: ${name}`);
  return `${event.kind} for ${file}${where} (${event.via}): ${engines(event.before)} → ${engines(event.after)}${names.length === 0 ? '' : `; ${names.join('; ')}`}`;
}

/** `contoso-app@1.2.0` → product and version (a release reference as the CLI writes it). */
function releaseParts(reference: string): { product: string; version: string } | undefined {
  const at = reference.lastIndexOf('@');
  return at <= 0 || at === reference.length - 1 ? undefined : { product: reference.slice(0, at), version: reference.slice(at + 1) };
}

/** The Message-ID of one alert to one target: a hash of the event id (which holds `:`, not allowed in a msg-id, RFC 5322 §3.6.4) and the target key. */
export function alertMessageId(eventId: string, key: string): string {
  return `<${createHash('sha256').update(eventId).digest('hex').slice(0, 32)}.${key}@absolve.alerts>`;
}

/** The mail for one event: the subject names the change and the file, the body every fact a reader needs to act. */
export function alertMail(event: DetectionEvent, context: EventContext, target: EmailTarget): AlertMail {
  const file = context.paths[0] ?? event.sha256;
  const releases = context.releases.map((r) => ({ reference: r, parts: releaseParts(r) }));
  const where = context.releases.length === 0 ? '' : ` in ${context.releases.join(', ')}`;
  const names = Object.entries(event.results).map(([engine, name]) => `  ${engine}: ${name}`);
  const lines = [
    `Absolve saw ${event.kind} (${event.via}) for ${file}${where}.`,
    '',
    ...releases.flatMap(({ reference, parts }) => (parts === undefined ? [`Release: ${reference}`] : [`Product: ${parts.product}`, `Version: ${parts.version}`])),
    `File: ${file}`,
    ...context.paths.slice(1).map((p) => `Also at: ${p}`),
    `SHA-256: ${event.sha256}`,
    `Engines before: ${engines(event.before)}`,
    `Engines after: ${engines(event.after)}`,
    `Change: ${engines(event.before)} → ${engines(event.after)}`,
    ...(names.length === 0 ? [] : ['Detection names:', ...names]),
    '',
    `Scan: ${event.scanId} (previous: ${event.previousScanId}) at ${event.at}`,
    `Event: ${event.id}`,
  ];
  return {
    from: target.from,
    to: [...target.to],
    subject: `[Absolve] ${event.kind}: ${file}${where}: ${engines(event.before)} → ${engines(event.after)}`,
    text: `${lines.join('\n')}\n`,
    messageId: alertMessageId(event.id, targetKey(target)),
    eventId: event.id,
  };
}

/** The POST body for one event in one format (Slack incoming webhooks: `text`; Teams workflows: an Adaptive Card message). */
export function alertPayload(event: DetectionEvent, context: EventContext, format: WebhookFormat): unknown {
  const text = describeEvent(event, context);
  switch (format) {
    case 'json':
      return { schema: ALERT_SCHEMA, id: event.id, kind: event.kind, at: event.at, sha256: event.sha256, via: event.via, before: event.before, after: event.after, results: event.results, paths: context.paths, releases: context.releases, text };
    case 'slack':
      // https://api.slack.com/messaging/webhooks: a JSON body with `text` (mrkdwn).
      return { text: `*Absolve*: ${text}` };
    case 'teams':
      // https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using:
      // a message whose attachment is an Adaptive Card (the format Teams workflow webhooks accept).
      return {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: [
                { type: 'TextBlock', weight: 'Bolder', text: `Absolve: ${event.kind}` },
                { type: 'TextBlock', wrap: true, text },
              ],
            },
          },
        ],
      };
  }
}

/** The stable key of a target (a hash, so the URL itself is never stored). */
export function targetKey(target: Pick<WebhookTarget, 'url' | 'format'> | EmailTarget): string {
  const identity = 'smtp' in target ? `email\u0000${target.smtp.host}:${target.smtp.port}\u0000${target.from}\u0000${[...target.to].sort().join(',')}` : `${target.format}\u0000${target.url}`;
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

/** What may be shown of a target: a webhook's scheme and host; an email target's recipients and server. */
function targetLabelOf(target: AlertTarget): string {
  return isEmailTarget(target) ? `mail to ${target.to.join(', ')} via ${target.smtp.host}:${target.smtp.port}` : redactedURL(target.url);
}

/** Scheme and host of a URL: what may be shown of a webhook address. */
export function redactedURL(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(not a URL)';
  }
}

/** The deliveries for new events: one per (event, target) whose kinds include the event's. */
export function plannedDeliveries(events: readonly DetectionEvent[], targets: readonly AlertTarget[], contextOf: (e: DetectionEvent) => EventContext, now: string): AlertDelivery[] {
  const out: AlertDelivery[] = [];
  for (const event of events) {
    for (const target of targets) {
      if (target.events.length > 0 && !target.events.includes(event.kind)) continue;
      const key = targetKey(target);
      out.push({
        id: `${event.id}>${key}`,
        eventId: event.id,
        targetKey: key,
        targetLabel: targetLabelOf(target),
        format: isEmailTarget(target) ? 'email' : target.format,
        payload: isEmailTarget(target) ? alertMail(event, contextOf(event), target) : alertPayload(event, contextOf(event), target.format),
        attempts: 0,
        nextAt: now,
        deliveredAt: null,
        failedAt: null,
        lastError: null,
        createdAt: now,
      });
    }
  }
  return out;
}

export interface DeliveryPolicy {
  /** Attempts before a delivery is given up. */
  maxAttempts: number;
  /** Wait before retry n (1-based): base × 2^(n-1), capped. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claim keeps other deliverers away (longer than one POST's timeout). */
  leaseMs: number;
  batch: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 6 * 3_600_000, leaseMs: 120_000, batch: 50 };

export interface DeliveryOutcome {
  delivered: string[];
  retrying: string[];
  givenUp: string[];
}

/** The senders of each channel; a bare WebhookSender still works (webhooks only). */
export interface AlertSenders {
  webhook: WebhookSender;
  /** Needed only when an email target is configured. */
  mailer?: Mailer;
}

type Attempt = { ok: true } | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

/** Sends what is due now, once; what fails waits in the outbox for its next attempt. */
export async function deliverDueAlerts(
  outbox: OutboxStore,
  senders: WebhookSender | AlertSenders,
  targets: readonly AlertTarget[],
  now: () => Date,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
  signal?: AbortSignal,
): Promise<DeliveryOutcome> {
  const { webhook, mailer } = 'post' in senders ? { webhook: senders, mailer: undefined } : senders;
  const outcome: DeliveryOutcome = { delivered: [], retrying: [], givenUp: [] };
  const byKey = new Map(targets.map((t) => [targetKey(t), t]));
  const claimed = await outbox.claimDue(now().toISOString(), policy.leaseMs, policy.batch);
  for (const delivery of claimed) {
    signal?.throwIfAborted();
    const target = byKey.get(delivery.targetKey);
    if (target === undefined) {
      await outbox.markFailed(delivery.id, `the target ${delivery.targetLabel} is no longer configured`, now().toISOString(), null);
      outcome.givenUp.push(delivery.id);
      continue;
    }
    let attempt: Attempt;
    if (isEmailTarget(target)) {
      // A missing mailer is a set-up problem that a restart with the right configuration fixes: retried, not given up.
      const result: MailResult = mailer === undefined ? { ok: false, retryable: true, error: 'email alerts are configured but no mailer is available' } : await mailer.send(delivery.payload as AlertMail);
      attempt = result.ok ? { ok: true } : { ok: false, retryable: result.retryable, error: result.error ?? 'the SMTP server did not take the mail' };
    } else {
      const response = await webhook.post(target.url, delivery.payload, { idempotencyKey: delivery.eventId, ...(signal === undefined ? {} : { signal }) });
      attempt = response.ok ? { ok: true } : { ok: false, retryable: response.retryable, error: response.error ?? `HTTP ${response.status ?? '?'}`, ...(response.retryAfterMs === undefined ? {} : { retryAfterMs: response.retryAfterMs }) };
    }
    const at = now();
    if (attempt.ok) {
      await outbox.markDelivered(delivery.id, at.toISOString());
      outcome.delivered.push(delivery.id);
      continue;
    }
    const attempts = delivery.attempts + 1;
    if (!attempt.retryable || attempts >= policy.maxAttempts) {
      await outbox.markFailed(delivery.id, attempt.error, at.toISOString(), null);
      outcome.givenUp.push(delivery.id);
      continue;
    }
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
    const wait = Math.max(backoff, attempt.retryAfterMs ?? 0);
    await outbox.markFailed(delivery.id, attempt.error, at.toISOString(), new Date(at.getTime() + wait).toISOString());
    outcome.retrying.push(delivery.id);
  }
  return outcome;
}

/**
 * After a scan or a monitor round: an alert per new event and configured target into the outbox, then what is
 * due is sent (what fails is retried by the next run). Undefined when no target is configured.
 */
export async function alertEvents(
  deps: { outbox: OutboxStore; sender: WebhookSender; mailer?: Mailer; now: () => Date },
  report: { files: ReadonlyArray<{ sha256: string; path: string }>; inputs: readonly string[] },
  events: readonly DetectionEvent[],
  targets: readonly AlertTarget[],
): Promise<DeliveryOutcome | undefined> {
  if (targets.length === 0) return undefined;
  const paths = new Map<string, string[]>();
  for (const f of report.files) paths.set(f.sha256, [...(paths.get(f.sha256) ?? []), f.path]);
  const planned = plannedDeliveries(events, targets, (e) => ({ paths: paths.get(e.sha256) ?? [], releases: [...report.inputs] }), deps.now().toISOString());
  await deps.outbox.enqueue(planned);
  return deliverDueAlerts(deps.outbox, { webhook: deps.sender, ...(deps.mailer === undefined ? {} : { mailer: deps.mailer }) }, targets, deps.now);
}
