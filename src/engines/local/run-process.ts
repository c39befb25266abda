/**
 * Running a local scanner binary (clamscan, yara, a vendor command-line scanner) with bounded
 * time and memory: no shell (arguments go to the program as they are, so a file name can never
 * become a command), output kept up to a byte cap per stream (the rest is drained and dropped),
 * the whole process group killed on timeout or abort (a wrapper script's children die with it),
 * and secrets (API keys, tokens, passwords) kept out of the scanner's environment.
 */
import { spawn } from 'node:child_process';
import { ScanError } from '../../core/scans/index.ts';
import { abortError } from './abort.ts';

/** Bytes of stdout and of stderr kept per run by default (a scanner's report on one file is far smaller). */
export const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024;

/** After the process exits, how long a grandchild that still holds its pipes open is waited for. */
const PIPE_GRACE_MS = 1000;

export interface RunProcessOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Bytes of stdout and of stderr kept (default 256 KiB each); more is read and dropped. */
  maxOutputBytes?: number;
}

export type RunProcessOutcome =
  | {
      kind: 'exited';
      /** The exit code, null when a signal ended the process. */
      exitCode: number | null;
      /** The signal that ended the process (a crash: SIGSEGV, SIGABRT, or a kill from outside). */
      exitSignal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
      /** True when stdout or stderr went past the byte cap and was cut. */
      truncated: boolean;
    }
  | { kind: 'timeout' }
  /** The program could not be started: `code` is the system error (ENOENT: not found, EACCES: not executable). */
  | { kind: 'not-started'; code: string; message: string };

// Variables that look like credentials are not passed to a scanner (VT_API_KEY, MD_API_KEY, PGPASSWORD, …).
const SECRET_ENV = /API_?KEY|TOKEN|SECRET|PASSW(?:OR)?D/i;

function scannerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!SECRET_ENV.test(name)) env[name] = value;
  return env;
}

class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  truncated = false;
  constructor(private readonly cap: number) {}
  push(chunk: Buffer): void {
    const room = this.cap - this.kept;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    if (part.length < chunk.length) this.truncated = true;
    this.chunks.push(part);
    this.kept += part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * Runs `command args…` and waits for it. Never throws for the program's own failures (they are
 * outcomes); rejects with AbortError, after killing the process, when `signal` aborts.
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions): Promise<RunProcessOutcome> {
  const { signal } = options;
  if (signal?.aborted === true) return Promise.reject(abortError(signal));
  const cap = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  // A new process group on POSIX so a timeout kills what the scanner started too; Windows has no groups.
  const ownGroup = process.platform !== 'win32';

  return new Promise<RunProcessOutcome>((resolve, reject) => {
    const stdout = new CappedBuffer(cap);
    const stderr = new CappedBuffer(cap);
    let ended: 'timeout' | 'aborted' | undefined;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;

    const child = spawn(command, args, {
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: ownGroup,
      windowsHide: true,
      env: scannerEnvironment(),
    });

    const killTree = (): void => {
      if (child.pid === undefined) return;
      try {
        if (ownGroup) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
        child.kill('SIGKILL');
      }
    };
    const finish = (outcome: RunProcessOutcome | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (graceTimer !== undefined) clearTimeout(graceTimer);
      signal?.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onAbort = (): void => {
      ended ??= 'aborted';
      killTree();
    };
    const timer = setTimeout(() => {
      ended ??= 'timeout';
      killTree();
    }, options.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) finish({ kind: 'not-started', code: error.code ?? 'UNKNOWN', message: error.message });
      // Errors after the start (a pipe error) end in 'close' as well.
    });
    const settle = (exitCode: number | null, exitSignal: NodeJS.Signals | null): void => {
      if (ended === 'aborted') return finish(abortError(signal));
      if (ended === 'timeout') return finish({ kind: 'timeout' });
      finish({ kind: 'exited', exitCode, exitSignal, stdout: stdout.text(), stderr: stderr.text(), truncated: stdout.truncated || stderr.truncated });
    };
    child.on('exit', (exitCode, exitSignal) => {
      // It finished on its own: the timeout no longer applies (an abort still does).
      clearTimeout(timer);
      // A daemonised grandchild may keep the pipes open: do not wait for it forever.
      graceTimer = setTimeout(() => {
        killTree();
        settle(exitCode, exitSignal);
      }, PIPE_GRACE_MS);
    });
    child.on('close', (exitCode: number | null, exitSignal: NodeJS.Signals | null) => settle(exitCode, exitSignal));
  });
}

/** Throws ENGINE_CONFIG_INVALID for a timeout that is not a positive number of milliseconds. */
export function checkTimeout(timeoutMs: number): void {
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new ScanError('ENGINE_CONFIG_INVALID', `a scan timeout must be a positive number of milliseconds (got ${String(timeoutMs)})`);
}

/** One line saying why a program could not be started, for a failure verdict. */
export function notStartedDetail(program: string, outcome: { code: string; message: string }): string {
  if (outcome.code === 'ENOENT') return `${program} not found: install it or give its path`;
  if (outcome.code === 'EACCES') return `${program} is not executable (permission denied)`;
  return `${program} could not be started: ${outcome.message}`;
}
