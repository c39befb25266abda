/**
 * Fuzz targets that fail on purpose, for test/fuzz/harness.test.ts: each one misbehaves on a byte pattern that
 * mutation reaches within a few hundred cases, so the test can check the harness reports and saves exactly the
 * inputs that trigger the fault.
 */
import { ParseError } from '../../src/binary/index.ts';
import type { Seed } from '../../fuzz/mutate.ts';
import type { FuzzTarget } from '../../fuzz/targets.ts';

export { isExpectedError } from '../../fuzz/targets.ts';

const seeds = (): Seed[] => [{ name: 'counting', bytes: Uint8Array.from({ length: 64 }, (_, i) => i + 1), fields: [{ at: 0, width: 1 }, { at: 1, width: 1 }, { at: 2, width: 1 }, { at: 3, width: 4 }] }];

/** The fault conditions, shared with the test (which checks saved inputs against them). */
export const crashes = (bytes: Uint8Array): boolean => bytes[0] === 0;
export const hangs = (bytes: Uint8Array): boolean => bytes[1] === 0;
export const bloats = (bytes: Uint8Array): boolean => bytes[2] === 0;

const retained: Uint8Array[] = [];

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  {
    name: 'rejects-politely',
    covers: 'a parser that throws only ParseError',
    seeds,
    run(bytes) {
      if (bytes.length % 2 === 1) throw new ParseError('TEST_ODD', 'odd length');
    },
  },
  {
    name: 'crashes',
    covers: 'a parser with an unchecked read',
    seeds,
    run(bytes) {
      if (crashes(bytes)) throw new TypeError('Cannot read properties of undefined');
    },
  },
  {
    name: 'hangs',
    covers: 'a parser that loops forever',
    seeds,
    run(bytes) {
      if (hangs(bytes)) for (;;);
    },
  },
  {
    name: 'bloats',
    covers: 'a parser that keeps what it allocates',
    seeds,
    run(bytes) {
      if (bloats(bytes)) retained.push(new Uint8Array(48 * 2 ** 20).fill(1));
    },
  },
];
