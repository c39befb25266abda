/**
 * Versioned schema migrations, applied on every open (Kysely's Migrator keeps the applied list
 * in `absolve_migration`, serialised by `absolve_migration_lock`). Written once for both SQL
 * dialects; the only branch is how an integer key is generated. Add a migration as a new entry
 * with the next number; never edit one that has shipped.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { ReleaseError } from '../core/releases/errors.ts';

export type SQLDialect = 'sqlite' | 'postgres';

export const MIGRATION_TABLE = 'absolve_migration';
export const MIGRATION_LOCK_TABLE = 'absolve_migration_lock';

/** Categories that are no answer: they never replace the verdict that stands (an engine that failed keeps its state). */
export const NO_ANSWER_CATEGORIES = ['failure', 'timeout', 'type-unsupported'] as const;

const VERDICT_COLUMNS = 'sha256, via, engine, scan_id, category, result, engine_version, definitions_date, scanned_at, detail, reused, recorded_at';

/**
 * Fills verdict_current from the verdict history (the migration: all of it; a bulk load may name the scans that
 * hold the newest answers). Same SQL on both dialects (window functions: SQLite 3.25+). Scan ids are quoted here
 * because they are ours (bench seeds), never user text.
 */
export async function backfillCurrentVerdicts(db: Kysely<unknown>, onlyScans?: readonly string[]): Promise<void> {
  const scans = onlyScans === undefined ? '' : ` AND scan_id IN (${onlyScans.map((id) => `'${id.replaceAll("'", "''")}'`).join(', ')})`;
  await sql
    .raw(
      `INSERT INTO verdict_current (${VERDICT_COLUMNS})
       SELECT ${VERDICT_COLUMNS} FROM (
         SELECT v.*, ROW_NUMBER() OVER (PARTITION BY sha256, via, engine ORDER BY recorded_at DESC, scan_id DESC) AS rn
         FROM verdict v WHERE category NOT IN (${NO_ANSWER_CATEGORIES.map((c) => `'${c}'`).join(', ')})${scans}
       ) ranked WHERE rn = 1`,
    )
    .execute(db);
}

/** The JSON array aggregate of verdict_current rows, in the column order of VerdictCurrentFileTable.cells. */
export function fileCellsAggregate(dialect: SQLDialect): string {
  const columns = 'via, engine, category, result, engine_version, definitions_date, scanned_at, detail';
  return dialect === 'sqlite' ? `json_group_array(json_array(${columns}))` : `json_agg(json_build_array(${columns}) ORDER BY via, engine)::text`;
}

