/**
 * The detection-to-submission loop through the CLI, as a publisher runs it: a recorded release with
 * detections from Microsoft, BitDefender and two of its OEM engines, Symantec and McAfee →
 * `cases open` → `submit` (archives checked with 7-Zip and unzip, the oracle tools) → `submit --send`
 * to a real SMTP server on loopback (messages parsed with mailparser) → a later scan resolves the
 * cases whose detection is gone.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { peFixtures } from '../support/fixtures.ts';
import { skipUnlessTools } from '../support/tools.ts';
import { absolve, absolveJSON, AT, startServe, TRUST_BOTH } from '../store/cli-harness.ts';
import { absolveAsync, RELEASE, recordRelease, storeScan, vt, type RecordedRelease } from '../cases/case-fixture.ts';
import { startSmtp, type LoopbackSmtp } from '../cases/smtp-fixture.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-cases-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const SMTP_USER = 'publisher';
const SMTP_PASS = 'loopback-s3cret';

interface CaseJSON {
  id: number;
  vendor: string;
  kind: string;
  state: string;
  subject: string;
  detections: Array<{ engine: string }>;
  dueAt: string | null;
  submittedAt: string | null;
}
interface PackageJSON {
  vendor: string;
  kind: string;
  caseIds: number[];
  archive: { file: string; password: string | null; members: Array<{ name: string; sha256: string }> } | null;
  email: { file: string; to: string; subject: string; messageId: string; status: string } | null;
  form: { file: string; channels: string[] } | null;
}

function run(tool: string, args: string[]): { code: number | null; out: string } {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('cases and submissions through the CLI', { timeout: 300_000 }, () => {
  let release: RecordedRelease;
  let smtp: LoopbackSmtp;
  let config: string;
  const setup = () => release.files.find((f) => f.path === 'setup.exe');
  const helper = () => release.files.find((f) => f.path === 'bin/helper.dll');

  before(async () => {
    release = recordRelease(join(scratch, 'main'), { 'setup.exe': 'signed-sha256.exe', 'bin/helper.dll': 'lib-x64.dll', 'readme.txt': { text: 'hello' } });
    const at = '2026-12-01T10:00:00.000Z';
    await storeScan(release.db, 'scan-1', at, release.files, {
      'setup.exe': [
        vt('Microsoft', 'malicious', 'Trojan:Win32/Wacatac.B!ml', at),
        vt('BitDefender', 'malicious', 'Gen:Variant.Zusy.123456', at),
        vt('GData', 'malicious', 'Gen:Variant.Zusy.123456', at),
        vt('Emsisoft', 'malicious', 'Gen:Variant.Zusy.123456 (B)', at),
        vt('Symantec', 'malicious', 'ML.Attribute.HighConfidence', at),
        vt('McAfee', 'suspicious', 'Artemis!0123456789AB', at),
        vt('Kaspersky', 'undetected', null, at),
        vt('ESET-NOD32', 'failure', null, at),
      ],
      'bin/helper.dll': [vt('Symantec', 'malicious', 'Trojan.Gen.2', at), vt('Microsoft', 'undetected', null, at)],
    });
    smtp = await startSmtp({ user: SMTP_USER, pass: SMTP_PASS });
    config = join(scratch, 'absolve.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        submission: { publisher: 'Contoso Ltd', contactName: 'Jane Doe', contactEmail: 'jane@contoso.example', downloadUrl: 'https://contoso.example/download/2.0' },
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, auth: { user: SMTP_USER }, from: 'Jane Doe <jane@contoso.example>' },
      }),
    );
  });
  after(() => smtp.close());

  it('opens one case per vendor and file, the OEM engines under BitDefender, and nothing twice', () => {
    const opened = absolveJSON<{ opened: CaseJSON[]; existing: CaseJSON[] }>(['cases', 'open', '--release', RELEASE, '--db', release.db]);
    const byVendor = opened.opened.map((c) => `${c.vendor}:${c.subject === setup()?.sha256 ? 'setup' : 'helper'}:${c.detections.map((d) => d.engine).join('+')}`).sort();
    assert.deepEqual(byVendor, ['BitDefender:setup:BitDefender+Emsisoft+GData', 'McAfee:setup:McAfee', 'Microsoft:setup:Microsoft', 'Symantec:helper:Symantec', 'Symantec:setup:Symantec']);
    assert.ok(opened.opened.every((c) => c.state === 'new' && c.kind === 'false-positive'));
    const again = absolveJSON<{ opened: CaseJSON[]; existing: CaseJSON[] }>(['cases', 'open', '--release', RELEASE, '--db', release.db]);
    assert.equal(again.opened.length, 0);
    assert.equal(again.existing.length, 5);
    assert.equal(absolveJSON<{ cases: CaseJSON[] }>(['cases', 'list', '--db', release.db, '--kind', 'false-positive']).cases.length, 5);
    // `release add` drafted the per-release clean-software submissions (McAfee's programme; Trend Micro's GRID).
    const drafts = absolveJSON<{ cases: CaseJSON[] }>(['cases', 'list', '--db', release.db, '--kind', 'allowlist']).cases;
    assert.deepEqual(drafts.map((c) => c.vendor).sort(), ['McAfee', 'TrendMicro']);
  });

  it('absolve serve shows a case with its submission package as submit writes it: the config\'s submission profile', async () => {
    const { token } = absolveJSON<{ token: string }>(['tokens', 'create', '--role', 'read', '--db', release.db]);
    const mcafee = absolveJSON<{ cases: CaseJSON[] }>(['cases', 'list', '--db', release.db, '--kind', 'false-positive']).cases.find((c) => c.vendor === 'McAfee');
    assert.ok(mcafee);
    // serve reads ./absolve.config.json of its working folder, as submit does.
    const { url, stop } = await startServe(['--port', '0', '--db', release.db], { cwd: scratch });
    try {
      const r = await fetch(`${url}/api/v1/cases/${mcafee.id}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(r.status, 200);
      const body = (await r.json()) as { package: unknown };
      const pkg = JSON.stringify(body.package);
      // McAfee takes mail: it comes from the profile's contact and names the publisher and download page.
      assert.match(pkg, /jane@contoso\.example/, 'the contact of the config\'s submission profile');
      assert.match(pkg, /Contoso Ltd/);
    } finally {
      await stop();
    }
  });

  it('writes a package per vendor: Microsoft field sheet, BitDefender and Symantec archives by their rules, McAfee mail with FALSE', { skip: skipUnlessTools('7zz', 'unzip') }, async () => {
    const out = join(scratch, 'out');
    const result = absolveJSON<{ packages: PackageJSON[] }>(['submit', '--release', RELEASE, '--out', out, '--db', release.db, '--config', config]);
    const pkg = (vendor: string) => {
      const p = result.packages.find((x) => x.vendor === vendor && x.kind === 'false-positive');
      assert.ok(p, `a package for ${vendor}`);
      return p;
    };
    // Microsoft: a portal, no email, a field sheet with the values to paste.
    const ms = pkg('Microsoft');
    assert.equal(ms.email, null);
    assert.ok(ms.form);
    const sheet = readFileSync(join(out, ms.form.file), 'utf8');
    assert.match(sheet, /https:\/\/www\.microsoft\.com\/en-us\/wdsi\/filesubmission/);
    assert.match(sheet, new RegExp(`\\| SHA-256 \\| ${setup()?.sha256} \\|`));
    assert.match(sheet, /\| Detection \(Microsoft\) \| Trojan:Win32\/Wacatac\.B!ml \|/);
    assert.match(sheet, /\| Publisher \| Contoso Ltd \|/);
    assert.match(sheet, /\| Signer \| [^|]*CN=/);

    // BitDefender: one package for the three engines, ZipCrypto with "infected"; 7-Zip and unzip open it.
    const bd = pkg('BitDefender');
    assert.equal(bd.caseIds.length, 1);
    assert.ok(bd.archive);
    assert.equal(bd.archive.password, 'infected');
    const bdZip = join(out, bd.archive.file);
    const listing = run('7zz', ['l', '-slt', '-pinfected', bdZip]);
    assert.equal(listing.code, 0, listing.out);
    assert.match(listing.out, /Encrypted = \+/);
    assert.match(listing.out, /Method = ZipCrypto/);
    assert.equal(run('7zz', ['t', '-pinfected', bdZip]).code, 0);
    assert.notEqual(run('7zz', ['t', '-pwrong', bdZip]).code, 0, 'a wrong password must not open it');
    assert.equal(run('unzip', ['-t', '-P', 'infected', bdZip]).code, 0);
    const extracted = spawnSync('unzip', ['-p', '-P', 'infected', bdZip, 'setup.exe'], { maxBuffer: 64 * 1024 * 1024 });
    assert.deepEqual(extracted.stdout, readFileSync(join(peFixtures, 'signed-sha256.exe')), 'the archived bytes are the released file');
    const bdMail = await simpleParser(readFileSync(join(out, bd.email?.file ?? '')));
    assert.match(bdMail.text ?? '', /BitDefender: Gen:Variant\.Zusy\.123456/);
    assert.match(bdMail.text ?? '', /GData: Gen:Variant\.Zusy\.123456/);
    assert.match(bdMail.text ?? '', /Emsisoft: Gen:Variant\.Zusy\.123456 \(B\)/);

    // Symantec: two files in one archive, not password-protected (Symantec refuses protected uploads).
    const sym = pkg('Symantec');
    assert.ok(sym.archive);
    assert.equal(sym.archive.password, null);
    const symZip = join(out, sym.archive.file);
    const symListing = run('7zz', ['l', '-slt', symZip]);
    assert.equal(symListing.code, 0, symListing.out);
    assert.doesNotMatch(symListing.out, /Encrypted = \+/);
    assert.deepEqual(sym.archive.members.map((m) => m.name).sort(), ['helper.dll', 'setup.exe']);
    assert.equal(run('unzip', ['-t', symZip]).code, 0);

    // McAfee: an email whose subject starts with FALSE, body with everything the lab asks for.
    const mc = pkg('McAfee');
    assert.ok(mc.email);
    const mail = await simpleParser(readFileSync(join(out, mc.email.file)));
    assert.ok(mail.subject?.startsWith('FALSE'), mail.subject);
    assert.equal(mail.messageId, mc.email.messageId);
    const text = mail.text ?? '';
    for (const expected of ['Contoso App', 'Contoso Ltd', 'Version:     2.0', 'https://contoso.example/download/2.0', 'McAfee: Artemis!0123456789AB', setup()?.sha256 ?? '?', `https://www.virustotal.com/gui/file/${setup()?.sha256}`, 'SHA-1 thumbprint', 'Absolve reads this as']) {
      assert.ok(text.includes(expected), `the McAfee mail names ${expected}`);
    }
    assert.match(text, /password: infected/);
    assert.equal(mail.attachments.length, 1);
    assert.ok(readFileSync(join(out, 'manifest.json'), 'utf8').includes('absolve.submission/v1'));
    // McAfee's per-release clean-software submission: a mail to the programme's address, files listed by hash, nothing attached.
    const allow = result.packages.find((x) => x.vendor === 'McAfee' && x.kind === 'allowlist');
    assert.equal(allow?.email?.to, 'datasubmission@mcafee.com');
    assert.equal(allow?.archive, null);
    const allowMail = await simpleParser(readFileSync(join(out, allow?.email?.file ?? '')));
    assert.ok(allowMail.subject?.startsWith('Clean software submission: Contoso App 2.0'));
    assert.ok((allowMail.text ?? '').includes(helper()?.sha256 ?? '?'));
  });

  it('--send delivers each email once to the SMTP server; attachments are byte-identical; the cases are submitted with a due date', async () => {
    const out = join(scratch, 'sent');
    const env = { ABSOLVE_SMTP_PASSWORD: SMTP_PASS };
    const r = await absolveAsync(['submit', '--release', RELEASE, '--out', out, '--db', release.db, '--config', config, '--send', '--format', 'json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(SMTP_PASS) && !r.stderr.includes(SMTP_PASS), 'the SMTP password is never printed');
    const result = JSON.parse(r.stdout) as { packages: PackageJSON[] };
    const mailed = result.packages.filter((p) => p.email !== null);
    assert.deepEqual(mailed.filter((p) => p.kind === 'false-positive').map((p) => p.vendor).sort(), ['BitDefender', 'McAfee', 'Symantec']);
    assert.ok(mailed.every((p) => p.email?.status === 'sent'));
    assert.equal(smtp.received.length, mailed.length);
    for (const p of mailed) {
      const got = smtp.received.find((m) => m.raw.includes(Buffer.from(p.email?.messageId ?? '-')));
      assert.ok(got, `the server got ${p.vendor}'s mail`);
      assert.deepEqual(got.to, [p.email?.to]);
      assert.equal(got.from, 'jane@contoso.example');
      const parsed = await simpleParser(got.raw);
      assert.equal(parsed.messageId, p.email?.messageId);
      const zip = p.archive === null ? undefined : readFileSync(join(out, p.archive.file));
      assert.equal(parsed.attachments.length, zip === undefined ? 0 : 1);
      if (zip !== undefined) assert.deepEqual(parsed.attachments[0]?.content, zip, 'the attachment is the archive, byte for byte');
      for (const id of p.caseIds) {
        const shown = absolveJSON<{ case: CaseJSON; submissions: Array<{ messageId: string; state: string }> }>(['cases', 'show', String(id), '--db', release.db]);
        assert.equal(shown.case.state, 'submitted');
        assert.ok(shown.case.submittedAt !== null && shown.case.dueAt !== null);
        assert.equal(Date.parse(shown.case.dueAt) - Date.parse(shown.case.submittedAt), 7 * 86_400_000);
        assert.deepEqual(shown.submissions.map((s) => [s.messageId, s.state]), [[p.email?.messageId, 'sent']]);
      }
    }
    // Again: nothing is sent twice.
    const again = await absolveAsync(['submit', '--release', RELEASE, '--out', out, '--db', release.db, '--config', config, '--send', '--format', 'json'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.ok((JSON.parse(again.stdout) as { packages: PackageJSON[] }).packages.filter((p) => p.email !== null).every((p) => p.email?.status === 'already-sent'));
    assert.equal(smtp.received.length, mailed.length);
    // Nothing is due yet; a week later every mailed case is.
    assert.equal(absolveJSON<{ cases: CaseJSON[] }>(['cases', 'due', '--db', release.db]).cases.length, 0);
    const later = new Date(Date.now() + 8 * 86_400_000).toISOString();
    assert.equal(absolveJSON<{ cases: CaseJSON[] }>(['cases', 'due', '--db', release.db, '--at', later]).cases.length, mailed.reduce((n, p) => n + p.caseIds.length, 0));
  });

  it('a later scan resolves the cases whose detection is gone; an engine that failed is unknown, not solved', async () => {
    const at = '2026-12-03T10:00:00.000Z';
    await storeScan(release.db, 'scan-2', at, release.files, {
      'setup.exe': [
        vt('Microsoft', 'failure', null, at),
        vt('BitDefender', 'undetected', null, at),
        vt('GData', 'undetected', null, at),
        vt('Emsisoft', 'undetected', null, at),
        vt('Symantec', 'malicious', 'ML.Attribute.HighConfidence', at),
        vt('McAfee', 'undetected', null, at),
      ],
      'bin/helper.dll': [vt('Symantec', 'timeout', null, at)],
    });
    const result = absolveJSON<{ opened: CaseJSON[]; resolved: CaseJSON[] }>(['cases', 'open', '--release', RELEASE, '--db', release.db]);
    assert.deepEqual(result.resolved.map((c) => c.vendor).sort(), ['BitDefender', 'McAfee']);
    assert.equal(result.opened.length, 0);
    const states = absolveJSON<{ cases: CaseJSON[] }>(['cases', 'list', '--db', release.db, '--kind', 'false-positive']).cases.map((c) => `${c.vendor}:${c.state}`).sort();
    assert.deepEqual(states, ['BitDefender:resolved', 'McAfee:resolved', 'Microsoft:new', 'Symantec:submitted', 'Symantec:submitted']);
    const stats = absolveJSON<{ vendors: Array<{ vendor: string; cases: number; resolved: number; medianHoursToResolution: number | null }> }>(['vendors', 'stats', '--db', release.db]);
    const bd = stats.vendors.find((v) => v.vendor === 'BitDefender');
    assert.equal(bd?.cases, 1);
    assert.equal(bd?.resolved, 1);
    assert.equal(typeof bd?.medianHoursToResolution, 'number');
  });

  it('a release signed by a new certificate drafts certificate-change notices; recording it again drafts nothing', () => {
    const dir = join(scratch, 'release-2.1');
    mkdirSync(join(dir, 'bin'), { recursive: true });
    copyFileSync(join(peFixtures, 'signed-otherca.exe'), join(dir, 'setup.exe'));
    copyFileSync(join(peFixtures, 'lib-x64.dll'), join(dir, 'bin', 'helper.dll'));
    const args = ['release', 'add', 'Contoso App', '2.1', dir, '--db', release.db, ...TRUST_BOTH, ...AT, '--no-progress', '--fail-on', 'none'];
    const added = absolveJSON<{ outcome: string; draftedCases: Array<{ kind: string; vendor: string; subject: string }> }>(args);
    assert.equal(added.outcome, 'created');
    const kinds = added.draftedCases.map((c) => `${c.kind}:${c.vendor}`).sort();
    assert.deepEqual(kinds, ['allowlist:McAfee', 'allowlist:TrendMicro', 'certificate-change:AVG', 'certificate-change:Avast']);
    const again = absolveJSON<{ outcome: string; draftedCases: unknown[] }>(args);
    assert.equal(again.outcome, 'unchanged');
    assert.deepEqual(again.draftedCases, []);
  });

  it('records state changes from the vendor and refuses invalid ones', () => {
    const list = absolveJSON<{ cases: CaseJSON[] }>(['cases', 'list', '--db', release.db, '--vendor', 'Microsoft']).cases;
    const id = String(list[0]?.id);
    const bad = absolve(['cases', 'update', id, '--state', 'acknowledged', '--db', release.db]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^absolve: CASE_TRANSITION_INVALID: /);
    const submitted = absolveJSON<{ case: CaseJSON }>(['cases', 'update', id, '--state', 'submitted', '--note', 'sent through WDSI', '--db', release.db]);
    assert.equal(submitted.case.state, 'submitted');
    const ack = absolveJSON<{ case: CaseJSON & { reference: string } }>(['cases', 'update', id, '--state', 'acknowledged', '--reference', 'WDSI-42', '--db', release.db]);
    assert.equal(ack.case.reference, 'WDSI-42');
    const missing = absolve(['cases', 'show', '9999', '--db', release.db]);
    assert.match(missing.stderr, /^absolve: CASE_NOT_FOUND: /);
  });
});
