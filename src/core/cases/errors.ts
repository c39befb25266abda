import { AbsolveError, type CaseErrorCode } from '../errors.ts';

/** An AbsolveError with a case, vendor or submission code. */
export class CaseError extends AbsolveError {
  constructor(code: CaseErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** SMTP_FAILED, saying whether the mail surely did not reach the server (refused before the message was handed over) or may have. */
export class MailSendError extends CaseError {
  constructor(
    message: string,
    readonly notDelivered: boolean,
    options: { cause?: unknown } = {},
  ) {
    super('SMTP_FAILED', message, options);
  }
}
