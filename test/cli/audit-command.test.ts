/** `absolve audit` as a user runs it: a child process, its stdout, stderr and exit code. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { AuditReport } from '../../src/core/audit.types.ts';
import { loadPEOracle, repoRoot } from '../support/fixtures.ts';

const entry = join(repoRoot, 'src', 'app', 'cli-entry.ts');
const oracle = loadPEOracle();
const scratch = mkdtempSync(join(tmpdir(), 'absolve-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function absolve(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(...args: string[]): { code: number | null; report: AuditReport; stderr: string } {
  const r = absolve(...args, '--format', 'json');
  return { code: r.code, report: JSON.parse(r.stdout) as AuditReport, stderr: r.stderr };
}

describe('absolve audit', () => {
  it('prints a table for the bundled example release and exits 1 for its unsigned updater', () => {
    const r = absolve('audit', 'examples/release');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '', 'no progress bar or noise when piped');
    assert.match(r.stdout, /^STATUS\s+PATH\s+TYPE\s+SIGNER/);
    // 80 columns when piped: long paths are shortened in the middle, the file name stays.
    assert.match(r.stdout, /\nunsigned +examples\/\S*\/updater\.exe /);
    assert.match(r.stdout, /\nuntrusted +examples\/\S*\/contoso\.exe /);
    assert.match(r.stdout, /Policy violated/);
  });

  it('with --trust the signed files become valid; JSON follows absolve.audit/v1 with relative paths', () => {
    const { code, report } = json('audit', 'examples/release/ContosoApp', '--trust', 'examples/release/trust/contoso-root.pem');
    assert.equal(code, 1);
    assert.equal(report.schema, 'absolve.audit/v1');
    const byPath = new Map(report.artifacts.map((a) => [a.path, a]));
    assert.equal(byPath.get('examples/release/ContosoApp/contoso.exe')?.signature?.status, 'valid');
    assert.equal(byPath.get('examples/release/ContosoApp/legacy/tool32.exe')?.signature?.status, 'valid');
    assert.equal(byPath.get('examples/release/ContosoApp/updater.exe')?.signature?.status, 'unsigned');
    // Content, not the name: plugin.bin is a DLL.
    assert.equal(byPath.get('examples/release/ContosoApp/plugin.bin')?.format, 'pe');
    assert.equal(byPath.get('examples/release/ContosoApp/README.txt')?.format, 'unknown');
    assert.deepEqual(
      { pe: report.summary.pe, valid: report.summary.valid, unsigned: report.summary.unsigned, violations: report.summary.violations },
      { pe: 5, valid: 3, unsigned: 2, violations: 2 },
    );
  });

  it('exits 0 when every PE is validly signed', () => {
    const r = absolve('audit', 'test/fixtures/pe/signed-sha256.exe', 'test/fixtures/pe/signed-dual.exe', '--trust', 'test/fixtures/pki/ca.crt');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Policy met/);
  });

  it('reports an empty file and random bytes named .exe, exits 1, no stack trace', () => {
    const { code, report, stderr } = json('audit', 'test/fixtures/pe/empty.exe', 'test/fixtures/pe/random.exe');
    assert.equal(code, 1);
    assert.equal(stderr, '');
    assert.deepEqual(report.artifacts.map((a) => a.error?.code), ['EMPTY_FILE', 'NOT_A_PE']);
  });

  it('reports a tampered file as invalid and a security directory past EOF as malformed', () => {
    const { report } = json('audit', 'test/fixtures/pe/signed-tampered.exe', 'test/fixtures/pe/secdir-past-eof.exe', '--trust', 'test/fixtures/pki/ca.crt');
    assert.deepEqual(report.artifacts.map((a) => [a.signature?.status, a.signature?.reasonCode]), [
      ['invalid', 'DIGEST_MISMATCH'],
      ['malformed', 'PE_BAD_SECURITY_DIRECTORY'],
    ]);
  });

  it('a self-signed signer is untrusted until its certificate is passed with --trust', () => {
    const file = 'test/fixtures/pe/signed-selfsigned.exe';
    assert.equal(json('audit', file).report.artifacts[0]?.signature?.status, 'untrusted');
    // Its timestamp comes from the test TSA, so the test CA is trusted too (as in the osslsigncode oracle run).
    const trusted = json('audit', file, '--trust', 'test/fixtures/pki/selfsigned.crt', '--trust', 'test/fixtures/pki/ca.crt');
    assert.equal(trusted.report.artifacts[0]?.signature?.status, 'valid');
    assert.equal(trusted.code, 0);
  });

  it('computes the requested hashes in the same pass', () => {
    const file = 'test/fixtures/pe/signed-sha512.dll';
    const { report } = json('audit', file, '--hashes', 'sha1,md5,sha512');
    const bytes = readFileSync(join(repoRoot, file));
    const a = report.artifacts[0];
    assert.ok(a);
    assert.equal(a.sha256, oracle.files['signed-sha512.dll']?.sha256);
    for (const alg of ['sha1', 'md5', 'sha512'] as const) assert.equal(a.hashes[alg], createHash(alg).update(bytes).digest('hex'), alg);
  });

  it('gives the same report with worker threads and without', () => {
    const strip = (r: AuditReport) => ({ ...r, generatedAt: '' });
    const parallel = json('audit', 'test/fixtures/pe', '--jobs', '2', '--at', '2026-11-28T00:00:00Z', '--trust', 'test/fixtures/pki/ca.crt');
    const serial = json('audit', 'test/fixtures/pe', '--jobs', '1', '--at', '2026-11-28T00:00:00Z', '--trust', 'test/fixtures/pki/ca.crt');
    assert.deepEqual(strip(parallel.report), strip(serial.report));
    assert.equal(parallel.report.verifiedAt, '2026-11-28T00:00:00.000Z');
    assert.equal(parallel.report.artifacts.length, Object.keys(oracle.files).length + 3 /* oracle.json, imphash-oracle.json, .gitattributes */);
  });

  it('a truncated MSI gives an error for that file while the rest of the release is audited', () => {
    const { code, report, stderr } = json('audit', 'test/fixtures/containers/msi/truncated.msi', 'test/fixtures/containers/msi/app-signed.msi', '--trust', 'test/fixtures/pki/ca.crt');
    assert.equal(code, 1);
    assert.equal(stderr, '');
    const [truncated, msi] = report.artifacts;
    assert.match(truncated?.error?.code ?? '', /^CFB_TRUNCATED$/);
    assert.match(truncated?.error?.message ?? '', /cannot read this CFB container/);
    assert.equal(msi?.signature?.status, 'valid');
    assert.ok(report.artifacts.some((a) => a.path === 'test/fixtures/containers/msi/app-signed.msi!/Contoso/Contoso App/app.exe'));
  });

  it('--no-containers audits the files themselves only', () => {
    const { report } = json('audit', 'test/fixtures/containers/msi/app-signed.msi', '--no-containers');
    assert.equal(report.artifacts.length, 1);
  });

  it('writes the report to --output', () => {
    const out = join(scratch, 'report.json');
    const r = absolve('audit', 'test/fixtures/pe/signed-sha256.exe', '--format', 'json', '--output', out);
    assert.equal(r.stdout, '');
    const report = JSON.parse(readFileSync(out, 'utf8')) as AuditReport;
    assert.equal(report.artifacts[0]?.path, 'test/fixtures/pe/signed-sha256.exe');
  });

  it('--report writes more formats from the same audit: each equals what --format gives alone', () => {
    const base = ['audit', 'examples/release', '--at', '2026-12-01T00:00:00Z'];
    const sarif = join(scratch, 'one.sarif');
    const markdown = join(scratch, 'one.md');
    const r = absolve(...base, '--format', 'json', '--report', `sarif=${sarif}`, '--report', `markdown=${markdown}`);
    assert.equal(r.code, 1, r.stderr);
    const fromJson = JSON.parse(r.stdout) as AuditReport;
    assert.equal(fromJson.summary.files > 0, true);
    // The same renderings as separate runs (the run's own clock appears in SARIF and Markdown, so times are masked).
    const mask = (text: string): string => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'T');
    assert.equal(mask(readFileSync(sarif, 'utf8')), mask(absolve(...base, '--format', 'sarif').stdout));
    assert.equal(mask(readFileSync(markdown, 'utf8')), mask(absolve(...base, '--format', 'markdown').stdout));
    for (const [value, message] of [
      ['xml=out.xml', /^absolve: USAGE: --report takes FORMAT=FILE with FORMAT one of table, json, sarif, junit, markdown, csv \(got 'xml=out\.xml'\) \(see `absolve audit --help`\)\n$/],
      ['sarif=', /^absolve: USAGE: --report takes FORMAT=FILE/],
      [`sarif=${sarif}`, /^absolve: USAGE: --report: '.*one\.sarif' is written twice \(see/],
    ] as const) {
      const bad = absolve(...base, '--output', sarif, '--report', value);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, message);
    }
    const intoInput = absolve('audit', 'test/fixtures/pe/signed-sha256.exe', '--report', 'json=test/fixtures/pe/signed-sha256.exe');
    assert.equal(intoInput.code, 2);
    assert.match(intoInput.stderr, /^absolve: [A-Z_]+: /);
  });

  it('a reader that goes away after one line (| head -1): the --report file is still written, and the exit code is the audit\'s', () => {
    const report = join(scratch, 'piped.json');
    const piped = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" --import tsx "${entry}" audit examples/release --no-progress --report json="${report}" | head -1 >/dev/null`], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(piped.status, 1, 'the policy violation, not 0 from the broken pipe');
    assert.equal((JSON.parse(readFileSync(report, 'utf8')) as AuditReport).summary.policyMet, false);
  });

  it('exits 2 with one line for a missing path, a bad flag value, an unreadable trust anchor', () => {
    const cases: Array<[string[], RegExp]> = [
      [['audit', 'no/such/folder'], /^absolve: PATH_NOT_FOUND: cannot read 'no\/such\/folder': no such file or folder\n$/],
      [['audit', 'examples', '--hashes', 'sha3'], /^absolve: USAGE: --hashes takes/],
      [['audit', 'examples', '--at', 'yesterday'], /^absolve: USAGE: --at takes an ISO 8601 time/],
      [['audit', 'examples', '--trust', 'no-such.pem'], /^absolve: TRUST_ANCHOR_UNREADABLE: /],
      [['audit', 'examples', '--trust', 'README.md'], /^absolve: TRUST_ANCHOR_INVALID: /],
      [['audit', 'examples', '--format', 'xml'], /^absolve: USAGE: option '-f, --format <format>' argument 'xml' is invalid\. Allowed choices are table, json, sarif, junit, markdown, csv\. \(see `absolve audit --help`\)\n$/],
      [['audit'], /^absolve: USAGE: missing required argument 'paths' \(see `absolve audit --help`\)\n$/],
      [['audit', 'examples', '--frobnicate'], /^absolve: USAGE: unknown option '--frobnicate' \(see `absolve audit --help`\)\n$/],
      [['audit', 'examples', '-j', 'abc'], /^absolve: USAGE: option '-j, --jobs <n>' argument 'abc' is invalid\. --jobs takes a whole number of 1 or more \(got 'abc'\) \(see `absolve audit --help`\)\n$/],
      [['audit', 'examples', '--fail-on', 'sometimes'], /^absolve: USAGE: option '--fail-on <level>' argument 'sometimes' is invalid\..* \(see `absolve audit --help`\)\n$/],
      [['release', 'add', 'P', '1', 'examples', '--frobnicate'], /^absolve: USAGE: unknown option '--frobnicate' \(see `absolve release add --help`\)\n$/],
      [['frobnicate'], /^absolve: USAGE: unknown command 'frobnicate' \(see `absolve --help`\)\n$/],
    ];
    for (const [args, pattern] of cases) {
      const r = absolve(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.split('\n').length, 2, `one line, no help dump: ${r.stderr}`);
      assert.equal(r.stdout, '');
    }
  });
});
