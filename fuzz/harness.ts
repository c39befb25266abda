/**
 * The fuzz harness: splits each target's cases into chunks, runs them in worker threads (a pool as wide as asked),
 * and turns what goes wrong into regression fixtures:
 * - crash: the parser threw something other than its ParseError family (reported by the worker);
 * - hang: a case made no progress within the deadline; the thread is terminated (the one place in the project
 *   where a time limit decides anything: a hang cannot be counted from inside). The deadline is measured in CPU
 *   time of this process, not wall time: a hung case burns CPU, while a thread starved by a busy machine (or by
 *   `nice -n 19`) does not, so starvation is never reported as a hang;
 * - memory: the thread's heap + array buffers went over the limit after a case, or V8 killed it at its heap limit.
 * Every case is regenerated here from its index (fuzz/mutate.ts) and saved to `<outDir>/<target>/`, which
 * test/fuzz/regressions.test.ts replays in `npm test`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { caseRandom, mutate } from './mutate.ts';
import type { FuzzTarget } from './targets.ts';
import type { WorkerJob, WorkerMessage } from './worker.ts';

export interface FuzzOptions {
  /** Module exporting FUZZ_TARGETS and isExpectedError (tests pass a table of deliberately broken targets). */
  targetsModule: string;
  /** Target names to run (all rows when empty). */
  only: readonly string[];
  casesPerTarget: number;
  workers: number;
  runSeed: number;
  /** Cases per worker thread before a fresh one takes over. */
  chunkCases: number;
  /** A case without progress for this long is a hang. */
  hangMs: number;
  /** Over-limit memory after one case (bytes), and the thread's V8 old-space limit (MiB). */
  maxCaseBytes: number;
  heapLimitMb: number;
  /** Where failing inputs are saved (one folder per target). */
  outDir: string;
  log: (line: string) => void;
  /** Stops the run early (Ctrl-C): running threads are stopped, the cases they finished are counted. */
  signal?: AbortSignal;
}

export interface FuzzFailure {
  target: string;
  kind: 'crash' | 'hang' | 'memory';
  index: number;
  how: string;
  detail: string;
  savedAs: string;
}

export interface TargetResult {
  target: string;
  covers: string;
  cases: number;
  passed: number;
  rejected: number;
  /** Seconds of worker time spent on this target (cases / workerSeconds is the rate of one thread). */
  workerSeconds: number;
  slowestMs: number;
  slowestCase: string;
  failures: FuzzFailure[];
}

interface Job {
  target: FuzzTarget;
  start: number;
  end: number;
}

