/**
 * `absolve scan`, `scans`, `monitor --once`, `events` and `gate` as a user runs them, with the real
 * ClamAV (clamscan) and YARA on real installers: the signed MSI and the ZIP of the container
 * fixtures, whose inner app.exe (sha256 from msiextract's and 7-Zip's extraction in the container
 * oracle) both scanners are given a signature for. The flagged member is named with its path, one
 * answer per unique hash, a recorded release is scanned from the store after its folder is gone,
 * and a monitor round that sees ClamAV's detection solved records one solved-detections event and
 * flips the gate.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DetectionEvent } from '../../src/core/monitor/detection-events.ts';
import type { GateResult } from '../../src/core/gate/release-gate.ts';
import type { ScanReport } from '../../src/core/scans/scan-report.ts';
import { absolve } from '../store/cli-harness.ts';
import { repoRoot } from '../support/fixtures.ts';
import { skipUnlessTools } from '../support/tools.ts';

const skip = skipUnlessTools('clamscan', 'yara');
const containers = join(repoRoot, 'test', 'fixtures', 'containers');
const oracle = (JSON.parse(readFileSync(join(containers, 'oracle.json'), 'utf8')) as { files: Record<string, { msiextract?: { extracted: Array<{ path: string; sha256: string; size: number }> } }> }).files;
const appExe = oracle['msi/app-signed.msi']?.msiextract?.extracted.find((m) => m.path.endsWith('/app.exe'));

describe('absolve scan with ClamAV and YARA', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'absolve-scan-cli-'));
  const release = join(dir, 'release');
  const db = `sqlite:${join(dir, 'store', 'absolve.db')}`;
  mkdirSync(join(dir, 'store'));
  const clamDb = join(dir, 'clamav');
  const clamDbWithout = join(dir, 'clamav-without');
  const rules = join(dir, 'rules.yar');
  const engines = ['--engines', 'clamav,yara', '--clamav-db', clamDb, '--yara-rules', rules, '--db', db, '--no-progress'];

  before(() => {
    assert.ok(appExe !== undefined, 'the oracle lists app.exe inside the MSI');
    mkdirSync(clamDb);
    mkdirSync(clamDbWithout);
    // A ClamAV SHA-256 hash signature (.hsb: hash:size:name) for app.exe, and one for bytes that are nowhere.
    writeFileSync(join(clamDb, 'absolve.hsb'), `${appExe.sha256}:${appExe.size}:Absolve.Test.AppExe\n`);
    writeFileSync(join(clamDbWithout, 'absolve.hsb'), `${'0'.repeat(64)}:1:Absolve.Test.Nothing\n`);
    writeFileSync(rules, `import "hash"\nrule Absolve_Test_AppExe { condition: hash.sha256(0, filesize) == "${appExe.sha256}" }\n`);
    mkdirSync(release);
    copyFileSync(join(containers, 'msi', 'app-signed.msi'), join(release, 'app-signed.msi'));
    copyFileSync(join(containers, 'zip', 'plain.zip'), join(release, 'plain.zip'));
    writeFileSync(join(release, 'notes.txt'), 'release notes\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the flagged inner file in the MSI and the ZIP, per engine, with the signature and rule names', () => {
    const r = absolve(['scan', release, ...engines, '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as ScanReport;
    assert.equal(report.schema, 'absolve.scan/v1');
    const flagged = report.files.filter((f) => f.flagged > 0);
    assert.deepEqual(
      flagged.map((f) => [f.path.slice(release.length + 1), f.parentPath?.slice(release.length + 1), f.flagged, f.answered]),
      [
        // ClamAV looks inside archives itself, as a desktop scanner does: the containers are flagged whole too.
        ['app-signed.msi', undefined, 1, 2],
        ['app-signed.msi!/Contoso/Contoso App/app.exe', 'app-signed.msi', 2, 2],
        ['plain.zip', undefined, 1, 2],
        ['plain.zip!/Contoso/app.exe', 'plain.zip', 2, 2],
      ],
    );
    const names = flagged[1]?.verdicts.map((v) => `${v.engine}: ${v.result ?? ''}`) ?? [];
    assert.equal(names.length, 2);
    assert.ok(names.some((n) => /^ClamAV: Absolve\.Test\.AppExe\.UNOFFICIAL$/.test(n)), names.join(', '));
    assert.ok(names.some((n) => /^YARA: (\w+:)?Absolve_Test_AppExe$/.test(n)), names.join(', '));
    assert.ok(report.files.some((f) => f.path.endsWith('notes.txt') && f.flagged === 0 && f.answered === 2), 'top-level files are scanned whole');
    assert.ok(!report.files.some((f) => f.path.endsWith('.txt') && f.parentPath !== null), 'non-code members are not scan targets');

    const show = absolve(['scans', 'show', report.id, '--db', db, '--format', 'json']);
    assert.equal(show.code, 0, show.stderr);
    const stored = JSON.parse(show.stdout) as ScanReport;
    assert.deepEqual(stored.files.map((f) => [f.path, f.flagged]), report.files.map((f) => [f.path, f.flagged]));
    // One answer per unique sha256 per engine: app.exe appears twice (MSI and ZIP) and was asked once.
    const unique = new Set(report.files.map((f) => f.sha256)).size;
    assert.ok(unique < report.files.length);

    const table = absolve(['scans', 'show', report.id, '--db', db], { env: { COLUMNS: '200' } });
    assert.match(table.stdout, /app-signed\.msi!\/Contoso\/Contoso App\/app\.exe\s+2\/2/);
    assert.match(table.stdout, /ClamAV: Absolve\.Test\.AppExe\.UNOFFICIAL/);
    const markdown = absolve(['scans', 'show', report.id, '--db', db, '--format', 'markdown']);
    assert.match(markdown.stdout, /^### Absolve scan: 4 of 7 file\(s\) flagged/);
  });

  it('scans a recorded release from the store after its folder is gone; monitor sees a detection solved; the gate flips', () => {
    const add = absolve(['release', 'add', 'contoso', '1.0', release, '--db', db]);
    assert.ok(add.code === 0 || add.code === 1, add.stderr);
    rmSync(release, { recursive: true, force: true });

    const r = absolve(['scan', '--release', 'contoso@1.0', ...engines, '--max-age', '0', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as ScanReport & { events: DetectionEvent[] };
    assert.deepEqual(report.release, { product: 'contoso', version: '1.0' });
    const flaggedPaths = ['app-signed.msi', 'app-signed.msi!/Contoso/Contoso App/app.exe', 'plain.zip', 'plain.zip!/Contoso/app.exe'];
    assert.deepEqual(report.files.filter((f) => f.flagged > 0).map((f) => f.path), flaggedPaths);
    assert.deepEqual(report.events, [], 'the same answers as before: no change');

    const lenient = ['--db', db, '--must-be-clean', '', '--max-engines', '1', '--allow-invalid-signatures', '--format', 'json'];
    const failing = absolve(['gate', 'contoso@1.0', ...lenient]);
    assert.equal(failing.code, 1, failing.stderr);
    const gate = JSON.parse(failing.stdout) as GateResult;
    assert.deepEqual(gate.reasons.map((x) => x.code), ['DETECTIONS']);
    assert.deepEqual(gate.reasons[0]?.files, ['app-signed.msi!/Contoso/Contoso App/app.exe', 'plain.zip!/Contoso/app.exe'], 'two engines flag the inner app.exe; one the containers');

    // ClamAV's database no longer carries the signature: a monitor round sees the detection solved.
    const round = absolve(['monitor', '--once', '--engines', 'clamav', '--clamav-db', clamDbWithout, '--db', db, '--no-progress', '--format', 'json']);
    assert.equal(round.code, 0, round.stderr);
    const events = (JSON.parse(round.stdout) as { events: DetectionEvent[] }).events;
    // One event per file ClamAV flagged (the MSI, the ZIP and app.exe, by their unique hashes).
    assert.equal(events.length, 3);
    assert.ok(events.every((e) => e.kind === 'solved-detections' && e.via === 'clamav' && e.before.join() === 'ClamAV' && e.after.length === 0));
    assert.ok(events.some((e) => e.sha256 === appExe?.sha256));
    const listed = absolve(['events', '--db', db, '--format', 'json']);
    assert.equal((JSON.parse(listed.stdout) as { events: DetectionEvent[] }).events.length, 3);
    const again = absolve(['events', '--db', db, '--kind', 'new-detections', '--format', 'json']);
    assert.deepEqual((JSON.parse(again.stdout) as { events: DetectionEvent[] }).events, []);

    const passing = absolve(['gate', 'contoso@1.0', ...lenient]);
    assert.equal(passing.code, 0, passing.stdout);
    const strict = absolve(['gate', 'contoso@1.0', '--db', db]);
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /contoso@1\.0: FAIL\n {2}DETECTIONS: .*YARA/);
  });

  it('an unknown engine, an engine without its configuration, and no engine at all are one-line errors', () => {
    const unknown = absolve(['scan', dir, '--engines', 'nonsense', '--db', db]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^absolve: ENGINE_UNKNOWN: unknown engine 'nonsense': use virustotal, vt-monitor, metadefender, clamav, yara, defender, /);
    const noRules = absolve(['scan', dir, '--engines', 'yara', '--db', db]);
    assert.match(noRules.stderr, /^absolve: ENGINE_CONFIG_INVALID: .*--yara-rules/);
    // A scanner that cannot answer: the files are not clean, and the exit code says the scan is incomplete.
    const dead = absolve(['scan', join(containers, 'zip', 'plain.zip'), '--engines', 'clamav', '--clamd', join(dir, 'no-such.sock'), '--db', db, '--no-progress']);
    assert.equal(dead.code, 2, dead.stdout);
    assert.match(dead.stderr, /^absolve: SCAN_INCOMPLETE: 3 file\(s\) got no answer from any engine/);
    assert.match(dead.stdout, /ClamAV: no answer \(failure:/);
    const none = absolve(['scan', dir, '--db', db], { env: { VT_API_KEY: '', MD_API_KEY: '' } });
    assert.match(none.stderr, /^absolve: ENGINE_CONFIG_INVALID: no scan engine is configured/);
    assert.equal(none.stderr.trim().split('\n').length, 1);
  });
});
