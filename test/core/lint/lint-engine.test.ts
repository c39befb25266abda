import assert from 'node:assert/strict';
// First: step counting applies to functions compiled after it starts (see step-counter.ts).
import { countSteps } from '../../support/step-counter.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ArtifactReport } from '../../../src/core/audit.types.ts';
import {
  applyLint,
  containerPathOf,
  doubleExtension,
  EMPTY_LINT_CONFIG,
  evaluateLint,
  LINT_RULES,
  LintConfigError,
  matchesGlob,
  parseLintConfig,
  ruleLevel,
  shannonEntropy,
  type LintFacts,
  type LintableArtifact,
} from '../../../src/core/lint/index.ts';
import { factsFor, lintFixtures, parameters } from './helpers.ts';

describe('rule registry', () => {
  it('has stable, unique, well-formed IDs with complete metadata', () => {
    const ids = LINT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of LINT_RULES) {
      assert.match(r.id, /^ABS-(SIG|FP)-\d{3}$/);
      assert.equal(r.category, r.id.startsWith('ABS-SIG') ? 'signature' : 'fp-risk');
      assert.ok(r.title.length > 0 && r.rationale.length > 20 && r.fix.length > 10, r.id);
      assert.ok(['error', 'warning', 'note'].includes(r.defaultSeverity));
    }
    // AuthenticodeLint parity: all 16 of its rules are mapped.
    assert.deepEqual(
      LINT_RULES.flatMap((r) => (r.authenticodeLint === undefined ? [] : [r.authenticodeLint])).sort((a, b) => a - b),
      Array.from({ length: 16 }, (_, i) => 10000 + i),
    );
    assert.deepEqual(LINT_RULES.filter((r) => !r.enabledByDefault).map((r) => r.id), ['ABS-SIG-015', 'ABS-SIG-016']);
  });

  it('IDs are sorted, so new rules are appended and never renumbered', () => {
    const sig = LINT_RULES.filter((r) => r.category === 'signature').map((r) => r.id);
    const fp = LINT_RULES.filter((r) => r.category === 'fp-risk').map((r) => r.id);
    assert.deepEqual(sig, sig.map((_, i) => `ABS-SIG-${String(i + 1).padStart(3, '0')}`));
    assert.deepEqual(fp, fp.map((_, i) => `ABS-FP-${String(i + 1).padStart(3, '0')}`));
  });

  it('no fix text advises evading detection', () => {
    for (const r of LINT_RULES) assert.doesNotMatch(`${r.fix} ${r.rationale}`, /obfusc(?!ator used)|bypass|evade|evasion|which bytes/i, r.id);
  });
});

describe('shannonEntropy', () => {
  it('is 0 for one repeated byte, 8 for a uniform distribution, 1 for two equally likely values', () => {
    assert.equal(shannonEntropy(new Uint8Array(0)), 0);
    assert.equal(shannonEntropy(new Uint8Array(1000).fill(7)), 0);
    assert.equal(shannonEntropy(Uint8Array.from({ length: 256 * 4 }, (_, i) => i & 0xff)), 8);
    assert.equal(shannonEntropy(Uint8Array.from({ length: 100 }, (_, i) => i % 2)), 1);
  });
});

