/**
 * One fuzz worker: runs cases [start, end) of one target and reports crashes as they happen. The case being run
 * and the number finished are written to shared memory, so the harness sees a hang (no progress before its
 * deadline) and can regenerate that exact case from its index after terminating this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { caseRandom, mutate } from './mutate.ts';
import type { FuzzTarget } from './targets.ts';

export interface WorkerJob {
  targetsModule: string;
  target: string;
  runSeed: number;
  start: number;
  end: number;
  /** Int32Array over it: [0] case being run, [1] cases finished. */
  progress: SharedArrayBuffer;
  /** This thread's heap plus array buffers above this after a case is over-limit memory (bytes). */
  maxCaseBytes: number;
}

export type WorkerMessage =
  | { type: 'failure'; kind: 'crash' | 'memory'; index: number; how: string; detail: string }
  | { type: 'done'; passed: number; rejected: number; slowestMs: number; slowestIndex: number };

const job = workerData as WorkerJob;
const { FUZZ_TARGETS, isExpectedError } = (await import(job.targetsModule)) as { FUZZ_TARGETS: readonly FuzzTarget[]; isExpectedError: (e: unknown) => boolean };
const target = FUZZ_TARGETS.find((t) => t.name === job.target);
if (target === undefined) throw new Error(`unknown fuzz target ${job.target}`);
const seeds = target.seeds();
const progress = new Int32Array(job.progress);
const post = (message: WorkerMessage): void => parentPort?.postMessage(message);

let passed = 0;
let rejected = 0;
let slowestMs = 0;
let slowestIndex = -1;
for (let index = job.start; index < job.end; index++) {
  Atomics.store(progress, 0, index);
  const { input, how } = mutate(seeds, caseRandom(job.runSeed, target.name, index));
  // The one place a clock belongs: which case was slowest (informational; hangs are the harness's deadline).
  const started = performance.now();
  try {
    await target.run(input);
    passed++;
  } catch (error) {
    if (isExpectedError(error)) rejected++;
    else post({ type: 'failure', kind: 'crash', index, how, detail: error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error) });
  }
  const ms = performance.now() - started;
  if (ms > slowestMs) {
    slowestMs = ms;
    slowestIndex = index;
  }
  // heapUsed and arrayBuffers are this thread's (RSS would be the whole process's, other workers included).
  // Checked after every case, so the case that crosses the limit is the one reported.
  const memory = process.memoryUsage();
  if (memory.heapUsed + memory.arrayBuffers > job.maxCaseBytes) {
    post({ type: 'failure', kind: 'memory', index, how, detail: `heap ${Math.round(memory.heapUsed / 2 ** 20)} MiB + array buffers ${Math.round(memory.arrayBuffers / 2 ** 20)} MiB after this case` });
    process.exit(0); // the harness goes on from the next case in a fresh thread
  }
  Atomics.add(progress, 1, 1);
}
post({ type: 'done', passed, rejected, slowestMs, slowestIndex });
