/**
 * The case and submission settings of absolve.config.json, validated strictly (CONFIG_INVALID
 * names the place):
 *
 *   "submission": { "publisher": "Contoso Ltd", "contactName": "Jane Doe", "contactEmail": "jane@contoso.example",
 *                   "downloadUrl": "https://contoso.example/download", "dueDays": 7 },
 *   "smtp": { "host": "smtp.contoso.example", "port": 587, "secure": false,
 *             "auth": { "user": "jane", "passwordEnv": "ABSOLVE_SMTP_PASSWORD" }, "from": "Jane Doe <jane@contoso.example>" }
 *
 * The SMTP password is never in the file: it is read from the environment variable `passwordEnv`
 * names (default ABSOLVE_SMTP_PASSWORD) and never printed.
 */
import { AbsolveError } from '../errors.ts';
import { parseVendorOverrides } from '../vendors/vendor-config.ts';
import type { VendorOverride } from '../vendors/vendor-directory.ts';
import { DEFAULT_DUE_DAYS } from './case.types.ts';

export const DEFAULT_SMTP_PASSWORD_ENV = 'ABSOLVE_SMTP_PASSWORD';

export interface SubmissionProfile {
  publisher: string | null;
  contactName: string | null;
  contactEmail: string | null;
  downloadUrl: string | null;
  dueDays: number;
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  auth: { user: string; passwordEnv: string } | null;
  from: string;
}

export interface CaseSettings {
  vendors: VendorOverride[];
  submission: SubmissionProfile;
  smtp: SmtpSettings | null;
}

export const EMPTY_CASE_SETTINGS: CaseSettings = {
  vendors: [],
  submission: { publisher: null, contactName: null, contactEmail: null, downloadUrl: null, dueDays: DEFAULT_DUE_DAYS },
  smtp: null,
};

function fail(source: string, where: string, message: string): never {
  throw new AbsolveError('CONFIG_INVALID', `${source}: ${where} ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], source: string, where: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) fail(source, where, `has an unknown key '${key}' (expected ${allowed.join(', ')})`);
}

function line(value: unknown, source: string, where: string): string {
  // eslint-disable-next-line no-control-regex -- header values must be one line
  if (typeof value !== 'string' || value.trim() === '' || /[\u0000-\u001f\u007f]/.test(value) || value.length > 500) fail(source, where, 'must be a non-empty one-line string');
  return value;
}

function optionalLine(value: unknown, source: string, where: string): string | null {
  return value === undefined || value === null ? null : line(value, source, where);
}

/** The `vendors`, `submission` and `smtp` keys of a parsed configuration object (other keys are the lint configuration's). */
export function parseCaseSettings(config: unknown, source: string): CaseSettings {
  if (!isObject(config)) return EMPTY_CASE_SETTINGS;
  const settings: CaseSettings = { vendors: parseVendorOverrides(config.vendors, source), submission: { ...EMPTY_CASE_SETTINGS.submission }, smtp: null };
  const s = config.submission;
  if (s !== undefined) {
    if (!isObject(s)) fail(source, 'submission', 'must be an object');
    onlyKeys(s, ['publisher', 'contactName', 'contactEmail', 'downloadUrl', 'dueDays'], source, 'submission');
    settings.submission.publisher = optionalLine(s.publisher, source, 'submission.publisher');
    settings.submission.contactName = optionalLine(s.contactName, source, 'submission.contactName');
    settings.submission.contactEmail = optionalLine(s.contactEmail, source, 'submission.contactEmail');
    settings.submission.downloadUrl = optionalLine(s.downloadUrl, source, 'submission.downloadUrl');
    if (settings.submission.downloadUrl !== null && !/^https?:\/\//i.test(settings.submission.downloadUrl)) fail(source, 'submission.downloadUrl', 'must be an http(s) URL');
    if (s.dueDays !== undefined) {
      if (typeof s.dueDays !== 'number' || !Number.isSafeInteger(s.dueDays) || s.dueDays < 1 || s.dueDays > 365) fail(source, 'submission.dueDays', 'must be a whole number of days from 1 to 365');
      settings.submission.dueDays = s.dueDays;
    }
  }
  const m = config.smtp;
  if (m !== undefined) {
    if (!isObject(m)) fail(source, 'smtp', 'must be an object');
    onlyKeys(m, ['host', 'port', 'secure', 'auth', 'from'], source, 'smtp');
    if (m.password !== undefined) fail(source, 'smtp', 'must not hold a password');
    const secure = m.secure === undefined ? false : m.secure;
    if (typeof secure !== 'boolean') fail(source, 'smtp.secure', 'must be true or false');
    const port = m.port === undefined ? (secure ? 465 : 587) : m.port;
    if (typeof port !== 'number' || !Number.isSafeInteger(port) || port < 1 || port > 65535) fail(source, 'smtp.port', 'must be a port number (1-65535)');
    let auth: SmtpSettings['auth'] = null;
    if (m.auth !== undefined && m.auth !== null) {
      if (!isObject(m.auth)) fail(source, 'smtp.auth', 'must be an object');
      onlyKeys(m.auth, ['user', 'passwordEnv'], source, 'smtp.auth');
      const passwordEnv = m.auth.passwordEnv === undefined ? DEFAULT_SMTP_PASSWORD_ENV : line(m.auth.passwordEnv, source, 'smtp.auth.passwordEnv');
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(passwordEnv)) fail(source, 'smtp.auth.passwordEnv', 'must be an environment variable name');
      auth = { user: line(m.auth.user, source, 'smtp.auth.user'), passwordEnv };
    }
    const from = line(m.from, source, 'smtp.from');
    if (!/@/.test(from)) fail(source, 'smtp.from', 'must hold an email address ("Name <you@example.com>")');
    settings.smtp = { host: line(m.host, source, 'smtp.host'), port, secure, auth, from };
  }
  return settings;
}
