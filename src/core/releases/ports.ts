/**
 * Ports of the release history. The SQL adapters (src/store: SQLite, PostgreSQL, PGlite) and the
 * content-addressed blob store implement them; src/app wires them; the CLI receives them.
 * Every adapter passes the same contract suite (test/store/store-contract.ts).
 */
import type { TokenStore } from '../access/tokens.ts';
import type { OutboxStore } from '../alerts/alerts.ts';
import type { EventStore } from '../monitor/ports.ts';
import type { CaseStore } from '../cases/ports.ts';
import type { ScanStore } from '../scans/ports.ts';
import type { StoreDataRecord, ImportCounts } from './export-records.ts';
import type {
  CertificateUsage,
  ReleaseDetail,
  ReleaseDraft,
  ReleaseHeader,
  ReleaseKey,
  SaveReleaseOptions,
  SaveReleaseResult,
} from './release.types.ts';

export interface ReleaseStore {
  /** `sqlite` or `postgres` (PostgreSQL and PGlite). */
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Records a release in one transaction: the product (created on first use), the release,
   * its artifacts (shared by sha256 with other releases), signer certificates, the file-level
   * findings from the reports and the findings `options.deriveFindings` returns. A stored
   * release with the same content, channel and notes is left alone (`unchanged`); different
   * ones fail with RELEASE_EXISTS_DIFFERENT unless `options.replace`.
   */
  saveRelease(draft: ReleaseDraft, options: SaveReleaseOptions): Promise<SaveReleaseResult>;
  /** The header only (cheap). */
  findRelease(key: ReleaseKey): Promise<ReleaseHeader | undefined>;
  /** Header, every artifact report in audit order, release-level findings. */
  getRelease(key: ReleaseKey): Promise<ReleaseDetail | undefined>;
  /** Headers in release order (recording time, product, version); one product or all. */
  listReleases(product?: string): Promise<ReleaseHeader[]>;
  hasProduct(name: string): Promise<boolean>;
  /**
   * Removes a release in one transaction: its files' links and findings, then artifacts and certificates no
   * other release uses. False when there is no such release. Blobs stay until `absolve gc`.
   */
  removeRelease(key: ReleaseKey): Promise<boolean>;
  /** Whether some release still refers to this content (gc keeps its blob). */
  isArtifactReferenced(sha256: string): Promise<boolean>;
  /** Every certificate that signed a file of the product (or of any product), with where it was seen. */
  certificateUsage(product?: string): Promise<CertificateUsage[]>;
  /** The whole store as data records, in a deterministic order (see export-records.ts). */
  exportRecords(): AsyncIterable<StoreDataRecord>;
  /** Adds exported records in one transaction; releases already stored with the same content are skipped. */
  importRecords(records: AsyncIterable<StoreDataRecord>): Promise<ImportCounts>;
  close(): Promise<void>;
}

/** Bytes to keep: a file on disk (top-level release files) or bytes in memory (container members, once the audit hands them over). */
export type BlobSource = { kind: 'file'; path: string } | { kind: 'bytes'; bytes: Uint8Array };

/**
 * Content-addressed bytes, so later rescans and submissions still have every released file.
 * `put` is idempotent and atomic: a blob appears under its name complete or not at all, and
 * only when its bytes hash to that name.
 */
export interface BlobStore {
  put(sha256: string, source: BlobSource): Promise<'stored' | 'present'>;
  has(sha256: string): Promise<boolean>;
  /** Where the blob lives (for tools that want a file path), or undefined when absent. */
  locate(sha256: string): Promise<string | undefined>;
  /** Every stored blob's sha256 (any order). */
  list(): AsyncIterable<string>;
  /** Deletes a blob last written before `writtenBefore`; resolves to its size in bytes, or null when absent or newer. */
  remove(sha256: string, writtenBefore: Date): Promise<number | null>;
}

export interface OpenedStore {
  store: ReleaseStore;
  /** The scan history, in the same database. */
  scans: ScanStore;
  /** Detection-change events, in the same database. */
  events: EventStore;
  /** Alert deliveries waiting or done. */
  outbox: OutboxStore;
  /** API tokens (hashes) of the HTTP service. */
  tokens: TokenStore;
  /** False-positive cases and their submissions, in the same database. */
  cases: CaseStore;
  blobs: BlobStore;
  /** The store's location for messages (a PostgreSQL password is never shown). */
  location: string;
  /** Files and folders the store lives in (database, WAL, data folder, blobs): an --output must never replace them. */
  paths?: { files: string[]; folders: string[] };
}

/**
 * Opens the store at `url` (`sqlite:PATH`, `postgres://…`, `pglite:PATH`; undefined = ABSOLVE_DB
 * or the default `./.absolve/absolve.db`), applying pending migrations. With `create: false` a
 * missing SQLite/PGlite store is STORE_NOT_FOUND instead of being created; with `create: true` the store's
 * folder must exist (STORE_FOLDER_MISSING) unless `createFolders` (`--create`) or the location is the default.
 */
export type OpenStore = (url: string | undefined, options: { create: boolean; createFolders?: boolean }) => Promise<OpenedStore>;
