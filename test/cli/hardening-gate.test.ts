/**
 * Issue 13 §1: nothing unaudited passes the policy gate. Every way an executable can sit in a release without
 * being audited (a bomb, the 10,001st member, below the depth limit, encrypted, an unsupported method, a corrupt
 * member, --max-members 0, a dangling link) exits 1 with an error finding naming it; --allow-unaudited accepts
 * a named case. Plus §3's bombs (fan-out, overlapping ZIP and CAB members, many members under the ratio
 * threshold): bounded by counts and peak memory measured in the child, never by time.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ArtifactReport, AuditReport, Finding } from '../../src/core/audit.types.ts';
import { repoRoot } from '../support/fixtures.ts';
import { buildCabinet, buildOverlappingZip, buildZip, noise } from '../support/hostile-archives.ts';

const entry = join(repoRoot, 'src', 'app', 'cli-entry.ts');
const rssReporter = join(repoRoot, 'test', 'support', 'report-max-rss.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'absolve-gate-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const hostile = (name: string): string => join(repoRoot, 'test', 'fixtures', 'hostile', name);
const containers = (name: string): string => join(repoRoot, 'test', 'fixtures', 'containers', name);
/** What 7-Zip and cabextract say about the committed hostile fixtures (scripts/fixtures/build-hostile-fixtures.ts). */
interface HostileOracle {
  [fixture: string]: { sevenZip?: Array<{ Path: string; Size: string; 'Packed Size': string }>; cabextractTest?: { exitCode: number; failed: string[] } };
}
const oracle = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'hostile', 'oracle.json'), 'utf8')) as HostileOracle;
const APP = readFileSync(join(repoRoot, 'test', 'fixtures', 'pe', 'app-x64-console.exe'));
const MiB = 1024 * 1024;

interface Run {
  code: number | null;
  report: AuditReport;
  stderr: string;
  /** Peak resident set size of the child, bytes. */
  maxRSS: number;
}

let runs = 0;
/** `absolve audit … --format json -j 1` in a child, with its peak RSS. A hang is cut off (and fails the test) by the timeout. */
function audit(...args: string[]): Run {
  const rssFile = join(scratch, `rss-${runs++}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', rssReporter, entry, 'audit', ...args, '--format', 'json', '-j', '1'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ABSOLVE_TEST_RSS_FILE: rssFile },
    maxBuffer: 512 * MiB,
    timeout: 120_000,
  });
  assert.notEqual(r.stdout, '', `no report: ${r.stderr}`);
  return { code: r.status, report: JSON.parse(r.stdout) as AuditReport, stderr: r.stderr, maxRSS: Number(readFileSync(rssFile, 'utf8')) };
}

function findings(report: AuditReport): Array<Finding & { artifact: string }> {
  return report.artifacts.flatMap((a: ArtifactReport) => a.findings.map((f) => ({ ...f, artifact: a.path })));
}

/** The run broke the policy because of an error finding `id` whose message names `member`. */
function assertUnaudited(run: Run, id: string, member: string): void {
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.report.summary.policyMet, false);
  const hit = findings(run.report).find((f) => f.id === id && f.severity === 'error' && f.message.includes(member));
  assert.ok(hit, `expected an error ${id} naming ${member}; got ${JSON.stringify(findings(run.report).slice(0, 5))}`);
}

describe('the gate: an unaudited member that could hold code breaks the policy', () => {
  it('a PE padded past the compression ratio limit (ABS-CONTAINER-BOMB)', () => {
    const run = audit(hostile('ratio-bomb.zip'));
    // 7-Zip reads the same sizes: 8 MB from 28 KB is past the ratio of 200.
    const [seven] = oracle['ratio-bomb.zip']?.sevenZip ?? [];
    assert.ok(seven !== undefined && Number(seven.Size) > 200 * Number(seven['Packed Size']));
    assertUnaudited(run, 'ABS-CONTAINER-BOMB', `${seven.Path}: zip bomb suspected: member expands ${seven['Packed Size']} stored bytes to ${seven.Size}`);
    assert.equal(run.report.artifacts.length, 1, 'the member is not expanded');
  });

  it('the 10,001st member (ABS-CONTAINER-TOO-MANY-MEMBERS names it)', () => {
    const zip = join(scratch, 'many.zip');
    const entries = Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}.txt`, data: new Uint8Array([0x61]), method: 'stored' as const }));
    writeFileSync(zip, buildZip([...entries, { name: 'payload/app.exe', data: APP }]));
    const run = audit(zip);
    assertUnaudited(run, 'ABS-CONTAINER-TOO-MANY-MEMBERS', 'payload/app.exe');
    assert.equal(run.report.artifacts.length, 1 + 10_000);
  });

  it('20 nested ZIPs: the container at the depth limit (ABS-CONTAINER-TOO-DEEP)', () => {
    const run = audit(hostile('deep-20.zip'));
    assertUnaudited(run, 'ABS-CONTAINER-TOO-DEEP', 'level-8.zip');
    assert.equal(run.report.artifacts[1]?.path, `${hostile('deep-20.zip')}!/${oracle['deep-20.zip']?.sevenZip?.[0]?.Path ?? '?'}`, '7-Zip lists the same first level');
    assert.equal(run.report.artifacts.length, 9, 'the top-level file and 8 levels, no more');
  });

  it('an encrypted exe (zip -P): ABS-CONTAINER-ENCRYPTED is an error for app.exe, a warning for readme.txt', () => {
    const run = audit(containers('zip/encrypted.zip'));
    assertUnaudited(run, 'ABS-CONTAINER-ENCRYPTED', 'pay/app.exe');
    const readme = findings(run.report).find((f) => f.id === 'ABS-CONTAINER-ENCRYPTED' && f.message.startsWith('pay/readme.txt'));
    assert.equal(readme?.severity, 'warning');
  });

  it('a bzip2 exe (ABS-CONTAINER-UNSUPPORTED-METHOD)', () => {
    assertUnaudited(audit(containers('zip/bzip2.zip')), 'ABS-CONTAINER-UNSUPPORTED-METHOD', 'app.exe');
  });

  it('a corrupt CAB member (ABS-CONTAINER-BAD-MEMBER)', () => {
    // cabextract -t fails on the same member.
    const failed = oracle['corrupt-member.cab']?.cabextractTest?.failed ?? [];
    assert.deepEqual(failed, ['app.exe']);
    assertUnaudited(audit(hostile('corrupt-member.cab')), 'ABS-CONTAINER-BAD-MEMBER', `${failed[0] ?? '?'}: not audited`);
  });

  it('--max-members 0 lists nothing, and says so as an error', () => {
    const run = audit(containers('zip/plain.zip'), '--max-members', '0');
    assertUnaudited(run, 'ABS-CONTAINER-TOO-MANY-MEMBERS', 'not audited');
    assert.equal(run.report.artifacts.length, 1);
  });

  it('--allow-unaudited accepts a named case knowingly, and only that one', () => {
    const allowed = audit(containers('zip/encrypted.zip'), '--allow-unaudited', 'ABS-CONTAINER-ENCRYPTED');
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.report.summary.policyMet, true);
    const other = audit(containers('zip/encrypted.zip'), '--allow-unaudited', 'ABS-CONTAINER-BOMB');
    assert.equal(other.code, 1);
    const typo = spawnSync(process.execPath, ['--import', 'tsx', entry, 'audit', containers('zip/encrypted.zip'), '--allow-unaudited', 'ENCRYPTED'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /^absolve: USAGE: --allow-unaudited takes a finding ID/);
  });
});

