/**
 * Email alerts end to end, as a user runs them: `absolve monitor --once` against the local
 * VirusTotal server (test/support/fake-virustotal.ts), with `alerts.email` in absolve.config.json
 * pointing at a real SMTP server on loopback and the password in ABSOLVE_SMTP_PASSWORD. A round that
 * sees a new detection produces one event and exactly one mail; a later round with no change sends
 * nothing more; the password is printed nowhere.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import type { DetectionEvent } from '../../src/core/monitor/detection-events.ts';
import { absolveAsync } from '../store/cli-harness.ts';
import { FAKE_VT_KEY, FakeVirusTotal } from '../support/fake-virustotal.ts';
import { repoRoot } from '../support/fixtures.ts';
import { startSmtpReceiver, type SmtpReceiver } from './smtp-receiver.ts';

const containers = join(repoRoot, 'test', 'fixtures', 'containers');
const oracle = (JSON.parse(readFileSync(join(containers, 'oracle.json'), 'utf8')) as { files: Record<string, { sha256: string; sevenZip?: { extracted: Array<{ path: string; sha256: string }> } }> }).files;
const zip = oracle['zip/plain.zip'];
const memberSha = (suffix: string): string => zip?.sevenZip?.extracted.find((m) => m.path.endsWith(suffix))?.sha256 ?? '';
const PASSWORD = 'smtp-Secret-for-monitor';

describe('monitor round → one event → exactly one email alert', () => {
  const dir = mkdtempSync(join(tmpdir(), 'absolve-email-monitor-'));
  const db = `sqlite:${join(dir, 'store', 'absolve.db')}`;
  mkdirSync(join(dir, 'store'));
  let fake: FakeVirusTotal;
  let smtp: SmtpReceiver;
  let env: Record<string, string> = {};

  before(async () => {
    fake = await FakeVirusTotal.start({ quota: { perWindow: 1000, windowMs: 60_000 } });
    smtp = await startSmtpReceiver({ user: 'alerts', pass: PASSWORD });
    writeFileSync(
      join(dir, 'absolve.config.json'),
      JSON.stringify({ alerts: { email: { smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'alerts' }, from: 'Absolve <absolve@contoso.example>', to: ['release@contoso.example'], events: ['new-detections'] } } }),
    );
    env = { VT_API_KEY: FAKE_VT_KEY, VT_API_URL: fake.baseUrl, VT_QUOTA_PER_MINUTE: '1000', ABSOLVE_SMTP_PASSWORD: PASSWORD };
    mkdirSync(join(dir, 'release'));
    copyFileSync(join(containers, 'zip', 'plain.zip'), join(dir, 'release', 'plain.zip'));
    for (const sha of [zip?.sha256 ?? '', memberSha('/app.exe'), memberSha('/contoso-lib.dll')]) fake.addKnownFile(sha, {});
  });
  after(async () => {
    await fake.close();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const round = async (): Promise<{ events: DetectionEvent[]; alerts: { delivered: string[]; retrying: string[] } | null }> => {
    const r = await absolveAsync(['monitor', '--once', '--engines', 'virustotal', '--db', db, '--no-progress', '--format', 'json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD), 'the SMTP password is never printed');
    return JSON.parse(r.stdout) as { events: DetectionEvent[]; alerts: { delivered: string[]; retrying: string[] } | null };
  };

  it('sends one mail for the new detection and none on the next, unchanged round', async () => {
    assert.notEqual((await absolveAsync(['release', 'add', 'contoso', '1.0', join(dir, 'release'), '--db', db], { cwd: dir })).code, 2, 'recorded (exit 1 only reports the unsigned fixture files)');
    assert.deepEqual((await round()).events, []);
    assert.equal(smtp.accepted.length, 0);

    fake.addKnownFile(memberSha('/app.exe'), { Microsoft: 'Trojan:Win32/Wacatac.B!ml' });
    const second = await round();
    assert.deepEqual(second.events.map((e) => e.kind), ['new-detections']);
    assert.equal(second.alerts?.delivered.length, 1);
    assert.equal(smtp.accepted.length, 1, 'exactly one mail');

    const third = await round();
    assert.deepEqual(third.events, []);
    assert.equal(smtp.dataCount, 1, 'no second send');

    const mail = await simpleParser(smtp.accepted[0]?.raw ?? Buffer.alloc(0));
    assert.match(mail.subject ?? '', /^\[Absolve\] new-detections: .*app\.exe in contoso@1\.0: none → Microsoft$/);
    const text = mail.text ?? '';
    assert.ok(text.includes('Product: contoso\n') && text.includes('Version: 1.0\n') && text.includes('Engines after: Microsoft\n') && text.includes(memberSha('/app.exe')), text);
  });
});
