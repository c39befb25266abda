/**
 * Errors that reach a user. Each has a stable `code` (listed in the README) and a message that
 * says what to do; low-level causes are kept in `cause` for --verbose output, never printed as a
 * stack trace by default.
 */
export type AbsolveErrorCode =
  | 'USAGE'
  | 'PATH_NOT_FOUND'
  /** A path, --trust, --config or import file that is a FIFO, a device or a socket: never read (it may never end). */
  | 'PATH_NOT_REGULAR'
  /** A --trust, --config or import input larger than such a file can be. */
  | 'INPUT_TOO_LARGE'
  /** `--output` resolves to the store, its blobs or an input: refused, the target is left as it is. */
  | 'OUTPUT_IS_INPUT'
  | 'IO_ERROR'
  | 'TRUST_ANCHOR_UNREADABLE'
  | 'TRUST_ANCHOR_INVALID'
  /** The Microsoft trust store (authroot.stl) does not parse or is not signed under a pinned Microsoft root. */
  | 'TRUST_STORE_INVALID'
  /** `--trust-store microsoft` but no store was imported (`absolve trust update`). */
  | 'TRUST_STORE_MISSING'
  /** `absolve trust update` could not download the list or a certificate. */
  | 'TRUST_UPDATE_FAILED'
  | 'OUTPUT_UNWRITABLE'
  | 'CONFIG_INVALID'
  | ReleaseErrorCode
  | ScanErrorCode
  | CaseErrorCode
  | JobErrorCode
  | 'INTERNAL';

/** Job and worker codes (`worker`, `serve --no-worker`, `jobs`); each is documented in the README. */
export type JobErrorCode =
  /** `absolve worker` (or `serve --no-worker`, `jobs round`) on a store that is not PostgreSQL: jobs are shared through PostgreSQL only. */
  | 'WORKER_NEEDS_POSTGRES';

/** Release-history codes (`release`, `certs`, `export`, `import`); each is documented in the README. */
export type ReleaseErrorCode =
  /** `release add` of a product/version already recorded with other files (or another channel or notes); `--replace` overwrites it. */
  | 'RELEASE_EXISTS_DIFFERENT'
  | 'RELEASE_NOT_FOUND'
  | 'PRODUCT_NOT_FOUND'
  /** A product name, version, channel or path that cannot be recorded (empty, control characters, two files on one release path). */
  | 'RELEASE_INVALID'
  /** A file changed between its audit and its copy into the blob store. */
  | 'BLOB_MISMATCH'
  /** `--db` / ABSOLVE_DB is not a store URL Absolve understands. */
  | 'STORE_URL_INVALID'
  /** No store at that location (read-only commands never create one). */
  | 'STORE_NOT_FOUND'
  /** The folder a new store would go in does not exist; `--create` creates it (a typo never builds a folder tree). */
  | 'STORE_FOLDER_MISSING'
  /** The database cannot be reached or opened. */
  | 'STORE_UNAVAILABLE'
  /** The database was written by a newer Absolve (a migration this version does not know). */
  | 'STORE_SCHEMA_NEWER'
  /** An export file line that is not a valid record. */
  | 'IMPORT_INVALID'
  /** An imported release exists in the store with other content. */
  | 'IMPORT_CONFLICT';

/** Scan codes (`scan`, `scans`); each is documented in the README. */
export type ScanErrorCode =
  /** An engine that cannot run as configured: no API key, rules that do not compile, an unknown preset, a scanner binary not found. */
  | 'ENGINE_CONFIG_INVALID'
  /** `--engines` names an engine Absolve does not know. */
  | 'ENGINE_UNKNOWN'
  /** `scans show` of a scan id that is not stored. */
  | 'SCAN_NOT_FOUND';

/** Case, vendor and submission codes (`cases`, `vendors`, `submit`); each is documented in the README. */
export type CaseErrorCode =
  /** No case with that id. */
  | 'CASE_NOT_FOUND'
  /** A state change the case's workflow does not allow (e.g. from resolved). */
  | 'CASE_TRANSITION_INVALID'
  /** Another process changed the case between reading and writing it: run the command again. */
  | 'CASE_STATE_CONFLICT'
  /** `cases open --release` of a release that has no stored scan. */
  | 'CASE_NO_SCAN'
  /** `vendors show` of an engine the directory does not know. */
  | 'VENDOR_NOT_FOUND'
  /** A file to submit is not in the blob store (or cannot be expanded from its container's blob). */
  | 'SUBMISSION_FILE_MISSING'
  /** `submit --send` without a usable `smtp` configuration or password. */
  | 'SMTP_CONFIG_INVALID'
  /** The SMTP server refused the mail or could not be reached. */
  | 'SMTP_FAILED';

export class AbsolveError extends Error {
  override readonly name = 'AbsolveError';
  readonly code: AbsolveErrorCode;

  constructor(code: AbsolveErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Exit codes of every command (README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  policyViolation: 1,
  usageOrIOError: 2,
} as const;
