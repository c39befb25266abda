/**
 * Vendor directory, cases and submissions: the configuration reader, the archive writer and the
 * SMTP sender (whose password comes from the environment only).
 */
import type { CliDeps } from '../cli/program.ts';
import { loadCaseSettings } from '../files/case-settings.ts';
import { composeMail, createSmtpSender } from '../vendors/mail.ts';
import { writeSubmissionZip } from '../vendors/zip-archive.ts';

export function caseDeps(env: Readonly<Record<string, string | undefined>>): NonNullable<CliDeps['cases']> {
  return {
    loadCaseSettings: (options) => loadCaseSettings(options),
    tools: { writeZip: writeSubmissionZip, composeMail, createSender: (smtp) => createSmtpSender(smtp, env) },
  };
}
