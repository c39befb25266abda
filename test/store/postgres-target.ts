/**
 * Where PostgreSQL tests run: a real server when one is reachable, otherwise PGlite — never
 * skipped. With `CI` set, an unreachable server is a failure (CI must test the real thing).
 *
 *   ABSOLVE_TEST_PG_URL=postgres://user@host:port/db   admin connection to try (default: 127.0.0.1:5432, user postgres, then root)
 *   ABSOLVE_TEST_PG_URL=pglite                          use PGlite without trying a server
 *
 * A server run creates one uniquely named database per test file and drops it afterwards; a
 * PGlite run creates one instance per test file (3–5 s, ~200 MB each). Tests get an empty store
 * by truncating the tables.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { truncateStore, type KyselyReleaseStore } from '../../src/store/kysely-store.ts';
import { openPGliteStore, openPostgresStore } from '../../src/store/postgres.ts';
import type { StoreDatabase } from '../../src/store/schema.ts';

export interface PostgresTarget {
  kind: 'server' | 'pglite';
  /** For messages and test names. */
  description: string;
  /** Opens a store on the target's database as it is. */
  open(): Promise<KyselyReleaseStore>;
  /** Like open, with the Kysely handle (the case store reopened after a "restart"). */
  openHandle(): Promise<{ store: KyselyReleaseStore; db: Kysely<StoreDatabase> }>;
  /** Opens a store on the target's database after emptying every table. */
  openEmpty(): Promise<KyselyReleaseStore>;
  /** Like openEmpty, with the Kysely handle (for the scan store, which shares the database). */
  openEmptyHandle(): Promise<{ store: KyselyReleaseStore; db: Kysely<StoreDatabase> }>;
  /**
   * A `--db` URL of another, empty database for CLI processes: a new database on the server
   * (dropped in dispose), or a new PGlite folder (each process opens it itself).
   */
  freshURL(): Promise<string>;
  dispose(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 2_000;

function candidates(): string[] {
  const configured = process.env.ABSOLVE_TEST_PG_URL;
  if (configured !== undefined && configured !== '') return configured === 'pglite' ? [] : [configured];
  return ['postgres://postgres@127.0.0.1:5432/postgres', 'postgres://root@127.0.0.1:5432/postgres'];
}

async function reachable(url: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

function uniqueName(): string {
  return `absolve_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function createDatabase(adminURL: string, name: string): Promise<string> {
  await admin(adminURL, (c) => c.query(`create database ${name}`));
  const url = new URL(adminURL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function serverTarget(adminURL: string): Promise<PostgresTarget> {
  const name = uniqueName();
  const dbURL = await createDatabase(adminURL, name);
  const url = new URL(dbURL);
  const databases = [name];
  const target: PostgresTarget = {
    kind: 'server',
    description: `PostgreSQL server ${url.host} (database ${name})`,
    open: async () => (await openPostgresStore(dbURL)).store,
    openHandle: () => openPostgresStore(dbURL),
    openEmpty: async () => (await target.openEmptyHandle()).store,
    openEmptyHandle: async () => {
      const handle = await openPostgresStore(dbURL);
      await truncateStore(handle.db, 'postgres');
      return handle;
    },
    freshURL: async () => {
      const another = uniqueName();
      databases.push(another);
      return createDatabase(adminURL, another);
    },
    dispose: async () => {
      await admin(adminURL, async (c) => {
        for (const db of databases) await c.query(`drop database if exists ${db} with (force)`);
      });
    },
  };
  return target;
}

async function pgliteTarget(why: string): Promise<PostgresTarget> {
  const instance = await PGlite.create();
  const folders: string[] = [];
  const target: PostgresTarget = {
    kind: 'pglite',
    description: `PGlite (${why})`,
    open: async () => (await openPGliteStore({ instance })).store,
    openHandle: () => openPGliteStore({ instance }),
    openEmpty: async () => (await target.openEmptyHandle()).store,
    openEmptyHandle: async () => {
      const handle = await openPGliteStore({ instance });
      await truncateStore(handle.db, 'postgres');
      return handle;
    },
    freshURL: () => {
      const folder = mkdtempSync(join(tmpdir(), 'absolve-pglite-'));
      folders.push(folder);
      return Promise.resolve(`pglite:${join(folder, 'pgdata')}`);
    },
    dispose: async () => {
      await instance.close();
      for (const f of folders) rmSync(f, { recursive: true, force: true });
    },
  };
  return target;
}

/** The PostgreSQL the tests of one file use; call once per file (in `before`) and dispose in `after`. */
export async function postgresTarget(): Promise<PostgresTarget> {
  const tried: string[] = [];
  for (const url of candidates()) {
    const r = await reachable(url);
    if (r.ok) return serverTarget(url);
    tried.push(`${url}: ${r.error}`);
  }
  if (tried.length > 0 && process.env.CI !== undefined && process.env.CI !== '') {
    throw new Error(`CI is set but no PostgreSQL server is reachable (${tried.join('; ')}); start one (.ci/run does) or set ABSOLVE_TEST_PG_URL`);
  }
  return pgliteTarget(tried.length === 0 ? 'ABSOLVE_TEST_PG_URL=pglite' : 'no PostgreSQL server reachable');
}
