// absolve.config.json: which rules run, at which severity, per file pattern, and rule settings.
//
//   {
//     "rules": { "ABS-FP-012": "off", "ABS-SIG-003": "warning" },
//     "overrides": [ { "files": ["**/legacy/**"], "rules": { "ABS-FP-010": "off" } } ],
//     "settings": { "expiryDays": 45, "entropyThreshold": 7.2, "largeOverlayBytes": 1048576, "pinnedSigners": ["AB12…"] }
//   }
//
// Levels: "off" | "error" | "warning" | "note". Later overrides win over earlier ones and over `rules`.
// Validation is strict (unknown keys and rule IDs are errors) so a typo cannot silently disable nothing.
import { SERVICE_SETTING_KEYS } from '../service-settings.ts';
import { AbsolveError } from '../errors.ts';
import type { LintRule, RuleLevel, RuleParameters } from './lint.types.ts';
import { matchesGlob, MAX_GLOB_PATTERN_CHARS } from './glob.ts';

export interface LintConfigOverride {
  files: string[];
  rules: Record<string, RuleLevel>;
}

export interface LintSettings {
  expiryDays?: number;
  entropyThreshold?: number;
  largeOverlayBytes?: number;
  pinnedSigners?: string[];
}

export interface LintConfig {
  rules: Record<string, RuleLevel>;
  overrides: LintConfigOverride[];
  settings: LintSettings;
  /** Trust anchors (PEM/DER files or folders), as `--trust` takes them; the loader resolves them against the file's folder. */
  trust?: string[];
  /** Paths to skip, as `--exclude` takes them. */
  exclude?: string[];
}

export const EMPTY_LINT_CONFIG: LintConfig = Object.freeze({ rules: {}, overrides: [], settings: {} });

export const DEFAULT_RULE_PARAMETERS: Omit<RuleParameters, 'at'> = {
  expiryDays: 30,
  pinnedSigners: [],
  entropyThreshold: 7.0,
  largeOverlayBytes: 64 * 1024,
};

/** A configuration file (or flag) that cannot be used; `code` is CONFIG_INVALID. */
/** A configuration file that cannot be used: an AbsolveError with code CONFIG_INVALID (exit 2). */
export class LintConfigError extends AbsolveError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CONFIG_INVALID', message, options);
  }
}