describe('the gate in folders: nothing vanishes', () => {
  const folder = join(scratch, 'release');
  mkdirSync(folder);
  writeFileSync(join(folder, 'readme.txt'), 'hello\n');
  symlinkSync('missing-target.exe', join(folder, 'setup.exe'));
  symlinkSync('loop-b', join(folder, 'loop-a.dll'));
  symlinkSync('loop-a.dll', join(folder, 'loop-b'));
  const fifo = spawnSync('mkfifo', [join(folder, 'pipe.bin')]);
  const haveFifo = fifo.status === 0;

  it('a dangling .exe link, a link loop and a FIFO are findings; the dangling exe breaks the policy', () => {
    const run = audit(folder);
    assertUnaudited(run, 'ABS-FILE-DANGLING-LINK', '');
    const byPath = new Map(run.report.artifacts.map((a) => [a.path.slice(folder.length + 1), a.findings.map((f) => `${f.id}:${f.severity}`)]));
    assert.deepEqual(byPath.get('setup.exe'), ['ABS-FILE-DANGLING-LINK:error']);
    assert.deepEqual(byPath.get('loop-a.dll'), ['ABS-FILE-LINK-LOOP:error']);
    assert.deepEqual(byPath.get('loop-b'), ['ABS-FILE-LINK-LOOP:warning']);
    if (haveFifo) assert.deepEqual(byPath.get('pipe.bin'), ['ABS-FILE-SPECIAL:warning'], 'the FIFO is reported, never opened (the run did not hang)');
  });

  it('release add does not record a release around a dangling .exe link or a link loop named .dll (RELEASE_INVALID naming them)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', entry, 'release', 'add', 'App', '1.0', folder, '--db', `sqlite:${join(scratch, 'gate.db')}`], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^absolve: RELEASE_INVALID: cannot record [^\n]*'setup\.exe' \(ABS-FILE-DANGLING-LINK: [^\n]+\n$/);
  });

  it('an empty release is not "met": exit 1, unless ABS-AUDIT-EMPTY is allowed', () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const run = audit(empty);
    assert.equal(run.code, 1);
    assert.equal(run.report.summary.files, 0);
    assert.equal(run.report.summary.policyMet, false);
    assert.equal(audit(empty, '--allow-unaudited', 'ABS-AUDIT-EMPTY').code, 0);
    const table = spawnSync(process.execPath, ['--import', 'tsx', entry, 'audit', empty], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.match(table.stdout, /Policy not met: nothing was audited/);
  });
});

