/**
 * The release store over Kysely: one implementation of the ReleaseStore port for SQLite,
 * PostgreSQL and PGlite (the dialect files only open a connection). Queries are written once;
 * ordering that reaches a user is done here in code-unit order, never by a database collation,
 * so both databases answer byte for byte the same.
 */
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CertificateSummary } from '../authenticode/index.ts';
import type { ArtifactReport, AuditSummary, Severity } from '../core/audit.types.ts';
import { ReleaseError } from '../core/releases/errors.ts';
import type {
  ArtifactRecord,
  CaseDataRecord,
  CaseEventDataRecord,
  CertificateDataRecord,
  EventRecord,
  FindingRecord,
  ImportCounts,
  ProductRecord,
  ReleaseArtifactRecord,
  ReleaseRecord,
  ScanRecord,
  ScanTargetDataRecord,
  StoreDataRecord,
  SubmissionDataRecord,
  VerdictRecord,
} from '../core/releases/export-records.ts';
import type { ReleaseStore } from '../core/releases/ports.ts';
import {
  compareReleases,
  compareText,
  parentPathOf,
  signersOf,
  type CertificateUsage,
  type ReleaseDetail,
  type ReleaseDraft,
  type ReleaseFinding,
  type ReleaseHeader,
  type ReleaseKey,
  type SaveReleaseOptions,
  type SaveReleaseResult,
} from '../core/releases/release.types.ts';
import { eventOf } from './kysely-event-store.ts';
import { caseRecordOf } from './kysely-case-store.ts';
import { keepCurrentVerdicts, scanHeaderOf } from './kysely-scan-store.ts';
import type { SQLDialect } from './migrations.ts';
import { STORE_TABLES, type ArtifactFindingTable, type ArtifactSignerTable, type ArtifactTable, type CertificateTable, type ReleaseArtifactTable, type ReleaseTable, type StoreDatabase } from './schema.ts';

type Db = Kysely<StoreDatabase> | Transaction<StoreDatabase>;

/** Rows per multi-row INSERT: far below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters at ≤ 11 columns. */
const INSERT_CHUNK_ROWS = 200;
/** Artifacts per page when exporting (keyset pagination by sha256). */
const EXPORT_PAGE_ROWS = 1000;

async function insertChunked<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) await insert(rows.slice(i, i + INSERT_CHUNK_ROWS));
}

/** COUNT and BIGINT come back as text from pg, as numbers from SQLite and PGlite. */
function num(value: number | string | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** The `release` row of a release header (one shape for recording and for import). */
function releaseRow(productId: number, header: ReleaseHeader): Insertable<ReleaseTable> {
  return {
    product_id: productId,
    version: header.version,
    channel: header.channel,
    notes: header.notes,
    created_at: header.createdAt,
    verified_at: header.verifiedAt,
    tool_version: header.toolVersion,
    content_sha256: header.contentSha256,
    file_count: header.files,
    summary_json: JSON.stringify(header.summary),
  };
}

function headerOf(row: Selectable<ReleaseTable>, product: string): ReleaseHeader {
  return {
    product,
    version: row.version,
    channel: row.channel,
    notes: row.notes,
    createdAt: row.created_at,
    verifiedAt: row.verified_at,
    toolVersion: row.tool_version,
    contentSha256: row.content_sha256,
    files: num(row.file_count),
    summary: JSON.parse(row.summary_json) as AuditSummary,
  };
}

function sameRelease(a: ReleaseHeader, b: ReleaseHeader): boolean {
  return a.contentSha256 === b.contentSha256 && a.channel === b.channel && a.notes === b.notes;
}

/** A `certificate` row (one shape for recording and for import). */
function certificateRow(
  cert: Pick<CertificateSummary, 'thumbprintSha256' | 'thumbprintSha1' | 'subject' | 'issuer' | 'serialNumber' | 'notBefore' | 'notAfter'>,
  firstSeenAt: string,
): CertificateTable {
  return {
    thumbprint_sha256: cert.thumbprintSha256,
    thumbprint_sha1: cert.thumbprintSha1,
    subject: cert.subject,
    issuer: cert.issuer,
    serial_number: cert.serialNumber,
    not_before: cert.notBefore,
    not_after: cert.notAfter,
    first_seen_at: firstSeenAt,
  };
}

/** The intrinsic facts of a file's bytes, from (the first) report of them. */
function artifactRow(report: ArtifactReport, firstSeenAt: string): ArtifactTable {
  const pe = report.pe;
  return {
    sha256: report.sha256,
    size: report.size,
    format: report.format,
    machine: pe?.machine ?? null,
    pe_kind: pe === null ? null : pe.isDll ? 'dll' : 'exe',
    file_version: pe?.versionInfo?.fileVersion ?? null,
    product_version: pe?.versionInfo?.productVersion ?? null,
    first_seen_at: firstSeenAt,
  };
}

function releaseArtifactRow(releaseId: number, ordinal: number, report: ArtifactReport): ReleaseArtifactTable {
  return {
    release_id: releaseId,
    path: report.path,
    ordinal,
    parent_path: parentPathOf(report.path),
    sha256: report.sha256,
    format: report.format,
    signature_status: report.signature?.status ?? null,
    reason_code: report.signature?.reasonCode ?? null,
    digest_algorithm: report.signature?.digestAlgorithm ?? null,
    error_code: report.error?.code ?? null,
    report_json: JSON.stringify(report),
  };
}

function artifactFindingRows(releaseId: number, report: ArtifactReport): ArtifactFindingTable[] {
  return report.findings.map((f, idx) => ({ release_id: releaseId, path: report.path, idx, rule_id: f.id, severity: f.severity, message: f.message }));
}

/** How often a recording is attempted when it loses a race with another writer. */
const SAVE_ATTEMPTS = 3;

/** A unique-key race, a lost SQLite write lock or a PostgreSQL serialization failure or deadlock: worth one more try. */
function isWriteConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'SQLITE_BUSY' ||
    code === 'SQLITE_BUSY_SNAPSHOT' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505' || // unique_violation
    code === '40001' || // serialization_failure
    code === '40P01' // deadlock_detected
  );
}

