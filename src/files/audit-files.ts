import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AuditArtifactOptions } from '../core/audit-artifact.ts';
import { auditTree } from '../core/audit-tree.ts';
import type { ArtifactReport, HashAlgorithm } from '../core/audit.types.ts';
import type { AuditLimits } from '../core/limits.ts';
import type { ContainerReader } from '../core/ports.ts';
import { FileByteSource } from './file-source.ts';
import type { WalkedFile } from './walk.ts';

export interface AuditFilesOptions {
  /** Parallelism: this thread plus jobs - 1 worker threads. */
  jobs: number;
  hashes: readonly HashAlgorithm[];
  trustAnchors: readonly Uint8Array[];
  at: Date;
  limits: AuditLimits;
  /** Plain-data settings handed to every worker (e.g. container limits); src/app gives them meaning. */
  workerSettings?: unknown;
  /** Called once per input file with its report and its members' reports. */
  onResult?: (reports: ArtifactReport[]) => void;
}

/** What the composition root supplies: the container reader of this thread and the worker module. */
export interface AuditRuntime {
  containers?: ContainerReader;
  /** Module run by each worker thread (src/app/audit-worker). */
  workerUrl: URL;
}

export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

type SharedOptions = Omit<AuditArtifactOptions, 'path'>;

/** Audits one file on disk (and its members); an unreadable file becomes a report with an IO_ERROR, not an exception. */
export async function auditFile(file: WalkedFile, options: SharedOptions, containers: ContainerReader | undefined): Promise<ArtifactReport[]> {
  let source: FileByteSource;
  try {
    source = await FileByteSource.open(file.fsPath);
  } catch (error) {
    return [failedReport(file, 'IO_ERROR', `cannot open the file: ${(error as Error).message}`)];
  }
  try {
    return await auditTree(source, { ...options, path: file.displayPath, ...(containers === undefined ? {} : { containers }) });
  } finally {
    await source.close();
  }
}

function failedReport(file: WalkedFile, code: string, message: string): ArtifactReport {
  return { path: file.displayPath, size: 0, sha256: '', hashes: {}, format: 'unknown', pe: null, signature: null, findings: [], error: { code, message } };
}

/**
 * The worker's entry. From compiled JavaScript it is the worker module itself; from TypeScript
 * sources (tests, tsx) Node 20 cannot start a worker on a .ts file, so a one-line bootstrap
 * registers tsx's loader inside the worker first.
 */
function workerEntry(url: URL): [string | URL, { eval?: boolean }] {
  if (!url.pathname.endsWith('.ts')) return [url, {}];
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return [`import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true }];
}

/** What a worker receives once, in workerData. */
export interface WorkerData {
  hashes: HashAlgorithm[];
  trustAnchors: Uint8Array[];
  at: string;
  limits: AuditLimits;
  settings: unknown;
}

/**
 * Audits files with `jobs`-way parallelism: this thread takes files from the shared queue at once,
 * while `jobs - 1` worker threads start up and join in (a worker needs tens of milliseconds to load,
 * which a release of small files would otherwise spend waiting). Results come back in input order.
 */
export async function auditFiles(files: readonly WalkedFile[], options: AuditFilesOptions, runtime: AuditRuntime): Promise<ArtifactReport[]> {
  const shared: SharedOptions = { hashes: options.hashes, trustAnchors: options.trustAnchors, at: options.at, limits: options.limits };
  const results: ArtifactReport[][] = new Array<ArtifactReport[]>(files.length);
  let next = 0;
  const record = (index: number, reports: ArtifactReport[]): void => {
    results[index] = reports;
    options.onResult?.(reports);
  };

  const workerCount = Math.min(Math.max(0, options.jobs - 1), Math.max(0, files.length - 1));
  const workerData: WorkerData = { hashes: [...shared.hashes], trustAnchors: [...shared.trustAnchors], at: shared.at.toISOString(), limits: shared.limits, settings: options.workerSettings };
  /** Workers not busy with a file, with the function that ends them. */
  const idle = new Map<Worker, () => void>();
  let finished = false;
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const [entry, entryOptions] = workerEntry(runtime.workerUrl);
      const worker = new Worker(entry, { ...entryOptions, workerData });
      let current = -1;
      const stop = (): void => {
        idle.delete(worker);
        void worker.terminate();
        resolve();
      };
      idle.set(worker, stop);
      const dispatch = (): void => {
        if (finished || next >= files.length) {
          stop();
          return;
        }
        idle.delete(worker);
        current = next++;
        worker.postMessage({ index: current, file: files[current] });
      };
      worker.on('message', (message: { index: number; reports: ArtifactReport[] }) => {
        record(message.index, message.reports);
        dispatch();
      });
      worker.on('error', (error) => {
        idle.delete(worker);
        // The worker died (e.g. out of memory): report that file, keep going with a new worker.
        const file = files[current];
        if (file !== undefined && results[current] === undefined) record(current, [failedReport(file, 'INTERNAL', `the audit worker failed on this file: ${error.message}`)]);
        runWorker().then(resolve, reject);
      });
      // Queue the first file now: messages wait for the worker to load, and this thread may be busy
      // with a large file (synchronous reads) when the worker comes online.
      dispatch();
    });

  const inThisThread = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      const file = files[index];
      if (file === undefined) break;
      record(index, await auditFile(file, shared, runtime.containers));
      // File reads are synchronous: yield so worker messages are handled between files.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };

  const workers = Array.from({ length: workerCount }, runWorker);
  await inThisThread();
  finished = true;
  // Workers still busy finish their current file; idle or still-starting ones stop now.
  for (const stop of [...idle.values()]) stop();
  await Promise.all(workers);
  return results.flat();
}
