/**
 * The `vendors` key of absolve.config.json: entries that change shipped vendors or add new ones,
 * keyed by engine name. Strict like the rest of the configuration: an unknown key, a wrong type or
 * a bad value is CONFIG_INVALID naming the exact place, so a typo never silently changes nothing.
 *
 *   "vendors": {
 *     "McAfee": { "requirements": { "archivePassword": "infected" } },
 *     "Contoso AV": { "vendor": "Contoso", "channels": [{ "kind": "email", "address": "fp@contoso.example" }] }
 *   }
 */
import { AbsolveError } from '../errors.ts';
import type { VendorOverride } from './vendor-directory.ts';
import { CHANNEL_KINDS, CHANNEL_STATUSES, PROGRAMME_KINDS, type VendorChannel, type VendorEntry, type VendorProgramme, type VendorRequirements } from './vendor.types.ts';

function fail(source: string, where: string, message: string): never {
  throw new AbsolveError('CONFIG_INVALID', `${source}: ${where} ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], source: string, where: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) fail(source, where, `has an unknown key '${key}' (expected ${allowed.join(', ')})`);
}

/** Printable text without control characters, at most `max` characters. */
function text(value: unknown, source: string, where: string, max = 2000): string {
  if (typeof value !== 'string') fail(source, where, 'must be a string');
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) fail(source, where, 'must not contain control characters');
  if (value.length > max) fail(source, where, `is longer than ${max} characters`);
  return value;
}

function nonEmpty(value: unknown, source: string, where: string, max?: number): string {
  const s = text(value, source, where, max);
  if (s.trim() === '') fail(source, where, 'must not be empty');
  return s;
}

function nullableText(value: unknown, source: string, where: string): string | null {
  return value === null ? null : text(value, source, where);
}

function textList(value: unknown, source: string, where: string): string[] {
  if (!Array.isArray(value)) fail(source, where, 'must be an array of strings');
  return value.map((v, i) => nonEmpty(v, source, `${where}[${i}]`));
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], source: string, where: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) fail(source, where, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

function bool(value: unknown, source: string, where: string): boolean {
  if (typeof value !== 'boolean') fail(source, where, 'must be true or false');
  return value;
}

function nullableCount(value: unknown, source: string, where: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) fail(source, where, 'must be a whole number of 1 or more, or null');
  return value;
}

function channel(value: unknown, source: string, where: string): VendorChannel {
  if (!isObject(value)) fail(source, where, 'must be an object');
  onlyKeys(value, ['kind', 'address', 'status', 'note'], source, where);
  const kind = oneOf(value.kind, CHANNEL_KINDS, source, `${where}.kind`);
  const address = nonEmpty(value.address, source, `${where}.address`, 500);
  if (kind === 'email' && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address)) fail(source, `${where}.address`, `'${address}' is not an email address`);
  if ((kind === 'web-form' || kind === 'portal') && /^[a-z]+:/i.test(address) && !/^https?:\/\//i.test(address)) fail(source, `${where}.address`, 'must be an http(s) URL');
  return {
    kind,
    address,
    status: value.status === undefined ? 'listed' : oneOf(value.status, CHANNEL_STATUSES, source, `${where}.status`),
    note: value.note === undefined ? '' : text(value.note, source, `${where}.note`),
  };
}

function programme(value: unknown, source: string, where: string): VendorProgramme {
  if (!isObject(value)) fail(source, where, 'must be an object');
  onlyKeys(value, ['name', 'kind', 'url', 'contact', 'note'], source, where);
  return {
    name: nonEmpty(value.name, source, `${where}.name`),
    kind: oneOf(value.kind, PROGRAMME_KINDS, source, `${where}.kind`),
    url: value.url === undefined ? null : nullableText(value.url, source, `${where}.url`),
    contact: value.contact === undefined ? null : nullableText(value.contact, source, `${where}.contact`),
    note: value.note === undefined ? '' : text(value.note, source, `${where}.note`),
  };
}

const REQUIREMENT_KEYS = ['archivePassword', 'maxArchiveBytes', 'maxFiles', 'subjectPrefix', 'accountRequired', 'detectionNameRequired', 'hashOnlyWhenTooLarge', 'source'] as const;

function requirements(value: unknown, source: string, where: string): Partial<VendorRequirements> {
  if (!isObject(value)) fail(source, where, 'must be an object');
  onlyKeys(value, REQUIREMENT_KEYS, source, where);
  const out: Partial<VendorRequirements> = {};
  if (value.archivePassword !== undefined) out.archivePassword = value.archivePassword === null ? null : nonEmpty(value.archivePassword, source, `${where}.archivePassword`, 100);
  if (value.maxArchiveBytes !== undefined) out.maxArchiveBytes = nullableCount(value.maxArchiveBytes, source, `${where}.maxArchiveBytes`);
  if (value.maxFiles !== undefined) out.maxFiles = nullableCount(value.maxFiles, source, `${where}.maxFiles`);
  if (value.subjectPrefix !== undefined) out.subjectPrefix = value.subjectPrefix === null ? null : nonEmpty(value.subjectPrefix, source, `${where}.subjectPrefix`, 100);
  if (value.accountRequired !== undefined) out.accountRequired = bool(value.accountRequired, source, `${where}.accountRequired`);
  if (value.detectionNameRequired !== undefined) out.detectionNameRequired = bool(value.detectionNameRequired, source, `${where}.detectionNameRequired`);
  if (value.hashOnlyWhenTooLarge !== undefined) out.hashOnlyWhenTooLarge = bool(value.hashOnlyWhenTooLarge, source, `${where}.hashOnlyWhenTooLarge`);
  if (value.source !== undefined) out.source = nullableText(value.source, source, `${where}.source`);
  return out;
}

const ENTRY_KEYS = ['vendor', 'aliases', 'upstream', 'channels', 'requirements', 'programmes', 'notes', 'sources', 'checked'] as const;

function override(engine: string, value: unknown, source: string): VendorOverride {
  const where = `vendors.${JSON.stringify(engine)}`;
  nonEmpty(engine, source, 'vendors has an engine name that', 128);
  if (!isObject(value)) fail(source, where, 'must be an object');
  onlyKeys(value, ENTRY_KEYS, source, where);
  const out: VendorOverride = { engine };
  if (value.vendor !== undefined) out.vendor = nonEmpty(value.vendor, source, `${where}.vendor`, 200);
  if (value.aliases !== undefined) out.aliases = textList(value.aliases, source, `${where}.aliases`);
  if (value.upstream !== undefined) out.upstream = value.upstream === null ? null : nonEmpty(value.upstream, source, `${where}.upstream`, 128);
  if (value.channels !== undefined) {
    if (!Array.isArray(value.channels)) fail(source, `${where}.channels`, 'must be an array');
    out.channels = value.channels.map((c, i) => channel(c, source, `${where}.channels[${i}]`));
  }
  if (value.requirements !== undefined) out.requirements = requirements(value.requirements, source, `${where}.requirements`);
  if (value.programmes !== undefined) {
    if (!Array.isArray(value.programmes)) fail(source, `${where}.programmes`, 'must be an array');
    out.programmes = value.programmes.map((p, i) => programme(p, source, `${where}.programmes[${i}]`));
  }
  if (value.notes !== undefined) out.notes = nullableText(value.notes, source, `${where}.notes`);
  if (value.sources !== undefined) out.sources = textList(value.sources, source, `${where}.sources`);
  if (value.checked !== undefined) {
    const checked = text(value.checked, source, `${where}.checked`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(checked) || Number.isNaN(Date.parse(checked))) fail(source, `${where}.checked`, 'must be a date, YYYY-MM-DD');
    out.checked = checked;
  }
  return out;
}

/** The `vendors` value of a configuration file; `source` names the file in messages. */
export function parseVendorOverrides(value: unknown, source: string): VendorOverride[] {
  if (value === undefined) return [];
  if (!isObject(value)) fail(source, 'vendors', 'must be an object keyed by engine name');
  return Object.entries(value).map(([engine, entry]) => override(engine, entry, source));
}

/** Checks a complete entry (the shipped directory's test uses it): every field present and valid. */
export function validateVendorEntry(entry: VendorEntry, source: string): void {
  const { engine, origin: _origin, ...fields } = entry;
  for (const key of ENTRY_KEYS) if (!(key in fields)) fail(source, `entry ${JSON.stringify(engine)}`, `lacks '${key}'`);
  const parsed = override(engine, { ...fields, requirements: entry.requirements }, source);
  const full = requirements(entry.requirements, source, `vendors.${JSON.stringify(engine)}.requirements`);
  for (const key of REQUIREMENT_KEYS) if (!(key in full)) fail(source, `vendors.${JSON.stringify(engine)}.requirements`, `lacks '${key}'`);
  if (parsed.sources === undefined || parsed.sources.length === 0) fail(source, `vendors.${JSON.stringify(engine)}.sources`, 'must name at least one source');
}