describe('matchesGlob', () => {
  const cases: Array<[string, string, boolean]> = [
    ['release/legacy/tool32.exe', '**/legacy/**', true],
    ['legacy/tool32.exe', '**/legacy/**', true],
    ['release/legacy', '**/legacy/**', true],
    ['release/legacyx/tool.exe', '**/legacy/**', false],
    ['release/bin/a.dll', '*.dll', true],
    ['release/bin/a.dll', 'release/*.dll', false],
    ['release/bin/a.dll', 'release/**/*.dll', true],
    ['release/a.dll', 'release/**/*.dll', true],
    ['release/setup.msi!/bin/app.exe', 'release/setup.msi/bin/*.exe', true],
    ['release\\bin\\a.exe', 'release/bin/?.exe', true],
    ['release/bin/ab.exe', 'release/bin/?.exe', false],
    ['./release/x.exe', 'release/x.exe', true],
    ['release/x*y.exe', 'release/x\\*y.exe', true],
    ['release/xzy.exe', 'release/x\\*y.exe', false],
  ];
  for (const [path, pattern, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${path}`, () => assert.equal(matchesGlob(path, pattern), expected));
  }

  it('does path × pattern work on a hostile pattern, not exponential backtracking (steps counted, not timed)', async () => {
    const hostile = (segments: number, stars: number): boolean => matchesGlob(`${'a/'.repeat(segments)}b`, `${'**/a'.repeat(stars)}*c`);
    assert.equal(hostile(500, 200), false);
    const small = await countSteps(() => hostile(250, 100));
    const large = await countSteps(() => hostile(500, 200));
    assert.ok(small > 250 * 100, `${small} steps`);
    // Both sizes doubled: a dynamic-programming matcher does 4× the work; a backtracking one explodes.
    assert.ok(large / small < 4.5, `doubling path and pattern multiplied the steps by ${(large / small).toFixed(2)}`);
  });
});

describe('doubleExtension', () => {
  it('flags document-looking names that run as programs', () => {
    assert.match(doubleExtension('invoice.pdf.exe') ?? '', /looks like a \.pdf file/);
    assert.match(doubleExtension('Photo.JPG.scr') ?? '', /\.jpg\.scr/);
    assert.match(doubleExtension('report.docx        .exe') ?? '', /with spaces before the real extension/);
    assert.match(doubleExtension('annexe\u202Efdp.exe') ?? '', /bidirectional/);
  });
  it('leaves version numbers and dotted product names alone', () => {
    for (const ok of ['setup-1.2.3.exe', 'app.portable.exe', 'Contoso.App.exe', 'tool.vshost.exe', 'readme.txt', 'archive.tar.gz']) assert.equal(doubleExtension(ok), undefined, ok);
  });
});

describe('absolve.config.json validation', () => {
  const parse = (v: unknown) => parseLintConfig(v, LINT_RULES, 'absolve.config.json');
  it('accepts rules, overrides and settings', () => {
    const c = parse({ rules: { 'ABS-FP-012': 'off', 'ABS-SIG-015': 'warning' }, overrides: [{ files: ['**/legacy/**'], rules: { 'ABS-FP-010': 'off' } }], settings: { expiryDays: 60, entropyThreshold: 7.5, largeOverlayBytes: 1024, pinnedSigners: [`ab:cd${'0'.repeat(36)}`] } });
    assert.equal(c.rules['ABS-FP-012'], 'off');
    assert.equal(c.overrides[0]?.files[0], '**/legacy/**');
    assert.deepEqual(c.settings.pinnedSigners, [`ABCD${'0'.repeat(36)}`]);
  });
  const bad: Array<[string, unknown, RegExp]> = [
    ['not an object', [], /must be a JSON object/],
    ['unknown top-level key', { rule: {} }, /unknown key 'rule'/],
    ['unknown rule', { rules: { 'ABS-FP-999': 'off' } }, /unknown rule 'ABS-FP-999'/],
    ['bad level', { rules: { 'ABS-FP-001': 'fatal' } }, /rules\.ABS-FP-001 must be "off", "error", "warning" or "note" \(got "fatal"\)/],
    ['overrides not an array', { overrides: {} }, /overrides must be an array/],
    ['override without files', { overrides: [{ rules: {} }] }, /overrides\[0\]\.files must be a non-empty array/],
    ['override unknown key', { overrides: [{ files: ['x'], rule: {} }] }, /overrides\[0\] has an unknown key 'rule'/],
    ['bad expiryDays', { settings: { expiryDays: -1 } }, /settings\.expiryDays must be a whole number of 0 or more/],
    ['bad entropy', { settings: { entropyThreshold: 9 } }, /at most 8/],
    ['bad pin', { settings: { pinnedSigners: ['xyz'] } }, /pinnedSigners\[0\] must be a SHA-1/],
    ['unknown setting', { settings: { expiry: 3 } }, /settings has an unknown key 'expiry'/],
  ];
  for (const [name, value, message] of bad) {
    it(`rejects ${name} with CONFIG_INVALID`, () => {
      assert.throws(
        () => parse(value),
        (e: unknown) => e instanceof LintConfigError && e.code === 'CONFIG_INVALID' && message.test(e.message) && e.message.startsWith('absolve.config.json: '),
      );
    });
  }
  it('a prototype-polluting key is just an unknown rule', () => {
    assert.throws(() => parse(JSON.parse('{"rules":{"__proto__":"off"}}')), /unknown rule '__proto__'/);
  });
});

describe('ruleLevel and evaluateLint', () => {
  const rule = (id: string) => LINT_RULES.find((r) => r.id === id) ?? assert.fail(id);
  it('defaults, then rules, then matching overrides in order', () => {
    const config = parseLintConfig(
      { rules: { 'ABS-FP-010': 'warning' }, overrides: [{ files: ['**/legacy/**'], rules: { 'ABS-FP-010': 'off' } }, { files: ['**/legacy/keep/**'], rules: { 'ABS-FP-010': 'error' } }] },
      LINT_RULES,
      'test',
    );
    assert.equal(ruleLevel(rule('ABS-FP-010'), 'r/app.exe', EMPTY_LINT_CONFIG), 'note');
    assert.equal(ruleLevel(rule('ABS-FP-010'), 'r/app.exe', config), 'warning');
    assert.equal(ruleLevel(rule('ABS-FP-010'), 'r/legacy/tool32.exe', config), 'off');
    assert.equal(ruleLevel(rule('ABS-FP-010'), 'r/legacy/keep/tool32.exe', config), 'error');
    assert.equal(ruleLevel(rule('ABS-SIG-015'), 'r/app.exe', EMPTY_LINT_CONFIG), 'off');
  });

  it('off rules are not reported; severities follow the configuration', async () => {
    const facts = await factsFor(join(lintFixtures, 'clean-x86.exe'), { displayPath: 'r/legacy/tool32.exe' });
    const config = parseLintConfig({ rules: { 'ABS-FP-001': 'warning' }, overrides: [{ files: ['**/legacy/**'], rules: { 'ABS-FP-010': 'off' } }] }, LINT_RULES, 't');
    const results = evaluateLint(facts, { config, parameters: parameters() });
    assert.equal(results.some((r) => r.ruleId === 'ABS-FP-010'), false);
    assert.deepEqual(results.find((r) => r.ruleId === 'ABS-FP-001'), { ruleId: 'ABS-FP-001', result: 'fail', severity: 'warning', message: 'no Authenticode signature' });
  });

  it('a rule that throws becomes a skip, not a crash', () => {
    const facts = { path: 'x.exe', pe: null, signature: null } as unknown as LintFacts;
    const results = evaluateLint(facts, { config: EMPTY_LINT_CONFIG, parameters: parameters() });
    assert.ok(results.some((r) => r.result === 'skip' && r.message.startsWith('internal error in the rule')));
  });
});

describe('applyLint', () => {
  function artifact(path: string, facts: LintFacts | undefined, status: 'valid' | 'unsigned' | null, format: 'pe' | 'unknown' = 'pe'): LintableArtifact {
    const a: LintableArtifact = {
      path,
      size: 1,
      sha256: '',
      hashes: {},
      format,
      pe: null,
      signature: status === null ? null : { status, reason: '', reasonCode: status === 'valid' ? 'OK' : 'NOT_SIGNED', digestAlgorithm: null, signer: null, timestamp: null, nested: [] },
      findings: [],
      error: null,
    };
    if (facts !== undefined) a.lintFacts = facts;
    return a;
  }

  it('names the inner path of an unsigned PE in a signed MSI, with the fix "sign every binary before packaging"', async () => {
    const inner = await factsFor(join(lintFixtures, 'clean-x64.exe'), { displayPath: 'release/app-signed.msi!/Contoso/Contoso App/app.exe' });
    const msi = artifact('release/app-signed.msi', undefined, 'valid', 'unknown');
    const out = applyLint([msi, artifact(inner.path, inner, 'unsigned')], { config: EMPTY_LINT_CONFIG, parameters: parameters() });
    const member = out[1] as ArtifactReport & { lint?: unknown; lintFacts?: unknown };
    assert.equal('lintFacts' in member, false, 'transient facts are dropped');
    const finding = member.findings.find((f) => f.id === 'ABS-FP-002') as { id: string; severity: string; message: string; fix?: string } | undefined;
    assert.ok(finding);
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /^unsigned inside the signed container release\/app-signed\.msi$/);
    assert.match(finding.fix ?? '', /sign every binary before packaging/i);
    // The container is not a PE: no lint list.
    assert.equal((out[0] as { lint?: unknown }).lint, undefined);
  });

  it('skips ABS-FP-002 when the container is unsigned, and top-level files are not in a container', async () => {
    const inner = await factsFor(join(lintFixtures, 'clean-x64.exe'), { displayPath: 'r/app.zip!/app.exe' });
    const out = applyLint([artifact('r/app.zip', undefined, null, 'unknown'), artifact(inner.path, inner, 'unsigned')], { config: EMPTY_LINT_CONFIG, parameters: parameters() });
    const lint = (out[1] as { lint?: Array<{ ruleId: string; result: string; message: string }> }).lint ?? [];
    assert.deepEqual(lint.find((r) => r.ruleId === 'ABS-FP-002'), { ruleId: 'ABS-FP-002', result: 'skip', severity: 'error', message: 'the container r/app.zip is not signed' });
    assert.equal(containerPathOf('r/app.exe'), undefined);
    assert.equal(containerPathOf('a.zip!/b.cab!/c.exe'), 'a.zip!/b.cab');
  });

  it('every failing rule becomes a finding carrying the rule ID, severity, message and fix', async () => {
    const facts = await factsFor(join(lintFixtures, 'wx-entropy-x64.exe'));
    const [out] = applyLint([artifact(facts.path, facts, 'unsigned')], { config: EMPTY_LINT_CONFIG, parameters: parameters() });
    const ids = (out?.findings ?? []).map((f) => f.id);
    assert.deepEqual(ids, ['ABS-FP-001', 'ABS-FP-006', 'ABS-FP-007']);
  });

  it('reads the fixture list from disk only through the helpers (sanity: fixtures exist)', () => {
    assert.ok(readFileSync(join(lintFixtures, 'oracle.json'), 'utf8').includes('wx-entropy-x64.exe'));
  });
});

describe('README', () => {
  it('documents every rule under an anchor that SARIF helpUri links to', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    for (const r of LINT_RULES) {
      assert.ok(readme.includes(`<a id="${r.id.toLowerCase()}"></a>\`${r.id}\` | ${r.title.replace(/\|/g, '\\|')} | ${r.defaultSeverity} | ${r.enabledByDefault ? 'on' : 'off'} |`), r.id);
    }
  });
});

describe('shannonEntropy on unaligned views and odd lengths (word-at-a-time counting)', () => {
  it('equals the byte-at-a-time definition for every alignment and tail length', () => {
    let seed = 12345;
    const backing = Uint8Array.from({ length: 4096 }, () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % 37; // a skewed distribution, not uniform
    });
    const reference = (bytes: Uint8Array): number => {
      const counts = new Map<number, number>();
      for (const b of bytes) counts.set(b, (counts.get(b) ?? 0) + 1);
      let h = 0;
      for (const c of counts.values()) h -= (c / bytes.length) * Math.log2(c / bytes.length);
      return Math.round(h * 10_000) / 10_000;
    };
    for (let start = 0; start < 8; start++) {
      for (const length of [0, 1, 2, 3, 4, 5, 7, 64, 1001, 4000 - start]) {
        const view = backing.subarray(start, start + length);
        assert.equal(shannonEntropy(view), reference(view), `offset ${start}, length ${length}`);
      }
    }
  });
});
