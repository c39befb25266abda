/**
 * PostgreSQL adapters: a server through `pg` (`postgres://…`), or PGlite, PostgreSQL compiled to
 * WebAssembly (`pglite:PATH`; the test stand-in when no server is reachable). Both go through
 * Kysely's PostgresDialect; PGlite plugs in through a one-connection pool shim.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { ReleaseError } from '../core/releases/errors.ts';
import { KyselyReleaseStore } from './kysely-store.ts';
import { migrateToLatest } from './migrations.ts';
import type { StoreDatabase } from './schema.ts';

/** Connections per process: the CLI runs one transaction at a time; a little headroom for reads. */
const POOL_MAX = 4;
const CONNECT_TIMEOUT_MS = 5_000;
const PG_INT8_OID = 20;

export interface PostgresStoreHandle {
  store: KyselyReleaseStore;
  db: Kysely<StoreDatabase>;
}

/** Query parameters that carry a secret (libpq's `password`, `sslpassword`; anything named like a token or key). */
const SECRET_PARAMETER = /pass|secret|token|key|auth|credential/i;

/** The URL with every secret-bearing part masked (user-info password, `?password=`, `?sslpassword=`, …), for messages. */
export function redactURL(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    for (const name of [...u.searchParams.keys()]) if (SECRET_PARAMETER.test(name)) u.searchParams.set(name, '***');
    return u.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@').replace(/([?&][^=&#]*(?:pass|secret|token|key|auth|credential)[^=&#]*=)[^&#]*/gi, '$1***');
  }
}

/**
 * pg 8 treats sslmode prefer, require and verify-ca as verify-full, and says so in a multi-line warning on stderr
 * before anything else. Asking for verify-full, which is what those modes do today, keeps the behaviour and the
 * one-line error output. With `uselibpqcompat=true` the user chose libpq's meaning: left alone.
 */
export function withExplicitSslMode(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const mode = u.searchParams.get('sslmode');
  if (u.searchParams.get('uselibpqcompat') === 'true' || (mode !== 'prefer' && mode !== 'require' && mode !== 'verify-ca')) return url;
  u.searchParams.set('sslmode', 'verify-full');
  return u.toString();
}

/** SQLSTATE classes and codes that mean "the server is gone or not ready" (PostgreSQL appendix A), not "the query is wrong". */
const CONNECTION_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
const CONNECTION_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether a pg error means the connection or the server failed (so retrying later can succeed). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_SQLSTATE.test(code) || CONNECTION_ERRNO.has(code))) return true;
  // pg's own errors for a socket that closed mid-query or a client it will not use again carry no code.
  return /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable|terminating connection/i.test(error.message);
}

/**
 * The pool Kysely uses, with database outages turned into STORE_UNAVAILABLE (the API answers 503 and the
 * next request tries again: pg-pool drops a broken client on release and dials a new one when asked).
 * Each client gets a permanent 'error' listener: a server that goes away while a client is checked out
 * but idle (between a transaction's statements) must not become an uncaught exception.
 */
class RecoveringPool implements PostgresPool {
  private readonly guarded = new WeakSet<object>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly where: string,
  ) {}

  private unavailable(error: unknown): unknown {
    if (!isConnectionError(error)) return error;
    const message = (error as Error).message.split('\n')[0] ?? 'connection lost';
    return new ReleaseError('STORE_UNAVAILABLE', `the database at ${this.where} is unavailable (${message}); try again shortly`, { cause: error });
  }

  async connect(): Promise<PostgresPoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.unavailable(error);
    }
    if (!this.guarded.has(client)) {
      this.guarded.add(client);
      client.on('error', () => {}); // the failed query reports it; pg-pool removes the client on release
    }
    const query = client.query.bind(client) as (sql: string, parameters: readonly unknown[]) => Promise<unknown>;
    return {
      query: async (sql: string, parameters: readonly unknown[]) => {
        try {
          return await query(sql, parameters);
        } catch (error) {
          throw this.unavailable(error);
        }
      },
      release: () => client.release(),
    } as unknown as PostgresPoolClient;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

export async function openPostgresStore(url: string): Promise<PostgresStoreHandle> {
  const pool = new pg.Pool({
    connectionString: withExplicitSslMode(url),
    max: POOL_MAX,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // COUNT(*) and BIGINT columns (file sizes) as numbers, for this pool only (pg's default is text).
    types: { getTypeParser: ((oid: number) => (oid === PG_INT8_OID ? (v: string) => Number(v) : (pg.types.getTypeParser(oid, 'text') as (v: string) => unknown))) as typeof pg.types.getTypeParser },
  });
  pool.on('error', () => {}); // an idle client's broken connection is retried on next use, not a crash
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new ReleaseError('STORE_UNAVAILABLE', `cannot connect to PostgreSQL at ${redactURL(url)}: ${(error as Error).message}`, { cause: error });
  }
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool: new RecoveringPool(pool, redactURL(url)) }) });
  try {
    await migrateToLatest(db as Kysely<unknown>, 'postgres');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { store: new KyselyReleaseStore(db, 'postgres', () => db.destroy()), db };
}

/**
 * PGlite has one connection; this pool hands it out to one Kysely connection at a time (a mutex),
 * so a transaction never interleaves with another query.
 */
class PGlitePool implements PostgresPool {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly pglite: PGlite,
    private readonly ownsInstance: boolean,
  ) {}

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    const pglite = this.pglite;
    return {
      async query(sql: string, parameters: ReadonlyArray<unknown>) {
        const result = await pglite.query<unknown>(sql, [...parameters]);
        const extra = result as { command?: string; rowCount?: number };
        return {
          command: (extra.command ?? sql.trimStart().split(/\s/, 1)[0] ?? '').toUpperCase() as 'SELECT',
          rowCount: result.affectedRows ?? extra.rowCount ?? 0,
          rows: result.rows,
        };
      },
      release,
    } as unknown as PostgresPoolClient;
  }

  async end(): Promise<void> {
    if (this.ownsInstance) await this.pglite.close();
  }
}

export interface PGliteStoreHandle {
  store: KyselyReleaseStore;
  db: Kysely<StoreDatabase>;
  pglite: PGlite;
}

/**
 * A store on PGlite: on a data folder (created unless `create` is false), in memory (`dataDir`
 * undefined), or on an instance the caller owns and keeps open (tests share one per file: a fresh
 * instance costs seconds and ~200 MB).
 */
export async function openPGliteStore(target: { dataDir?: string; create: boolean } | { instance: PGlite }): Promise<PGliteStoreHandle> {
  let pglite: PGlite;
  let owns: boolean;
  if ('instance' in target) {
    pglite = target.instance;
    owns = false;
  } else {
    if (target.dataDir !== undefined && !target.create && !existsSync(target.dataDir)) {
      throw new ReleaseError('STORE_NOT_FOUND', `no store at '${target.dataDir}' (record a release with 'absolve release add' first, or pass --db)`);
    }
    try {
      if (target.dataDir !== undefined) mkdirSync(dirname(target.dataDir), { recursive: true });
      pglite = await PGlite.create(target.dataDir === undefined ? {} : { dataDir: target.dataDir });
    } catch (error) {
      throw new ReleaseError('STORE_UNAVAILABLE', `cannot open the PGlite store '${target.dataDir ?? 'memory'}': ${(error as Error).message}`, { cause: error });
    }
    owns = true;
  }
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool: new PGlitePool(pglite, owns) }) });
  try {
    await migrateToLatest(db as Kysely<unknown>, 'postgres');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { store: new KyselyReleaseStore(db, 'postgres', () => db.destroy()), db, pglite };
}
