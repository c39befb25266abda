/**
 * The job handlers (core/jobs/handlers.ts) on a real SQLite store with the in-process queue, as
 * `absolve serve` runs them: a monitor round fans out one job per unique sha256; re-running the
 * round adds nothing twice; a retried artifact job asks no engine again; a new detection gives one
 * event and one alert delivery. Engines are a counting fake (the VirusTotal path is covered end to
 * end in test/cli/worker.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JOB_KINDS, monitorArtifactJob, scanReleaseJob, workJobs, type JobDeps, type MonitorArtifactPayload } from '../../src/core/jobs/handlers.ts';
import type { OpenedStore } from '../../src/core/releases/ports.ts';
import type { ScanEngine, Verdict } from '../../src/core/scans/scan.types.ts';
import { parseServiceSettings } from '../../src/core/service-settings.ts';
import { InProcessJobQueue } from '../../src/queue/in-process.ts';
import { createStoreOpener } from '../../src/store/open-store.ts';
import { fileSample, pathByteSource } from '../../src/files/file-sample.ts';
import { absolve } from '../store/cli-harness.ts';
import { createContainerReader } from '../../src/containers/container-reader.ts';
import { DEFAULT_CONTAINER_LIMITS } from '../../src/containers/index.ts';

describe('job handlers on SQLite with the in-process queue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'absolve-jobs-'));
  const db = `sqlite:${join(dir, 'store', 'absolve.db')}`;
  const env = { ABSOLVE_BLOBS: join(dir, 'blobs') };
  let opened: OpenedStore;
  const asked = new Map<string, number>();
  const flagged = new Set<string>();
  const posts: Array<{ id: string }> = [];
  const jobs: Array<{ kind: string; state: string; id: string }> = [];
  let waiters: Array<() => void> = [];
  const queue = new InProcessJobQueue({ retryDelayMs: 0 });

  const engine: ScanEngine = {
    id: 'counting',
    via: 'command',
    scan: (sample) => {
      asked.set(sample.sha256, (asked.get(sample.sha256) ?? 0) + 1);
      const detected = flagged.has(sample.sha256);
      const v: Verdict = { engine: 'Counting', via: 'command', category: detected ? 'malicious' : 'undetected', result: detected ? 'Test.Detection' : null, engineVersion: null, definitionsDate: null, scannedAt: new Date().toISOString(), classification: null };
      return Promise.resolve([v]);
    },
  };
  let deps: JobDeps;
  const until = (test: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!test()) return;
        waiters = waiters.filter((w) => w !== check);
        resolve();
      };
      waiters.push(check);
      check();
    });
  const doneOf = (kind: string): number => jobs.filter((j) => j.kind === kind && j.state === 'done').length;

  before(async () => {
    mkdirSync(join(dir, 'store'));
    mkdirSync(join(dir, 'release'));
    for (const name of ['a.txt', 'b.txt', 'c.txt']) writeFileSync(join(dir, 'release', name), `content of ${name}\n`);
    writeFileSync(join(dir, 'release', 'copy-of-a.txt'), 'content of a.txt\n'); // same bytes: one job
    const r = absolve(['release', 'add', 'contoso', '1.0', join(dir, 'release'), '--db', db], { env });
    assert.notEqual(r.code, 2, r.stderr);
    opened = await createStoreOpener({ env, cwd: dir })(db, { create: false });
    deps = {
      opened,
      queue,
      settings: parseServiceSettings({ alerts: { webhooks: [{ url: 'https://hooks.example/x', format: 'json', events: ['new-detections'] }] } }, 'test'),
      engines: () => Promise.resolve([engine]),
      fileRoot: async (fsPath, displayPath, known) => ({ path: displayPath, source: await pathByteSource(fsPath), sample: await fileSample(fsPath, displayPath, known) }),
      containers: () => Promise.resolve(createContainerReader({ ...DEFAULT_CONTAINER_LIMITS })),
      webhookSender: {
        post: (_url, body) => {
          posts.push(body as { id: string });
          return Promise.resolve({ ok: true, status: 204, retryable: false });
        },
      },
      now: () => new Date(),
      version: 'test',
      log: () => {},
    };
    await workJobs(deps, {
      concurrency: 2,
      onJob: (e) => {
        jobs.push(e);
        for (const w of [...waiters]) w();
      },
    });
  });
  after(async () => {
    await queue.stop();
    await opened.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a round: one job per unique sha256, each asked once; the same round again adds nothing', async () => {
    await queue.enqueue(JOB_KINDS.monitorRound, { roundId: 'monitor-20261205T030000Z-aaaaaa' });
    await until(() => doneOf(JOB_KINDS.monitorArtifact) === 3);
    assert.deepEqual([...asked.values()], [1, 1, 1]);
    const scan = await opened.scans.getScan('monitor-20261205T030000Z-aaaaaa');
    assert.equal(scan?.files.length, 4, 'every path is a target of the round');
    assert.ok(scan?.files.every((f) => f.verdicts.length === 1));

    await queue.enqueue(JOB_KINDS.monitorRound, { roundId: 'monitor-20261205T030000Z-aaaaaa' });
    await until(() => doneOf(JOB_KINDS.monitorRound) === 2);
    assert.equal(jobs.filter((j) => j.kind === JOB_KINDS.monitorArtifact && j.state === 'started').length, 3, 're-running the round queued no job twice');
    assert.deepEqual([...asked.values()], [1, 1, 1]);
  });

  it('a new detection: one event, one alert; a retried artifact job asks nothing again and alerts nothing again', async () => {
    const [sha] = [...asked.keys()];
    flagged.add(sha ?? '');
    await queue.enqueue(JOB_KINDS.monitorRound, { roundId: 'monitor-20261206T030000Z-bbbbbb' });
    await until(() => doneOf(JOB_KINDS.monitorArtifact) === 6 && posts.length === 1);
    const events = await opened.events.listEvents({});
    assert.deepEqual(events.map((e) => [e.kind, e.sha256]), [['new-detections', sha]]);
    assert.deepEqual(posts.map((p) => p.id), [events[0]?.id]);

    const scan = await opened.scans.getScan('monitor-20261206T030000Z-bbbbbb');
    const file = scan?.files.find((f) => f.sha256 === sha);
    const payload: MonitorArtifactPayload = { roundId: 'monitor-20261206T030000Z-bbbbbb', roundStartedAt: scan?.startedAt ?? '', sha256: sha ?? '', size: file?.size ?? 0, source: { product: 'contoso', version: '1.0', path: file?.path ?? '' }, paths: [], releases: [] };
    const before = asked.get(sha ?? '');
    const again = await monitorArtifactJob(deps, { id: 'retry', kind: JOB_KINDS.monitorArtifact, payload, attempt: 1, createdAt: new Date() });
    assert.deepEqual(again, { asked: 0, events: 0 });
    assert.equal(asked.get(sha ?? ''), before);
    await until(() => doneOf(JOB_KINDS.deliverAlerts) >= 1);
    assert.equal(posts.length, 1);
    assert.equal((await opened.outbox.listDeliveries({})).length, 1);
  });

  it('an API scan job; its retry after a crash continues under a derived id, leaving the first as it was', async () => {
    const job = { id: 'j1', kind: JOB_KINDS.scanRelease, payload: { product: 'contoso', version: '1.0', scanId: 'scan-20261205T120000Z-cccccc' }, attempt: 0, createdAt: new Date() };
    await scanReleaseJob(deps, job);
    assert.equal((await opened.scans.getScan('scan-20261205T120000Z-cccccc'))?.files.length, 4);
    await scanReleaseJob(deps, { ...job, attempt: 1 });
    assert.equal((await opened.scans.getScan('scan-20261205T120000Z-cccccc-retry1'))?.files.length, 4);
    await scanReleaseJob(deps, { ...job, attempt: 1 });
    assert.deepEqual((await opened.scans.listScans({ release: { product: 'contoso', version: '1.0' } })).map((s) => s.id).sort(), ['scan-20261205T120000Z-cccccc', 'scan-20261205T120000Z-cccccc-retry1']);
  });

  it('monitor settings: schedule and engines validated, unknown keys refused', () => {
    assert.deepEqual(parseServiceSettings({ monitor: { schedule: '0 3 * * *', engines: ['virustotal'] } }, 'absolve.config.json').monitor, { schedule: '0 3 * * *', engines: ['virustotal'] });
    assert.deepEqual(parseServiceSettings({ monitor: {} }, 'c').monitor, {});
    assert.throws(() => parseServiceSettings({ monitor: { schedule: 'daily' } }, 'absolve.config.json'), /CONFIG_INVALID|absolve\.config\.json: monitor\.schedule: 'daily' is not a 5-field cron schedule/);
    assert.throws(() => parseServiceSettings({ monitor: { schedule: '0 25 * * *' } }, 'c'), /monitor\.schedule: the hour field '25' is outside 0-23/);
    assert.throws(() => parseServiceSettings({ monitor: { every: '1d' } }, 'c'), /monitor has an unknown key 'every' \(expected schedule, engines\)/);
    assert.throws(() => parseServiceSettings({ monitor: { engines: 'virustotal' } }, 'c'), /monitor\.engines must be an array/);
  });
});
