/**
 * The scanning, alert and gate sections of absolve.config.json. Validated as strictly as the lint
 * section (unknown keys are errors naming the file and the key), so a typo never silently does
 * nothing. API keys are never read from the file: they come from the environment (VT_API_KEY,
 * MD_API_KEY) so a committed configuration cannot leak one.
 *
 *   "engines": ["virustotal", "clamav"],                 default selection when --engines is not given
 *   "virustotal": { "upload": "never", "maxAgeHours": 24, "quota": { "perMinute": 4, "perDay": 500 } },
 *   "metadefender": { "upload": "never", "maxAgeHours": 24, "quota": { "perMinute": 10, "perDay": 4000 } },
 *   "clamav": { "clamd": "/run/clamav/clamd.ctl", "database": "clamav-db" },
 *   "yara": { "rules": ["rules/release.yar"] },
 *   "alerts": { "webhooks": [{ "url": "https://hooks.slack.com/…", "format": "slack", "events": ["new-detections"] }],
 *               "email": { "smtp": { "host": "smtp.contoso.example", "port": 587, "secure": false, "user": "alerts" },
 *                          "from": "Absolve <alerts@contoso.example>", "to": ["release-team@contoso.example"], "events": [] } },
 *     (the SMTP password only from the environment, ABSOLVE_SMTP_PASSWORD; a `password` key is an error)
 *   "monitor": { "schedule": "0 3 * * *", "engines": ["virustotal"] },
 *   "gate": { "maxEngines": 0, "mustBeClean": ["Microsoft"], "requireValidSignatures": true, "requireScan": true, "pinnedSigners": [] }
 */
import type { AlertTarget, EmailTarget, WebhookFormat, WebhookTarget } from './alerts/alerts.ts';
import { AbsolveError } from './errors.ts';
import { CronError, parseCron } from './jobs/cron.ts';
import { DEFAULT_GATE_POLICY, type GatePolicy } from './gate/release-gate.ts';
import { DETECTION_EVENT_KINDS, type DetectionEventKind } from './monitor/detection-events.ts';

export const SERVICE_SETTING_KEYS = ['engines', 'virustotal', 'metadefender', 'clamav', 'yara', 'alerts', 'gate', 'monitor'] as const;

export type UploadPolicySetting = 'never' | 'unknown' | 'always';

export interface CloudEngineSettings {
  upload?: UploadPolicySetting;
  maxAgeHours?: number;
  quota?: { perMinute?: number; perDay?: number };
}

export interface ServiceSettings {
  engines?: string[];
  virustotal?: CloudEngineSettings;
  metadefender?: CloudEngineSettings;
  clamav?: { clamd?: string; database?: string };
  yara?: { rules: string[] };
  alerts?: { webhooks: WebhookTarget[]; email?: EmailTarget };
  gate?: Partial<GatePolicy>;
  /** Monitor rounds of `absolve serve`: when (5-field cron, UTC; default daily at 03:00) and with which engines (default: every configured one). */
  monitor?: { schedule?: string; engines?: string[] };
}

export const EMPTY_SERVICE_SETTINGS: ServiceSettings = Object.freeze({});

function invalid(source: string, message: string): AbsolveError {
  return new AbsolveError('CONFIG_INVALID', `${source}: ${message}`);
}

function object(value: unknown, where: string, source: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(source, `${where} must be an object`);
  for (const key of Object.keys(value)) if (!keys.includes(key)) throw invalid(source, `${where} has an unknown key '${key}' (expected ${keys.join(', ')})`);
  return value as Record<string, unknown>;
}

function strings(value: unknown, where: string, source: string): string[] {
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 4096)) throw invalid(source, `${where} must be an array of non-empty strings`);
  return [...value];
}

function text(value: unknown, where: string, source: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) throw invalid(source, `${where} must be a non-empty string`);
  return value;
}

function count(value: unknown, where: string, source: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || !Number.isInteger(value)) throw invalid(source, `${where} must be a whole number of ${min} or more`);
  return value;
}

