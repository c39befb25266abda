/**
 * A recorded release with stored detections, for the case and submission tests: the release is
 * recorded by the real CLI (`release add`), the scan is written through the real ScanStore with
 * `makeVerdict` (what the engine adapters write), so the data takes the same path as in use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { makeVerdict, type Verdict } from '../../src/core/scans/index.ts';
import { createStoreOpener } from '../../src/store/open-store.ts';
import { repoRoot } from '../support/fixtures.ts';
import { AT, absolveJSON, buildRelease, childEnv, cliEntry, TRUST_BOTH } from '../store/cli-harness.ts';

const tsxLoader = import.meta.resolve('tsx');

export const PRODUCT = 'Contoso App';
export const VERSION = '2.0';
export const RELEASE = `${PRODUCT}@${VERSION}`;

export interface RecordedRelease {
  db: string;
  files: Array<{ path: string; sha256: string; size: number }>;
}

/** Records the release `dir` built from `layout` (see buildRelease) into a SQLite store under `root`. */
export function recordRelease(root: string, layout: Parameters<typeof buildRelease>[1], version = VERSION, db = `sqlite:${join(root, 'absolve.db')}`): RecordedRelease {
  const dir = buildRelease(join(root, `release-${version}`), layout);
  // Recorded whatever its signatures: the fixtures' unsigned files would make release add exit 1.
  absolveJSON(['release', 'add', PRODUCT, version, dir, '--db', db, ...TRUST_BOTH, ...AT, '--no-progress', '--fail-on', 'none']);
  const shown = absolveJSON<{ artifacts: Array<{ path: string; sha256: string; size: number }> }>(['release', 'show', PRODUCT, version, '--db', db]);
  return { db, files: shown.artifacts.map((a) => ({ path: a.path, sha256: a.sha256, size: a.size })) };
}

export function vt(engine: string, category: Verdict['category'], result: string | null, scannedAt: string): Verdict {
  return makeVerdict({ engine, via: 'virustotal', category, result, engineVersion: '1', definitionsDate: scannedAt.slice(0, 10), scannedAt });
}

/** Stores a finished scan of the release: `verdicts` per file path. */
export async function storeScan(db: string, id: string, startedAt: string, files: RecordedRelease['files'], verdicts: Record<string, Verdict[]>, version = VERSION): Promise<void> {
  const opened = await createStoreOpener({ env: {}, cwd: process.cwd() })(db, { create: false });
  try {
    await opened.scans.beginScan({ id, startedAt, finishedAt: null, trigger: 'cli', engines: ['virustotal'], release: { product: PRODUCT, version }, inputs: [`${PRODUCT}@${version}`] });
    await opened.scans.addTargets(id, files.map((f, ordinal) => ({ ordinal, path: f.path, parentPath: null, sha256: f.sha256, size: f.size })));
    for (const f of files) await opened.scans.addVerdicts(id, f.sha256, verdicts[f.path] ?? [], false);
    await opened.scans.finishScan(id, startedAt);
  } finally {
    await opened.store.close();
  }
}

/** Runs the CLI without blocking this process's event loop (the loopback SMTP server lives here). */
export function absolveAsync(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> & { child: ChildProcess } {
  const child = spawn(process.execPath, ['--import', tsxLoader, cliEntry, ...args], { cwd: repoRoot, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(done, { child });
}
