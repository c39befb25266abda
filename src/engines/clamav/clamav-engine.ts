/**
 * Choosing how to reach ClamAV: clamd when an address is given or a clamd answers on one of the
 * usual sockets, clamscan otherwise. A custom database directory (`--clamav-db`) can only be
 * handed to clamscan (clamd scans with the DatabaseDirectory of its own clamd.conf).
 */
import { access } from 'node:fs/promises';
import { ScanError, type ScanEngine } from '../../core/scans/index.ts';
import { findProgram } from '../local/find-program.ts';
import { createClamdEngine, pingClamd } from './clamd-engine.ts';
import { createClamscanEngine } from './clamscan-engine.ts';

/**
 * Where distributions put clamd's socket: Debian/Ubuntu (`/run/clamav/clamd.ctl`), Fedora/RHEL
 * (`/run/clamd.scan/clamd.sock`), the upstream example clamd.conf (`/tmp/clamd.socket`).
 */
export const DEFAULT_CLAMD_SOCKETS: readonly string[] = ['/run/clamav/clamd.ctl', '/var/run/clamav/clamd.ctl', '/run/clamd.scan/clamd.sock', '/tmp/clamd.socket'];

export interface ClamavEngineOptions {
  /** clamd's address (`--clamd`): a socket path or host:port. When set, clamd is used (a dead one yields failure verdicts). */
  clamd?: string;
  /** A custom database directory (`--clamav-db`): implies clamscan; with `clamd` it is a configuration error. */
  databaseDir?: string;
  /** The clamscan program for the fallback (default `clamscan` on PATH). */
  clamscanPath?: string;
  /** Time per scan (default: 120 000 ms over clamd, 300 000 ms with clamscan). */
  timeoutMs?: number;
  /** Sockets probed (zPING) when neither `clamd` nor `databaseDir` is given (default DEFAULT_CLAMD_SOCKETS). */
  defaultSockets?: readonly string[];
}

/** How long a default socket may take to answer PING before clamscan is chosen. */
const PROBE_TIMEOUT_MS = 1000;

/**
 * The ClamAV engine: clamd at `options.clamd`; else clamscan when `databaseDir` is given; else
 * the first default socket where a clamd answers PING; else clamscan. Throws ScanError
 * ENGINE_CONFIG_INVALID when it would need clamscan and clamscan is not installed (a clamd named
 * with `clamd` is not checked here: a dead one gives failure verdicts, file by file).
 */
export async function createClamavEngine(options: ClamavEngineOptions = {}): Promise<ScanEngine> {
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  if (options.clamd !== undefined) {
    if (options.databaseDir !== undefined) {
      throw new ScanError('ENGINE_CONFIG_INVALID', '--clamav-db cannot be used with --clamd: clamd scans with the DatabaseDirectory of its clamd.conf (drop --clamd to scan with clamscan and that database)');
    }
    return createClamdEngine({ address: options.clamd, ...timeout });
  }
  if (options.databaseDir === undefined) {
    for (const socket of options.defaultSockets ?? DEFAULT_CLAMD_SOCKETS) {
      const exists = await access(socket).then(() => true, () => false);
      if (exists && (await pingClamd(socket, PROBE_TIMEOUT_MS))) return createClamdEngine({ address: socket, ...timeout });
    }
  }
  const clamscan = options.clamscanPath ?? 'clamscan';
  if ((await findProgram(clamscan)) === null) {
    throw new ScanError(
      'ENGINE_CONFIG_INVALID',
      options.databaseDir === undefined
        ? `ClamAV: no clamd answers on ${(options.defaultSockets ?? DEFAULT_CLAMD_SOCKETS).join(', ')} and ${clamscan} is not installed (install ClamAV, or give --clamd <socket|host:port>)`
        : `ClamAV: --clamav-db needs clamscan, and ${clamscan} is not installed (install ClamAV)`,
    );
  }
  return createClamscanEngine({
    ...(options.databaseDir === undefined ? {} : { databaseDir: options.databaseDir }),
    ...(options.clamscanPath === undefined ? {} : { clamscanPath: options.clamscanPath }),
    ...timeout,
  });
}
