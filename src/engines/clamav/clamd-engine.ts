/**
 * ClamAV through a running clamd, over its INSTREAM protocol (clamd(8) "COMMANDS"): the command
 * `zINSTREAM\0`, then the sample in chunks, each prefixed by its length as a 4-byte big-endian
 * integer, then a zero-length chunk; clamd answers `stream: OK`, `stream: NAME FOUND` or
 * `… ERROR` (NUL-terminated with the `z` prefix). The sample is streamed with backpressure, so
 * memory stays bounded whatever its size, and clamd needs no access to our files (it may run as
 * another user, in a container or on another host). `zVERSION\0` gives the engine and database
 * versions for the verdict.
 */
import { createConnection, type Socket } from 'node:net';
import { makeVerdict, noAnswerVerdict, ScanError, type ScanEngine, type ScanOptions, type ScanSample, type Verdict } from '../../core/scans/index.ts';
import { abortError, isAbortError, throwIfAborted } from '../local/abort.ts';
import { oneLine } from '../local/one-line.ts';
import { checkTimeout } from '../local/run-process.ts';
import { MAX_CLAMD_REPLY_BYTES, parseClamavVersion, parseClamdScanReply, type ClamavVersion } from './clamav-replies.ts';

/** Default time for one clamd scan (connect, stream, verdict): 2 minutes, clamd's own default scan time limit. */
export const DEFAULT_CLAMD_TIMEOUT_MS = 120_000;
/** Bytes per INSTREAM chunk: well under any StreamMaxLength, small enough to keep memory flat. */
export const CLAMD_CHUNK_BYTES = 64 * 1024;

export interface ClamdEngineOptions {
  /**
   * Where clamd listens: a Unix socket path (`/run/clamav/clamd.ctl`, clamd.conf `LocalSocket`)
   * or `host:port` (`127.0.0.1:3310`, `[::1]:3310`, clamd.conf `TCPSocket`/`TCPAddr`).
   */
  address: string;
  /** Time for one scan, from connecting to the verdict (default 120 000 ms); past it the verdict is `timeout`. */
  timeoutMs?: number;
}

export type ClamdAddress = { kind: 'socket'; path: string } | { kind: 'tcp'; host: string; port: number };

/** Reads `--clamd`: a socket path (anything with a `/` or `\`) or `host:port`. Throws ENGINE_CONFIG_INVALID otherwise. */
export function parseClamdAddress(address: string): ClamdAddress {
  const text = address.trim();
  if (text.includes('/') || text.includes('\\')) return { kind: 'socket', path: text };
  const m = /^(?:\[([0-9A-Fa-f:.]{2,45})\]|([A-Za-z0-9.-]{1,253})):(\d{1,5})$/.exec(text);
  const port = m === null ? Number.NaN : Number(m[3]);
  if (m === null || !(port >= 1 && port <= 65535)) {
    throw new ScanError('ENGINE_CONFIG_INVALID', `clamd address '${oneLine(address, 80)}' is neither a socket path nor host:port (e.g. /run/clamav/clamd.ctl or 127.0.0.1:3310)`);
  }
  return { kind: 'tcp', host: m[1] ?? m[2] ?? '', port };
}

function describeAddress(address: ClamdAddress): string {
  return address.kind === 'socket' ? address.path : `${address.host}:${address.port}`;
}

type ClamdOutcome = { kind: 'reply'; text: string } | { kind: 'timeout' } | { kind: 'error'; detail: string };

/**
 * One clamd session: connect, let `send` write the request, read the reply up to its NUL (or
 * the end of the connection). Never throws except AbortError; clamd closing the connection while
 * we still send (it refused the stream) ends the sending and its reply is still read.
 */
function clamdRequest(
  address: ClamdAddress,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  send: (socket: Socket, replied: () => boolean) => Promise<void>,
): Promise<ClamdOutcome> {
  throwIfAborted(signal);
  return new Promise<ClamdOutcome>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    let done = false;
    const socket = address.kind === 'socket' ? createConnection({ path: address.path }) : createConnection({ host: address.host, port: address.port });

    const finish = (outcome: ClamdOutcome | Error): void => {
      if (settled) return;
      settled = true;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const replyText = (): string => Buffer.concat(chunks).toString('utf8');
    const onAbort = (): void => finish(abortError(signal));
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.on('data', (chunk: Buffer) => {
      const room = MAX_CLAMD_REPLY_BYTES - received;
      if (room > 0) {
        chunks.push(chunk.subarray(0, room));
        received += Math.min(room, chunk.length);
      }
      const text = replyText();
      if (text.includes('\0') || received >= MAX_CLAMD_REPLY_BYTES) finish({ kind: 'reply', text });
    });
    socket.on('end', () => {
      done = true;
      const text = replyText();
      finish(text.trim() === '' ? { kind: 'error', detail: `clamd at ${describeAddress(address)} closed the connection without a reply` } : { kind: 'reply', text });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      done = true;
      // A reply that arrived before the error (clamd refused the stream and closed) is the answer.
      const text = replyText();
      if (text.trim() !== '') return finish({ kind: 'reply', text });
      if (connected && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) {
        // clamd closes an INSTREAM over its StreamMaxLength; its "size limit exceeded" reply may still be unread in
        // the kernel's buffer when the next write fails, and Node drops the socket on that error.
        return finish({ kind: 'error', detail: `clamd at ${describeAddress(address)} closed the connection while the sample was being sent (${error.code}); a sample over clamd's StreamMaxLength (clamd.conf) is refused this way` });
      }
      const why = error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'is not running or not listening' : 'could not be reached';
      finish({ kind: 'error', detail: `clamd at ${describeAddress(address)} ${why} (${error.code ?? oneLine(error.message, 80)})` });
    });
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      send(socket, () => done).catch((error: unknown) => {
        if (isAbortError(error)) return finish(abortError(signal));
        // Reading the sample failed: no verdict can be had for it.
        finish({ kind: 'error', detail: `could not read the sample: ${oneLine(error instanceof Error ? error.message : String(error), 120)}` });
      });
    });
  });
}

