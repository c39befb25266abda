/**
 * Issue 15 "a CI can trust it", as a user runs the commands (child processes): exit codes and --fail-on,
 * --no-containers keeping package signatures, findings for packages in every format, `release add` as the same
 * audit, closed pipes, one-line usage errors, the summary line with --output, and the 80-column table.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { AuditReport } from '../../src/core/audit.types.ts';
import { AT, absolve, cliEntry, childEnv } from '../store/cli-harness.ts';
import { repoRoot } from '../support/fixtures.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-ci-trust-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const CA = join(repoRoot, 'test/fixtures/pki/ca.crt');
const SIGNED = join(repoRoot, 'test/fixtures/pe/signed-sha256.exe');
const UNSIGNED_MSI = join(repoRoot, 'test/fixtures/containers/msi/app.msi');
const SIGNED_MSI = join(repoRoot, 'test/fixtures/containers/msi/app-signed.msi');
const SIGNED_CAB = join(repoRoot, 'test/fixtures/containers/cab/signed.cab');
const OTHER_THUMBPRINT = '00'.repeat(20);
const containerOracle = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/containers/oracle.json'), 'utf8')) as {
  files: Record<string, { signature?: { status: string; verifyOutput: string } }>;
};

function report(r: { stdout: string }): AuditReport {
  return JSON.parse(r.stdout) as AuditReport;
}

describe('exit codes: --fail-on, pinned signers, release add and release diff', () => {
  it('a pinned signer that does not match breaks the policy: exit 1 and no "Policy met"', () => {
    const r = absolve(['audit', SIGNED, '--trust', CA, '--pin-signer', OTHER_THUMBPRINT]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /ABS-SIG-019/);
    assert.doesNotMatch(r.stdout, /Policy met/);
    assert.match(r.stdout, /Policy violated by 1 file/);
    assert.equal(absolve(['audit', SIGNED, '--trust', CA, '--pin-signer', OTHER_THUMBPRINT, '--fail-on', 'none']).code, 0);
  });

  it('--fail-on policy|error|warning|none on a valid signed MSI whose only finding is a warning (no timestamp)', () => {
    const run = (level: string): number | null => absolve(['audit', SIGNED_MSI, '--trust', CA, '--no-containers', '--fail-on', level]).code;
    assert.equal(run('policy'), 0);
    assert.equal(run('error'), 0);
    assert.equal(run('warning'), 1);
    assert.equal(run('none'), 0);
    assert.equal(absolve(['audit', UNSIGNED_MSI, '--fail-on', 'none']).code, 0);
    assert.equal(absolve(['audit', UNSIGNED_MSI]).code, 1, 'default: policy');
  });

  it('release add records, then exits as audit does; release diff --fail-on regression exits 1 on a newly unsigned file', () => {
    mkdirSync(join(scratch, 'exit'), { recursive: true });
    const db = ['--db', `sqlite:${join(scratch, 'exit', 'absolve.db')}`];
    const v1 = join(scratch, 'exit-v1');
    const v2 = join(scratch, 'exit-v2');
    mkdirSync(v1, { recursive: true });
    mkdirSync(v2, { recursive: true });
    copyFileSync(SIGNED, join(v1, 'app.exe'));
    copyFileSync(join(repoRoot, 'test/fixtures/pe/app-x64-gui.exe'), join(v2, 'app.exe'));
    const first = absolve(['release', 'add', 'P', '1', v1, ...db, '--trust', CA, ...AT, '--format', 'json']);
    assert.equal(first.code, 0, first.stderr);
    const second = absolve(['release', 'add', 'P', '2', v2, ...db, '--trust', CA, ...AT, '--format', 'json']);
    assert.equal(second.code, 1, 'the unsigned app.exe breaks the policy');
    assert.equal((JSON.parse(second.stdout) as { outcome: string }).outcome, 'created', 'recorded before exiting 1');
    assert.match(absolve(['release', 'list', 'P', ...db]).stdout, /\n\s*(P\s+2|VERSION\s+2)/);
    const pinned = absolve(['release', 'add', 'P', '1', v1, ...db, '--trust', CA, ...AT, '--pin-signer', OTHER_THUMBPRINT, '--format', 'json']);
    assert.equal(pinned.code, 1, 'release add takes --pin-signer, and it is part of the policy');
    assert.equal(absolve(['release', 'diff', 'P', '1', '2', ...db]).code, 0, 'no --fail-on: the diff only reports');
    const diff = absolve(['release', 'diff', 'P', '1', '2', ...db, '--fail-on', 'regression']);
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /Newly unsigned:\n {2}! app\.exe/);
    // One version: compared with the release recorded before it.
    const previous = absolve(['release', 'diff', 'P', '2', ...db, '--format', 'json']);
    assert.equal(previous.code, 0, previous.stderr);
    assert.deepEqual([(JSON.parse(previous.stdout) as { from: string }).from, (JSON.parse(previous.stdout) as { to: string }).to], ['1', '2']);
    const none = absolve(['release', 'diff', 'P', '1', ...db]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^absolve: RELEASE_NOT_FOUND: P 1 is its first recorded release/);
  });
});

describe('packages: --no-containers and findings in every format', () => {
  it('--no-containers still verifies an MSI signature: an unsigned MSI breaks the policy, members are not audited', () => {
    const r = absolve(['audit', UNSIGNED_MSI, '--no-containers', '--format', 'json']);
    assert.equal(r.code, 1);
    const [msi, ...rest] = report(r).artifacts;
    assert.equal(rest.length, 0, 'no members');
    assert.equal(msi?.format, 'msi');
    assert.equal(msi?.signature?.status, 'unsigned');
    const signed = report(absolve(['audit', SIGNED_MSI, SIGNED_CAB, '--no-containers', '--trust', CA, '--format', 'json']));
    assert.deepEqual(signed.artifacts.map((a) => [a.format, a.signature?.status, a.container]), [['msi', 'valid', undefined], ['cab', 'valid', undefined]]);
  });

  it('an unsigned top-level MSI has a finding in the table, SARIF, JUnit and Markdown', () => {
    const table = absolve(['audit', UNSIGNED_MSI]);
    assert.match(table.stdout, /FINDINGS\n.*app\.msi\n {2}error {4}ABS-FP-001/);
    const sarif = JSON.parse(absolve(['audit', UNSIGNED_MSI, '--format', 'sarif']).stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    const results = sarif.runs[0]?.results ?? [];
    assert.ok(results.some((x) => x.ruleId === 'ABS-FP-001' && x.locations[0]?.physicalLocation.artifactLocation.uri.endsWith('app.msi')), JSON.stringify(results));
    const junit = absolve(['audit', UNSIGNED_MSI, '--format', 'junit']).stdout;
    assert.match(junit, /<testcase classname="absolve" name="[^"]*app\.msi">\s*<failure type="signature"/);
    const markdown = absolve(['audit', UNSIGNED_MSI, '--format', 'markdown']).stdout;
    assert.match(markdown, /\| `[^`]*app\.msi` \| unsigned \| 1 \| 0 \| 0 \| ABS-FP-001: /);
  });

  it('a signed MSI without a timestamp gets ABS-SIG-004, like a PE (osslsigncode saw no countersignature either)', () => {
    const oracle = containerOracle.files['msi/app-signed.msi']?.signature;
    assert.equal(oracle?.status, 'valid');
    assert.doesNotMatch(oracle?.verifyOutput ?? '', /Countersignatures|Timestamp time/);
    const [msi] = report(absolve(['audit', SIGNED_MSI, '--trust', CA, '--format', 'json'])).artifacts;
    assert.deepEqual(msi?.findings.filter((f) => f.id.startsWith('ABS-SIG')).map((f) => [f.id, f.severity]), [['ABS-SIG-004', 'warning']]);
    assert.equal(msi?.lint?.find((l) => l.ruleId === 'ABS-SIG-001')?.result, 'pass', 'the digest rules judge the package signature');
  });

  it('one finding per fact: an unsigned exe inside a signed MSI gets ABS-FP-002 only, naming the container once', () => {
    const r = report(absolve(['audit', SIGNED_MSI, '--trust', CA, '--format', 'json']));
    const member = r.artifacts.find((a) => a.path.endsWith('!/Contoso/Contoso App/app.exe'));
    assert.ok(member);
    const ids = member.findings.filter((f) => f.severity !== 'note').map((f) => f.id);
    assert.ok(ids.includes('ABS-FP-002') && !ids.includes('ABS-FP-001'), ids.join(','));
    assert.equal(member.findings.find((f) => f.id === 'ABS-FP-002')?.message, `unsigned inside the signed container ${SIGNED_MSI}`);
  });
});

describe('release add is the same audit as audit', () => {
  it('reads absolve.config.json from the working folder (a rule turned off is not stored); an invalid one is CONFIG_INVALID', () => {
    const dir = join(scratch, 'config-add');
    mkdirSync(join(dir, 'rel'), { recursive: true });
    copyFileSync(join(repoRoot, 'test/fixtures/pe/app-x64-gui.exe'), join(dir, 'rel', 'app.exe'));
    writeFileSync(join(dir, 'absolve.config.json'), '{\n  // comments are fine\n  "rules": { "ABS-FP-001": "off" },\n}\n');
    mkdirSync(join(dir, 'rel', 'sym'), { recursive: true });
    writeFileSync(join(dir, 'rel', 'sym', 'app.pdb'), 'symbols');
    // --exclude matches the path inside the release too (sym/…, given as rel/sym/…).
    const r = absolve(['release', 'add', 'C', '1', 'rel', '--fail-on', 'none', '--no-progress', '--exclude', 'sym/**'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Configuration: absolve\.config\.json\./);
    const show = JSON.parse(absolve(['release', 'show', 'C', '1', '--format', 'json'], { cwd: dir }).stdout) as { artifacts: AuditReport['artifacts'] };
    assert.deepEqual(show.artifacts.map((a) => a.path), ['app.exe']);
    assert.ok(!show.artifacts[0]?.findings.some((f) => f.id === 'ABS-FP-001'), 'the rule turned off is not in the stored release');
    writeFileSync(join(dir, 'bad.json'), '{ "rules": { "ABS-NOPE": "off" } }');
    const bad = absolve(['release', 'add', 'C', '2', 'rel', '--config', 'bad.json'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^absolve: CONFIG_INVALID: bad\.json: rules names an unknown rule 'ABS-NOPE'/);
  });

  it('takes every audit option (one shared definition)', () => {
    const audit = absolve(['audit', '--help']).stdout;
    const add = absolve(['release', 'add', '--help']).stdout;
    const flags = (help: string): string[] => [...help.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1] ?? '');
    const missing = flags(audit).filter((f) => !['--output', '--report', '--quiet', '--color', '--no-color', '--all', '--version-info', '--format'].includes(f) && !flags(add).includes(f));
    assert.deepEqual(missing, []);
    for (const f of ['--config', '--pin-signer', '--expiry-days', '--no-containers', '--hashes', '--exclude', '--fail-on']) assert.ok(flags(add).includes(f), f);
  });
});

describe('output: pipes, --output, config, the store folder, globs', () => {
  const shell = (command: string, cwd = repoRoot): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8', env: childEnv({ ABSOLVE: `${process.execPath} --import ${import.meta.resolve('tsx')} ${cliEntry}` }) });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('a closed stdout ends quietly: audit | head -1, release show | head -1, export | head -1', () => {
    mkdirSync(join(scratch, 'pipe'), { recursive: true });
    const db = `sqlite:${join(scratch, 'pipe', 'absolve.db')}`;
    assert.equal(absolve(['release', 'add', 'Pipe', '1', 'examples/release', '--db', db, '--fail-on', 'none']).code, 0);
    for (const command of ['audit examples/release', 'audit examples/release --format json', `release show Pipe 1 --db ${db}`, `export --db ${db}`]) {
      const err = join(scratch, 'stderr.txt');
      const r = shell(`$ABSOLVE ${command} 2>'${err}' | head -1; echo "done"; cat '${err}' >&2`);
      assert.equal(r.stderr, '', `${command}: ${r.stderr}`);
      assert.equal(r.stdout.split('\n').length, 3, r.stdout);
    }
  });

  it('with --output the one-line summary goes to stderr; --quiet silences it', () => {
    const out = join(scratch, 'report.json');
    const r = absolve(['audit', UNSIGNED_MSI, '--no-containers', '--format', 'json', '-o', out]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^1 file: 0 PEs, 1 package \(1 unsigned\)\. Policy violated by 1 file\(s\)\. Report written to .*report\.json\.\n$/);
    assert.equal(report({ stdout: readFileSync(out, 'utf8') }).artifacts.length, 1);
    const quiet = absolve(['audit', UNSIGNED_MSI, '-o', out, '--quiet']);
    assert.equal(quiet.code, 1);
    assert.equal(quiet.stderr, '');
  });

  it('says which configuration was loaded (table and JSON); trust anchors come from the configuration', () => {
    const dir = join(scratch, 'config-trust');
    mkdirSync(join(dir, 'certs'), { recursive: true });
    copyFileSync(CA, join(dir, 'certs', 'ca.crt'));
    copyFileSync(SIGNED, join(dir, 'app.exe'));
    writeFileSync(join(dir, 'absolve.config.json'), '{ /* the test root */ "trust": ["certs/ca.crt"] }');
    const json = report(absolve(['audit', 'app.exe', '--format', 'json', ...AT], { cwd: dir }));
    assert.equal(json.configFile, 'absolve.config.json');
    assert.equal(json.artifacts[0]?.signature?.status, 'valid');
    assert.match(absolve(['audit', 'app.exe', ...AT], { cwd: dir }).stdout, /Configuration: absolve\.config\.json\./);
    assert.equal(report(absolve(['audit', SIGNED, '--format', 'json'])).configFile, null);
  });

  it('audit . skips the store folder .absolve; --exclude (repeatable) and quoted globs pick files', () => {
    const dir = join(scratch, 'walk');
    mkdirSync(join(dir, '.absolve', 'blobs'), { recursive: true });
    mkdirSync(join(dir, 'dist', 'sub'), { recursive: true });
    copyFileSync(SIGNED, join(dir, '.absolve', 'blobs', 'blob'));
    copyFileSync(SIGNED, join(dir, 'dist', 'a.exe'));
    copyFileSync(SIGNED, join(dir, 'dist', 'b.dll'));
    copyFileSync(SIGNED, join(dir, 'dist', 'sub', 'c.exe'));
    writeFileSync(join(dir, 'dist', 'a.pdb'), 'symbols');
    const paths = (...args: string[]): string[] => report(absolve(['audit', ...args, '--format', 'json', '--fail-on', 'none'], { cwd: dir })).artifacts.map((a) => a.path).sort();
    assert.deepEqual(paths('.'), ['dist/a.exe', 'dist/a.pdb', 'dist/b.dll', 'dist/sub/c.exe']);
    assert.deepEqual(paths('.', '--exclude', '*.pdb', '--exclude', 'dist/sub/**'), ['dist/a.exe', 'dist/b.dll']);
    assert.deepEqual(paths('dist/*.exe'), ['dist/a.exe']);
    assert.deepEqual(paths('dist/**/*.exe'), ['dist/a.exe', 'dist/sub/c.exe']);
    const none = absolve(['audit', 'dist/*.msi'], { cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^absolve: PATH_NOT_FOUND: no file matches 'dist\/\*\.msi'\n$/);
  });
});

