/**
 * `npm run fuzz`: structure-aware mutation fuzzing of every parser in fuzz/targets.ts at scale (1,000,000 cases
 * per parser by default), in worker threads. Prints cases/s per parser and every crash, hang or over-limit
 * memory case, saves those inputs under test/fixtures/fuzz-regressions/<target>/ (replayed by `npm test`), and
 * exits 1 when there was any. The machine is shared: run it as `nice -n 19 npm run fuzz`.
 *
 *   --cases <n>      cases per parser (default 1000000)
 *   --only <a,b>     parsers to run (default: all; names in fuzz/targets.ts)
 *   --workers <n>    worker threads (default: available parallelism)
 *   --seed <n>       run seed (default 1); a case is reproducible from (seed, parser, case index)
 *   --hang-ms <n>    a case without progress for this much CPU time is a hang (default 10000)
 *   --json <file>    also write the results as JSON
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runFuzz } from './harness.ts';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000000' },
    only: { type: 'string', default: '' },
    workers: { type: 'string', default: String(availableParallelism()) },
    seed: { type: 'string', default: '1' },
    'hang-ms': { type: 'string', default: '10000' },
    json: { type: 'string' },
  },
});

const root = join(import.meta.dirname, '..');
const started = performance.now();
const casesPerTarget = Number(values.cases);
console.log(`fuzz: ${casesPerTarget.toLocaleString('en')} cases per parser, ${values.workers} worker threads, seed ${values.seed}`);
// Ctrl-C (or SIGTERM) ends the run early and still prints what was done.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
const results = await runFuzz({
  signal: stop.signal,
  targetsModule: new URL('./targets.ts', import.meta.url).href,
  only: values.only === '' ? [] : values.only.split(','),
  casesPerTarget,
  workers: Number(values.workers),
  runSeed: Number(values.seed),
  chunkCases: Math.max(1000, Math.min(25_000, Math.ceil(casesPerTarget / 10))),
  hangMs: Number(values['hang-ms']),
  maxCaseBytes: 512 * 2 ** 20,
  heapLimitMb: 1024,
  outDir: join(root, 'test', 'fixtures', 'fuzz-regressions'),
  log: (line) => console.log(line),
});
const seconds = (performance.now() - started) / 1000;

console.log(`\n| parser | cases | cases/s per thread | passed | rejected (ParseError) | crashes | hangs | memory | slowest case |`);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const count = (kind: string): number => r.failures.filter((f) => f.kind === kind).length;
  console.log(`| ${r.target} | ${r.cases.toLocaleString('en')} | ${Math.round(r.cases / Math.max(r.workerSeconds, 1e-9)).toLocaleString('en')} | ${r.passed.toLocaleString('en')} | ${r.rejected.toLocaleString('en')} | ${count('crash')} | ${count('hang')} | ${count('memory')} | ${r.slowestMs.toFixed(0)} ms |`);
}
console.log(`\nfuzz: ${seconds.toFixed(0)} s wall time${stop.signal.aborted ? ' (stopped early)' : ''}`);
if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify({ seed: Number(values.seed), casesPerTarget, seconds, results }, null, 2)}\n`);
process.exitCode = results.some((r) => r.failures.length > 0) ? 1 : 0;
