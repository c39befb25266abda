/**
 * The YARA adapter against the real `yara` (Debian package yara; installed by .ci/run) with rules
 * written by the test.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { memorySample, ScanError, type ScanSample } from '../../src/core/scans/index.ts';
import { createYaraEngine } from '../../src/engines/yara/yara-engine.ts';
import { categoryOfMatch, parseYaraMeta, parseYaraOutput } from '../../src/engines/yara/yara-output.ts';
import { fileSample } from '../../src/files/file-sample.ts';
import { markedBytes, TEST_MARKER, writeYaraTestRules, YARA_TEST_RULE } from '../support/local-engines.ts';
import { skipUnlessTools } from '../support/tools.ts';
import { engineContract } from './engine-contract.ts';

const skipYara = skipUnlessTools('yara');
const cleanSample = (): ScanSample => memorySample(Buffer.from('an ordinary file that no rule matches\n'), 'clean.bin');
const flaggedSample = (): ScanSample => memorySample(markedBytes(), 'release.zip!/bin/app.exe');

/**
 * A yara stand-in that compiles with the real yara (the up-front check scans the rules file
 * itself) and then misbehaves on every sample: `crash` kills itself with SIGSEGV, `hang` sleeps.
 */
async function misbehavingYara(dir: string, mode: 'crash' | 'hang'): Promise<string> {
  const path = join(dir, `yara-${mode}`);
  const misbehave = mode === 'crash' ? 'kill -SEGV $$' : 'sleep 300';
  await writeFile(path, `#!/bin/sh\nfor last; do :; done\ncase "$last" in *.yar) exec yara "$@" ;; esac\n${misbehave}\n`);
  await chmod(path, 0o755);
  return path;
}

const isConfigError = (pattern: RegExp) => (error: unknown) =>
  error instanceof ScanError && error.code === 'ENGINE_CONFIG_INVALID' && pattern.test(error.message) && !error.message.includes('\n');

engineContract(
  'YARA',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'absolve-yara-contract-'));
    const rules = [await writeYaraTestRules(dir)];
    return {
      engine: await createYaraEngine({ rules }),
      clean: cleanSample(),
      flagged: flaggedSample(),
      flaggedName: new RegExp(`^absolve_test:${YARA_TEST_RULE}$`),
      broken: await createYaraEngine({ rules, yaraPath: await misbehavingYara(dir, 'crash') }),
      hanging: await createYaraEngine({ rules, yaraPath: await misbehavingYara(dir, 'hang'), timeoutMs: 300 }),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { skip: skipYara },
);