/** Fills verdict_current_file from verdict_current (migration 0007, and a bulk load after its verdict_current). */
export async function backfillFileVerdicts(db: Kysely<unknown>, dialect: SQLDialect): Promise<void> {
  await sql.raw(`DELETE FROM verdict_current_file`).execute(db);
  await sql.raw(`INSERT INTO verdict_current_file (sha256, cells) SELECT sha256, ${fileCellsAggregate(dialect)} FROM verdict_current GROUP BY sha256`).execute(db);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- a migration runs against the schema as it was then, not today's StoreDatabase */
function migrationsFor(dialect: SQLDialect): Record<string, Migration> {
  return {
    '0001_release_history': {
      async up(db: Kysely<any>): Promise<void> {
        const id = (table: ReturnType<Kysely<any>['schema']['createTable']>) =>
          dialect === 'sqlite'
            ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
            : table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity());

        await id(db.schema.createTable('product'))
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await id(db.schema.createTable('release'))
          .addColumn('product_id', 'integer', (c) => c.notNull().references('product.id'))
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('notes', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('verified_at', 'text', (c) => c.notNull())
          .addColumn('tool_version', 'text', (c) => c.notNull())
          .addColumn('content_sha256', 'text', (c) => c.notNull())
          .addColumn('file_count', 'integer', (c) => c.notNull())
          .addColumn('summary_json', 'text', (c) => c.notNull())
          .addUniqueConstraint('release_product_version_unique', ['product_id', 'version'])
          .execute();

        await db.schema
          .createTable('certificate')
          .addColumn('thumbprint_sha256', 'text', (c) => c.primaryKey())
          .addColumn('thumbprint_sha1', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('issuer', 'text', (c) => c.notNull())
          .addColumn('serial_number', 'text', (c) => c.notNull())
          .addColumn('not_before', 'text', (c) => c.notNull())
          .addColumn('not_after', 'text', (c) => c.notNull())
          .addColumn('first_seen_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('artifact')
          .addColumn('sha256', 'text', (c) => c.primaryKey())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('format', 'text', (c) => c.notNull())
          .addColumn('machine', 'text')
          .addColumn('pe_kind', 'text')
          .addColumn('file_version', 'text')
          .addColumn('product_version', 'text')
          .addColumn('first_seen_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('artifact_signer')
          .addColumn('sha256', 'text', (c) => c.notNull().references('artifact.sha256').onDelete('cascade'))
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('thumbprint_sha256', 'text', (c) => c.notNull().references('certificate.thumbprint_sha256'))
          .addPrimaryKeyConstraint('artifact_signer_pk', ['sha256', 'position'])
          .execute();
        await db.schema.createIndex('artifact_signer_certificate').on('artifact_signer').column('thumbprint_sha256').execute();

        await db.schema
          .createTable('release_artifact')
          .addColumn('release_id', 'integer', (c) => c.notNull().references('release.id').onDelete('cascade'))
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('ordinal', 'integer', (c) => c.notNull())
          .addColumn('parent_path', 'text')
          .addColumn('sha256', 'text', (c) => c.notNull().references('artifact.sha256'))
          .addColumn('format', 'text', (c) => c.notNull())
          .addColumn('signature_status', 'text')
          .addColumn('reason_code', 'text')
          .addColumn('digest_algorithm', 'text')
          .addColumn('error_code', 'text')
          .addColumn('report_json', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('release_artifact_pk', ['release_id', 'path'])
          .addUniqueConstraint('release_artifact_ordinal_unique', ['release_id', 'ordinal'])
          .execute();
        await db.schema.createIndex('release_artifact_sha256').on('release_artifact').column('sha256').execute();

        await db.schema
          .createTable('artifact_finding')
          .addColumn('release_id', 'integer', (c) => c.notNull())
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('idx', 'integer', (c) => c.notNull())
          .addColumn('rule_id', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('artifact_finding_pk', ['release_id', 'path', 'idx'])
          .addForeignKeyConstraint('artifact_finding_release_artifact', ['release_id', 'path'], 'release_artifact', ['release_id', 'path'], (c) => c.onDelete('cascade'))
          .execute();
        await db.schema.createIndex('artifact_finding_rule').on('artifact_finding').column('rule_id').execute();

        await db.schema
          .createTable('release_finding')
          .addColumn('release_id', 'integer', (c) => c.notNull().references('release.id').onDelete('cascade'))
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('rule_id', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('certificate_sha256', 'text', (c) => c.references('certificate.thumbprint_sha256'))
          .addColumn('files_json', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('release_finding_pk', ['release_id', 'seq'])
          .execute();
      },
    },
    '0002_scans': {
      async up(db: Kysely<any>): Promise<void> {
        // Scans are append-only history: one row per scan, the files it covered, every verdict.
        await db.schema
          .createTable('scan')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('finished_at', 'text')
          .addColumn('trigger', 'text', (c) => c.notNull())
          .addColumn('engines_json', 'text', (c) => c.notNull())
          .addColumn('product', 'text')
          .addColumn('version', 'text')
          .addColumn('inputs_json', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('scan_release').on('scan').columns(['product', 'version']).execute();

        await db.schema
          .createTable('scan_target')
          .addColumn('scan_id', 'text', (c) => c.notNull().references('scan.id').onDelete('cascade'))
          .addColumn('ordinal', 'integer', (c) => c.notNull())
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('parent_path', 'text')
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('scan_target_pk', ['scan_id', 'ordinal'])
          .execute();

        await db.schema
          .createTable('verdict')
          .addColumn('scan_id', 'text', (c) => c.notNull().references('scan.id').onDelete('cascade'))
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('via', 'text', (c) => c.notNull())
          .addColumn('engine', 'text', (c) => c.notNull())
          .addColumn('category', 'text', (c) => c.notNull())
          .addColumn('result', 'text')
          .addColumn('engine_version', 'text')
          .addColumn('definitions_date', 'text')
          .addColumn('scanned_at', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .addColumn('reused', 'integer', (c) => c.notNull())
          .addColumn('recorded_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('verdict_pk', ['scan_id', 'sha256', 'via', 'engine'])
          .execute();
        await db.schema.createIndex('verdict_sha256_via').on('verdict').columns(['sha256', 'via', 'recorded_at']).execute();
      },
    },
    '0003_events': {
      async up(db: Kysely<any>): Promise<void> {
        // Detection-change events (VT Monitor's tags), one per (scan, file, adapter).
        await db.schema
          .createTable('detection_event')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('scan_id', 'text', (c) => c.notNull().references('scan.id').onDelete('cascade'))
          .addColumn('previous_scan_id', 'text', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('via', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('before_json', 'text', (c) => c.notNull())
          .addColumn('after_json', 'text', (c) => c.notNull())
          .addColumn('results_json', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('detection_event_at').on('detection_event').columns(['at', 'id']).execute();
        await db.schema.createIndex('detection_event_sha256').on('detection_event').column('sha256').execute();
      },
    },
    '0004_outbox': {
      async up(db: Kysely<any>): Promise<void> {
        // Alert deliveries (one per event and webhook target), claimed with a lease, marked when sent.
        await db.schema
          .createTable('alert_delivery')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('target_key', 'text', (c) => c.notNull())
          .addColumn('target_label', 'text', (c) => c.notNull())
          .addColumn('format', 'text', (c) => c.notNull())
          .addColumn('payload_json', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_at', 'text', (c) => c.notNull())
          .addColumn('claimed_until', 'text')
          .addColumn('delivered_at', 'text')
          .addColumn('failed_at', 'text')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('alert_delivery_due').on('alert_delivery').columns(['delivered_at', 'failed_at', 'next_at']).execute();
      },
    },
    '0005_tokens': {
      async up(db: Kysely<any>): Promise<void> {
        // API tokens: only the SHA-256 of each token is stored.
        await db.schema
          .createTable('api_token')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_used_at', 'text')
          .addColumn('revoked_at', 'text')
          .execute();
      },
    },
    '0003_cases': {
      async up(db: Kysely<any>): Promise<void> {
        // False-positive cases: one per (kind, vendor, subject, release); every change is a case_event row.
        const id = (table: ReturnType<Kysely<any>['schema']['createTable']>) =>
          dialect === 'sqlite'
            ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
            : table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity());
        await id(db.schema.createTable('case'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('vendor', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('product', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('path', 'text')
          .addColumn('detections_json', 'text', (c) => c.notNull())
          .addColumn('summary', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('reference', 'text')
          .addColumn('opened_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('submitted_at', 'text')
          .addColumn('due_at', 'text')
          .addColumn('closed_at', 'text')
          .addUniqueConstraint('case_key_unique', ['kind', 'vendor', 'subject', 'product', 'version'])
          .execute();
        await db.schema.createIndex('case_release').on('case').columns(['product', 'version']).execute();

        await db.schema
          .createTable('case_event')
          .addColumn('case_id', 'integer', (c) => c.notNull().references('case.id').onDelete('cascade'))
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('from_state', 'text')
          .addColumn('to_state', 'text')
          .addColumn('note', 'text')
          .addPrimaryKeyConstraint('case_event_pk', ['case_id', 'seq'])
          .execute();

        await db.schema
          .createTable('submission')
          .addColumn('case_id', 'integer', (c) => c.notNull().references('case.id').onDelete('cascade'))
          .addColumn('message_id', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('sent_at', 'text')
          .addPrimaryKeyConstraint('submission_pk', ['case_id', 'message_id'])
          .execute();
        await db.schema.createIndex('submission_message').on('submission').column('message_id').execute();
      },
    },
    '0006_verdict_current': {
      async up(db: Kysely<any>): Promise<void> {
        // The verdict that stands now per (file, adapter, engine): the newest answer (not failure, timeout or
        // type-unsupported) by (recorded_at, scan_id). The release matrix and gate read it with one index range
        // per file instead of every answer of the file's history (90 days × 70 engines = 6,300 rows per file
        // under monitoring; bench/load.ts measured the matrix of 100 files at seconds before this table).
        // KyselyScanStore.addVerdicts keeps it in the same transaction as the verdict rows.
        await db.schema
          .createTable('verdict_current')
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('via', 'text', (c) => c.notNull())
          .addColumn('engine', 'text', (c) => c.notNull())
          .addColumn('scan_id', 'text', (c) => c.notNull())
          .addColumn('category', 'text', (c) => c.notNull())
          .addColumn('result', 'text')
          .addColumn('engine_version', 'text')
          .addColumn('definitions_date', 'text')
          .addColumn('scanned_at', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .addColumn('reused', 'integer', (c) => c.notNull())
          .addColumn('recorded_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('verdict_current_pk', ['sha256', 'via', 'engine'])
          // SQLite: the rows themselves ordered by the key, so a file's 70 answers are one contiguous range
          // (https://www.sqlite.org/withoutrowid.html), not 70 lookups through a separate index.
          .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
          .execute();
        await backfillCurrentVerdicts(db);
      },
    },
    '0007_verdict_current_file': {
      async up(db: Kysely<any>): Promise<void> {
        // The standing verdicts of a file as one row (a JSON array in text, both dialects): the release matrix reads
        // 100 rows instead of 7,000. On PostgreSQL the 7,000-row index range and its JSON aggregation cost ~20 ms per
        // matrix at 63 M verdict rows (bench/load.ts), the rows themselves most of it. Kept by keepCurrentVerdicts in
        // the transaction that moves verdict_current; the row doubles as the per-file lock of that update.
        await db.schema
          .createTable('verdict_current_file')
          .addColumn('sha256', 'text', (c) => c.primaryKey())
          .addColumn('cells', 'text', (c) => c.notNull())
          .execute();
        await backfillFileVerdicts(db, dialect);
      },
    },
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The newest migration this build knows (exports name it). */
export const LATEST_MIGRATION = '0007_verdict_current_file';

class CodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: SQLDialect) {}

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrationsFor(this.dialect));
  }
}

/** Brings the schema up to date; a database migrated by a newer Absolve is refused, never downgraded. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: SQLDialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new CodeMigrationProvider(dialect),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const foreign = await appliedMigrationsUnknownTo(db, new Set(Object.keys(migrationsFor(dialect))));
  if (foreign.length > 0) {
    throw new ReleaseError('STORE_SCHEMA_NEWER', `the store was written by a newer Absolve (schema migration ${foreign.join(', ')}); upgrade Absolve to use it`);
  }
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new ReleaseError('STORE_UNAVAILABLE', `cannot migrate the store's schema: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error });
  }
}

/** Applied migrations this build does not know (the Migrator would refuse them with a less helpful message). */
async function appliedMigrationsUnknownTo(db: Kysely<unknown>, known: ReadonlySet<string>): Promise<string[]> {
  let names: string[];
  try {
    const rows = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
    names = rows.rows.map((r) => r.name);
  } catch {
    return []; // no migration table yet: a fresh store
  }
  return names.filter((n) => !known.has(n));
}