function cloud(value: unknown, where: string, source: string): CloudEngineSettings {
  const o = object(value, where, source, ['upload', 'maxAgeHours', 'quota']);
  const out: CloudEngineSettings = {};
  if (o.upload !== undefined) {
    if (o.upload !== 'never' && o.upload !== 'unknown' && o.upload !== 'always') throw invalid(source, `${where}.upload must be never, unknown or always`);
    out.upload = o.upload;
  }
  if (o.maxAgeHours !== undefined) {
    if (typeof o.maxAgeHours !== 'number' || !(o.maxAgeHours >= 0)) throw invalid(source, `${where}.maxAgeHours must be a number of hours, 0 or more`);
    out.maxAgeHours = o.maxAgeHours;
  }
  if (o.quota !== undefined) {
    const q = object(o.quota, `${where}.quota`, source, ['perMinute', 'perDay']);
    out.quota = {
      ...(q.perMinute === undefined ? {} : { perMinute: count(q.perMinute, `${where}.quota.perMinute`, source, 1) }),
      ...(q.perDay === undefined ? {} : { perDay: count(q.perDay, `${where}.quota.perDay`, source, 1) }),
    };
  }
  return out;
}

function webhook(value: unknown, where: string, source: string): WebhookTarget {
  const o = object(value, where, source, ['url', 'format', 'events']);
  const url = text(o.url, `${where}.url`, source);
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw invalid(source, `${where}.url must be an http(s) URL`);
  const format = (o.format ?? 'json') as WebhookFormat;
  if (format !== 'json' && format !== 'slack' && format !== 'teams') throw invalid(source, `${where}.format must be json, slack or teams`);
  return { url, format, events: eventKinds(o.events, `${where}.events`, source) };
}

function eventKinds(value: unknown, where: string, source: string): DetectionEventKind[] {
  const events = value === undefined ? [] : strings(value, where, source);
  for (const e of events) if (!DETECTION_EVENT_KINDS.includes(e as DetectionEventKind)) throw invalid(source, `${where} names an unknown event '${e}' (expected ${DETECTION_EVENT_KINDS.join(', ')})`);
  return events as DetectionEventKind[];
}

/** One header-safe line (no control characters: a From or To must not smuggle a header in). */
function headerLine(value: unknown, where: string, source: string): string {
  // eslint-disable-next-line no-control-regex -- header values must be one line
  if (typeof value !== 'string' || value.trim() === '' || /[\u0000-\u001f\u007f]/.test(value) || value.length > 500) throw invalid(source, `${where} must be a non-empty one-line string`);
  return value;
}

function address(value: unknown, where: string, source: string): string {
  const a = headerLine(value, where, source);
  if (!/^[^@<>\s]+@[^@<>\s]+$|<[^@<>\s]+@[^@<>\s]+>\s*$/.test(a)) throw invalid(source, `${where} must be an email address ("you@example.com" or "Name <you@example.com>")`);
  return a;
}

function email(value: unknown, source: string): EmailTarget {
  const o = object(value, 'alerts.email', source, ['smtp', 'from', 'to', 'events']);
  if (o.smtp === undefined) throw invalid(source, 'alerts.email.smtp is missing ({ host, port, secure, user })');
  if (typeof o.smtp === 'object' && o.smtp !== null && 'password' in o.smtp) throw invalid(source, 'alerts.email.smtp must not hold a password: set the environment variable ABSOLVE_SMTP_PASSWORD instead');
  const m = object(o.smtp, 'alerts.email.smtp', source, ['host', 'port', 'secure', 'user']);
  const secure = m.secure ?? false;
  if (typeof secure !== 'boolean') throw invalid(source, 'alerts.email.smtp.secure must be true or false');
  const port = m.port ?? (secure ? 465 : 587);
  if (typeof port !== 'number' || !Number.isSafeInteger(port) || port < 1 || port > 65535) throw invalid(source, 'alerts.email.smtp.port must be a port number (1-65535)');
  const to = o.to === undefined ? [] : Array.isArray(o.to) ? o.to.map((t, i) => address(t, `alerts.email.to[${i}]`, source)) : [];
  if (to.length === 0) throw invalid(source, 'alerts.email.to must be a non-empty array of email addresses');
  return {
    smtp: { host: headerLine(m.host, 'alerts.email.smtp.host', source), port, secure, user: m.user === undefined || m.user === null ? null : headerLine(m.user, 'alerts.email.smtp.user', source) },
    from: address(o.from, 'alerts.email.from', source),
    to,
    events: eventKinds(o.events, 'alerts.email.events', source),
  };
}

