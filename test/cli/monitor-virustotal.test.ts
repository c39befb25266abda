/**
 * The monitor loop end to end, as a user runs it, against the local VirusTotal server that follows
 * VT's documented behaviour (test/support/fake-virustotal.ts): a recorded release (the ZIP fixture,
 * whose member hashes come from 7-Zip's extraction in the container oracle), monitor rounds with
 * `absolve monitor --once`, alerts to a webhook receiver on loopback configured in
 * absolve.config.json, and `absolve gate`. A new detection gives exactly one new-detections event
 * and one webhook delivery, and the gate flips from 0 to 1; once VT no longer reports it, one
 * solved-detections event, one more delivery, and the gate is 0 again.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DetectionEvent } from '../../src/core/monitor/detection-events.ts';
import { absolveAsync } from '../store/cli-harness.ts';
import { FAKE_VT_KEY, FakeVirusTotal } from '../support/fake-virustotal.ts';
import { repoRoot } from '../support/fixtures.ts';

const containers = join(repoRoot, 'test', 'fixtures', 'containers');
const oracle = (JSON.parse(readFileSync(join(containers, 'oracle.json'), 'utf8')) as { files: Record<string, { sha256: string; sevenZip?: { extracted: Array<{ path: string; sha256: string }> } }> }).files;
const zip = oracle['zip/plain.zip'];
const memberSha = (suffix: string): string => zip?.sevenZip?.extracted.find((m) => m.path.endsWith(suffix))?.sha256 ?? '';

describe('monitor rounds against the local VirusTotal server: events, webhook alerts, gate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'absolve-monitor-vt-'));
  const db = `sqlite:${join(dir, 'store', 'absolve.db')}`;
  mkdirSync(join(dir, 'store'));
  let fake: FakeVirusTotal;
  let receiver: Server;
  const posts: Array<{ kind: string; id: string }> = [];
  let env: Record<string, string> = {};

  before(async () => {
    fake = await FakeVirusTotal.start({ quota: { perWindow: 1000, windowMs: 60_000 } });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { kind: string; id: string });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    writeFileSync(
      join(dir, 'absolve.config.json'),
      JSON.stringify({ alerts: { webhooks: [{ url: `http://127.0.0.1:${address.port}/hooks/secret-path`, format: 'json', events: ['new-detections', 'solved-detections'] }] } }),
    );
    env = { VT_API_KEY: FAKE_VT_KEY, VT_API_URL: fake.baseUrl, VT_QUOTA_PER_MINUTE: '1000' };
    mkdirSync(join(dir, 'release'));
    copyFileSync(join(containers, 'zip', 'plain.zip'), join(dir, 'release', 'plain.zip'));
    for (const sha of [zip?.sha256 ?? '', memberSha('/app.exe'), memberSha('/contoso-lib.dll')]) fake.addKnownFile(sha, {});
  });
  after(async () => {
    await fake.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const round = async (): Promise<{ events: DetectionEvent[]; alerts: { delivered: string[] } | null }> => {
    const r = await absolveAsync(['monitor', '--once', '--engines', 'virustotal', '--db', db, '--no-progress', '--format', 'json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('secret-path') && !r.stderr.includes('secret-path') && !r.stderr.includes(FAKE_VT_KEY), 'neither the webhook URL nor the API key is printed');
    return JSON.parse(r.stdout) as { events: DetectionEvent[]; alerts: { delivered: string[] } | null };
  };
  const gate = async (): Promise<number | null> => (await absolveAsync(['gate', 'contoso@1.0', '--allow-invalid-signatures', '--db', db], { cwd: dir })).code;

  it('new detection → one event, one delivery, gate 1; solved → one event, one delivery, gate 0', async () => {
    assert.notEqual((await absolveAsync(['release', 'add', 'contoso', '1.0', join(dir, 'release'), '--db', db], { cwd: dir })).code, 2);
    assert.deepEqual((await round()).events, [], 'the first round has nothing to compare with');
    assert.equal(await gate(), 0);
    const lookupsPerRound = fake.requests('GET', /^\/api\/v3\/files\//).length;
    assert.equal(lookupsPerRound, 3, 'one lookup per unique hash');

    fake.addKnownFile(memberSha('/app.exe'), { Microsoft: 'Trojan:Win32/Wacatac.B!ml' });
    const second = await round();
    assert.deepEqual(second.events.map((e) => [e.kind, e.sha256, e.after]), [['new-detections', memberSha('/app.exe'), ['Microsoft']]]);
    assert.equal(second.alerts?.delivered.length, 1);
    assert.deepEqual(posts.map((p) => p.kind), ['new-detections']);
    assert.equal(await gate(), 1);

    fake.addKnownFile(memberSha('/app.exe'), {});
    const third = await round();
    assert.deepEqual(third.events.map((e) => e.kind), ['solved-detections']);
    assert.deepEqual(posts.map((p) => p.kind), ['new-detections', 'solved-detections']);
    assert.equal(new Set(posts.map((p) => p.id)).size, 2, 'each event delivered once');
    assert.equal(await gate(), 0);
    const events = await absolveAsync(['events', '--db', db, '--format', 'json'], { cwd: dir });
    assert.deepEqual((JSON.parse(events.stdout) as { events: DetectionEvent[] }).events.map((e) => e.kind), ['new-detections', 'solved-detections']);
  });
});
