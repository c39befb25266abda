/**
 * Scale-out acceptance (issue #10): two real `absolve worker` processes on PostgreSQL share the
 * jobs of a 200-file monitor round against the local VirusTotal server; each unique file is asked
 * once (counted on the server) and every job is done once. In a second round one worker is
 * SIGKILLed while a request of its job is in flight: the job is retried by the other worker after
 * its lease expires, nothing is lost, and no alert is delivered twice (the webhook receiver counts
 * deliveries per event id).
 *
 * Each worker reaches VirusTotal through its own loopback relay, so the test knows which worker
 * holds which request: worker A's relay holds A's second request of round 2 and never forwards it
 * (A dies with it), so the server's count shows that the retried job asked once.
 *
 * pg-boss timing for the test (worker environment): a job's lease (ABSOLVE_JOB_EXPIRE_SECONDS) is
 * 5 s, expired jobs are looked for every second (ABSOLVE_JOB_MAINTENANCE_SECONDS=1), retried at once
 * (ABSOLVE_JOB_RETRY_DELAY_SECONDS=0), idle workers poll every 0.5 s (ABSOLVE_JOB_POLL_SECONDS).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { absolveAsync, childEnv, cliEntry } from '../store/cli-harness.ts';
import { FAKE_VT_KEY, FakeVirusTotal } from '../support/fake-virustotal.ts';
import { createTestDatabase, skipUnlessPostgres, type TestDatabase } from '../queue/postgres-database.ts';

const skip = await skipUnlessPostgres();
const tsxLoader = import.meta.resolve('tsx');
const FILES = 200;
const DETECTED = 10;

interface WorkerEvent {
  event: 'ready' | 'started' | 'done' | 'failed';
  kind?: string;
  id?: string;
  attempt?: number;
}

/** A loopback relay to the fake VirusTotal that can hold one request (the worker behind it is then killed). */
class Relay {
  requests = 0;
  holdAt = Infinity;
  /** Added before each answer is forwarded (ms): slows one worker so that the other surely gets jobs. */
  delayMs = 0;
  held: Promise<string>;
  private onHeld!: (path: string) => void;
  server: Server;
  constructor(private readonly target: string) {
    this.held = new Promise((r) => (this.onHeld = r));
    this.server = createServer((req, res) => this.handle(req, res));
  }
  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const a = this.server.address();
    if (a === null || typeof a === 'string') throw new Error('no port');
    return `http://127.0.0.1:${a.port}/api/v3`;
  }
  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests++;
    if (this.requests === this.holdAt) {
      this.onHeld(req.url ?? '');
      req.resume();
      return; // never answered: the worker dies waiting
    }
    const url = new URL(req.url ?? '/', this.target);
    const out = httpRequest(url, { method: req.method, headers: req.headers }, (r) => {
      setTimeout(() => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      }, this.delayMs);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

class WorkerProcess {
  readonly events: WorkerEvent[] = [];
  readonly child: ChildProcess;
  stderr = '';
  closed = false;
  /** Shared by every worker: a condition over several workers is checked on a line from any of them. */
  private static listeners: Array<() => void> = [];
  constructor(args: string[], env: Record<string, string>, cwd: string) {
    this.child = spawn(process.execPath, ['--import', tsxLoader, cliEntry, 'worker', ...args, '--format', 'json'], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    this.child.stdout?.on('data', (c: Buffer) => {
      buffer += c.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') this.events.push(JSON.parse(line) as WorkerEvent);
      for (const l of [...WorkerProcess.listeners]) l();
    });
    this.child.stderr?.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.child.once('close', () => (this.closed = true));
  }
  /** Resolves when `test` holds over the events (checked on each new line of any worker); rejects if this worker exits first. */
  until(test: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!test()) return;
        WorkerProcess.listeners = WorkerProcess.listeners.filter((l) => l !== check);
        resolve();
      };
      WorkerProcess.listeners.push(check);
      this.child.once('exit', (code, signal) => {
        if (signal === 'SIGKILL') return; // killed by the test
        WorkerProcess.listeners = WorkerProcess.listeners.filter((l) => l !== check);
        reject(new Error(`worker ${this.child.pid} exited (${code ?? signal}) while waited for: ${this.stderr.slice(-2000)}`));
      });
      check();
    });
  }
  exited(): Promise<number | null> {
    if (this.closed) return Promise.resolve(this.child.exitCode);
    return new Promise((r) => this.child.once('close', (code) => r(code)));
  }
}