function productKey(product: string, version: string): string {
  return `${product}\u0000${version}`;
}

export class KyselyReleaseStore implements ReleaseStore {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    readonly dialect: SQLDialect,
    private readonly onClose: () => Promise<void>,
  ) {}

  private closed = false;

  /** Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.onClose();
  }

  // ---------------------------------------------------------------- recording

  async saveRelease(draft: ReleaseDraft, options: SaveReleaseOptions): Promise<SaveReleaseResult> {
    // Two processes recording the same release race on the (product, version) key (or, on SQLite,
    // for the write lock); the loser runs its transaction again and finds the winner's release.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.saveOnce(draft, options);
      } catch (error) {
        if (attempt >= SAVE_ATTEMPTS || !isWriteConflict(error)) throw error;
      }
    }
  }

  private async saveOnce(draft: ReleaseDraft, options: SaveReleaseOptions): Promise<SaveReleaseResult> {
    const { header } = draft;
    return this.db.transaction().execute(async (trx) => {
      const productId = await this.ensureProduct(trx, header.product, header.createdAt);
      const existing = await trx.selectFrom('release').selectAll().where('product_id', '=', productId).where('version', '=', header.version).executeTakeFirst();
      let releaseId: number;
      let outcome: SaveReleaseResult['outcome'];
      let stored: ReleaseHeader;
      let replacedShas: string[] = [];
      if (existing !== undefined) {
        const current = headerOf(existing, header.product);
        if (sameRelease(current, header)) {
          return { outcome: 'unchanged', header: current, findings: await this.releaseFindings(trx, existing.id) };
        }
        if (!options.replace) {
          throw new ReleaseError('RELEASE_EXISTS_DIFFERENT', `${header.product} ${header.version} is already recorded with other content; pass --replace to overwrite it`);
        }
        replacedShas = (await trx.selectFrom('release_artifact').select('sha256').distinct().where('release_id', '=', existing.id).execute()).map((r) => r.sha256);
        await trx.deleteFrom('artifact_finding').where('release_id', '=', existing.id).execute();
        await trx.deleteFrom('release_finding').where('release_id', '=', existing.id).execute();
        await trx.deleteFrom('release_artifact').where('release_id', '=', existing.id).execute();
        stored = { ...header, createdAt: current.createdAt };
        await trx
          .updateTable('release')
          .set({
            channel: stored.channel,
            notes: stored.notes,
            verified_at: stored.verifiedAt,
            tool_version: stored.toolVersion,
            content_sha256: stored.contentSha256,
            file_count: stored.files,
            summary_json: JSON.stringify(stored.summary),
          })
          .where('id', '=', existing.id)
          .execute();
        releaseId = existing.id;
        outcome = 'replaced';
      } else {
        stored = header;
        const row = await trx
          .insertInto('release')
          .values(releaseRow(productId, header))
          .returning('id')
          .executeTakeFirstOrThrow();
        releaseId = row.id;
        outcome = 'created';
      }

      const findings = options.deriveFindings(await this.history(trx, productId, releaseId));
      await this.insertContent(trx, draft.artifacts, header.createdAt);
      await this.insertReleaseArtifacts(trx, releaseId, draft.artifacts.map((report, ordinal) => ({ report, ordinal })));
      await this.insertReleaseFindings(trx, releaseId, findings.map((f, seq) => ({ ...f, seq })));
      if (replacedShas.length > 0) await this.deleteOrphans(trx, replacedShas);
      return { outcome, header: stored, findings };
    });
  }

  private async ensureProduct(trx: Db, name: string, createdAt: string): Promise<number> {
    await trx.insertInto('product').values({ name, created_at: createdAt }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const row = await trx.selectFrom('product').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    return row.id;
  }

  private async history(trx: Db, productId: number, releaseId: number): Promise<{ priorReleases: number; priorSigners: Set<string> }> {
    const count = await trx
      .selectFrom('release')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('product_id', '=', productId)
      .where('id', '<>', releaseId)
      .executeTakeFirstOrThrow();
    const signers = await trx
      .selectFrom('artifact_signer as s')
      .innerJoin('release_artifact as ra', 'ra.sha256', 's.sha256')
      .innerJoin('release as r', 'r.id', 'ra.release_id')
      .select('s.thumbprint_sha256')
      .distinct()
      .where('r.product_id', '=', productId)
      .where('r.id', '<>', releaseId)
      .execute();
    return { priorReleases: num(count.n), priorSigners: new Set(signers.map((s) => s.thumbprint_sha256)) };
  }

  /** Certificates, artifacts and their signers: shared across releases, so an existing row is left as it is. */
  private async insertContent(trx: Db, reports: readonly ArtifactReport[], seenAt: string): Promise<void> {
    const certificates = new Map<string, CertificateTable>();
    const artifacts = new Map<string, ArtifactTable>();
    const signers: ArtifactSignerTable[] = [];
    for (const report of reports) {
      if (artifacts.has(report.sha256)) continue;
      artifacts.set(report.sha256, artifactRow(report, seenAt));
      for (const { position, role, signer } of signersOf(report)) {
        signers.push({ sha256: report.sha256, position, role, thumbprint_sha256: signer.thumbprintSha256 });
        if (!certificates.has(signer.thumbprintSha256)) {
          certificates.set(signer.thumbprintSha256, certificateRow(signer, seenAt));
        }
      }
    }
    await this.insertCertificates(trx, [...certificates.values()]);
    await this.insertArtifacts(trx, [...artifacts.values()], signers);
  }

  private async insertCertificates(trx: Db, rows: readonly CertificateTable[]): Promise<void> {
    await insertChunked(rows, (chunk) => trx.insertInto('certificate').values(chunk).onConflict((oc) => oc.column('thumbprint_sha256').doNothing()).execute());
  }

  private async insertArtifacts(trx: Db, rows: readonly ArtifactTable[], signers: readonly ArtifactSignerTable[]): Promise<void> {
    await insertChunked(rows, (chunk) => trx.insertInto('artifact').values(chunk).onConflict((oc) => oc.column('sha256').doNothing()).execute());
    await insertChunked(signers, (chunk) => trx.insertInto('artifact_signer').values(chunk).onConflict((oc) => oc.columns(['sha256', 'position']).doNothing()).execute());
  }

  /** A release's files, and the file-level findings derived from their reports (the same way on record and on import). */
  private async insertReleaseArtifacts(trx: Db, releaseId: number, items: ReadonlyArray<{ report: ArtifactReport; ordinal: number }>): Promise<void> {
    await insertChunked(items, (chunk) => trx.insertInto('release_artifact').values(chunk.map((i) => releaseArtifactRow(releaseId, i.ordinal, i.report))).execute());
    await insertChunked(
      items.flatMap((i) => artifactFindingRows(releaseId, i.report)),
      (chunk) => trx.insertInto('artifact_finding').values(chunk).execute(),
    );
  }

  private async insertReleaseFindings(trx: Db, releaseId: number, findings: ReadonlyArray<ReleaseFinding & { seq: number }>): Promise<void> {
    await insertChunked(findings, (chunk) =>
      trx
        .insertInto('release_finding')
        .values(
          chunk.map((f) => ({
            release_id: releaseId,
            seq: f.seq,
            rule_id: f.id,
            severity: f.severity,
            message: f.message,
            certificate_sha256: f.certificate?.thumbprintSha256 ?? null,
            files_json: JSON.stringify(f.files),
          })),
        )
        .execute(),
    );
  }

  /** After a replace: artifacts no release uses any more, then certificates nothing refers to. */
  private async deleteOrphans(trx: Db, candidates: readonly string[]): Promise<void> {
    for (let i = 0; i < candidates.length; i += INSERT_CHUNK_ROWS) {
      const chunk = candidates.slice(i, i + INSERT_CHUNK_ROWS);
      const orphans = (
        await trx
          .selectFrom('artifact as a')
          .select('a.sha256')
          .where('a.sha256', 'in', chunk)
          .where((eb) => eb.not(eb.exists(eb.selectFrom('release_artifact as ra').select('ra.sha256').whereRef('ra.sha256', '=', 'a.sha256'))))
          .execute()
      ).map((r) => r.sha256);
      if (orphans.length === 0) continue;
      await trx.deleteFrom('artifact_signer').where('sha256', 'in', orphans).execute();
      await trx.deleteFrom('artifact').where('sha256', 'in', orphans).execute();
    }
    await trx
      .deleteFrom('certificate')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('artifact_signer as s').select('s.sha256').whereRef('s.thumbprint_sha256', '=', 'certificate.thumbprint_sha256'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('release_finding as f').select('f.seq').whereRef('f.certificate_sha256', '=', 'certificate.thumbprint_sha256'))))
      .execute();
  }

  // ---------------------------------------------------------------- reading

  private async releaseRow(db: Db, key: ReleaseKey): Promise<(Selectable<ReleaseTable>) | undefined> {
    return db
      .selectFrom('release as r')
      .innerJoin('product as p', 'p.id', 'r.product_id')
      .selectAll('r')
      .where('p.name', '=', key.product)
      .where('r.version', '=', key.version)
      .executeTakeFirst();
  }

  async findRelease(key: ReleaseKey): Promise<ReleaseHeader | undefined> {
    const row = await this.releaseRow(this.db, key);
    return row === undefined ? undefined : headerOf(row, key.product);
  }

  /**
   * Reads that take several queries run in one snapshot, so a concurrent `--replace` never mixes two
   * contents (REPEATABLE READ on PostgreSQL; an SQLite read transaction is a snapshot anyway).
   */
  private snapshot<T>(fn: (trx: Transaction<StoreDatabase>) => Promise<T>): Promise<T> {
    return this.db.transaction().setIsolationLevel('repeatable read').execute(fn);
  }

  async getRelease(key: ReleaseKey): Promise<ReleaseDetail | undefined> {
    return this.snapshot(async (trx) => {
      const row = await this.releaseRow(trx, key);
      if (row === undefined) return undefined;
      const artifacts = await trx.selectFrom('release_artifact').select('report_json').where('release_id', '=', row.id).orderBy('ordinal').execute();
      return {
        header: headerOf(row, key.product),
        artifacts: artifacts.map((a) => JSON.parse(a.report_json) as ArtifactReport),
        findings: await this.releaseFindings(trx, row.id),
      };
    });
  }

  private async releaseFindings(db: Db, releaseId: number): Promise<ReleaseFinding[]> {
    const rows = await db
      .selectFrom('release_finding as f')
      .leftJoin('certificate as c', 'c.thumbprint_sha256', 'f.certificate_sha256')
      .select(['f.seq', 'f.rule_id', 'f.severity', 'f.message', 'f.files_json', 'c.thumbprint_sha256', 'c.thumbprint_sha1', 'c.subject'])
      .where('f.release_id', '=', releaseId)
      .orderBy('f.seq')
      .execute();
    return rows.map((r) => ({
      id: r.rule_id,
      severity: r.severity as Severity,
      message: r.message,
      certificate:
        r.thumbprint_sha256 === null || r.thumbprint_sha1 === null || r.subject === null
          ? null
          : { subject: r.subject, thumbprintSha1: r.thumbprint_sha1, thumbprintSha256: r.thumbprint_sha256 },
      files: JSON.parse(r.files_json) as string[],
    }));
  }

  async listReleases(product?: string): Promise<ReleaseHeader[]> {
    let query = this.db.selectFrom('release as r').innerJoin('product as p', 'p.id', 'r.product_id').selectAll('r').select('p.name as product_name');
    if (product !== undefined) query = query.where('p.name', '=', product);
    const rows = await query.execute();
    return rows.map((r) => headerOf(r, r.product_name)).sort(compareReleases);
  }

  async removeRelease(key: ReleaseKey): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.releaseRow(trx, key);
      if (row === undefined) return false;
      const shas = (await trx.selectFrom('release_artifact').select('sha256').distinct().where('release_id', '=', row.id).execute()).map((r) => r.sha256);
      await trx.deleteFrom('artifact_finding').where('release_id', '=', row.id).execute();
      await trx.deleteFrom('release_finding').where('release_id', '=', row.id).execute();
      await trx.deleteFrom('release_artifact').where('release_id', '=', row.id).execute();
      await trx.deleteFrom('release').where('id', '=', row.id).execute();
      await this.deleteOrphans(trx, shas);
      return true;
    });
  }

  async isArtifactReferenced(sha256: string): Promise<boolean> {
    return (await this.db.selectFrom('release_artifact').select('sha256').where('sha256', '=', sha256).executeTakeFirst()) !== undefined;
  }

  async hasProduct(name: string): Promise<boolean> {
    return (await this.db.selectFrom('product').select('id').where('name', '=', name).executeTakeFirst()) !== undefined;
  }

  async certificateUsage(product?: string): Promise<CertificateUsage[]> {
    return this.snapshot(async (trx) => {
      let counts = trx
        .selectFrom('certificate as c')
        .innerJoin('artifact_signer as s', 's.thumbprint_sha256', 'c.thumbprint_sha256')
        .innerJoin('release_artifact as ra', 'ra.sha256', 's.sha256')
        .innerJoin('release as r', 'r.id', 'ra.release_id')
        .innerJoin('product as p', 'p.id', 'r.product_id')
        .select(['c.thumbprint_sha256', 'c.thumbprint_sha1', 'c.subject', 'c.issuer', 'c.serial_number', 'c.not_before', 'c.not_after'])
        .select((eb) => eb.fn.count<number | string>('s.sha256').distinct().as('files'))
        .groupBy(['c.thumbprint_sha256', 'c.thumbprint_sha1', 'c.subject', 'c.issuer', 'c.serial_number', 'c.not_before', 'c.not_after']);
      let seen = trx
        .selectFrom('artifact_signer as s')
        .innerJoin('release_artifact as ra', 'ra.sha256', 's.sha256')
        .innerJoin('release as r', 'r.id', 'ra.release_id')
        .innerJoin('product as p', 'p.id', 'r.product_id')
        .select(['s.thumbprint_sha256', 'p.name as product', 'r.version', 'r.created_at'])
        .distinct();
      if (product !== undefined) {
        counts = counts.where('p.name', '=', product);
        seen = seen.where('p.name', '=', product);
      }
      const releases = new Map<string, Array<ReleaseKey & { createdAt: string }>>();
      for (const row of await seen.execute()) {
        let list = releases.get(row.thumbprint_sha256);
        if (list === undefined) releases.set(row.thumbprint_sha256, (list = []));
        list.push({ product: row.product, version: row.version, createdAt: row.created_at });
      }
      return (await counts.execute())
        .map((c) => ({
          certificate: {
            subject: c.subject,
            issuer: c.issuer,
            serialNumber: c.serial_number,
            thumbprintSha1: c.thumbprint_sha1,
            thumbprintSha256: c.thumbprint_sha256,
            notBefore: c.not_before,
            notAfter: c.not_after,
          },
          files: num(c.files),
          releases: (releases.get(c.thumbprint_sha256) ?? []).sort(compareReleases),
        }))
        .sort((a, b) => compareText(a.certificate.thumbprintSha256, b.certificate.thumbprintSha256));
    });
  }

  // ---------------------------------------------------------------- export / import

  /** One snapshot for the whole export, so records written meanwhile never leave it inconsistent. */
  async *exportRecords(): AsyncGenerator<StoreDataRecord> {
    const trx = await this.db.startTransaction().setIsolationLevel('repeatable read').execute();
    try {
      yield* this.exportFrom(trx);
    } finally {
      await trx.rollback().execute();
    }
  }

  private async *exportFrom(db: Db): AsyncGenerator<StoreDataRecord> {
    const products = await db.selectFrom('product').select(['name', 'created_at']).execute();
    for (const p of products.sort((a, b) => compareText(a.name, b.name))) yield { type: 'product', name: p.name, createdAt: p.created_at } satisfies ProductRecord;

    const certificates = await db.selectFrom('certificate').selectAll().execute();
    for (const c of certificates.sort((a, b) => compareText(a.thumbprint_sha256, b.thumbprint_sha256))) {
      yield {
        type: 'certificate',
        subject: c.subject,
        issuer: c.issuer,
        serialNumber: c.serial_number,
        thumbprintSha1: c.thumbprint_sha1,
        thumbprintSha256: c.thumbprint_sha256,
        notBefore: c.not_before,
        notAfter: c.not_after,
        firstSeenAt: c.first_seen_at,
      } satisfies CertificateDataRecord;
    }

    // Artifacts by sha256 (lowercase hex sorts the same under every collation), a page at a time.
    let after = '';
    while (true) {
      const page = await db.selectFrom('artifact').selectAll().where('sha256', '>', after).orderBy('sha256').limit(EXPORT_PAGE_ROWS).execute();
      if (page.length === 0) break;
      const signerRows = await db.selectFrom('artifact_signer').selectAll().where('sha256', 'in', page.map((a) => a.sha256)).execute();
      const signers = new Map<string, ArtifactSignerTable[]>();
      for (const s of signerRows) {
        let list = signers.get(s.sha256);
        if (list === undefined) signers.set(s.sha256, (list = []));
        list.push(s);
      }
      for (const a of page.sort((x, y) => compareText(x.sha256, y.sha256))) {
        yield {
          type: 'artifact',
          sha256: a.sha256,
          size: num(a.size),
          format: a.format,
          machine: a.machine,
          peKind: a.pe_kind,
          fileVersion: a.file_version,
          productVersion: a.product_version,
          firstSeenAt: a.first_seen_at,
          signers: (signers.get(a.sha256) ?? []).sort((x, y) => x.position - y.position).map((s) => ({ position: s.position, role: s.role, thumbprintSha256: s.thumbprint_sha256 })),
        } satisfies ArtifactRecord;
      }
      after = page[page.length - 1]?.sha256 ?? after;
    }

    const releases = await db.selectFrom('release as r').innerJoin('product as p', 'p.id', 'r.product_id').selectAll('r').select('p.name as product_name').execute();
    const ordered = releases.map((r) => ({ id: r.id, header: headerOf(r, r.product_name) })).sort((a, b) => compareReleases(a.header, b.header));
    for (const { id, header } of ordered) {
      yield { type: 'release', ...header } satisfies ReleaseRecord;
      const artifacts = await db.selectFrom('release_artifact').select(['ordinal', 'path', 'sha256', 'report_json']).where('release_id', '=', id).orderBy('ordinal').execute();
      for (const a of artifacts) {
        yield {
          type: 'release_artifact',
          product: header.product,
          version: header.version,
          ordinal: a.ordinal,
          path: a.path,
          sha256: a.sha256,
          report: JSON.parse(a.report_json) as ArtifactReport,
        } satisfies ReleaseArtifactRecord;
      }
      const findings = await this.releaseFindings(db, id);
      for (const [seq, f] of findings.entries()) yield { type: 'finding', product: header.product, version: header.version, seq, ...f } satisfies FindingRecord;
    }

    // Scans in start order, each with its targets and verdicts; then the detection-change events.
    const scans = (await db.selectFrom('scan').selectAll().execute()).sort((a, b) => compareText(a.started_at, b.started_at) || compareText(a.id, b.id));
    for (const scan of scans) {
      yield { type: 'scan', ...scanHeaderOf(scan) } satisfies ScanRecord;
      const targets = await db.selectFrom('scan_target').selectAll().where('scan_id', '=', scan.id).orderBy('ordinal').execute();
      for (const t of targets) yield { type: 'scan_target', scanId: scan.id, ordinal: t.ordinal, path: t.path, parentPath: t.parent_path, sha256: t.sha256, size: num(t.size) } satisfies ScanTargetDataRecord;
      const verdicts = (await db.selectFrom('verdict').selectAll().where('scan_id', '=', scan.id).execute()).sort(
        (a, b) => compareText(a.sha256, b.sha256) || compareText(a.via, b.via) || compareText(a.engine, b.engine),
      );
      for (const v of verdicts) {
        yield {
          type: 'verdict',
          scanId: scan.id,
          sha256: v.sha256,
          engine: v.engine,
          via: v.via as VerdictRecord['via'],
          category: v.category as VerdictRecord['category'],
          result: v.result,
          engineVersion: v.engine_version,
          definitionsDate: v.definitions_date,
          scannedAt: v.scanned_at,
          detail: v.detail,
          reused: v.reused === 1,
          recordedAt: v.recorded_at,
        } satisfies VerdictRecord;
      }
    }
    const events = (await db.selectFrom('detection_event').selectAll().execute()).sort((a, b) => compareText(a.at, b.at) || compareText(a.id, b.id));
    for (const e of events) {
      yield { type: 'event', ...eventOf(e) } satisfies EventRecord;
    }

    // False-positive cases by id, each with its history and its submissions (the mails sent or being sent).
    const cases = await db.selectFrom('case').selectAll().orderBy('id').execute();
    for (const c of cases) {
      const id = Number(c.id);
      yield { type: 'case', ...caseRecordOf(c) } satisfies CaseDataRecord;
      const history = await db.selectFrom('case_event').selectAll().where('case_id', '=', id).orderBy('seq').execute();
      for (const e of history) {
        yield { type: 'case_event', caseId: id, seq: Number(e.seq), at: e.at, kind: e.kind as CaseEventDataRecord['kind'], fromState: e.from_state as CaseEventDataRecord['fromState'], toState: e.to_state as CaseEventDataRecord['toState'], note: e.note } satisfies CaseEventDataRecord;
      }
      const submissions = (await db.selectFrom('submission').selectAll().where('case_id', '=', id).execute()).sort((a, b) => compareText(a.created_at, b.created_at) || compareText(a.message_id, b.message_id));
      for (const m of submissions) {
        yield { type: 'submission', caseId: id, messageId: m.message_id, channel: m.channel, state: m.state as SubmissionDataRecord['state'], createdAt: m.created_at, sentAt: m.sent_at } satisfies SubmissionDataRecord;
      }
    }
  }

  async importRecords(records: AsyncIterable<StoreDataRecord>): Promise<ImportCounts> {
    const counts: ImportCounts = { products: 0, certificates: 0, artifacts: 0, releases: 0, releasesSkipped: 0, findings: 0, scans: 0, scansSkipped: 0, verdicts: 0, events: 0, cases: 0, casesSkipped: 0, caseEvents: 0, submissions: 0 };
    /** Case ids of the file → the id stored here, or null for a case already stored (its history is left alone). */
    const casesSeen = new Map<number, number | null>();
    const caseOf = (id: number, what: string): number | null => {
      const stored = casesSeen.get(id);
      if (stored === undefined) throw new ReleaseError('IMPORT_INVALID', `${what} of case #${id} comes before its case record`);
      return stored;
    };
    let explicitCaseIds = false;
    /** Scan ids met in this import: true when the scan is new here (its targets and verdicts are inserted), false when already stored. */
    const scansSeen = new Map<string, boolean>();
    const scanOf = (id: string, what: string): boolean => {
      const isNew = scansSeen.get(id);
      if (isNew === undefined) throw new ReleaseError('IMPORT_INVALID', `${what} of scan ${id} comes before its scan record`);
      return isNew;
    };
    return this.db.transaction().execute(async (trx) => {
      /** product+version → the release id being filled, or null for a release already stored (its records are skipped). */
      const releases = new Map<string, { id: number | null; expectedFiles: number; files: number; label: string }>();
      let pending: Array<{ releaseId: number; report: ArtifactReport; ordinal: number }> = [];
      const flush = async (): Promise<void> => {
        const byRelease = new Map<number, Array<{ report: ArtifactReport; ordinal: number }>>();
        for (const p of pending) {
          let list = byRelease.get(p.releaseId);
          if (list === undefined) byRelease.set(p.releaseId, (list = []));
          list.push(p);
        }
        pending = [];
        for (const [releaseId, items] of byRelease) await this.insertReleaseArtifacts(trx, releaseId, items);
      };
      const releaseOf = (product: string, version: string, what: string): { id: number | null; expectedFiles: number; files: number; label: string } => {
        const entry = releases.get(productKey(product, version));
        if (entry === undefined) throw new ReleaseError('IMPORT_INVALID', `${what} for ${product} ${version} comes before its release record`);
        return entry;
      };

      for await (const record of records) {
        if (record.type !== 'release_artifact' && pending.length > 0) await flush();
        switch (record.type) {
          case 'product': {
            const r = await trx.insertInto('product').values({ name: record.name, created_at: record.createdAt }).onConflict((oc) => oc.column('name').doNothing()).executeTakeFirst();
            counts.products += num(r.numInsertedOrUpdatedRows);
            break;
          }
          case 'certificate': {
            const r = await trx
              .insertInto('certificate')
              .values(certificateRow(record, record.firstSeenAt))
              .onConflict((oc) => oc.column('thumbprint_sha256').doNothing())
              .executeTakeFirst();
            counts.certificates += num(r.numInsertedOrUpdatedRows);
            break;
          }
          case 'artifact': {
            const r = await trx
              .insertInto('artifact')
              .values({
                sha256: record.sha256,
                size: record.size,
                format: record.format,
                machine: record.machine,
                pe_kind: record.peKind,
                file_version: record.fileVersion,
                product_version: record.productVersion,
                first_seen_at: record.firstSeenAt,
              })
              .onConflict((oc) => oc.column('sha256').doNothing())
              .executeTakeFirst();
            counts.artifacts += num(r.numInsertedOrUpdatedRows);
            await this.insertArtifacts(
              trx,
              [],
              record.signers.map((s) => ({ sha256: record.sha256, position: s.position, role: s.role, thumbprint_sha256: s.thumbprintSha256 })),
            );
            break;
          }
          case 'release': {
            const key = productKey(record.product, record.version);
            if (releases.has(key)) throw new ReleaseError('IMPORT_INVALID', `${record.product} ${record.version} appears twice`);
            const header: ReleaseHeader = {
              product: record.product,
              version: record.version,
              channel: record.channel,
              notes: record.notes,
              createdAt: record.createdAt,
              verifiedAt: record.verifiedAt,
              toolVersion: record.toolVersion,
              contentSha256: record.contentSha256,
              files: record.files,
              summary: record.summary,
            };
            const productId = await this.ensureProduct(trx, header.product, header.createdAt);
            const existing = await this.releaseRow(trx, header);
            if (existing !== undefined) {
              if (!sameRelease(headerOf(existing, header.product), header)) {
                throw new ReleaseError('IMPORT_CONFLICT', `${header.product} ${header.version} is already in the store with other content; nothing was imported`);
              }
              releases.set(key, { id: null, expectedFiles: header.files, files: 0, label: `${header.product} ${header.version}` });
              counts.releasesSkipped++;
              break;
            }
            const row = await trx
              .insertInto('release')
              .values(releaseRow(productId, header))
              .returning('id')
              .executeTakeFirstOrThrow();
            releases.set(key, { id: row.id, expectedFiles: header.files, files: 0, label: `${header.product} ${header.version}` });
            counts.releases++;
            break;
          }
          case 'release_artifact': {
            const release = releaseOf(record.product, record.version, `file '${record.path}'`);
            release.files++;
            if (release.id !== null) pending.push({ releaseId: release.id, report: record.report, ordinal: record.ordinal });
            if (pending.length >= INSERT_CHUNK_ROWS) await flush();
            break;
          }
          case 'finding': {
            const release = releaseOf(record.product, record.version, `finding ${record.id}`);
            if (release.id === null) break;
            await this.insertReleaseFindings(trx, release.id, [record]);
            counts.findings++;
            break;
          }
          case 'scan': {
            if (scansSeen.has(record.id)) throw new ReleaseError('IMPORT_INVALID', `scan ${record.id} appears twice`);
            const stored = await trx.selectFrom('scan').select('id').where('id', '=', record.id).executeTakeFirst();
            scansSeen.set(record.id, stored === undefined);
            if (stored !== undefined) {
              counts.scansSkipped++;
              break;
            }
            await trx
              .insertInto('scan')
              .values({
                id: record.id,
                started_at: record.startedAt,
                finished_at: record.finishedAt,
                trigger: record.trigger,
                engines_json: JSON.stringify(record.engines),
                product: record.release?.product ?? null,
                version: record.release?.version ?? null,
                inputs_json: JSON.stringify(record.inputs),
              })
              .execute();
            counts.scans++;
            break;
          }
          case 'scan_target': {
            if (!scanOf(record.scanId, `file '${record.path}'`)) break;
            await trx.insertInto('scan_target').values({ scan_id: record.scanId, ordinal: record.ordinal, path: record.path, parent_path: record.parentPath, sha256: record.sha256, size: record.size }).execute();
            break;
          }
          case 'verdict': {
            if (!scanOf(record.scanId, `a verdict`)) break;
            const row = {
              scan_id: record.scanId,
              sha256: record.sha256,
              via: record.via,
              engine: record.engine,
              category: record.category,
              result: record.result,
              engine_version: record.engineVersion,
              definitions_date: record.definitionsDate,
              scanned_at: record.scannedAt,
              detail: record.detail,
              reused: record.reused ? 1 : 0,
              recorded_at: record.recordedAt,
            };
            await trx.insertInto('verdict').values(row).execute();
            await keepCurrentVerdicts(trx, [row]);
            counts.verdicts++;
            break;
          }
          case 'event': {
            const r = await trx
              .insertInto('detection_event')
              .values({
                id: record.id,
                at: record.at,
                scan_id: record.scanId,
                previous_scan_id: record.previousScanId,
                sha256: record.sha256,
                via: record.via,
                kind: record.kind,
                before_json: JSON.stringify(record.before),
                after_json: JSON.stringify(record.after),
                results_json: JSON.stringify(record.results),
              })
              .onConflict((oc) => oc.column('id').doNothing())
              .executeTakeFirst();
            counts.events += num(r.numInsertedOrUpdatedRows);
            break;
          }
          case 'case': {
            if (casesSeen.has(record.id)) throw new ReleaseError('IMPORT_INVALID', `case #${record.id} appears twice`);
            // A case is the same case when its key is (kind, vendor, subject, release): the unique key of the table.
            const stored = await trx
              .selectFrom('case')
              .select('id')
              .where('kind', '=', record.kind)
              .where('vendor', '=', record.vendor)
              .where('subject', '=', record.subject)
              .where('product', '=', record.release.product)
              .where('version', '=', record.release.version)
              .executeTakeFirst();
            if (stored !== undefined) {
              casesSeen.set(record.id, null);
              counts.casesSkipped++;
              break;
            }
            // The file's id is kept when it is free here (so export → import → export gives the same lines and case
            // numbers mentioned in mails stay right); otherwise the store numbers the case.
            const taken = await trx.selectFrom('case').select('id').where('id', '=', record.id).executeTakeFirst();
            const values = {
              kind: record.kind,
              vendor: record.vendor,
              subject: record.subject,
              product: record.release.product,
              version: record.release.version,
              path: record.path,
              detections_json: JSON.stringify(record.detections),
              summary: record.summary,
              state: record.state,
              reference: record.reference,
              opened_at: record.openedAt,
              updated_at: record.updatedAt,
              submitted_at: record.submittedAt,
              due_at: record.dueAt,
              closed_at: record.closedAt,
            };
            const row = await trx
              .insertInto('case')
              .values(taken === undefined ? { id: record.id, ...values } : values)
              .returning('id')
              .executeTakeFirstOrThrow();
            if (taken === undefined) explicitCaseIds = true;
            casesSeen.set(record.id, Number(row.id));
            counts.cases++;
            break;
          }
          case 'case_event': {
            const caseId = caseOf(record.caseId, `an event (${record.kind})`);
            if (caseId === null) break;
            await trx.insertInto('case_event').values({ case_id: caseId, seq: record.seq, at: record.at, kind: record.kind, from_state: record.fromState, to_state: record.toState, note: record.note }).execute();
            counts.caseEvents++;
            break;
          }
          case 'submission': {
            const caseId = caseOf(record.caseId, `submission ${record.messageId}`);
            if (caseId === null) break;
            await trx.insertInto('submission').values({ case_id: caseId, message_id: record.messageId, channel: record.channel, state: record.state, created_at: record.createdAt, sent_at: record.sentAt }).execute();
            counts.submissions++;
            break;
          }
        }
      }
      if (pending.length > 0) await flush();
      // PostgreSQL's identity sequence does not move for explicit ids: move it past them, or the next case opened
      // would be given an id that is taken. (SQLite's AUTOINCREMENT already counts from the largest id used.)
      if (explicitCaseIds && this.dialect === 'postgres') {
        await sql`select setval(pg_get_serial_sequence('"case"', 'id'), (select max(id) from "case"))`.execute(trx);
      }
      for (const r of releases.values()) {
        if (r.files !== r.expectedFiles) throw new ReleaseError('IMPORT_INVALID', `${r.label} declares ${r.expectedFiles} files, the export holds ${r.files}`);
      }
      return counts;
    }).catch((error: unknown) => {
      if (error instanceof ReleaseError) throw error;
      // A foreign key or unique violation means the file is not a consistent export.
      throw new ReleaseError('IMPORT_INVALID', `the records do not fit together: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
  }
}

/** Empties every table, keeping the schema (test isolation on a shared database). */
export async function truncateStore(db: Kysely<StoreDatabase>, dialect: SQLDialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`truncate ${sql.join(STORE_TABLES.map((t) => sql.table(t)))} restart identity`.execute(db);
    return;
  }
  await db.transaction().execute(async (trx) => {
    for (const table of STORE_TABLES) await trx.deleteFrom(table).execute();
  });
}