/** The service sections of a parsed configuration document (other keys belong to other sections and are left alone). */
export function parseServiceSettings(document: unknown, source: string): ServiceSettings {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return EMPTY_SERVICE_SETTINGS;
  const d = document as Record<string, unknown>;
  const out: ServiceSettings = {};
  if (d.engines !== undefined) out.engines = strings(d.engines, 'engines', source);
  if (d.virustotal !== undefined) out.virustotal = cloud(d.virustotal, 'virustotal', source);
  if (d.metadefender !== undefined) out.metadefender = cloud(d.metadefender, 'metadefender', source);
  if (d.clamav !== undefined) {
    const o = object(d.clamav, 'clamav', source, ['clamd', 'database']);
    out.clamav = { ...(o.clamd === undefined ? {} : { clamd: text(o.clamd, 'clamav.clamd', source) }), ...(o.database === undefined ? {} : { database: text(o.database, 'clamav.database', source) }) };
  }
  if (d.yara !== undefined) out.yara = { rules: strings(object(d.yara, 'yara', source, ['rules']).rules ?? [], 'yara.rules', source) };
  if (d.alerts !== undefined) {
    const o = object(d.alerts, 'alerts', source, ['webhooks', 'email']);
    if (o.webhooks !== undefined && !Array.isArray(o.webhooks)) throw invalid(source, 'alerts.webhooks must be an array of { url, format, events }');
    out.alerts = { webhooks: ((o.webhooks as unknown[] | undefined) ?? []).map((w, i) => webhook(w, `alerts.webhooks[${i}]`, source)) };
    if (o.email !== undefined) out.alerts.email = email(o.email, source);
  }
  if (d.gate !== undefined) {
    const o = object(d.gate, 'gate', source, ['maxEngines', 'mustBeClean', 'requireValidSignatures', 'requireScan', 'pinnedSigners', 'openCasesBlock']);
    const gate: Partial<GatePolicy> = {};
    if (o.maxEngines !== undefined) gate.maxFlaggingEngines = count(o.maxEngines, 'gate.maxEngines', source);
    if (o.mustBeClean !== undefined) gate.mustBeClean = Array.isArray(o.mustBeClean) && o.mustBeClean.length === 0 ? [] : strings(o.mustBeClean, 'gate.mustBeClean', source);
    for (const key of ['requireValidSignatures', 'requireScan', 'openCasesBlock'] as const) {
      if (o[key] === undefined) continue;
      if (typeof o[key] !== 'boolean') throw invalid(source, `gate.${key} must be true or false`);
      gate[key] = o[key];
    }
    if (o.pinnedSigners !== undefined) gate.pinnedSigners = strings(o.pinnedSigners, 'gate.pinnedSigners', source);
    out.gate = gate;
  }
  if (d.monitor !== undefined) {
    const o = object(d.monitor, 'monitor', source, ['schedule', 'engines']);
    const monitor: NonNullable<ServiceSettings['monitor']> = {};
    if (o.schedule !== undefined) {
      const schedule = text(o.schedule, 'monitor.schedule', source);
      try {
        parseCron(schedule);
      } catch (error) {
        if (error instanceof CronError) throw invalid(source, `monitor.schedule: ${error.message}`);
        throw error;
      }
      monitor.schedule = schedule;
    }
    if (o.engines !== undefined) monitor.engines = strings(o.engines, 'monitor.engines', source);
    out.monitor = monitor;
  }
  return out;
}

/** Every configured alert target: the webhooks, then the email target. */
export function alertTargetsOf(settings: ServiceSettings): AlertTarget[] {
  return [...(settings.alerts?.webhooks ?? []), ...(settings.alerts?.email === undefined ? [] : [settings.alerts.email])];
}

/** The gate policy: defaults, then the configuration, then what the command line says. */
export function gatePolicyFrom(settings: ServiceSettings, flags: Partial<GatePolicy>): GatePolicy {
  return { ...DEFAULT_GATE_POLICY, ...settings.gate, ...flags };
}
