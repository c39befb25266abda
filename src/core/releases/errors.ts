/**
 * Error codes of the release history (`release`, `certs`, `export`, `import`). They are
 * AbsolveErrors, so the CLI prints `absolve: CODE: message` and exits 2 like every other error.
 */
import { AbsolveError, type AbsolveErrorCode } from '../errors.ts';

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
  /** The database cannot be reached or opened. */
  | 'STORE_UNAVAILABLE'
  /** The database was written by a newer Absolve (a migration this version does not know). */
  | 'STORE_SCHEMA_NEWER'
  /** An export file line that is not a valid record. */
  | 'IMPORT_INVALID'
  /** An imported release exists in the store with other content. */
  | 'IMPORT_CONFLICT';

/**
 * An AbsolveError with a release-history code. `AbsolveErrorCode` (src/core/errors.ts) does not
 * list these codes yet; they travel through the same `code` field and are documented with it.
 */
export class ReleaseError extends AbsolveError {
  constructor(code: ReleaseErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code as unknown as AbsolveErrorCode, message, options);
  }

  get releaseCode(): ReleaseErrorCode {
    return this.code as unknown as ReleaseErrorCode;
  }
}

export function isReleaseError(error: unknown, code?: ReleaseErrorCode): error is ReleaseError {
  return error instanceof ReleaseError && (code === undefined || error.releaseCode === code);
}
