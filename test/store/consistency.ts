/**
 * Consistency of a store after a crash: no orphan or dangling rows, no release without all of its
 * files, and (SQLite) a clean integrity and foreign-key check. Plain SQL that runs on SQLite and
 * PostgreSQL alike.
 */
import Database from 'better-sqlite3';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

const CHECKS: Array<[string, string]> = [
  ['releases whose files are not all recorded', 'select count(*) as n from "release" r where r.file_count <> (select count(*) from release_artifact ra where ra.release_id = r.id)'],
  ['products without a release', 'select count(*) as n from product p where not exists (select 1 from "release" r where r.product_id = p.id)'],
  ['artifacts no release uses', 'select count(*) as n from artifact a where not exists (select 1 from release_artifact ra where ra.sha256 = a.sha256)'],
  ['certificates nothing refers to', 'select count(*) as n from certificate c where not exists (select 1 from artifact_signer s where s.thumbprint_sha256 = c.thumbprint_sha256) and not exists (select 1 from release_finding f where f.certificate_sha256 = c.thumbprint_sha256)'],
  ['release files without their artifact or release', 'select count(*) as n from release_artifact ra where not exists (select 1 from artifact a where a.sha256 = ra.sha256) or not exists (select 1 from "release" r where r.id = ra.release_id)'],
  ['signers without their artifact or certificate', 'select count(*) as n from artifact_signer s where not exists (select 1 from artifact a where a.sha256 = s.sha256) or not exists (select 1 from certificate c where c.thumbprint_sha256 = s.thumbprint_sha256)'],
  ['file findings without their release file', 'select count(*) as n from artifact_finding f where not exists (select 1 from release_artifact ra where ra.release_id = f.release_id and ra.path = f.path)'],
  ['release findings without their release', 'select count(*) as n from release_finding f where not exists (select 1 from "release" r where r.id = f.release_id)'],
];

export interface StoreCensus {
  problems: string[];
  releases: string[];
  releaseArtifacts: number;
  artifacts: number;
}

async function census(query: Query, extraProblems: string[]): Promise<StoreCensus> {
  const problems = [...extraProblems];
  const tables = await query("select count(*) as n from absolve_migration where name = '0001_release_history'").catch(() => [{ n: 0 }]);
  if (Number(tables[0]?.n) === 0) return { problems, releases: [], releaseArtifacts: 0, artifacts: 0 }; // killed before the schema existed
  for (const [what, sql] of CHECKS) {
    const n = Number((await query(sql))[0]?.n);
    if (n !== 0) problems.push(`${n} ${what}`);
  }
  const releases = (await query('select p.name as product, r.version as version from "release" r join product p on p.id = r.product_id order by p.name, r.version')).map((r) => `${String(r.product)} ${String(r.version)}`);
  return {
    problems,
    releases,
    releaseArtifacts: Number((await query('select count(*) as n from release_artifact'))[0]?.n),
    artifacts: Number((await query('select count(*) as n from artifact'))[0]?.n),
  };
}

export async function sqliteCensus(path: string): Promise<StoreCensus> {
  try {
    return await sqliteCensusOnce(path);
  } catch (error) {
    // Keep the whole story when SQLite refuses (the bare error object shows only its code).
    const e = error as Error & { code?: string };
    throw new Error(`census of ${path} failed: ${e.code ?? ''} ${e.message}\n${e.stack ?? ''}`, { cause: error });
  }
}

async function sqliteCensusOnce(path: string): Promise<StoreCensus> {
  const db = new Database(path);
  try {
    const extra: string[] = [];
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') extra.push(`integrity_check: ${String(integrity)}`);
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) extra.push(`foreign_key_check: ${JSON.stringify(fk)}`);
    // A statement SQLite refuses (no absolve_migration yet: killed before the schema existed) is a rejection census()
    // catches, not a throw (better-sqlite3's prepare throws).
    const query = (sql: string): Promise<Array<Record<string, unknown>>> => {
      try {
        return Promise.resolve(db.prepare(sql).all() as Array<Record<string, unknown>>);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    return await census(query, extra);
  } finally {
    db.close();
  }
}

/** For a `postgres://` URL or a `pglite:DIR` store. */
export async function postgresCensus(url: string): Promise<StoreCensus> {
  if (url.startsWith('pglite:')) {
    const instance = await PGlite.create({ dataDir: url.slice('pglite:'.length) });
    try {
      return await census(async (sql) => (await instance.query<Record<string, unknown>>(sql)).rows, []);
    } finally {
      await instance.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await census(async (sql) => (await client.query<Record<string, unknown>>(sql)).rows, []);
  } finally {
    await client.end();
  }
}
