/**
 * A scriptable SMTP receiver on loopback (smtp-server): answers the end of DATA from a script
 * (e.g. `451` once, then accept), requires AUTH when given credentials, and keeps every accepted
 * message as raw bytes for mailparser (the independent MIME oracle).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface AcceptedMail {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface SmtpReceiver {
  port: number;
  accepted: AcceptedMail[];
  /** How many DATA transactions arrived (accepted or refused). */
  dataCount: number;
  /** Reply codes for the next DATA transactions, consumed in order; empty = accept. */
  script: number[];
  close(): Promise<void>;
}

export async function startSmtpReceiver(credentials?: { user: string; pass: string }): Promise<SmtpReceiver> {
  const state: SmtpReceiver = { port: 0, accepted: [], dataCount: 0, script: [], close: () => Promise.resolve() };
  const server = new SMTPServer({
    disabledCommands: credentials === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    authOptional: credentials === undefined,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (credentials !== undefined && auth.username === credentials.user && auth.password === credentials.pass) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        state.dataCount++;
        const code = state.script.shift();
        if (code !== undefined) {
          const refusal = Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later (greylisted)'), { responseCode: code });
          callback(refusal);
          return;
        }
        state.accepted.push({ from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.server.address() as AddressInfo).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