describe('YARA with the real yara', { skip: skipYara }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'absolve-yara-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('a hit is reported with the rule name (namespace:rule), suspicious by default, for a file and for a member in memory', async () => {
    const engine = await createYaraEngine({ rules: [await writeYaraTestRules(join(dir, 'a'))] });
    const path = join(dir, 'flagged.exe');
    await writeFile(path, markedBytes());
    for (const sample of [await fileSample(path, 'flagged.exe'), flaggedSample()]) {
      const [verdict] = await engine.scan(sample, {});
      assert.equal(verdict?.engine, 'YARA');
      assert.equal(verdict?.via, 'yara');
      assert.equal(verdict?.category, 'suspicious');
      assert.equal(verdict?.result, `absolve_test:${YARA_TEST_RULE}`);
      assert.match(verdict?.engineVersion ?? '', /^\d+\.\d+/);
      assert.ok(!Number.isNaN(Date.parse(verdict?.definitionsDate ?? '')));
    }
  });

  test('rule metadata sets the category: severity high → malicious, category harmless → harmless', async () => {
    const high = await createYaraEngine({ rules: [await writeYaraTestRules(join(dir, 'b'), 'severe', '    severity = "high"\n')] });
    assert.equal((await high.scan(flaggedSample(), {}))[0]?.category, 'malicious');
    const info = await createYaraEngine({ rules: [await writeYaraTestRules(join(dir, 'c'), 'info', '    category = "harmless"\n')] });
    const [verdict] = await info.scan(flaggedSample(), {});
    assert.equal(verdict?.category, 'harmless');
    assert.equal(verdict?.result, `info:${YARA_TEST_RULE}`);
  });

  test('several rules files: each in its own namespace, all matching rules listed, the worst category wins', async () => {
    const one = await writeYaraTestRules(join(dir, 'd'), 'vendor_rules');
    const two = join(dir, 'd', 'more.yar');
    await writeFile(two, `rule Critical_Marker { meta: severity = "critical" strings: $a = "${TEST_MARKER}" condition: $a }\nrule Never { strings: $a = "no such bytes anywhere 1234" condition: $a }\n`);
    const [verdict] = await (await createYaraEngine({ rules: [one, two] })).scan(flaggedSample(), {});
    assert.equal(verdict?.result, `vendor_rules:${YARA_TEST_RULE}, more:Critical_Marker`);
    assert.equal(verdict?.category, 'malicious');
  });

  test('rules that do not compile: ENGINE_CONFIG_INVALID with the compiler\'s one-line message, before any scan', async () => {
    const bad = join(dir, 'bad.yar');
    await writeFile(bad, 'rule broken { condition: no_such_identifier }\n');
    await assert.rejects(createYaraEngine({ rules: [bad] }), isConfigError(/do not compile: .*undefined identifier "no_such_identifier"/));
  });

  test('a missing rules file, no rules, or no yara binary: ENGINE_CONFIG_INVALID', async () => {
    await assert.rejects(createYaraEngine({ rules: [join(dir, 'missing.yar')] }), isConfigError(/cannot be read/));
    await assert.rejects(createYaraEngine({ rules: [] }), isConfigError(/at least one rules file/));
    const rules = [await writeYaraTestRules(join(dir, 'e'))];
    await assert.rejects(createYaraEngine({ rules, yaraPath: join(dir, 'no-such-yara') }), isConfigError(/not found/));
  });

  test('yara removed after the engine was made: failure, never clean', async () => {
    const copy = join(dir, 'yara-copy');
    await writeFile(copy, '#!/bin/sh\nexec yara "$@"\n');
    await chmod(copy, 0o755);
    const engine = await createYaraEngine({ rules: [await writeYaraTestRules(join(dir, 'f'))], yaraPath: copy });
    await rm(copy);
    const [verdict] = await engine.scan(flaggedSample(), {});
    assert.equal(verdict?.category, 'failure');
  });
});

describe('yara output parsing', () => {
  test('match lines for exactly our path; meta strings with escapes, integers (also "key =1"), booleans', () => {
    const path = '/tmp/absolve-scan-x/abc';
    const out = [
      `ns:Rule_One [author="a, \\"b\\"",score =80,fp=true,severity="High"] ${path}`,
      `ns:Rule_Two [] ${path}`,
      `ns:Other [] /another/path`,
      `bad-ns:Rule [] ${path}`,
      'warning: something',
    ].join('\n');
    const matches = parseYaraOutput(out, path);
    assert.deepEqual(
      matches.map((m) => `${m.namespace}:${m.rule}`),
      ['ns:Rule_One', 'ns:Rule_Two'],
    );
    assert.deepEqual({ ...matches[0]?.meta }, { author: 'a, "b"', score: 80, fp: true, severity: 'High' });
    assert.equal(categoryOfMatch(matches[0]?.meta ?? {}), 'malicious');
    assert.equal(categoryOfMatch({}), 'suspicious');
  });

  test('hostile metadata stays bounded and cannot pollute prototypes', () => {
    const meta = parseYaraMeta(`__proto__="x",long="${'A'.repeat(10_000)}",ctl="a\u001b[2Jb"`);
    assert.equal(({} as Record<string, unknown>).x, undefined);
    assert.ok(typeof meta.long === 'string' && meta.long.length <= 200);
    assert.ok(typeof meta.ctl === 'string' && !meta.ctl.includes('\u001b'));
    assert.deepEqual(parseYaraMeta('unterminated="abc'), {});
  });
});
