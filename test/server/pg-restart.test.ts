/**
 * PostgreSQL restarted under load: a private cluster (initdb + pg_ctl from /usr/lib/postgresql/<v>/bin,
 * run as the `postgres` OS user when the test runs as root, in a temporary folder, on a free port — the
 * machine's shared server on 5432 is never touched), the API served on it in this process, clients
 * requesting the release, matrix and events routes without pause, and the cluster stopped and started
 * again. While it is down every request gets a 503 with `{ error: { code: 'STORE_UNAVAILABLE', message } }`
 * (no crash, no hang: each request has a bound); once it is back the same server answers 200 again,
 * without being restarted. Skipped with a message only when the PostgreSQL binaries are missing and CI is unset.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { newToken } from '../../src/core/access/tokens.ts';
import { DEFAULT_GATE_POLICY } from '../../src/core/gate/release-gate.ts';
import type { OpenedStore } from '../../src/core/releases/ports.ts';
import { createApi } from '../../src/server/api.ts';
import { createStoreOpener } from '../../src/store/open-store.ts';
import { draft } from '../store/sample-data.ts';
import { inCI } from '../support/tools.ts';

function postgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')) && existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(base, versions[0], 'bin');
}

const bin = postgresBin();
const skip = bin !== undefined ? false : inCI ? assert.fail('CI is set but the PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb, pg_ctl) are missing') : 'needs the PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb, pg_ctl)';
const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL tool as the cluster's owner (initdb refuses root); asynchronously, so the API keeps answering meanwhile. */
async function pgTool(tool: string, args: string[]): Promise<void> {
  const command = join(bin ?? '', tool);
  try {
    await (asRoot ? promisify(execFile)('runuser', ['-u', 'postgres', '--', command, ...args]) : promisify(execFile)(command, args));
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr ?? ''}${e.stdout ?? ''}`, { cause: error });
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type Phase = 'before' | 'stopping' | 'down' | 'starting' | 'after';

interface Answer {
  route: string;
  status: number;
  body: unknown;
  /** The cluster's state when the request was sent and when its answer came. */
  sent: Phase;
  answered: Phase;
}

describe('PostgreSQL restarted under load: 503 while down, 200 again after, no restart of the service', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'absolve-pg-restart-'));
  const data = join(dir, 'data');
  let port = 0;
  let opened: OpenedStore | undefined;
  let server: ReturnType<typeof serve> | undefined;
  let base = '';

  const start = (): Promise<void> => pgTool('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`, 'start']);
  const stop = (): Promise<void> => pgTool('pg_ctl', ['-D', data, '-w', '-t', '60', '-m', 'fast', 'stop']);

  before(async () => {
    if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()));
    port = await freePort();
    await pgTool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    await start();
    opened = await createStoreOpener({ env: { ABSOLVE_BLOBS: join(tmpdir(), `absolve-pg-restart-blobs-${process.pid}`) }, cwd: dir })(`postgres://postgres@127.0.0.1:${port}/postgres`, { create: true });
  });
  after(async () => {
    if (server !== undefined) await new Promise<void>((resolve) => server?.close(() => resolve()));
    await opened?.store.close().catch(() => {});
    await pgTool('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']).catch(() => {}); // already stopped
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(tmpdir(), `absolve-pg-restart-blobs-${process.pid}`), { recursive: true, force: true });
  });

  it('answers 503 STORE_UNAVAILABLE during the outage and 200 after it, from the same process', { timeout: 180_000 }, async () => {
    assert.ok(opened !== undefined);
    const store = opened;
    await store.store.saveRelease(draft('contoso', '1.0', [{ path: 'setup/app.exe', content: 'app' }, { path: 'setup/lib.dll', content: 'lib' }]), { replace: false, deriveFindings: () => [] });
    const { token, record } = newToken('load', 'read', new Date());
    await store.tokens.saveToken(record);
    const app = createApi({ store, version: 'test', now: () => new Date(), gatePolicy: DEFAULT_GATE_POLICY });
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const routes: Record<string, string> = {
      release: '/api/v1/products/contoso/releases/1.0',
      matrix: '/api/v1/products/contoso/releases/1.0/matrix',
      events: '/api/v1/events?since=2026-01-01T00:00:00Z',
    };
    const answers: Answer[] = [];
    let phase: Phase = 'before';
    let running = true;
    const waiters: Array<{ until: () => boolean; resolve: () => void }> = [];
    const notify = () => {
      for (const w of waiters.splice(0)) {
        if (w.until()) w.resolve();
        else waiters.push(w);
      }
    };
    /** Resolves when `until` holds (checked after every answer): a condition, not a sleep. */
    const when = (until: () => boolean) => new Promise<void>((resolve) => (until() ? resolve() : waiters.push({ until, resolve })));
    const client = async (): Promise<void> => {
      for (let i = 0; running; i++) {
        const route = Object.keys(routes)[i % 3] ?? 'release';
        const sent = phase;
        // A bounded request: an answer that never comes is a failure (status 0), not a hung test.
        const response = await fetch(`${base}${routes[route] ?? ''}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) }).catch((error: unknown) => ({ error }));
        if ('error' in response) answers.push({ route, status: 0, body: String(response.error), sent, answered: phase });
        else answers.push({ route, status: response.status, body: (await response.json()), sent, answered: phase });
        notify();
      }
    };
    const clients = Array.from({ length: 4 }, () => client());
    const within = (p: Phase) => answers.filter((a) => a.sent === p && a.answered === p);
    const count = (p: Phase, status: number) => within(p).filter((a) => a.status === status).length;

    await when(() => count('before', 200) >= 30);
    phase = 'stopping';
    await stop();
    phase = 'down';
    await when(() => count('down', 503) >= 12);
    phase = 'starting';
    await start();
    phase = 'after';
    await when(() => count('after', 200) >= 30);
    running = false;
    await Promise.all(clients);

    const bad = answers.filter((a) => a.status !== 200 && a.status !== 503);
    assert.deepEqual(bad, [], 'every answer is 200 or 503: no crash, no hang, no 500');
    assert.ok(within('before').every((a) => a.status === 200));
    for (const a of answers.filter((x) => x.status === 503)) {
      const body = a.body as { error?: { code?: unknown; message?: unknown } };
      assert.equal(body.error?.code, 'STORE_UNAVAILABLE');
      assert.equal(typeof body.error?.message, 'string');
      assert.match(String(body.error?.message), /^the database at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres is unavailable \(.+\); try again shortly$/);
    }
    const down = within('down');
    assert.ok(down.every((a) => a.status === 503), 'while the database is down, every answer is 503');
    assert.deepEqual(new Set(down.map((a) => a.route)), new Set(['release', 'matrix', 'events']), 'every route answers 503 while the database is down');
    // Sent once the cluster is back: 200 at once (the pool dropped its broken connections and dials new ones).
    const after = within('after');
    assert.ok(after.every((a) => a.status === 200), 'once the database is back, only 200s');
    const matrix = after.filter((a) => a.route === 'matrix' && a.status === 200).at(-1)?.body as { files: unknown[] };
    assert.equal(matrix.files.length, 2, 'the same data is served after the restart');
  });
});