const LEVELS: ReadonlySet<string> = new Set(['off', 'error', 'warning', 'note']);
const THUMBPRINT = /^(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A pinned-signer thumbprint as given (colons and spaces allowed), normalised to upper-case hex; undefined when not SHA-1/SHA-256 sized hex. */
export function normalizeThumbprint(value: string): string | undefined {
  const hex = value.replace(/[\s:]/g, '');
  return THUMBPRINT.test(hex) ? hex.toUpperCase() : undefined;
}

function parseRuleMap(value: unknown, where: string, known: ReadonlySet<string>, source: string): Record<string, RuleLevel> {
  if (!isObject(value)) throw new LintConfigError(`${source}: ${where} must be an object mapping rule IDs to "off", "error", "warning" or "note"`);
  const out: Record<string, RuleLevel> = {};
  for (const [id, level] of Object.entries(value)) {
    if (!known.has(id)) throw new LintConfigError(`${source}: ${where} names an unknown rule '${id}' (run 'absolve rules' for the list)`);
    if (typeof level !== 'string' || !LEVELS.has(level)) throw new LintConfigError(`${source}: ${where}.${id} must be "off", "error", "warning" or "note" (got ${JSON.stringify(level)})`);
    Object.defineProperty(out, id, { value: level, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function nonNegativeNumber(value: unknown, where: string, source: string, options: { integer?: boolean; max?: number } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (options.integer === true && !Number.isSafeInteger(value)) || (options.max !== undefined && value > options.max)) {
    const kind = options.integer === true ? 'a whole number' : 'a number';
    throw new LintConfigError(`${source}: ${where} must be ${kind} of 0 or more${options.max === undefined ? '' : ` and at most ${options.max}`} (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** Validate parsed JSON; `source` names the file in error messages. */
export function parseLintConfig(value: unknown, rules: readonly LintRule[], source: string): LintConfig {
  if (!isObject(value)) throw new LintConfigError(`${source}: the configuration must be a JSON object`);
  const known = new Set(rules.map((r) => r.id));
  for (const key of Object.keys(value)) {
    if ((SERVICE_SETTING_KEYS as readonly string[]).includes(key)) continue; // scanning, alerts, gate: service-settings.ts validates them
    if (['vendors', 'submission', 'smtp'].includes(key)) continue; // case settings: src/core/cases/settings.ts validates them
    if (!['rules', 'overrides', 'settings', 'trust', 'exclude', '$schema'].includes(key)) throw new LintConfigError(`${source}: unknown key '${key}' (expected rules, overrides, settings, trust, exclude)`);
  }
  const config: LintConfig = { rules: {}, overrides: [], settings: {} };
  for (const key of ['trust', 'exclude'] as const) {
    const list = value[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((f): f is string => typeof f === 'string' && f.length > 0 && f.length <= MAX_GLOB_PATTERN_CHARS)) {
      throw new LintConfigError(`${source}: ${key} must be an array of ${key === 'trust' ? 'certificate file or folder paths' : 'glob patterns'}`);
    }
    config[key] = [...list];
  }
  if (value.rules !== undefined) config.rules = parseRuleMap(value.rules, 'rules', known, source);
  if (value.overrides !== undefined) {
    if (!Array.isArray(value.overrides)) throw new LintConfigError(`${source}: overrides must be an array of { "files": [...], "rules": {...} }`);
    value.overrides.forEach((o: unknown, i) => {
      const where = `overrides[${i}]`;
      if (!isObject(o)) throw new LintConfigError(`${source}: ${where} must be an object with "files" and "rules"`);
      for (const key of Object.keys(o)) if (key !== 'files' && key !== 'rules') throw new LintConfigError(`${source}: ${where} has an unknown key '${key}' (expected files, rules)`);
      const files = typeof o.files === 'string' ? [o.files] : o.files;
      if (!Array.isArray(files) || files.length === 0 || !files.every((f): f is string => typeof f === 'string' && f.length > 0 && f.length <= MAX_GLOB_PATTERN_CHARS)) {
        throw new LintConfigError(`${source}: ${where}.files must be a non-empty array of glob patterns (e.g. ["**/legacy/**"])`);
      }
      config.overrides.push({ files: [...files], rules: parseRuleMap(o.rules ?? {}, `${where}.rules`, known, source) });
    });
  }
  if (value.settings !== undefined) {
    const s = value.settings;
    if (!isObject(s)) throw new LintConfigError(`${source}: settings must be an object`);
    for (const key of Object.keys(s)) {
      if (!['expiryDays', 'entropyThreshold', 'largeOverlayBytes', 'pinnedSigners'].includes(key)) throw new LintConfigError(`${source}: settings has an unknown key '${key}' (expected expiryDays, entropyThreshold, largeOverlayBytes, pinnedSigners)`);
    }
    if (s.expiryDays !== undefined) config.settings.expiryDays = nonNegativeNumber(s.expiryDays, 'settings.expiryDays', source, { integer: true });
    if (s.entropyThreshold !== undefined) config.settings.entropyThreshold = nonNegativeNumber(s.entropyThreshold, 'settings.entropyThreshold', source, { max: 8 });
    if (s.largeOverlayBytes !== undefined) config.settings.largeOverlayBytes = nonNegativeNumber(s.largeOverlayBytes, 'settings.largeOverlayBytes', source, { integer: true });
    if (s.pinnedSigners !== undefined) {
      if (!Array.isArray(s.pinnedSigners)) throw new LintConfigError(`${source}: settings.pinnedSigners must be an array of SHA-1 or SHA-256 thumbprints`);
      config.settings.pinnedSigners = s.pinnedSigners.map((p: unknown, i) => {
        const t = typeof p === 'string' ? normalizeThumbprint(p) : undefined;
        if (t === undefined) throw new LintConfigError(`${source}: settings.pinnedSigners[${i}] must be a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint`);
        return t;
      });
    }
  }
  return config;
}

/** The level a rule runs at for one artifact path: default, then `rules`, then every matching override in order. */
export function ruleLevel(rule: LintRule, path: string, config: LintConfig): RuleLevel {
  let level: RuleLevel = rule.enabledByDefault ? rule.defaultSeverity : 'off';
  const own = Object.hasOwn(config.rules, rule.id) ? config.rules[rule.id] : undefined;
  if (own !== undefined) level = own;
  for (const o of config.overrides) {
    const l = Object.hasOwn(o.rules, rule.id) ? o.rules[rule.id] : undefined;
    if (l !== undefined && o.files.some((f) => matchesGlob(path, f))) level = l;
  }
  return level;
}
