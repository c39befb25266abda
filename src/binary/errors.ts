/**
 * Errors raised by the pure parsing layers. Every error carries a stable string code
 * (documented in the README) so callers can branch on it and users can search for it.
 */
export class ParseError<Code extends string = string> extends Error {
  override readonly name = 'ParseError';
  readonly code: Code;
  /** File offset the parser was looking at, when known. */
  readonly offset: number | undefined;

  constructor(code: Code, message: string, options: { offset?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.offset = options.offset;
  }
}

/** A named limit was exceeded (a size, a count or a depth taken from untrusted input). */
export class LimitExceededError extends ParseError<'LIMIT_EXCEEDED'> {
  readonly limit: string;
  readonly value: number;
  readonly maximum: number;

  constructor(limit: string, value: number, maximum: number, offset?: number) {
    super('LIMIT_EXCEEDED', `${limit} comes to ${value}, more than the maximum of ${maximum}`, offset === undefined ? {} : { offset });
    this.limit = limit;
    this.value = value;
    this.maximum = maximum;
  }
}

/** `instanceof` narrows a generic class to ParseError<any>; this keeps the code a string. */
export function isParseError(error: unknown): error is ParseError<string> {
  return error instanceof ParseError;
}
