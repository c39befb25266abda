/**
 * `absolve audit --format sarif|junit|markdown` (and lint in json/table) as a user runs it: a child process on
 * real fixtures, including a signed MSI holding an unsigned executable.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditReport } from '../../src/core/audit.types.ts';
import { LINT_RULES } from '../../src/core/lint/index.ts';
import { pathToUri } from '../../src/cli/render-sarif.ts';
import { xmlEscape } from '../../src/cli/render-junit.ts';
import { mdEscape } from '../../src/cli/render-markdown.ts';
import { validateSarif } from '../core/lint/sarif-validator.ts';
import { createRequire } from 'node:module';
import { repoRoot } from '../support/fixtures.ts';

/** The part of ajv this test uses (the packages are CommonJS with a class as module.exports). */
interface AjvLike {
  compile(schema: object): { (data: unknown): boolean; errors?: unknown[] | null };
}

const entry = join(repoRoot, 'src', 'app', 'cli-entry.ts');
const scratch = mkdtempSync(join(tmpdir(), 'absolve-formats-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const AT = '2026-06-01T00:00:00Z';
const MSI = 'test/fixtures/containers/msi/app-signed.msi';
const MEMBER = `${MSI}!/Contoso/Contoso App/app.exe`;

function absolve(args: string[], cwd = repoRoot): { code: number | null; stdout: string; stderr: string } {
  // tsx by URL, so the CLI also starts from a working directory outside the repository.
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), entry, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A release folder: clean and broken lint fixtures, a signed fixture, a signed MSI with an unsigned member, a text file named .exe, and an awkward file name. */
let release = '';
let weird = '';
before(() => {
  release = join(scratch, 'release');
  mkdirSync(join(release, 'legacy'), { recursive: true });
  for (const f of ['clean-signed-x64.exe', 'wx-entropy-x64.exe', 'no-versioninfo-x64.exe', 'invoice.pdf.exe']) copyFileSync(join(repoRoot, 'test/fixtures/lint', f), join(release, f));
  copyFileSync(join(repoRoot, 'test/fixtures/lint/clean-x86.exe'), join(release, 'legacy', 'tool32.exe'));
  copyFileSync(join(repoRoot, MSI), join(release, 'app-signed.msi'));
  writeFileSync(join(release, 'broken.exe'), 'not a PE');
  weird = `odd <&"'> name #1 .exe`;
  copyFileSync(join(repoRoot, 'test/fixtures/lint/no-versioninfo-x64.exe'), join(release, weird));
});

describe('absolve audit --format sarif', () => {
  let sarif: Record<string, unknown> = {};
  let run: { tool: { driver: { rules: Array<Record<string, unknown>> } }; results: Array<Record<string, unknown>> } | undefined;
  before(() => {
    const r = absolve(['audit', release, MSI, '--format', 'sarif', '--trust', 'test/fixtures/pki/ca.crt', '--at', AT]);
    assert.equal(r.code, 1, r.stderr);
    sarif = JSON.parse(r.stdout) as Record<string, unknown>;
    run = (sarif.runs as (typeof run)[])[0];
  });

  it('validates against the SARIF 2.1.0 structure (structural validator of the OASIS schema constraints)', () => {
    assert.deepEqual(validateSarif(sarif), []);
    assert.equal(sarif.version, '2.1.0');
  });

  it('validates against the published SARIF 2.1.0 JSON schema (ajv, schema file shipped by @microsoft/jest-sarif)', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
    // CommonJS packages; the schema is draft-04 and one of its patterns is not valid in unicode mode.
    const require = createRequire(import.meta.url);
    const AjvDraft04 = require('ajv-draft-04') as new (options: object) => AjvLike;
    const addFormats = require('ajv-formats') as (ajv: AjvLike) => void;
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(sarif);
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const broken = structuredClone(sarif) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    const first = broken.runs[0]?.results[0];
    assert.ok(first);
    first.level = 'fatal';
    assert.equal(validate(broken), false, 'the schema rejects a level outside its enum');
  });

  it('the validator catches what the schema forbids', () => {
    const broken = structuredClone(sarif) as { runs: Array<{ results: Array<Record<string, unknown>>; tool: { driver: Record<string, unknown> } }> };
    const first = broken.runs[0];
    assert.ok(first);
    (first.results[0] as Record<string, unknown>).level = 'fatal';
    (first.results[0] as Record<string, unknown>).ruleIndex = 0;
    first.tool.driver.extra = true;
    delete (first.results[1] as Record<string, unknown>).message;
    const errors = validateSarif(broken);
    assert.ok(errors.some((e) => e.includes('level: not one of')));
    assert.ok(errors.some((e) => e.includes('does not allow property \'extra\'')));
    assert.ok(errors.some((e) => e.includes("requires 'message'")));
    assert.ok(errors.some((e) => e.includes('ruleIndex: points at')));
  });

  it('describes every lint rule: short and full description, help text and Markdown, default level; no local file:// links', () => {
    const rules = run?.tool.driver.rules ?? [];
    assert.doesNotMatch(JSON.stringify(sarif), /file:\/\/[^"]*README/, 'the local README path never leaks into the report');
    for (const rule of LINT_RULES) {
      const d = rules.find((x) => x.id === rule.id);
      assert.ok(d, rule.id);
      assert.deepEqual(d.shortDescription, { text: rule.title });
      assert.deepEqual(d.fullDescription, { text: rule.rationale });
      assert.match((d.help as { text: string }).text, new RegExp(`^${rule.fix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      assert.match((d.help as { markdown: string }).markdown, new RegExp(`^\\*\\*${rule.id}: .*\\*\\*Fix:\\*\\* `, 's'));
      assert.equal(d.helpUri, undefined);
      assert.deepEqual(d.defaultConfiguration, rule.enabledByDefault ? { level: rule.defaultSeverity } : { level: rule.defaultSeverity, enabled: false });
    }
  });

  it('every finding is a result located at its file; members point at the container file and carry the member as a logical location', () => {
    const results = run?.results ?? [];
    const wx = results.filter((x) => (x.locations as Array<{ physicalLocation: { artifactLocation: { uri: string } } }>)[0]?.physicalLocation.artifactLocation.uri.endsWith('/wx-entropy-x64.exe'));
    assert.deepEqual(wx.map((x) => x.ruleId).sort(), ['ABS-FP-001', 'ABS-FP-006', 'ABS-FP-007']);
    const member = results.find((x) => x.ruleId === 'ABS-FP-002' && (x.message as { text: string }).text.startsWith(MEMBER));
    assert.ok(member, 'the unsigned member of the signed MSI');
    assert.deepEqual(member.locations, [
      {
        physicalLocation: { artifactLocation: { uri: 'test/fixtures/containers/msi/app-signed.msi' } },
        logicalLocations: [{ name: 'Contoso/Contoso App/app.exe', fullyQualifiedName: MEMBER, kind: 'module' }],
      },
    ]);
    assert.equal(member.level, 'error');
    assert.match((member.properties as { fix: string }).fix, /sign every binary before packaging/i);
    // Non-lint findings and errors are results too.
    assert.ok(!results.some((x) => x.ruleId === 'ABS-CONTAINER-UNSIGNED-MEMBER'), 'one finding per fact: ABS-FP-002 on the member says it');
    assert.ok(results.some((x) => x.ruleId === 'NOT_A_PE' && x.level === 'error'));
  });

  it('encodes awkward file names as URI references', () => {
    const uris = (run?.results ?? []).map((x) => (x.locations as Array<{ physicalLocation: { artifactLocation: { uri: string } } }>)[0]?.physicalLocation.artifactLocation.uri ?? '');
    assert.ok(uris.some((u) => u.endsWith(`/${encodeURIComponent(weird)}`)));
    assert.equal(pathToUri('a b/c#d.exe'), 'a%20b/c%23d.exe');
    assert.equal(pathToUri('/abs/x.exe'), 'file:///abs/x.exe');
    assert.equal(pathToUri('C:\\Rel\\x.exe'), 'file:///C:/Rel/x.exe');
  });
});

describe('absolve audit --format junit', () => {
  let xml = '';
  before(() => {
    const r = absolve(['audit', release, '--format', 'junit', '--trust', 'test/fixtures/pki/ca.crt', '--at', AT]);
    assert.equal(r.code, 1, r.stderr);
    xml = r.stdout;
  });

  it('is well-formed XML with one testcase per artifact', () => {
    assertWellFormed(xml);
    const cases = [...xml.matchAll(/<testcase classname="absolve" name="([^"]*)"/g)].map((m) => m[1]);
    // 8 files + the MSI's 3 members.
    assert.equal(cases.length, 11);
    assert.ok(cases.includes(xmlEscape(`${release}/${weird}`)), 'the odd name is escaped');
  });

  it('one failure per failing file, naming every problem in its body; notes stay out of the failures', () => {
    const block = testcase(xml, `${release}/wx-entropy-x64.exe`);
    const types = [...block.matchAll(/<failure type="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(types, ['signature']);
    assert.match(block, /<failure type="signature" message="4 problems; first: signature unsigned \(NOT_SIGNED\)/);
    for (const id of ['ABS-FP-001', 'ABS-FP-006', 'ABS-FP-007']) assert.match(block, new RegExp(`\\n${id}: `), id);
    assert.match(block, /Fix: Keep code read-only/);
    const clean = testcase(xml, `${release}/clean-signed-x64.exe`);
    assert.doesNotMatch(clean, /<failure/);
    const legacy = testcase(xml, `${release}/legacy/tool32.exe`);
    assert.match(legacy, /<system-out>note ABS-FP-010: a 32-bit \(x86\) executable/);
    const totals = /<testsuite name="absolve audit" tests="11" failures="(\d+)" errors="0"/.exec(xml);
    assert.ok(totals);
    assert.equal(Number(totals[1]), (xml.match(/<failure /g) ?? []).length);
    // failures counts failing files: no testcase has two.
    for (const m of xml.matchAll(/<testcase [^>]*>([\s\S]*?)<\/testcase>/g)) assert.ok(((m[1] ?? '').match(/<failure /g) ?? []).length <= 1);
  });

  it('escapes the five XML specials and drops characters XML cannot carry', () => {
    assert.equal(xmlEscape(`<a href="x">&'\u0001\uD800`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;\uFFFD\uFFFD');
  });
});

describe('absolve audit --format markdown', () => {
  it('prints a pull-request summary: counts, problem files, top findings with fixes', () => {
    const r = absolve(['audit', release, '--format', 'markdown', '--trust', 'test/fixtures/pki/ca.crt', '--at', AT]);
    assert.equal(r.code, 1, r.stderr);
    const md = r.stdout;
    assert.match(md, /^## Absolve audit: ❌ \d+ files break the signing policy/);
    assert.match(md, /\| files \| PE \| valid \|/);
    assert.match(md, /### Files with problems/);
    assert.match(md, /\| `[^`]*wx-entropy-x64\.exe` \| unsigned \| \d+ \| 2 \|/);
    assert.match(md, /### Top findings/);
    assert.match(md, /- 🔴 \*\*ABS-FP-002\*\* Unsigned PE inside a signed container · error · 1 file\n {2}- `[^`]*app-signed\.msi!\/Contoso\/Contoso App\/app\.exe`/);
    assert.match(md, / {2}- \*\*Fix:\*\* Sign every binary before packaging, then build and sign the container\./);
    assert.doesNotMatch(md, /\| `[^`]*clean-signed-x64\.exe`/, 'clean files are not listed');
    assert.equal(mdEscape('a|b*c_<x>'), 'a\\|b\\*c\\_&lt;x&gt;');
  });
});

describe('lint configuration and flags', () => {
  it('absolve.config.json in the working directory and overrides change severities and turn rules off', () => {
    const cwd = join(scratch, 'cfg');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(
      join(cwd, 'absolve.config.json'),
      JSON.stringify({ rules: { 'ABS-FP-001': 'note', 'ABS-SIG-015': 'warning' }, overrides: [{ files: ['**/legacy/**'], rules: { 'ABS-FP-010': 'off' } }] }),
    );
    const r = absolve(['audit', join(release, 'legacy'), join(release, 'clean-signed-x64.exe'), '--format', 'json', '--trust', join(repoRoot, 'test/fixtures/pki/ca.crt'), '--at', AT], cwd);
    const report = JSON.parse(r.stdout) as AuditReport;
    const tool = report.artifacts.find((a) => a.path.endsWith('tool32.exe'));
    assert.ok(tool?.lint);
    assert.equal(tool.lint.some((x) => x.ruleId === 'ABS-FP-010'), false);
    assert.deepEqual(tool.findings.find((f) => f.id === 'ABS-FP-001')?.severity, 'note');
    const signed = report.artifacts.find((a) => a.path.endsWith('clean-signed-x64.exe'));
    assert.deepEqual(signed?.lint?.find((x) => x.ruleId === 'ABS-SIG-015'), { ruleId: 'ABS-SIG-015', result: 'fail', severity: 'warning', message: 'the primary signature uses sha256' });
    assert.equal(report.artifacts.some((a) => 'lintFacts' in a), false, 'facts never reach the report');
  });

  it('--config with an invalid file exits 2 with CONFIG_INVALID; a bad --pin-signer is a usage error', () => {
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, '{ "rules": { "ABS-FP-001": "loud" } }');
    const r = absolve(['audit', join(release, 'clean-signed-x64.exe'), '--config', bad]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^absolve: CONFIG_INVALID: .*bad\.json: rules\.ABS-FP-001 must be "off", "error", "warning" or "note" \(got "loud"\)\n$/);
    const missing = absolve(['audit', join(release, 'clean-signed-x64.exe'), '--config', join(scratch, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^absolve: CONFIG_INVALID: .*nope\.json: cannot read the configuration/);
    const pin = absolve(['audit', join(release, 'clean-signed-x64.exe'), '--pin-signer', 'xyz']);
    assert.equal(pin.code, 2);
    assert.match(pin.stderr, /^absolve: USAGE: --pin-signer takes a SHA-1/);
  });

  it('--pin-signer and --expiry-days reach the rules', () => {
    const r = absolve([
      'audit', join(release, 'clean-signed-x64.exe'), '--format', 'json', '--trust', 'test/fixtures/pki/ca.crt', '--at', '2046-12-15T00:00:00Z',
      '--pin-signer', 'AA'.repeat(20), '--expiry-days', '10',
    ]);
    const report = JSON.parse(r.stdout) as AuditReport;
    const lint = report.artifacts[0]?.lint ?? [];
    assert.match(lint.find((x) => x.ruleId === 'ABS-SIG-019')?.message ?? '', /not a pinned signer/);
    assert.equal(lint.find((x) => x.ruleId === 'ABS-SIG-017')?.result, 'pass', '16 days left, threshold 10');
  });
});

function testcase(xml: string, name: string): string {
  const start = xml.indexOf(`<testcase classname="absolve" name="${xmlEscape(name)}"`);
  assert.ok(start >= 0, name);
  const selfClosing = xml.indexOf('/>', start);
  const open = xml.indexOf('>', start);
  if (selfClosing >= 0 && selfClosing + 1 === open) return xml.slice(start, open + 1);
  return xml.slice(start, xml.indexOf('</testcase>', start));
}

/** Enough of an XML 1.0 well-formedness check for our output: balanced tags, quoted attributes, known entities. */
function assertWellFormed(xml: string): void {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
  const body = xml.slice(xml.indexOf('?>') + 2);
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = token.exec(body)) !== null) {
    consumed = token.lastIndex;
    const [, close, name, attrs, selfClose, text] = m;
    const checkEntities = (s: string) => assert.doesNotMatch(s.replace(/&(amp|lt|gt|quot|apos);/g, ''), /&/, `bad entity in ${s}`);
    if (text !== undefined) {
      checkEntities(text);
      continue;
    }
    checkEntities(attrs ?? '');
    if (close === '/') assert.equal(stack.pop(), name);
    else if (selfClose !== '/') stack.push(name ?? '');
  }
  assert.equal(consumed, body.length, `unparsed XML at ${body.slice(consumed, consumed + 80)}`);
  assert.deepEqual(stack, []);
}