/** Writes `data`, waiting for the socket to drain (or to end) when its buffer is full. */
async function write(socket: Socket, data: Uint8Array, stopped: () => boolean): Promise<void> {
  if (stopped() || socket.destroyed) return;
  if (socket.write(data)) return;
  await new Promise<void>((resolve) => {
    const wake = (): void => {
      socket.off('drain', wake);
      socket.off('close', wake);
      resolve();
    };
    socket.on('drain', wake);
    socket.on('close', wake);
  });
}

async function sendInstream(socket: Socket, sample: ScanSample, stopped: () => boolean, signal: AbortSignal | undefined): Promise<void> {
  await write(socket, Buffer.from('zINSTREAM\0', 'latin1'), stopped);
  for await (const chunk of sample.stream()) {
    throwIfAborted(signal);
    // A zero-length chunk would end the stream early: skip empty reads.
    for (let offset = 0; offset < chunk.length; offset += CLAMD_CHUNK_BYTES) {
      if (stopped()) return;
      const part = chunk.subarray(offset, Math.min(chunk.length, offset + CLAMD_CHUNK_BYTES));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(part.length, 0);
      await write(socket, length, stopped);
      await write(socket, part, stopped);
    }
  }
  await write(socket, Buffer.alloc(4), stopped);
}

/** Asks clamd for its version (`zVERSION\0`); null when it does not answer in time or with a ClamAV version. */
async function clamdVersion(address: ClamdAddress, timeoutMs: number, signal: AbortSignal | undefined): Promise<ClamavVersion | null> {
  const outcome = await clamdRequest(address, timeoutMs, signal, (socket, stopped) => write(socket, Buffer.from('zVERSION\0', 'latin1'), stopped));
  return outcome.kind === 'reply' ? parseClamavVersion(outcome.text) : null;
}

/** Sends `zPING\0`; true when clamd answers PONG (used to find a running clamd on the default sockets). */
export async function pingClamd(address: string, timeoutMs: number): Promise<boolean> {
  const outcome = await clamdRequest(parseClamdAddress(address), timeoutMs, undefined, (socket, stopped) => write(socket, Buffer.from('zPING\0', 'latin1'), stopped));
  return outcome.kind === 'reply' && outcome.text.split('\0', 1)[0]?.trim() === 'PONG';
}

/** The ClamAV engine over clamd (INSTREAM). One verdict per sample; a dead or refusing clamd gives `failure`. */
export function createClamdEngine(options: ClamdEngineOptions): ScanEngine {
  const address = parseClamdAddress(options.address);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLAMD_TIMEOUT_MS;
  checkTimeout(timeoutMs);
  const where = describeAddress(address);

  return {
    id: 'clamav',
    via: 'clamav',
    async scan(sample: ScanSample, scanOptions: ScanOptions): Promise<Verdict[]> {
      const { signal } = scanOptions;
      throwIfAborted(signal);
      const [outcome, version] = await Promise.all([
        clamdRequest(address, timeoutMs, signal, (socket, stopped) => sendInstream(socket, sample, stopped, signal)),
        clamdVersion(address, Math.min(timeoutMs, 10_000), signal),
      ]);
      const scannedAt = new Date().toISOString();
      if (outcome.kind === 'timeout') return [noAnswerVerdict('ClamAV', 'clamav', 'timeout', `clamd at ${where} gave no verdict within ${timeoutMs} ms`, scannedAt)];
      if (outcome.kind === 'error') return [noAnswerVerdict('ClamAV', 'clamav', 'failure', outcome.detail, scannedAt)];
      const reply = parseClamdScanReply(outcome.text);
      const versions = { engineVersion: version?.engineVersion ?? null, definitionsDate: version?.definitionsDate ?? null };
      switch (reply.kind) {
        case 'clean':
          return [makeVerdict({ engine: 'ClamAV', via: 'clamav', category: 'undetected', scannedAt, ...versions })];
        case 'found':
          return [makeVerdict({ engine: 'ClamAV', via: 'clamav', category: 'malicious', result: reply.name, scannedAt, ...versions })];
        case 'error': {
          const detail = reply.sizeLimit
            ? `clamd refused the ${sample.size}-byte sample: INSTREAM size limit exceeded (raise StreamMaxLength in clamd.conf)`
            : `clamd error: ${reply.message}`;
          return [makeVerdict({ engine: 'ClamAV', via: 'clamav', category: 'failure', scannedAt, detail, ...versions })];
        }
      }
    },
  };
}
