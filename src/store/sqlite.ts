/**
 * SQLite adapter (better-sqlite3 12; 13 needs Node 22). WAL journal, so readers never block the
 * writer and a killed writer leaves the last committed state; `synchronous=NORMAL` (in WAL mode a
 * crash of the process never loses a commit; a power cut may lose the last ones, never corrupt).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';
import { ReleaseError } from '../core/releases/errors.ts';
import { KyselyReleaseStore } from './kysely-store.ts';
import { migrateToLatest } from './migrations.ts';
import type { StoreDatabase } from './schema.ts';

/**
 * SQLite runs DDL inside transactions, but Kysely's SqliteAdapter says it does not, so its Migrator
 * would create tables one by one outside any transaction: a kill in the middle of a migration would
 * leave half a schema that no later open could migrate. Saying yes makes each migration, with its
 * row in absolve_migration, one transaction.
 */
class TransactionalDDLSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalDDLSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDDLSqliteAdapter();
  }
}

/** How long a writer waits for another process's write transaction before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

export interface SQLiteStoreHandle {
  store: KyselyReleaseStore;
  db: Kysely<StoreDatabase>;
}

export async function openSQLiteStore(path: string, options: { create: boolean }): Promise<SQLiteStoreHandle> {
  if (!options.create && !existsSync(path)) {
    throw new ReleaseError('STORE_NOT_FOUND', `no store at '${path}' (record a release with 'absolve release add' first, or pass --db)`);
  }
  let database: Database.Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    database = new Database(path);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (error) {
    throw new ReleaseError('STORE_UNAVAILABLE', `cannot open the SQLite store '${path}': ${(error as Error).message}`, { cause: error });
  }
  const db = new Kysely<StoreDatabase>({ dialect: new TransactionalDDLSqliteDialect({ database }) });
  try {
    await migrateToLatest(db as Kysely<unknown>, 'sqlite');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { store: new KyselyReleaseStore(db, 'sqlite', () => db.destroy()), db };
}
