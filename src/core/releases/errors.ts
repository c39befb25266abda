/**
 * Error codes of the release history (`release`, `certs`, `export`, `import`). They are
 * AbsolveErrors, so the CLI prints `absolve: CODE: message` and exits 2 like every other error.
 */
import { AbsolveError, type ReleaseErrorCode } from '../errors.ts';

export type { ReleaseErrorCode };

/** An AbsolveError with a release-history code. */
export class ReleaseError extends AbsolveError {
  constructor(code: ReleaseErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }

  get releaseCode(): ReleaseErrorCode {
    return this.code as ReleaseErrorCode;
  }
}

export function isReleaseError(error: unknown, code?: ReleaseErrorCode): error is ReleaseError {
  return error instanceof ReleaseError && (code === undefined || error.releaseCode === code);
}