describe('bombs are bounded: counts and peak memory, not time', () => {
  const LIMIT_RSS = 256 * MiB;

  it('the peak RSS measured is the child\'s own, not the test runner\'s carried across fork and exec', () => {
    const ballast = Buffer.alloc(300 * MiB, 1);
    const rssFile = join(scratch, 'rss-ballast');
    spawnSync(process.execPath, ['--import', rssReporter, '-e', ''], { env: { ...process.env, ABSOLVE_TEST_RSS_FILE: rssFile } });
    const childPeak = Number(readFileSync(rssFile, 'utf8'));
    assert.ok(ballast[0] === 1 && childPeak > 0 && childPeak < 200 * MiB, `child peak ${childPeak} while this process holds ${process.memoryUsage().rss}`);
  });

  it('fan-out: 10 members on 6 levels (1.1 million members from 13 KB) stop at the tree limit', () => {
    const run = audit(hostile('fanout-10x6.zip'));
    assertUnaudited(run, 'ABS-CONTAINER-TOO-MANY-MEMBERS', 'maxTotalMembers');
    assert.ok(run.report.artifacts.length <= 10_001, `${run.report.artifacts.length} artifacts`);
    // The first level as 7-Zip lists it.
    assert.deepEqual(run.report.artifacts.filter((a) => a.path.split('!/').length === 2).map((a) => a.path.split('!/')[1]), (oracle['fanout-10x6.zip']?.sevenZip ?? []).map((e) => e.Path));
    assert.ok(run.maxRSS < LIMIT_RSS, `peak RSS ${run.maxRSS}`);
  });

  it('fan-out with a higher member cap: the ratio over the whole tree stops it (ABS-CONTAINER-BOMB)', () => {
    const run = audit(hostile('fanout-10x6.zip'), '--max-total-members', '1000000');
    assertUnaudited(run, 'ABS-CONTAINER-BOMB', 'maxCompressionRatio 200 times its size');
    assert.ok(run.maxRSS < LIMIT_RSS, `peak RSS ${run.maxRSS}`);
  });

  it('ZIP: 5,000 central entries over one 1 MB stored block: one member expanded, 4,999 bombs', () => {
    const zip = join(scratch, 'overlap.zip');
    writeFileSync(zip, buildOverlappingZip(noise(MiB), 5000));
    const run = audit(zip);
    assertUnaudited(run, 'ABS-CONTAINER-BOMB', 'overlaps the data of f00000.bin');
    assert.equal(run.report.artifacts.length, 2, 'the archive and the one member that owns the block');
    assert.equal(findings(run.report).filter((f) => f.id === 'ABS-CONTAINER-BOMB').length, 4999);
    assert.ok(run.maxRSS < LIMIT_RSS, `peak RSS ${run.maxRSS}`);
  });

  it('CAB: 5,000 files over one stored folder: one member expanded, the rest are bombs', () => {
    const cab = join(scratch, 'overlap.cab');
    const files = Array.from({ length: 5000 }, (_, i) => ({ name: `f${String(i).padStart(5, '0')}.bin`, size: MiB, folderOffset: 0 }));
    writeFileSync(cab, buildCabinet(noise(MiB), files, 'none'));
    const run = audit(cab);
    assertUnaudited(run, 'ABS-CONTAINER-BOMB', 'f04999.bin');
    assert.equal(run.report.artifacts.length, 2);
    assert.equal(findings(run.report).filter((f) => f.id === 'ABS-CONTAINER-BOMB').length, 4999);
    assert.ok(run.maxRSS < LIMIT_RSS, `peak RSS ${run.maxRSS}`);
  });

  it('CAB: many MSZIP members just under 1 MiB each are held to the ratio as a whole', () => {
    const count = 150;
    const size = MiB - 1;
    const cabBytes = buildCabinet(new Uint8Array(count * size), Array.from({ length: count }, (_, i) => ({ name: `z${String(i).padStart(3, '0')}.bin`, size, folderOffset: i * size })), 'mszip');
    const cab = join(scratch, 'under-threshold.cab');
    writeFileSync(cab, cabBytes);
    const run = audit(cab);
    assertUnaudited(run, 'ABS-CONTAINER-BOMB', 'more than maxCompressionRatio 200 times the container');
    // The members audited fit in 200 times the cabinet's size; every other one is a bomb finding.
    const expanded = run.report.artifacts.length - 1;
    assert.ok(expanded * size <= 200 * cabBytes.length, `${expanded} members expanded from ${cabBytes.length} bytes`);
    assert.equal(expanded + findings(run.report).filter((f) => f.id === 'ABS-CONTAINER-BOMB').length, count);
    assert.ok(run.maxRSS < LIMIT_RSS, `peak RSS ${run.maxRSS}`);
  });
});