/** User + system CPU time of the whole process (all threads), in microseconds. */
function cpuMicroseconds(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

const WORKER_BOOTSTRAP = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); })`;

export async function runFuzz(options: FuzzOptions): Promise<TargetResult[]> {
  const { FUZZ_TARGETS } = (await import(options.targetsModule)) as { FUZZ_TARGETS: readonly FuzzTarget[] };
  const targets = FUZZ_TARGETS.filter((t) => options.only.length === 0 || options.only.includes(t.name));
  const unknown = options.only.filter((name) => !FUZZ_TARGETS.some((t) => t.name === name));
  if (unknown.length > 0) throw new Error(`unknown fuzz target(s): ${unknown.join(', ')} (known: ${FUZZ_TARGETS.map((t) => t.name).join(', ')})`);

  const results = new Map<string, TargetResult>();
  const seedsOf = new Map<string, ReturnType<FuzzTarget['seeds']>>();
  const queue: Job[] = [];
  for (const target of targets) results.set(target.name, { target: target.name, covers: target.covers, cases: 0, passed: 0, rejected: 0, workerSeconds: 0, slowestMs: 0, slowestCase: '', failures: [] });
  // Chunks round-robin over the targets: a run stopped early has covered every parser alike.
  for (let start = 0; start < options.casesPerTarget; start += options.chunkCases) {
    for (const target of targets) queue.push({ target, start, end: Math.min(options.casesPerTarget, start + options.chunkCases) });
  }

  const save = (target: FuzzTarget, kind: FuzzFailure['kind'], index: number, detail: string): FuzzFailure => {
    let seeds = seedsOf.get(target.name);
    if (seeds === undefined) {
      seeds = target.seeds();
      seedsOf.set(target.name, seeds);
    }
    const { input, how } = mutate(seeds, caseRandom(options.runSeed, target.name, index));
    const name = `${kind}-${createHash('sha256').update(input).digest('hex').slice(0, 16)}`;
    const folder = join(options.outDir, target.name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${name}.bin`), input);
    writeFileSync(join(folder, `${name}.json`), `${JSON.stringify({ target: target.name, kind, runSeed: options.runSeed, caseIndex: index, how, detail: detail.split('\n').slice(0, 12).join('\n') }, null, 2)}\n`);
    const failure = { target: target.name, kind, index, how, detail, savedAs: join(folder, `${name}.bin`) };
    options.log(`  ${kind.toUpperCase()} ${target.name} case ${index} (${how}): ${detail.split('\n')[0] ?? ''} → ${failure.savedAs}`);
    return failure;
  };

  const runJob = (job: Job): Promise<void> =>
    new Promise((resolve, reject) => {
      const result = results.get(job.target.name) as TargetResult;
      const progress = new SharedArrayBuffer(8);
      const counters = new Int32Array(progress);
      Atomics.store(counters, 0, -1); // no case started yet: a failure now is the harness's, not a parser's
      const workerJob: WorkerJob = { targetsModule: options.targetsModule, target: job.target.name, runSeed: options.runSeed, start: job.start, end: job.end, progress, maxCaseBytes: options.maxCaseBytes };
      // Node 20 resolves a worker's entry before `--import tsx` hooks apply there: register them, then import.
      const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: workerJob, resourceLimits: { maxOldGenerationSizeMb: options.heapLimitMb } });
      const started = performance.now();
      const failedAt = new Set<number>();
      let finished = false;
      let lastSeen = '';
      let lastChangeCpu = cpuMicroseconds();
      let settled = false;
      let startupError: string | undefined;

      const settle = (reason: 'done' | 'hang' | 'exit' | 'stopped'): void => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        options.signal?.removeEventListener('abort', stop);
        if (reason === 'stopped') {
          result.workerSeconds += (performance.now() - started) / 1000;
          result.cases += Atomics.load(counters, 1);
          resolve();
          return;
        }
        if (reason !== 'done' && Atomics.load(counters, 0) === -1) {
          reject(new Error(`fuzz worker for ${job.target.name} ${reason === 'hang' ? 'did not start' : 'failed to start'}${startupError === undefined ? '' : `: ${startupError}`}`));
          return;
        }
        result.workerSeconds += (performance.now() - started) / 1000;
        const done = Atomics.load(counters, 1);
        result.cases += done;
        if (reason !== 'done') {
          // The thread died or hung on case `current`: record it (once), then go on after it.
          const current = Atomics.load(counters, 0);
          if (!failedAt.has(current)) {
            failedAt.add(current);
            result.failures.push(save(job.target, reason === 'hang' ? 'hang' : 'memory', current, reason === 'hang' ? `no progress for ${options.hangMs} ms of CPU time` : 'the worker thread died (V8 heap limit or an uncaught error)'));
          }
          result.cases += 1;
          if (current + 1 < job.end) queue.unshift({ target: job.target, start: current + 1, end: job.end });
        }
        resolve();
      };

      const watchdog = setInterval(() => {
        const seen = `${Atomics.load(counters, 0)}/${Atomics.load(counters, 1)}`;
        // Loading tsx and the parsers is not a case: the deadline starts with the first case.
        if (seen !== lastSeen || Atomics.load(counters, 0) === -1) {
          lastSeen = seen;
          lastChangeCpu = cpuMicroseconds();
        } else if (cpuMicroseconds() - lastChangeCpu > options.hangMs * 1000 * Math.max(1, options.workers)) {
          // The process's CPU time counts every fuzz thread: a sibling spinning on a hang of its own would otherwise
          // use up this thread's deadline while this one waits for a core (seen on a loaded 2-core machine).
          settle('hang');
          void worker.terminate();
        }
      }, Math.min(250, options.hangMs / 4));

      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'failure') {
          // A thread's last message can arrive after its 'error' or 'exit' recorded the same case: one failure per case.
          if (failedAt.has(message.index)) return;
          failedAt.add(message.index);
          result.failures.push(save(job.target, message.kind, message.index, message.detail));
        } else {
          finished = true;
          result.passed += message.passed;
          result.rejected += message.rejected;
          if (message.slowestMs > result.slowestMs) {
            result.slowestMs = message.slowestMs;
            result.slowestCase = `#${message.slowestIndex}`;
          }
        }
      });
      worker.on('error', (error) => {
        const current = Atomics.load(counters, 0);
        if (current === -1) startupError = error.stack ?? String(error);
        else if (!failedAt.has(current)) {
          failedAt.add(current);
          const oom = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
          result.failures.push(save(job.target, oom ? 'memory' : 'crash', current, error.stack ?? String(error)));
        }
      });
      worker.on('exit', () => settle(finished ? 'done' : 'exit'));
      const stop = (): void => {
        settle('stopped');
        void worker.terminate();
      };
      options.signal?.addEventListener('abort', stop);
    });

  const pool = Array.from({ length: Math.max(1, options.workers) }, async () => {
    for (let job = queue.shift(); job !== undefined && options.signal?.aborted !== true; job = queue.shift()) {
      await runJob(job);
      const r = results.get(job.target.name) as TargetResult;
      options.log(`  ${r.target}: ${r.cases.toLocaleString('en')} cases, ${(r.cases / Math.max(r.workerSeconds, 1e-9)).toFixed(0)} cases/s per thread, ${r.failures.length} failures`);
    }
  });
  await Promise.all(pool);
  return [...results.values()];
}
