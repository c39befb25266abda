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
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(auth === undefined ? {} : { auth }),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    async send(raw, envelope) {
      try {
        await transport.sendMail({ envelope: { from: bareAddress(envelope.from), to: [bareAddress(envelope.to)] }, raw: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength) });
      } catch (error) {
        const text = (error as Error).message.split('\n')[0] ?? 'unknown error';
        const safe = auth === undefined ? text : text.split(auth.pass).join('***');
        // nodemailer names the SMTP step that failed (`command`); before DATA nothing of the message was handed over.
        const { command: rawCommand, code: rawCode } = error as { command?: unknown; code?: unknown };
        const command = typeof rawCommand === 'string' ? rawCommand : '';
        const code = typeof rawCode === 'string' ? rawCode : '';
        const before = code === 'ECONNECTION' || code === 'EAUTH' || code === 'EDNS' || /^(CONN|EHLO|HELO|STARTTLS|AUTH|MAIL FROM|RCPT TO)/i.test(command);
        throw new MailSendError(`${smtp.host}:${smtp.port} did not take the mail to ${envelope.to}: ${safe}`, before, { cause: error });
      }
    },
    close() {
      transport.close();
    },
  };
}
