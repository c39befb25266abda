/**
 * A clock-free measure of work: V8's precise block coverage (the same counters `c8`/`--experimental-test-coverage`
 * read) counts how many times each basic block of our source ran. The sum over the files under `src/` is a step
 * count that does not depend on how busy the machine is, so tests prove "linear" or "does not grow with the
 * input" as a RATIO of step counts between two input sizes measured in the same run, never with a clock.
 *
 * Chrome DevTools Protocol, Profiler domain: startPreciseCoverage({ callCount, detailed }) and
 * takePreciseCoverage (which also resets the counters):
 * https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#method-startPreciseCoverage
 */
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './fixtures.ts';

interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface ScriptCoverage {
  url: string;
  functions: Array<{ functionName: string; ranges: CoverageRange[] }>;
}

const sourcePrefix = pathToFileURL(`${repoRoot}/src/`).href;

// Counting starts when this module is evaluated: V8 gives block counters only to functions compiled after that,
// so a test file imports this module BEFORE the modules it measures (imports are evaluated in order).
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });

/**
 * Runs `work` with block counting on and returns the number of basic-block executions in the project's source
 * (`src/`, or the files whose URL contains `only` when given). Only JavaScript we wrote is counted: built-ins
 * (TypedArray.indexOf, RegExp) are not, so use this for parsers and loops, not for regular expressions.
 */
export async function countSteps(work: () => unknown, only?: string): Promise<number> {
  await session.post('Profiler.takePreciseCoverage'); // reset the counters
  await work();
  const { result } = (await session.post('Profiler.takePreciseCoverage')) as { result: ScriptCoverage[] };
  let steps = 0;
  for (const script of result) {
    if (!script.url.startsWith(sourcePrefix) || (only !== undefined && !script.url.includes(only))) continue;
    for (const fn of script.functions) for (const range of fn.ranges) steps += range.count;
  }
  return steps;
}