const doneIds = (workers: readonly WorkerProcess[], from: readonly number[], kind: string): string[] =>
  workers.flatMap((w, i) => w.events.slice(from[i] ?? 0).filter((e) => e.event === 'done' && e.kind === kind).map((e) => e.id ?? ''));

describe('absolve worker: two workers share a 200-file monitor round on PostgreSQL; a SIGKILLed worker loses nothing', { skip, timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'absolve-workers-'));
  let db: TestDatabase;
  let fake: FakeVirusTotal;
  let receiver: Server;
  const posts: Array<{ id: string; kind: string }> = [];
  let postWaiters: Array<() => void> = [];
  const relayA = new Relay('');
  const relayB = new Relay('');
  const workers: WorkerProcess[] = [];
  const shas: string[] = [];
  let env: Record<string, string>;

  before(async () => {
    db = await createTestDatabase('absolve_workers');
    fake = await FakeVirusTotal.start({ quota: { perWindow: 100_000, windowMs: 60_000, perDay: 1_000_000 } });
    for (const relay of [relayA, relayB]) Object.assign(relay, { target: fake.baseUrl });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; kind: string });
        res.writeHead(204).end();
        for (const w of postWaiters) w();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const address = receiver.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    writeFileSync(join(dir, 'absolve.config.json'), JSON.stringify({ monitor: { schedule: '15 4 * * *', engines: ['virustotal'] }, alerts: { webhooks: [{ url: `http://127.0.0.1:${address.port}/hook`, format: 'json', events: ['new-detections'] }] } }));
    mkdirSync(join(dir, 'release'));
    for (let i = 0; i < FILES; i++) {
      const text = `release file ${i}\n`;
      writeFileSync(join(dir, 'release', `file-${String(i).padStart(3, '0')}.txt`), text);
      const sha = createHash('sha256').update(text).digest('hex');
      shas.push(sha);
      fake.addKnownFile(sha, {});
    }
    env = {
      ABSOLVE_BLOBS: join(dir, 'blobs'),
      VT_API_KEY: FAKE_VT_KEY,
      VT_QUOTA_PER_MINUTE: '100000',
      VT_QUOTA_PER_DAY: '100000',
      ABSOLVE_JOB_EXPIRE_SECONDS: '5',
      ABSOLVE_JOB_MAINTENANCE_SECONDS: '1',
      ABSOLVE_JOB_RETRY_DELAY_SECONDS: '0',
      ABSOLVE_JOB_POLL_SECONDS: '0.5',
    };
    const added = await absolveAsync(['release', 'add', 'contoso', '1.0', join(dir, 'release'), '--db', db.url, '--format', 'json'], { cwd: dir, env });
    assert.notEqual(added.code, 2, added.stderr);
  });

  after(async () => {
    if (process.env.ABSOLVE_TEST_VERBOSE === '1') for (const w of workers) console.error(w.stderr);
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited()));
    await relayA.close();
    await relayB.close();
    await fake.close();
    await new Promise<void>((r) => receiver.close(() => r()));
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const lookups = (): string[] => fake.requests('GET', /^\/api\/v3\/files\/[0-9a-f]{64}$/).map((r) => r.path.slice('/api/v3/files/'.length));
  const round = async (): Promise<void> => {
    const r = await absolveAsync(['jobs', 'round', '--db', db.url, '--format', 'json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
  };

  it('on SQLite, `absolve worker` is WORKER_NEEDS_POSTGRES (exit 2)', async () => {
    const r = await absolveAsync(['worker', '--db', `sqlite:${join(dir, 'x.db')}`], { cwd: dir, env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^absolve: WORKER_NEEDS_POSTGRES: 'absolve worker' needs a PostgreSQL store/);
  });

  it('round 1: the jobs are shared, each file asked once, each job done once', async () => {
    workers.push(new WorkerProcess(['--db', db.url, '--concurrency', '1'], { ...env, VT_API_URL: await relayA.listen() }, dir));
    workers.push(new WorkerProcess(['--db', db.url, '--concurrency', '4'], { ...env, VT_API_URL: await relayB.listen() }, dir));
    await Promise.all(workers.map((w) => w.until(() => w.events.some((e) => e.event === 'ready'))));
    await round();
    await workers[0]?.until(() => doneIds(workers, [0, 0], 'monitor-artifact').length >= FILES);
    const done = doneIds(workers, [0, 0], 'monitor-artifact');
    assert.equal(done.length, FILES, 'every artifact job reported done once');
    assert.equal(new Set(done).size, FILES);
    assert.ok(workers.every((w) => w.events.some((e) => e.event === 'done' && e.kind === 'monitor-artifact')), 'both workers took jobs');
    const asked = lookups();
    assert.equal(asked.length, FILES, 'one lookup per unique file');
    assert.deepEqual([...new Set(asked)].sort(), [...shas].sort());
  });

  it('round 2: a worker SIGKILLed mid-job; its job is retried by the other, nothing lost, no alert twice', async () => {
    const [a, b] = workers as [WorkerProcess, WorkerProcess];
    const from = [a.events.length, b.events.length];
    const before = lookups().length;
    for (const sha of shas.slice(0, DETECTED)) fake.addKnownFile(sha, { Microsoft: 'Trojan:Win32/Wacatac.B!ml' });
    // A (one job at a time) is killed in its second job of the round. B (four at a time) answers 25 ms slower
    // so that it cannot finish the 200 jobs before A, polling every 0.5 s, takes two of them.
    const startA = relayA.requests;
    relayA.holdAt = startA + 2;
    relayB.delayMs = 25;
    await round();
    let timer: NodeJS.Timeout | undefined;
    const heldPath = await Promise.race([
      relayA.held,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`A made ${relayA.requests - startA} requests in round 2 within 90 s; jobs done: A ${doneIds([a], [from[0] ?? 0], 'monitor-artifact').length}, B ${doneIds([b], [from[1] ?? 0], 'monitor-artifact').length}; A's stderr: ${a.stderr.slice(-1500)}`)), 90_000);
      }),
    ]).finally(() => clearTimeout(timer));
    relayB.delayMs = 0;
    const heldSha = /([0-9a-f]{64})$/.exec(heldPath)?.[1] ?? '';
    a.child.kill('SIGKILL');
    await a.exited(); // after 'close': every line A wrote has been read
    const startedByA = a.events.slice(from[0]).filter((e) => e.event === 'started' && e.kind === 'monitor-artifact').map((e) => e.id);
    const unfinished = startedByA.filter((id) => !a.events.some((e) => e.event === 'done' && e.id === id));
    assert.equal(unfinished.length, 1, 'A was killed in the middle of exactly one job');

    await b.until(() => new Set(doneIds(workers, from, 'monitor-artifact')).size >= FILES);
    const done = doneIds(workers, from, 'monitor-artifact');
    assert.equal(done.length, FILES, 'every job of the round done, none twice');
    assert.equal(new Set(done).size, FILES);
    const retried = b.events.find((e) => e.event === 'done' && e.id === unfinished[0]);
    assert.ok(retried !== undefined && (retried.attempt ?? 0) >= 1, 'the killed job was finished by the other worker, as a retry');

    const asked = lookups().slice(before);
    assert.equal(asked.length, FILES, 'each file asked once in the round (the held request never reached the server)');
    assert.deepEqual([...new Set(asked)].sort(), [...shas].sort());
    assert.ok(asked.includes(heldSha));

    // Every alert delivered: wait for the outbox to drain, then count per event id.
    const pool = new pg.Pool({ connectionString: db.url });
    try {
      const pending = async (): Promise<number> => Number((await pool.query<{ n: string }>('select count(*) as n from alert_delivery where delivered_at is null')).rows[0]?.n ?? -1);
      await new Promise<void>((resolve) => {
        const check = (): void => {
          if (posts.length < DETECTED) return;
          postWaiters = [];
          resolve();
        };
        postWaiters.push(check);
        check();
      });
      await b.until(() => b.events.filter((e) => e.kind === 'deliver-alerts' && e.event === 'started').length === b.events.filter((e) => e.kind === 'deliver-alerts' && e.event === 'done').length);
      assert.equal(await pending(), 0, 'nothing left in the outbox');
    } finally {
      await pool.end();
    }
    assert.equal(posts.length, DETECTED, 'one delivery per new-detections event');
    assert.deepEqual([...new Set(posts.map((p) => p.id))].length, DETECTED, 'no event delivered twice');
    assert.ok(posts.every((p) => p.kind === 'new-detections'));

    const events = await absolveAsync(['events', '--db', db.url, '--format', 'json'], { cwd: dir, env });
    const list = (JSON.parse(events.stdout) as { events: Array<{ kind: string; sha256: string }> }).events;
    assert.deepEqual(list.map((e) => e.sha256).sort(), shas.slice(0, DETECTED).sort(), 'one event per newly detected file');
    assert.ok(!a.stderr.includes(FAKE_VT_KEY) && !b.stderr.includes(FAKE_VT_KEY), 'the API key is never printed');

    const quota = new pg.Pool({ connectionString: db.url });
    try {
      const slots = Number((await quota.query<{ n: string }>('select count(*) as n from absolve_quota.request_slot')).rows[0]?.n);
      assert.equal(slots, lookups().length + 1, 'every request of both workers took its slot in the shared quota (the held one too)');
    } finally {
      await quota.end();
    }
  });

  it('serve --no-worker: HTTP and the schedule only; an API scan is queued and run by a worker', async () => {
    const b = workers[1] as WorkerProcess;
    const from = b.events.length;
    const token = (JSON.parse((await absolveAsync(['tokens', 'create', '--role', 'write', '--db', db.url, '--format', 'json'], { cwd: dir, env })).stdout) as { token: string }).token;
    const server = spawn(process.execPath, ['--import', tsxLoader, cliEntry, 'serve', '--no-worker', '--port', '0', '--db', db.url], { cwd: dir, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stderr = '';
      const url = await new Promise<string>((resolve, reject) => {
        server.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
          const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
          if (m?.[1] !== undefined) resolve(m[1]);
        });
        server.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
      });
      assert.match(stderr, /jobs left to `absolve worker`/);
      const r = await fetch(`${url}/api/v1/products/contoso/releases/1.0/scans`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      assert.equal(r.status, 202);
      const { scanId } = (await r.json()) as { scanId: string };
      await b.until(() => b.events.slice(from).some((e) => e.kind === 'scan-release' && e.event === 'done'));
      const shown = await absolveAsync(['scans', 'show', scanId, '--db', db.url, '--format', 'json'], { cwd: dir, env });
      assert.equal(shown.code, 0, shown.stderr);
      assert.equal((JSON.parse(shown.stdout) as { files: unknown[] }).files.length, FILES, 'the worker scanned the release the server queued');
      const pool = new pg.Pool({ connectionString: db.url });
      try {
        const schedules = (await pool.query<{ name: string; cron: string }>('select name, cron from absolve_jobs.schedule order by name')).rows;
        assert.deepEqual(schedules, [{ name: 'deliver-alerts', cron: '* * * * *' }, { name: 'monitor-round', cron: '15 4 * * *' }], 'the schedule of absolve.config.json, in the database');
      } finally {
        await pool.end();
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
    }
    const embedded = await absolveAsync(['serve', '--no-worker', '--port', '0', '--db', `sqlite:${join(dir, 'y.db')}`], { cwd: dir, env });
    assert.equal(embedded.code, 2);
    assert.match(embedded.stderr, /WORKER_NEEDS_POSTGRES: 'absolve serve --no-worker' needs a PostgreSQL store/);

    b.child.kill('SIGTERM');
    assert.equal(await b.exited(), 0, `a worker stops cleanly on SIGTERM: ${b.stderr}`);
  });
});
