/**
 * Replays what `npm run fuzz` found: every input saved under test/fixtures/fuzz-regressions/<parser>/ (a crash,
 * hang or over-limit memory case at the time) must now be handled: the parser returns or throws its ParseError
 * family. Each parser's unmutated seeds must parse, so the rows of fuzz/targets.ts stay runnable.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FUZZ_TARGETS, isExpectedError } from '../../fuzz/targets.ts';
import { skipWithoutSharedTrust } from '../support/shared-trust.ts';

const regressions = join(import.meta.dirname, '..', 'fixtures', 'fuzz-regressions');

describe('fuzz regressions', () => {
  it('saved inputs belong to a parser of the fuzz table', () => {
    const folders = existsSync(regressions) ? readdirSync(regressions, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
    for (const folder of folders) assert.ok(FUZZ_TARGETS.some((t) => t.name === folder), `${folder}: no such fuzz target`);
  });

  for (const target of FUZZ_TARGETS) {
    // The CTL seeds are Microsoft's trust list from ../shared, which a machine with only Node may not have.
    it(`${target.name}: the seeds parse and every saved failing input is handled`, { skip: target.name === 'ctl' ? skipWithoutSharedTrust : false }, async () => {
      const seeds = target.seeds();
      assert.ok(seeds.length > 0 && seeds.every((s) => s.fields.length > 0), 'seeds with fields');
      for (const seed of seeds) await target.run(seed.bytes);
      const folder = join(regressions, target.name);
      const saved = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.bin')) : [];
      for (const name of saved) {
        try {
          await target.run(new Uint8Array(readFileSync(join(folder, name))));
        } catch (error) {
          assert.ok(isExpectedError(error), `${target.name}/${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      }
    });
  }
});
