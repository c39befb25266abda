/**
 * `absolve release add|list|show|diff`, `absolve certs`, `absolve export|import` as a user runs
 * them: child processes on a SQLite store in a temp folder, release folders built from the PE
 * fixtures (test/fixtures/pki: certificate A = codesign-rsa from ca.crt, B = codesign-b from ca-b.crt).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ArtifactReport, AuditReport } from '../../src/core/audit.types.ts';
import type { ReleaseDiff } from '../../src/core/releases/diff-releases.ts';
import type { CertificateSummary } from '../../src/core/releases/certificates.ts';
import type { ReleaseDetail, ReleaseFinding, ReleaseHeader } from '../../src/core/releases/release.types.ts';
import { AT, TRUST_BOTH, absolve, absolveJSON, buildRelease } from '../store/cli-harness.ts';
import { loadPEOracle, repoRoot } from '../support/fixtures.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-release-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface AddOutput {
  schema: string;
  outcome: 'created' | 'unchanged' | 'replaced';
  release: ReleaseHeader;
  findings: ReleaseFinding[];
  blobs: { stored: number; present: number };
}
type ShowOutput = { schema: string; release: ReleaseHeader } & Omit<ReleaseDetail, 'header'>;

const oracle = loadPEOracle();
const signer = (fixture: string): { subject: string; thumbprintSha1: string; thumbprintSha256: string } => {
  const s = oracle.files[fixture]?.expected.signer;
  if (s === undefined || s === null) throw new Error(`${fixture} has no signer in the oracle`);
  return { subject: s.subject, thumbprintSha1: s.thumbprintSha1, thumbprintSha256: s.thumbprintSha256 };
};
const certA = signer('signed-sha256.exe');
const certB = signer('signed-otherca.exe');
const certEcdsa = signer('signed-ecdsa.exe');

const v1 = buildRelease(join(scratch, 'v1'), {
  'app.exe': 'signed-sha256.exe',
  'lib/contoso.dll': 'signed-sha512.dll',
  'tools/legacy.exe': 'signed-dual.exe',
  'readme.txt': { text: 'Contoso App 1.0' },
  'updater.exe': 'app-x64-gui.exe',
});
const v2 = buildRelease(join(scratch, 'v2'), {
  'app.exe': 'signed-otherca.exe', // same path, certificate B
  'lib/contoso.dll': 'lib-x64.dll', // no longer signed
  'tools/legacy.exe': 'signed-dual.exe', // unchanged
  'new.exe': 'signed-ecdsa.exe', // added, a third certificate
  'updater.exe': 'signed-tampered.exe', // unsigned → invalid
});
const db = join(scratch, 'store', 'absolve.db');
// A new store's folder must exist (or --create): these tests make them.
for (const folder of ['store', 'copy', 'msi']) mkdirSync(join(scratch, folder), { recursive: true });
const dbArgs = ['--db', `sqlite:${db}`];
// These releases hold unsigned files on purpose: record them without failing (the exit code has its own test).
const add = (version: string, dir: string, ...extra: string[]): string[] => ['release', 'add', 'Contoso', version, dir, ...dbArgs, ...TRUST_BOTH, ...AT, '--fail-on', 'none', ...extra];

function oneErrorLine(r: { code: number | null; stdout: string; stderr: string }, code: string): void {
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`^absolve: ${code}: [^\\n]+\\n$`));
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

describe('absolve release (SQLite store)', () => {
  it('release add audits and records; the same command again is unchanged and stores nothing twice', () => {
    const first = absolveJSON<AddOutput>(add('1.0', v1));
    assert.equal(first.schema, 'absolve.release-add/v1');
    assert.equal(first.outcome, 'created');
    assert.deepEqual([first.release.product, first.release.version, first.release.channel, first.release.files], ['Contoso', '1.0', 'stable', 5]);
    assert.equal(first.release.verifiedAt, '2026-06-01T00:00:00.000Z');
    assert.deepEqual(first.findings, [], 'the first release sets the signer baseline');
    assert.deepEqual(first.blobs, { stored: 5, present: 0 });
    const again = absolveJSON<AddOutput>(add('1.0', v1));
    assert.equal(again.outcome, 'unchanged');
    assert.deepEqual(again.release, first.release, 'the release as first recorded, createdAt included');
    assert.deepEqual(again.blobs, { stored: 0, present: 5 });
    const table = absolve(add('1.0', v1));
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^Unchanged: Contoso 1\.0 is already recorded/);
  });

  it('release show gives back the audit reports exactly as `absolve audit` produced them, paths relative to the release', () => {
    const shown = absolveJSON<ShowOutput>(['release', 'show', 'Contoso', '1.0', ...dbArgs]);
    assert.equal(shown.schema, 'absolve.release/v1');
    const audit = JSON.parse(absolve(['audit', v1, ...TRUST_BOTH, ...AT, '--no-progress', '--format', 'json']).stdout) as AuditReport;
    const expected: ArtifactReport[] = audit.artifacts.map((a) => ({ ...a, path: a.path.slice(v1.length + 1) }));
    assert.deepEqual(shown.artifacts, expected);
    assert.deepEqual(shown.artifacts.map((a) => a.path), ['app.exe', 'lib/contoso.dll', 'readme.txt', 'tools/legacy.exe', 'updater.exe']);
    const table = absolve(['release', 'show', 'Contoso', '1.0', ...dbArgs]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^Contoso 1\.0 \(channel stable\), recorded /);
    assert.match(table.stdout, /unsigned\s+updater\.exe/);
  });

  it('keeps every top-level file in the blob store next to the database, named by its SHA-256', () => {
    const blobRoot = join(scratch, 'store', 'blobs', 'sha256');
    for (const name of ['app.exe', 'lib/contoso.dll', 'readme.txt', 'tools/legacy.exe', 'updater.exe']) {
      const bytes = readFileSync(join(v1, name));
      const sha = createHash('sha256').update(bytes).digest('hex');
      assert.deepEqual(readFileSync(join(blobRoot, sha.slice(0, 2), sha.slice(2))), bytes, name);
    }
    assert.deepEqual(readdirSync(join(scratch, 'store', 'blobs', 'tmp')), []);
  });

  it('other files under a recorded version: RELEASE_EXISTS_DIFFERENT, unless --replace', () => {
    const other = buildRelease(join(scratch, 'v1-rebuilt'), { 'app.exe': 'signed-ecdsa.exe' });
    const recorded = absolve(['release', 'add', 'Scratch', '1', other, ...dbArgs, '--fail-on', 'none']);
    assert.equal(recorded.code, 0, recorded.stderr);
    const changed = buildRelease(join(scratch, 'v1-changed'), { 'app.exe': 'signed-sha256.exe' });
    const r = absolve(['release', 'add', 'Scratch', '1', changed, ...dbArgs, '--fail-on', 'none']);
    oneErrorLine(r, 'RELEASE_EXISTS_DIFFERENT');
    assert.match(r.stderr, /0 added, 0 removed, 1 changed/);
    const notes = absolve(['release', 'add', 'Scratch', '1', other, ...dbArgs, '--notes', 'hotfix', '--fail-on', 'none']);
    oneErrorLine(notes, 'RELEASE_EXISTS_DIFFERENT');
    assert.match(notes.stderr, /other notes/);
    const replaced = absolveJSON<AddOutput>(['release', 'add', 'Scratch', '1', changed, ...dbArgs, '--replace', '--fail-on', 'none']);
    assert.equal(replaced.outcome, 'replaced');
    assert.equal(absolveJSON<ShowOutput>(['release', 'show', 'Scratch', '1', ...dbArgs]).artifacts[0]?.sha256, createHash('sha256').update(readFileSync(join(changed, 'app.exe'))).digest('hex'));
  });

  it('a later release signed by a certificate never seen for the product: ABS-CERT-NEW-SIGNER, shown and stored', () => {
    const added = absolveJSON<AddOutput>(add('2.0', v2));
    assert.equal(added.outcome, 'created');
    assert.deepEqual(
      added.findings.map((f) => [f.id, f.severity, f.certificate, f.files]),
      [
        ['ABS-CERT-NEW-SIGNER', 'warning', certEcdsa, ['new.exe']],
        ['ABS-CERT-NEW-SIGNER', 'warning', certB, ['app.exe']],
      ],
    );
    assert.deepEqual(absolveJSON<ShowOutput>(['release', 'show', 'Contoso', '2.0', ...dbArgs]).findings, added.findings);
    const table = absolve(['release', 'show', 'Contoso', '2.0', ...dbArgs]);
    // Wrapped to 80 columns: compare with the line breaks of the wrap taken out.
    assert.match(table.stdout.replace(/\n {2}/g, ' '), /Release findings:\nwarning ABS-CERT-NEW-SIGNER: signed by a certificate never seen before for Contoso: CN=Contoso ECDSA Code Signing/);
    const again = absolve(add('2.0', v2));
    assert.match(again.stdout.replace(/\n {2}/g, ' '), /warning ABS-CERT-NEW-SIGNER: .*CN=Fabrikam Code Signing.*file: app\.exe/, 'the re-run shows the stored findings');
  });

  it('release diff: added, removed, changed, newly unsigned and invalid files, and every signer change with both thumbprints', () => {
    const diff = absolveJSON<ReleaseDiff>(['release', 'diff', 'Contoso', '1.0', '2.0', ...dbArgs]);
    assert.equal(diff.schema, 'absolve.release-diff/v1');
    assert.deepEqual(diff.added.map((f) => [f.path, f.status]), [['new.exe', 'valid']]);
    assert.deepEqual(diff.removed.map((f) => f.path), ['readme.txt']);
    assert.deepEqual(diff.changed.map((c) => c.path), ['app.exe', 'lib/contoso.dll', 'updater.exe']);
    assert.deepEqual(diff.newlyUnsigned, [{ path: 'lib/contoso.dll', from: 'valid', to: 'unsigned' }]);
    assert.deepEqual(diff.newlyInvalid, [{ path: 'updater.exe', from: 'unsigned', to: 'invalid' }]);
    assert.deepEqual(diff.signerChanges, [
      { path: 'app.exe', container: null, from: [certA], to: [certB] },
      { path: 'lib/contoso.dll', container: null, from: [certA], to: [] },
      { path: 'updater.exe', container: null, from: [], to: [certA] },
    ]);
    assert.deepEqual(diff.signers, { added: [certEcdsa, certB], removed: [] });
    assert.equal(diff.summary.unchanged, 1);
    const table = absolve(['release', 'diff', 'Contoso', '1.0', '2.0', ...dbArgs]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^Contoso 1\.0 → 2\.0: 1 added, 1 removed, 3 changed, 1 unchanged; 1 newly unsigned, 1 newly invalid, 3 signer change\(s\)/);
    assert.ok(table.stdout.includes(`  app.exe\n    was ${certA.subject} (SHA-1 ${certA.thumbprintSha1}, SHA-256 ${certA.thumbprintSha256})\n    now ${certB.subject} (SHA-1 ${certB.thumbprintSha1}, SHA-256 ${certB.thumbprintSha256})`), table.stdout);
  });

  it('release list: recording order, one product or all', () => {
    const all = absolveJSON<{ schema: string; releases: ReleaseHeader[] }>(['release', 'list', ...dbArgs]);
    assert.equal(all.schema, 'absolve.release-list/v1');
    assert.deepEqual(all.releases.map((r) => `${r.product} ${r.version}`), ['Contoso 1.0', 'Scratch 1', 'Contoso 2.0']);
    const contoso = absolveJSON<{ product: string; releases: ReleaseHeader[] }>(['release', 'list', 'Contoso', ...dbArgs]);
    assert.deepEqual(contoso.releases.map((r) => r.version), ['1.0', '2.0']);
    // A wide terminal gets columns; at 80 columns each release becomes a block (test/cli/ci-trust.test.ts).
    const table = absolve(['release', 'list', 'Contoso', ...dbArgs], { env: { COLUMNS: '200' } });
    assert.match(table.stdout, /^PRODUCT\s+VERSION\s+CHANNEL\s+RECORDED\s+FILES\s+PE\s+VALID\s+UNTRUSTED\s+UNSIGNED\s+INVALID\s+POLICY\nContoso\s+1\.0\s+stable/);
    assert.match(absolve(['release', 'list', 'Contoso', ...dbArgs]).stdout, /^PRODUCT Contoso\n {2}VERSION +1\.0\n/);
  });

  it('certs: every signing certificate with first and last release, files signed and expiry', () => {
    const out = absolveJSON<{ schema: string; product: string; certificates: CertificateSummary[] }>(['certs', 'Contoso', ...dbArgs]);
    assert.equal(out.schema, 'absolve.certificates/v1');
    const rows = out.certificates.map((c) => [c.subject, c.firstRelease.version, c.lastRelease.version, c.releases, c.files, c.notAfter.slice(0, 10), c.expired]);
    assert.deepEqual(rows, [
      [certA.subject, '1.0', '2.0', 2, 4, '2046-12-31', false], // app, dll, dual (primary + nested: one file), tampered updater in 2.0
      [certEcdsa.subject, '2.0', '2.0', 1, 1, '2046-12-31', false],
      [certB.subject, '2.0', '2.0', 1, 1, '2046-12-31', false],
    ]);
    const table = absolve(['certs', ...dbArgs], { env: { COLUMNS: '250' } });
    assert.match(table.stdout, /^SIGNER\s+ISSUER\s+SHA-256 THUMBPRINT\s+EXPIRES\s+FIRST\s+LAST\s+RELEASES\s+FILES\n/);
    assert.match(table.stdout, /Contoso Code Signing\s+Absolve Test Root CA\s+[0-9A-F]{64}\s+2046-12-31 \(in \d+ days\)\s+Contoso 1\.0\s+Contoso 2\.0\s+3\s+4/, 'all products: Scratch 1 (recorded between them) ships the same app.exe');
  });

  it('release paths: relative to each folder given, a file given directly by its name; Absolve\'s own .absolve folder is skipped', () => {
    const dir = buildRelease(join(scratch, 'cwd-release'), { 'bin/app.exe': 'signed-sha256.exe', 'extra/tool.exe': 'app-x64-console.exe' });
    // The default store lives in ./.absolve of the folder being released.
    const first = absolve(['release', 'add', 'Here', '1', '.', join(dir, 'extra', 'tool.exe'), '--fail-on', 'none', '--format', 'json'], { cwd: join(dir, 'bin') });
    assert.equal(first.code, 0, first.stderr);
    assert.ok(existsSync(join(dir, 'bin', '.absolve', 'absolve.db')));
    const shown = absolveJSON<ShowOutput>(['release', 'show', 'Here', '1'], { cwd: join(dir, 'bin') });
    assert.deepEqual(shown.artifacts.map((a) => a.path), ['app.exe', 'tool.exe']);
    const again = absolveJSON<AddOutput>(['release', 'add', 'Here', '1', '.', join(dir, 'extra', 'tool.exe'), '--fail-on', 'none'], { cwd: join(dir, 'bin') });
    assert.equal(again.outcome, 'unchanged', 'the store written by the first run is not part of the release');
    // Without --db: ABSOLVE_DB, else ./.absolve/absolve.db (absent here).
    oneErrorLine(absolve(['release', 'list', '--format', 'json'], { cwd: scratch }), 'STORE_NOT_FOUND');
    const viaEnv = absolve(['release', 'list', '--format', 'json'], { cwd: scratch, env: { ABSOLVE_DB: `sqlite:${db}` } });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.equal((JSON.parse(viaEnv.stdout) as { releases: unknown[] }).releases.length, 3);
  });

  it('errors: one line, a stable code, exit 2', () => {
    oneErrorLine(absolve(['release', 'show', 'Contoso', '9.9', ...dbArgs]), 'RELEASE_NOT_FOUND');
    oneErrorLine(absolve(['release', 'show', 'Nobody', '1', ...dbArgs]), 'PRODUCT_NOT_FOUND');
    oneErrorLine(absolve(['release', 'list', 'Nobody', ...dbArgs]), 'PRODUCT_NOT_FOUND');
    oneErrorLine(absolve(['certs', 'Nobody', ...dbArgs]), 'PRODUCT_NOT_FOUND');
    oneErrorLine(absolve(['release', 'list', '--db', `sqlite:${join(scratch, 'none', 'absolve.db')}`]), 'STORE_NOT_FOUND');
    assert.equal(existsSync(join(scratch, 'none')), false, 'read-only commands create nothing');
    oneErrorLine(absolve(['release', 'list', '--db', 'mysql://root:pw@localhost/x']), 'STORE_URL_INVALID');
    const unreachable = absolve(['release', 'list', '--db', 'postgres://absolve:s3cret@127.0.0.1:1/absolve']);
    oneErrorLine(unreachable, 'STORE_UNAVAILABLE');
    assert.doesNotMatch(unreachable.stderr, /s3cret/);
    oneErrorLine(absolve(['release', 'add', 'Contoso', '3.0', join(scratch, 'missing'), ...dbArgs]), 'PATH_NOT_FOUND');
    oneErrorLine(absolve(['release', 'add', 'Contoso', '3.0', v1, ...dbArgs, '--at', 'yesterday']), 'USAGE');
    oneErrorLine(absolve(['release', 'add', ' Contoso', '3.0', v1, ...dbArgs]), 'RELEASE_INVALID');
    oneErrorLine(absolve(['release', 'add', 'Contoso', '3.0', v1, ...dbArgs, '--channel', 'not a channel']), 'RELEASE_INVALID');
    assert.equal(absolve(['release', 'list', ...dbArgs, '--format', 'xml']).code, 2);
  });

  it('export writes JSON lines (to stdout or atomically to a file); import restores them into another store', () => {
    const file = join(scratch, 'export.jsonl');
    const summary = absolveJSON<{ schema: string; output: string; counts: { records: number; releases: number } }>(['export', ...dbArgs, '--output', file]);
    assert.equal(summary.schema, 'absolve.export-summary/v1');
    assert.equal(summary.counts.releases, 3);
    const lines = readFileSync(file, 'utf8');
    assert.equal(lines.split('\n').length - 1, summary.counts.records + 2, 'header + records + end');
    const stdout = absolve(['export', ...dbArgs]);
    assert.equal(stdout.code, 0);
    assert.equal(stdout.stdout, lines);
    for (const line of lines.trimEnd().split('\n')) assert.equal(typeof (JSON.parse(line) as { type: string }).type, 'string');
    assert.deepEqual(readdirSync(scratch).filter((n) => n.includes('.part')), []);

    const copy = ['--db', `sqlite:${join(scratch, 'copy', 'absolve.db')}`];
    const imported = absolveJSON<{ schema: string; counts: Record<string, number> }>(['import', file, ...copy]);
    assert.equal(imported.schema, 'absolve.import-summary/v1');
    assert.equal(imported.counts.releases, 3);
    assert.equal(absolve(['export', ...copy]).stdout, lines, 'export → import → export is identical');
    const again = absolve(['import', '-', ...copy], { input: lines });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Imported 0 releases \(3 already present\)/);
    oneErrorLine(absolve(['import', join(scratch, 'no-such-export.jsonl'), ...copy]), 'PATH_NOT_FOUND');
    oneErrorLine(absolve(['import', '-', ...copy], { input: lines.split('\n').slice(0, 3).join('\n') }), 'IMPORT_INVALID');
  });

  it('every command answers in table and json form', () => {
    const commands = [
      ['release', 'list'],
      ['release', 'show', 'Contoso', '1.0'],
      ['release', 'diff', 'Contoso', '1.0', '2.0'],
      ['certs'],
      ['export', '--output', join(scratch, 'formats.jsonl')],
      ['import', join(scratch, 'formats.jsonl')],
      ['release', 'add', 'Contoso', '1.0', v1, ...TRUST_BOTH, ...AT, '--fail-on', 'none'],
    ];
    for (const command of commands) {
      const json = absolve([...command, ...dbArgs, '--format', 'json']);
      assert.equal(json.code, 0, `${command.join(' ')}: ${json.stderr}`);
      assert.doesNotThrow(() => JSON.parse(json.stdout), command.join(' '));
      const table = absolve([...command, ...dbArgs, '--format', 'table']);
      assert.equal(table.code, 0, `${command.join(' ')}: ${table.stderr}`);
      assert.throws(() => JSON.parse(table.stdout), command.join(' '));
    }
  });
});

/**
 * The acceptance case: an MSI signed with A holding an unsigned exe and a DLL signed with A;
 * v2 is the same MSI layout with everything signed with B (test/fixtures/containers/msi).
 */
