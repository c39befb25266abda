import { Worker } from 'node:worker_threads';
import type { VerificationPolicy } from '../authenticode/index.ts';
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
  verificationPolicy?: VerificationPolicy;
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

export { defaultJobs } from './jobs.ts';

type SharedOptions = Omit<AuditArtifactOptions, 'path'>;

/** Audits one file on disk (and its members); an unreadable file becomes a report with an IO_ERROR, not an exception. */
export async function auditFile(file: WalkedFile, options: SharedOptions, containers: ContainerReader | undefined): Promise<ArtifactReport[]> {
  if (file.problem !== undefined) return [{ ...failedReport(file, '', ''), error: null, findings: [{ ...file.problem }] }];
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
  verificationPolicy: VerificationPolicy | undefined;
  at: string;
  limits: AuditLimits;
  settings: unknown;
  files: WalkedFile[];
  /** One Int32: the index of the next file to take, shared by every thread (Atomics.add). */
  nextFile: SharedArrayBuffer;
}

/** Messages from a worker: it started a file, finished one, or ran out of files. */
export type WorkerMessage = { started: number } | { index: number; reports: ArtifactReport[] } | { done: true };

/**
 * Takes files from the shared queue until it is empty. Every thread (this one and each worker) runs
 * this loop, so no thread waits for another to hand it work: a worker keeps going while this
 * thread is busy with a large file.
 */
export async function drainQueue(
  files: readonly WalkedFile[],
  next: Int32Array,
  audit: (file: WalkedFile) => Promise<ArtifactReport[]>,
  emit: (message: WorkerMessage) => void,
  yieldBetweenFiles: boolean,
): Promise<void> {
  while (true) {
    const index = Atomics.add(next, 0, 1);
    const file = files[index];
    if (file === undefined) break;
    emit({ started: index });
    emit({ index, reports: await audit(file) });
    // File reads are synchronous: let this thread's event loop deliver worker messages between files.
    if (yieldBetweenFiles) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  emit({ done: true });
}

/**
 * Audits files with `jobs`-way parallelism: this thread and `jobs - 1` worker threads take files
 * from one shared queue. Results come back in input order.
 */
export async function auditFiles(files: readonly WalkedFile[], options: AuditFilesOptions, runtime: AuditRuntime): Promise<ArtifactReport[]> {
  const shared: SharedOptions = {
    hashes: options.hashes,
    trustAnchors: options.trustAnchors,
    at: options.at,
    limits: options.limits,
    verificationPolicy: options.verificationPolicy,
  };
  const results: ArtifactReport[][] = new Array<ArtifactReport[]>(files.length);
  const record = (index: number, reports: ArtifactReport[]): void => {
    results[index] = reports;
    options.onResult?.(reports);
  };
  const nextFile = new SharedArrayBuffer(4);
  const next = new Int32Array(nextFile);
  const workerCount = Math.min(Math.max(0, options.jobs - 1), Math.max(0, files.length - 1));
  const workerData: WorkerData = {
    hashes: [...shared.hashes],
    trustAnchors: [...shared.trustAnchors],
    verificationPolicy: shared.verificationPolicy,
    at: shared.at.toISOString(),
    limits: shared.limits,
    settings: options.workerSettings,
    files: [...files],
    nextFile,
  };

  const runWorker = (): Promise<void> =>
    new Promise((resolve) => {
      const [entry, entryOptions] = workerEntry(runtime.workerUrl);
      const worker = new Worker(entry, { ...entryOptions, workerData });
      let current = -1;
      worker.on('message', (message: WorkerMessage) => {
        if ('started' in message) current = message.started;
        else if ('reports' in message) {
          record(message.index, message.reports);
          current = -1;
        } else {
          void worker.terminate();
          resolve();
        }
      });
      worker.on('error', (error) => {
        // The worker died (e.g. out of memory): report the file it had; the other threads take the rest.
        const file = files[current];
        if (file !== undefined && results[current] === undefined) record(current, [failedReport(file, 'INTERNAL', `the audit worker failed on this file: ${error.message}`)]);
        resolve();
      });
    });

  const workers = Array.from({ length: workerCount }, runWorker);
  await drainQueue(files, next, (file) => auditFile(file, shared, runtime.containers), (m) => {
    if ('reports' in m) record(m.index, m.reports);
  }, workerCount > 0);
  await Promise.all(workers);
  // A file a dead worker was reading when it died, and nothing else took: audit it here.
  for (const [index, file] of files.entries()) if (results[index] === undefined) record(index, await auditFile(file, shared, runtime.containers));
  return results.flat();
}
