/**
 * Errors that reach a user. Each has a stable `code` (listed in the README) and a message that
 * says what to do; low-level causes are kept in `cause` for --verbose output, never printed as a
 * stack trace by default.
 */
export type AbsolveErrorCode =
  | 'USAGE'
  | 'PATH_NOT_FOUND'
  | 'IO_ERROR'
  | 'TRUST_ANCHOR_UNREADABLE'
  | 'TRUST_ANCHOR_INVALID'
  | 'OUTPUT_UNWRITABLE'
  | 'INTERNAL';

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
