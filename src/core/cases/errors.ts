import { AbsolveError, type CaseErrorCode } from '../errors.ts';

/** An AbsolveError with a case, vendor or submission code. */
export class CaseError extends AbsolveError {
  constructor(code: CaseErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}