describe('the table at 80 columns', () => {
  it('no line of audit, release show, release list or certs exceeds COLUMNS=80 on the example release', () => {
    mkdirSync(join(scratch, 'cols'), { recursive: true });
    const db = ['--db', `sqlite:${join(scratch, 'cols', 'absolve.db')}`];
    const env = { COLUMNS: '80' };
    const added = absolve(['release', 'add', 'Contoso App', '1.2.0', 'examples/release', ...db], { env });
    assert.equal(added.code, 1, added.stderr);
    const outputs = {
      audit: absolve(['audit', 'examples/release'], { env }).stdout,
      'audit --all': absolve(['audit', 'examples/release', '--all'], { env }).stdout,
      'release add': added.stdout,
      'release show': absolve(['release', 'show', 'Contoso App', '1.2.0', ...db], { env }).stdout,
      'release list': absolve(['release', 'list', ...db], { env }).stdout,
      certs: absolve(['certs', ...db], { env }).stdout,
      help: absolve(['audit', '--help'], { env }).stdout,
      'help (root)': absolve(['--help'], { env }).stdout,
      'help release add': absolve(['help', 'release', 'add'], { env }).stdout,
    };
    assert.match(outputs['help release add'], /^Usage: absolve release add \[options\] <product> <version> <paths\.\.\.>\n/);
    assert.match(outputs['help release add'], /--fail-on <level>/);
    for (const [name, text] of Object.entries(outputs)) {
      assert.ok(text.length > 0, name);
      const long = text.split('\n').filter((l) => l.length > 80);
      assert.deepEqual(long, [], `${name} has lines over 80 characters`);
    }
    // The stored audit in the report formats of `absolve audit`.
    const sarif = JSON.parse(absolve(['release', 'show', 'Contoso App', '1.2.0', ...db, '--format', 'sarif']).stdout) as { version: string; runs: Array<{ results: unknown[] }> };
    assert.equal(sarif.version, '2.1.0');
    assert.ok((sarif.runs[0]?.results.length ?? 0) > 0);
    assert.match(absolve(['release', 'show', 'Contoso App', '1.2.0', ...db, '--format', 'junit']).stdout, /<testsuite name="absolve audit" tests="10" failures="5"/);
    assert.match(absolve(['release', 'show', 'Contoso App', '1.2.0', ...db, '--format', 'markdown']).stdout, /^## Absolve audit: ❌ 5 files break the signing policy/);
    // Wider terminals get the one-line layout.
    assert.match(absolve(['audit', 'examples/release'], { env: { COLUMNS: '400' } }).stdout, /^STATUS\s+PATH\s+TYPE\s+SIGNER\s+DETAILS\n/);
  });

  it('problems first, non-PE files folded into a count (--all lists them), each fix once, hidden notes counted', () => {
    const r = absolve(['audit', 'examples/release'], { env: { COLUMNS: '80' } });
    const rows = r.stdout.split('\n\n')[0]?.split('\n').filter((l) => /^(valid|untrusted|unsigned|invalid|malformed|error|-)\s/.test(l)) ?? [];
    assert.deepEqual(rows.map((l) => l.split(/\s+/)[0]), ['untrusted', 'untrusted', 'untrusted', 'unsigned', 'unsigned']);
    assert.match(r.stdout, /\(5 other files, neither PE nor package, not listed: --all lists them\)/);
    assert.doesNotMatch(absolve(['audit', 'examples/release', '--all'], { env: { COLUMNS: '80' } }).stdout, /other files/);
    assert.equal((r.stdout.match(/^ {2}ABS-FP-001 /gm) ?? []).length, 1, 'the fix of ABS-FP-001 once, under HOW TO FIX');
    assert.match(r.stdout, /\d+ notes not shown/);
    assert.match(r.stdout, /10 files: 5 PEs \(3 untrusted, 2 unsigned\)\./);
  });
});
