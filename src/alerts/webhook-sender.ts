/**
 * Webhook delivery over HTTP(S) with the built-in fetch: a JSON POST with the event id as
 * `Idempotency-Key`, a timeout, and the receiver's answer sorted into delivered / retry later /
 * give up. The URL is a secret (Slack and Teams URLs carry their credential): errors name only
 * its scheme and host.
 */
import { redactedURL, type WebhookResponse, type WebhookSender } from '../core/alerts/alerts.ts';

/** How long one POST may take before it counts as a failed, retryable attempt. */
export const WEBHOOK_TIMEOUT_MS = 15_000;

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from now. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function createWebhookSender(options: { timeoutMs?: number; fetch?: typeof fetch } = {}): WebhookSender {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetch;
  return {
    async post(url, body, { idempotencyKey, signal }): Promise<WebhookResponse> {
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
      try {
        const response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, 'user-agent': 'absolve-alerts' },
          body: JSON.stringify(body),
          signal: combined,
          redirect: 'error',
        });
        await response.body?.cancel().catch(() => {});
        if (response.ok) return { ok: true, status: response.status, retryable: false };
        const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
        const wait = retryAfterMs(response.headers.get('retry-after'), Date.now());
        return { ok: false, status: response.status, retryable, ...(wait === undefined ? {} : { retryAfterMs: wait }), error: `${redactedURL(url)} answered HTTP ${response.status}` };
      } catch (error) {
        signal?.throwIfAborted();
        const why = timeout.aborted ? `no answer within ${timeoutMs / 1000} s` : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        return { ok: false, status: null, retryable: true, error: `${redactedURL(url)}: ${why.replace(/\s+/g, ' ').replaceAll(url, redactedURL(url))}` };
      }
    },
  };
}
