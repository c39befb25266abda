import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { auditArtifact, type AuditArtifactOptions } from '../core/audit-artifact.ts';
import type { ArtifactReport, HashAlgorithm } from '../core/audit.types.ts';
import type { AuditLimits } from '../core/limits.ts';
import { FileByteSource } from './file-source.ts';
import type { WalkedFile } from './walk.ts';

export interface AuditFilesOptions {
  /** Worker threads; 0 or 1 audits in this thread. */
  jobs: number;
  hashes: readonly HashAlgorithm[];
  trustAnchors: readonly Uint8Array[];
  at: Date;
  limits: AuditLimits;
  onResult?: (report: ArtifactReport) => void;
}

export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/** Audits one file on disk; an unreadable file becomes a report with an IO_ERROR, not an exception. */
export async function auditFile(file: WalkedFile, options: Omit<AuditArtifactOptions, 'path'>): Promise<ArtifactReport> {
  let source: FileByteSource;
  try {
    source = await FileByteSource.open(file.fsPath);
  } catch (error) {
    return {
      path: file.displayPath, size: 0, sha256: '', hashes: {}, format: 'unknown', pe: null, signature: null, findings: [],
      error: { code: 'IO_ERROR', message: `cannot open the file: ${(error as Error).message}` },
    };
  }
  try {
    return await auditArtifact(source, { ...options, path: file.displayPath });
  } finally {
    await source.close();
  }
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

/** Audits files, in worker threads when there is more than one file and more than one job; results come back in input order. */
export async function auditFiles(files: readonly WalkedFile[], options: AuditFilesOptions): Promise<ArtifactReport[]> {
  const shared = { hashes: options.hashes, trustAnchors: options.trustAnchors, at: options.at, limits: options.limits };
  const workers = Math.min(options.jobs, files.length);
  const results: ArtifactReport[] = new Array<ArtifactReport>(files.length);
  if (workers <= 1) {
    for (const [i, file] of files.entries()) {
      const report = await auditFile(file, shared);
      results[i] = report;
      options.onResult?.(report);
    }
    return results;
  }

  let next = 0;
  const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './audit-worker.ts' : './audit-worker.js', import.meta.url);
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const [entry, entryOptions] = workerEntry(workerUrl);
      const worker = new Worker(entry, {
        ...entryOptions,
        workerData: { hashes: shared.hashes, trustAnchors: shared.trustAnchors, at: shared.at.toISOString(), limits: shared.limits },
      });
      let current = -1;
      const dispatch = (): void => {
        if (next >= files.length) {
          void worker.terminate();
          resolve();
          return;
        }
        current = next++;
        worker.postMessage({ index: current, file: files[current] });
      };
      worker.on('message', (message: { index: number; report: ArtifactReport }) => {
        results[message.index] = message.report;
        options.onResult?.(message.report);
        dispatch();
      });
      worker.on('error', (error) => {
        // The worker died (e.g. out of memory): report that file, keep going with a new worker.
        const file = files[current];
        if (file !== undefined && results[current] === undefined) {
          const report: ArtifactReport = {
            path: file.displayPath, size: 0, sha256: '', hashes: {}, format: 'unknown', pe: null, signature: null, findings: [],
            error: { code: 'INTERNAL', message: `the audit worker failed on this file: ${error.message}` },
          };
          results[current] = report;
          options.onResult?.(report);
        }
        runWorker().then(resolve, reject);
      });
      worker.once('online', dispatch);
    });
  await Promise.all(Array.from({ length: workers }, runWorker));
  return results;
}
