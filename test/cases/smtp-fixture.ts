/**
 * A real SMTP server on loopback (smtp-server, nodemailer's sibling) that keeps every message it
 * accepts as raw bytes; `hold` makes it wait before answering the end of DATA (to kill a sender
 * while its mail is in flight).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface LoopbackSmtp {
  port: number;
  received: ReceivedMail[];
  /** Every message whose DATA arrived, answered or not (what a client tried to send). */
  attempts: Buffer[];
  /** Resolves when a message's DATA has fully arrived (before the server answers it). */
  nextData(): Promise<void>;
  /** While true, the server does not answer the end of DATA. */
  hold: boolean;
  close(): Promise<void>;
}

export async function startSmtp(credentials: { user: string; pass: string }): Promise<LoopbackSmtp> {
  const waiting: Array<() => void> = [];
  const state: LoopbackSmtp = {
    port: 0,
    received: [],
    attempts: [],
    hold: false,
    nextData: () => new Promise<void>((resolve) => waiting.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        state.attempts.push(Buffer.concat(chunks));
        for (const w of waiting.splice(0)) w();
        if (state.hold) return; // never answered: the client is killed while waiting
        state.received.push({ from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.server.address() as AddressInfo).port;
  return state;
}
