/**
 * ClamAV through `clamscan`, the fallback when no clamd runs: one process per sample
 * (`clamscan --no-summary [-d <dir>] <file>`), which loads the databases each time (seconds with
 * the official databases, milliseconds with a small custom one). clamscan(1) "RETURN CODES":
 * 0 no virus found, 1 virus(es) found, 2 some error(s) occurred. A sample without a file of its
 * own (a container member) is written to a private temporary file first.
 */
import { makeVerdict, noAnswerVerdict, type ScanEngine, type ScanOptions, type ScanSample, type Verdict } from '../../core/scans/index.ts';
import { throwIfAborted } from '../local/abort.ts';
import { oneLine } from '../local/one-line.ts';
import { checkTimeout, notStartedDetail, runProcess } from '../local/run-process.ts';
import { withSampleFile } from '../local/sample-file.ts';
import { parseClamavVersion, parseClamscanLine, type ClamavVersion } from './clamav-replies.ts';

/** Default time for one clamscan run: 5 minutes (loading the official databases alone takes 10–30 s). */
export const DEFAULT_CLAMSCAN_TIMEOUT_MS = 300_000;

export interface ClamscanEngineOptions {
  /** A database directory (`--clamav-db`; clamscan `-d`): custom `.hdb`/`.ndb`/`.yar`/… files instead of the installed databases. */
  databaseDir?: string;
  /** The clamscan program (default `clamscan`, found on PATH). */
  clamscanPath?: string;
  /** Time for one run (default 300 000 ms); past it the process is killed and the verdict is `timeout`. */
  timeoutMs?: number;
}

/** The first line of clamscan's error output worth showing (`LibClamAV Error: …`, `ERROR: …`). */
function errorLine(stderr: string, stdout: string): string {
  const lines = `${stderr}\n${stdout}`.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const line = lines.find((l) => /error/i.test(l)) ?? lines[0];
  return line === undefined ? 'no error message' : oneLine(line, 200);
}

/** The ClamAV engine over clamscan. One verdict per sample; a missing or failing clamscan gives `failure`. */
export function createClamscanEngine(options: ClamscanEngineOptions = {}): ScanEngine {
  const program = options.clamscanPath ?? 'clamscan';
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLAMSCAN_TIMEOUT_MS;
  checkTimeout(timeoutMs);
  const databaseArgs = options.databaseDir === undefined ? [] : ['-d', options.databaseDir];
  let version: Promise<ClamavVersion | null> | undefined;

  // `clamscan --version -d <dir>` reads the daily database header without loading signatures: asked once.
  const readVersion = (): Promise<ClamavVersion | null> => {
    version ??= runProcess(program, ['--version', ...databaseArgs], { timeoutMs: Math.min(timeoutMs, 30_000), maxOutputBytes: 4096 })
      .then((outcome) => (outcome.kind === 'exited' && outcome.exitCode === 0 ? parseClamavVersion(outcome.stdout) : null))
      .catch(() => null);
    return version;
  };

  return {
    id: 'clamav',
    via: 'clamav',
    async scan(sample: ScanSample, scanOptions: ScanOptions): Promise<Verdict[]> {
      const { signal } = scanOptions;
      throwIfAborted(signal);
      return withSampleFile(sample, signal, async (path) => {
        const outcome = await runProcess(program, ['--no-summary', ...databaseArgs, path], { timeoutMs, signal });
        const scannedAt = new Date().toISOString();
        if (outcome.kind === 'not-started') return [noAnswerVerdict('ClamAV', 'clamav', 'failure', notStartedDetail(program, outcome), scannedAt)];
        if (outcome.kind === 'timeout') return [noAnswerVerdict('ClamAV', 'clamav', 'timeout', `clamscan gave no verdict within ${timeoutMs} ms`, scannedAt)];
        if (outcome.exitSignal !== null) return [noAnswerVerdict('ClamAV', 'clamav', 'failure', `clamscan crashed (${outcome.exitSignal})`, scannedAt)];
        const line = parseClamscanLine(outcome.stdout, path);
        const found = line?.kind === 'found' ? line.name : null;
        if (outcome.exitCode === 0 && line?.kind === 'clean') {
          const v = await readVersion();
          return [makeVerdict({ engine: 'ClamAV', via: 'clamav', category: 'undetected', scannedAt, engineVersion: v?.engineVersion, definitionsDate: v?.definitionsDate })];
        }
        if (outcome.exitCode === 1 && found !== null) {
          const v = await readVersion();
          return [makeVerdict({ engine: 'ClamAV', via: 'clamav', category: 'malicious', result: found, scannedAt, engineVersion: v?.engineVersion, definitionsDate: v?.definitionsDate })];
        }
        const why = outcome.exitCode === 2 ? errorLine(outcome.stderr, outcome.stdout) : `exit code ${outcome.exitCode ?? 'none'} without a result line (${errorLine(outcome.stderr, outcome.stdout)})`;
        return [noAnswerVerdict('ClamAV', 'clamav', 'failure', `clamscan failed: ${why}`, scannedAt)];
      });
    },
  };
}