describe('absolve release with a signed MSI (container members)', () => {
  const msiA = join(repoRoot, 'test', 'fixtures', 'containers', 'msi', 'app-signed.msi');
  const msiB = join(repoRoot, 'test', 'fixtures', 'containers', 'msi', 'app-signed-b.msi');
  const msiEx = join(repoRoot, 'test', 'fixtures', 'containers', 'msi', 'app-signed-ex.msi');
  const msiDb = ['--db', `sqlite:${join(scratch, 'msi', 'absolve.db')}`];

  it('records the MSI and its members, and the diff names the signer change of the container and of each member', () => {
    const r1 = buildRelease(join(scratch, 'msi-v1'), { 'setup.msi': { file: msiA } });
    const r2 = buildRelease(join(scratch, 'msi-v2'), { 'setup.msi': { file: msiB } });
    mkdirSync(join(scratch, 'msi'), { recursive: true });
    const first = absolveJSON<AddOutput>(['release', 'add', 'Contoso', '1.0', r1, ...msiDb, ...TRUST_BOTH, ...AT, '--fail-on', 'none']);
    assert.deepEqual(first.findings, []);
    const shown = absolveJSON<ShowOutput>(['release', 'show', 'Contoso', '1.0', ...msiDb]);
    const byPath = new Map(shown.artifacts.map((a) => [a.path, a]));
    assert.deepEqual([...byPath.keys()], ['setup.msi', 'setup.msi!/Contoso/Contoso App/app.exe', 'setup.msi!/Contoso/Contoso App/Read Me.txt', 'setup.msi!/Contoso/Contoso App/lib/contoso-lib.dll']);
    assert.equal(byPath.get('setup.msi')?.signature?.signer?.thumbprintSha256, certA.thumbprintSha256);
    assert.equal(byPath.get('setup.msi!/Contoso/Contoso App/app.exe')?.signature?.status, 'unsigned');
    assert.equal(byPath.get('setup.msi!/Contoso/Contoso App/lib/contoso-lib.dll')?.signature?.signer?.thumbprintSha256, certA.thumbprintSha256);
    // One finding per fact: the member's ABS-FP-002 names the container; the container does not repeat it.
    assert.ok(!byPath.get('setup.msi')?.findings.some((f) => f.id === 'ABS-CONTAINER-UNSIGNED-MEMBER'));
    const memberFinding = byPath.get('setup.msi!/Contoso/Contoso App/app.exe')?.findings.find((f) => f.id === 'ABS-FP-002');
    assert.ok(memberFinding !== undefined);
    assert.equal(memberFinding.message, 'unsigned inside the signed container setup.msi', 'finding messages name release paths, not the recording machine\'s folders');

    const second = absolveJSON<AddOutput>(['release', 'add', 'Contoso', '2.0', r2, ...msiDb, ...TRUST_BOTH, ...AT, '--fail-on', 'none']);
    assert.deepEqual(second.findings.map((f) => [f.id, f.certificate?.thumbprintSha256, f.files]), [
      ['ABS-CERT-NEW-SIGNER', certB.thumbprintSha256, ['setup.msi', 'setup.msi!/Contoso/Contoso App/app.exe', 'setup.msi!/Contoso/Contoso App/lib/contoso-lib.dll']],
    ]);
    const diff = absolveJSON<ReleaseDiff>(['release', 'diff', 'Contoso', '1.0', '2.0', ...msiDb]);
    assert.deepEqual(diff.signerChanges, [
      { path: 'setup.msi', container: null, from: [certA], to: [certB] },
      { path: 'setup.msi!/Contoso/Contoso App/app.exe', container: 'setup.msi', from: [], to: [certB] },
      { path: 'setup.msi!/Contoso/Contoso App/lib/contoso-lib.dll', container: 'setup.msi', from: [certA], to: [certB] },
    ]);
    assert.deepEqual(diff.signers, { added: [certB], removed: [certA] });
    // v1.1: another build of the package (MsiDigitalSignatureEx), signed with A again: no signer change.
    const r11 = buildRelease(join(scratch, 'msi-v1.1'), { 'setup.msi': { file: msiEx } });
    const patch = absolveJSON<AddOutput>(['release', 'add', 'Contoso', '1.1', r11, ...msiDb, ...TRUST_BOTH, ...AT, '--fail-on', 'none']);
    assert.deepEqual(patch.findings, []);
    const sameSigner = absolveJSON<ReleaseDiff>(['release', 'diff', 'Contoso', '1.0', '1.1', ...msiDb]);
    assert.deepEqual(sameSigner.signerChanges, []);
    assert.deepEqual(sameSigner.changed.map((c) => c.path), ['setup.msi']);
    const certs = absolveJSON<{ certificates: CertificateSummary[] }>(['certs', 'Contoso', ...msiDb]);
    assert.deepEqual(certs.certificates.map((c) => [c.subject, c.firstRelease.version, c.lastRelease.version, c.files]), [
      [certA.subject, '1.0', '1.1', 3],
      [certB.subject, '2.0', '2.0', 3],
    ]);
  });
});
