/**
 * Submission emails: composed once as RFC 5322 bytes (nodemailer's MailComposer), written as the
 * `.eml` file and, with `submit --send`, handed to the SMTP server as exactly those bytes, so the
 * file on disk is the mail the vendor got. The Message-ID is chosen by the caller (stable per
 * vendor and cases) so a re-run can tell whether it already sent it.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { createTransport } from 'nodemailer';
import { MailSendError } from '../core/cases/errors.ts';
import { AbsolveError } from '../core/errors.ts';
import type { MailMessage, MailSender } from '../core/cases/ports.ts';
import type { SmtpSettings } from '../core/cases/settings.ts';
import type { AlertMail, Mailer, SmtpServer } from '../core/alerts/alerts.ts';

/** The environment variable of the SMTP password of email alerts (never in the configuration file). */
export const ALERT_SMTP_PASSWORD_ENV = 'ABSOLVE_SMTP_PASSWORD';

type Transport = ReturnType<typeof createTransport>;

/** One nodemailer transport (submissions and alerts share it): bounded waits, so a dead server is an error, not a hang. */
function smtpTransport(server: { host: string; port: number; secure: boolean }, auth: { user: string; pass: string } | undefined, timeouts: { connectionMs: number; socketMs: number }): Transport {
  return createTransport({
    host: server.host,
    port: server.port,
    secure: server.secure,
    ...(auth === undefined ? {} : { auth }),
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.connectionMs,
    socketTimeout: timeouts.socketMs,
  });
}

/** nodemailer's error as one line, the password masked; plus the SMTP reply code and the step that failed. */
function smtpFailure(error: unknown, pass: string | undefined): { line: string; responseCode: number | undefined; command: string; code: string } {
  const text = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() || 'unknown error';
  const line = pass === undefined || pass === '' ? text : text.split(pass).join('***');
  const { command: rawCommand, code: rawCode, responseCode: rawResponse } = (error ?? {}) as { command?: unknown; code?: unknown; responseCode?: unknown };
  return { line, responseCode: typeof rawResponse === 'number' ? rawResponse : undefined, command: typeof rawCommand === 'string' ? rawCommand : '', code: typeof rawCode === 'string' ? rawCode : '' };
}

export async function composeMail(message: MailMessage): Promise<Uint8Array> {
  const composer = new MailComposer({
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    messageId: message.messageId,
    date: message.date,
    attachments: message.attachments.map((a) => ({ filename: a.filename, content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength), contentType: 'application/zip' })),
  });
  return new Promise((resolve, reject) => {
    composer.compile().build((error, bytes) => (error === null ? resolve(new Uint8Array(bytes)) : reject(error)));
  });
}

/** The bare address of `Name <addr>` (SMTP envelopes take addresses only). */
export function bareAddress(address: string): string {
  return /<([^<>]+)>\s*$/.exec(address)?.[1] ?? address.trim();
}

/** An SMTP sender from the configuration; the password comes from the environment and never appears in a message. */
export function createSmtpSender(smtp: SmtpSettings, env: Readonly<Record<string, string | undefined>>): MailSender {
  let auth: { user: string; pass: string } | undefined;
  if (smtp.auth !== null) {
    const pass = env[smtp.auth.passwordEnv];
    if (pass === undefined || pass === '') throw new AbsolveError('SMTP_CONFIG_INVALID', `smtp.auth is set but the environment variable ${smtp.auth.passwordEnv} (the SMTP password) is empty`);
    auth = { user: smtp.auth.user, pass };
  }
  const transport = smtpTransport(smtp, auth, { connectionMs: 30_000, socketMs: 60_000 });
  return {
    async send(raw, envelope) {
      try {
        await transport.sendMail({ envelope: { from: bareAddress(envelope.from), to: [bareAddress(envelope.to)] }, raw: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength) });
      } catch (error) {
        const { line: safe, command, code } = smtpFailure(error, auth?.pass);
        // nodemailer names the SMTP step that failed (`command`); before DATA nothing of the message was handed over.
        const before = code === 'ECONNECTION' || code === 'EAUTH' || code === 'EDNS' || /^(CONN|EHLO|HELO|STARTTLS|AUTH|MAIL FROM|RCPT TO)/i.test(command);
        throw new MailSendError(`${smtp.host}:${smtp.port} did not take the mail to ${envelope.to}: ${safe}`, before, { cause: error });
      }
    },
    close() {
      transport.close();
    },
  };
}

/**
 * The Mailer of email alerts (core/alerts). The password is read from ABSOLVE_SMTP_PASSWORD when a
 * user is configured; a missing one is reported on each attempt (the delivery stays pending until
 * the service runs with it), never thrown. SMTP 4xx, a dead server and timeouts are retryable;
 * 5xx is final (RFC 5321 §4.2.1: 4yz transient, 5yz permanent).
 */
export function createSmtpMailer(smtp: SmtpServer, env: Readonly<Record<string, string | undefined>>): Mailer {
  const pass = env[ALERT_SMTP_PASSWORD_ENV];
  const missing = smtp.user !== null && (pass === undefined || pass === '');
  const auth = smtp.user !== null && pass !== undefined && pass !== '' ? { user: smtp.user, pass } : undefined;
  let transport: Transport | undefined;
  const where = `${smtp.host}:${smtp.port}`;
  return {
    async send(message: AlertMail) {
      if (missing) return { ok: false, retryable: true, error: `alerts.email.smtp.user is set but ${ALERT_SMTP_PASSWORD_ENV} (the SMTP password) is empty` };
      transport ??= smtpTransport(smtp, auth, { connectionMs: 15_000, socketMs: 30_000 });
      try {
        await transport.sendMail({
          from: message.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          messageId: message.messageId,
          headers: { 'X-Absolve-Event': message.eventId },
          envelope: { from: bareAddress(message.from), to: message.to.map(bareAddress) },
        });
        return { ok: true, retryable: false };
      } catch (error) {
        const failure = smtpFailure(error, auth?.pass);
        // A refused login (EAUTH) is retried: the password is fixed in the environment, and the alert must not be lost meanwhile.
        const permanent = failure.responseCode !== undefined && failure.responseCode >= 500 && failure.code !== 'ETIMEDOUT' && failure.code !== 'EAUTH';
        return { ok: false, retryable: !permanent, error: `${where}: ${failure.line.replace(/\s+/g, ' ')}` };
      }
    },
    close() {
      transport?.close();
    },
  };
}
