/**
 * A uniquely named database on the local PostgreSQL server (127.0.0.1:5432, user postgres, or
 * ABSOLVE_TEST_PG_URL) for the queue tests, dropped afterwards. pg-boss needs a real server (it is
 * not run on PGlite): without one the tests are skipped with a message, unless CI is set.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inCI } from '../support/tools.ts';

const ADMIN_URL = process.env.ABSOLVE_TEST_PG_URL !== undefined && process.env.ABSOLVE_TEST_PG_URL !== '' && process.env.ABSOLVE_TEST_PG_URL !== 'pglite' ? process.env.ABSOLVE_TEST_PG_URL : 'postgres://postgres@127.0.0.1:5432/postgres';

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** False when a server answers; a skip message when none does (CI set: throws). */
export async function skipUnlessPostgres(): Promise<false | string> {
  try {
    await withAdmin((c) => c.query('select 1'));
    return false;
  } catch (error) {
    const message = `needs a PostgreSQL server at ${new URL(ADMIN_URL).host} (${(error as Error).message})`;
    if (inCI) throw new Error(`CI is set but the test ${message}`, { cause: error });
    return message;
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`create database ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => withAdmin(async (c) => void (await c.query(`drop database if exists ${name} with (force)`))) };
}
