/**
 * Parsing the `yara` command's output (YARA 4.x CLI, `-e -m`: print namespace and metadata):
 * one line per matching rule, `namespace:rule [key="value",key=1,key=true] <path>`. Output is
 * untrusted text: lines are matched against the exact path we passed, identifiers against YARA's
 * identifier syntax, and the metadata is read by a single left-to-right pass (no backtracking).
 */
import { oneLine } from '../local/one-line.ts';

export type MetaValue = string | number | boolean;

export interface YaraMatch {
  namespace: string;
  rule: string;
  meta: Record<string, MetaValue>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const MAX_META_VALUE_CHARS = 200;

/**
 * Reads `key="…",key=1,key=true` (YARA prints string values with C escapes; YARA 4.2 prints an
 * integer as `key =1`). Unreadable metadata yields what was read so far (it only refines the
 * category; the match itself stands).
 */
export function parseYaraMeta(text: string): Record<string, MetaValue> {
  const meta: Record<string, MetaValue> = {};
  let i = 0;
  while (i < text.length) {
    const keyStart = i;
    while (i < text.length && /[A-Za-z0-9_]/.test(text[i] ?? '')) i++;
    const key = text.slice(keyStart, i);
    while (text[i] === ' ') i++;
    if (key === '' || text[i] !== '=') return meta;
    i++;
    let value: MetaValue;
    if (text[i] === '"') {
      i++;
      let out = '';
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        out += text[i];
        i++;
      }
      if (text[i] !== '"') return meta;
      i++;
      value = oneLine(out, MAX_META_VALUE_CHARS);
    } else {
      const start = i;
      while (i < text.length && text[i] !== ',') i++;
      const raw = text.slice(start, i).trim();
      value = raw === 'true' ? true : raw === 'false' ? false : /^-?\d{1,15}$/.test(raw) ? Number(raw) : oneLine(raw, MAX_META_VALUE_CHARS);
    }
    // Keys are compared case-insensitively; an own-property map keeps `__proto__` harmless.
    Object.defineProperty(meta, key.toLowerCase(), { value, enumerable: true, configurable: true, writable: true });
    if (text[i] === ',') i++;
    else if (i < text.length) return meta;
  }
  return meta;
}

/** The matches `yara -e -m` printed for the file at `path` (lines for other paths or of another shape are ignored). */
export function parseYaraOutput(stdout: string, path: string): YaraMatch[] {
  const matches: YaraMatch[] = [];
  const suffix = ` ${path}`;
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line.endsWith(suffix)) continue;
    const head = line.slice(0, -suffix.length);
    const space = head.indexOf(' ');
    const name = space < 0 ? head : head.slice(0, space);
    const colon = name.indexOf(':');
    if (colon < 0) continue;
    const namespace = name.slice(0, colon);
    const rule = name.slice(colon + 1);
    if (!IDENTIFIER.test(namespace) || !IDENTIFIER.test(rule)) continue;
    const rest = space < 0 ? '' : head.slice(space + 1);
    const meta = rest.startsWith('[') && rest.endsWith(']') ? parseYaraMeta(rest.slice(1, -1)) : {};
    matches.push({ namespace, rule, meta });
  }
  return matches;
}

export type YaraHitCategory = 'malicious' | 'suspicious' | 'harmless';

/**
 * The category of one matching rule, from its metadata. A YARA rule says "these bytes look like
 * X", which for a publisher's own release is a lead to check, not a malware verdict: a hit is
 * `suspicious` unless the rule says otherwise —
 * - meta `category` = `malicious` | `suspicious` | `harmless` (also `informational`/`info` → harmless), else
 * - meta `severity` = `critical` | `high` → malicious, `medium` | `low` → suspicious, `info` | `informational` | `none` → harmless.
 */
export function categoryOfMatch(meta: Record<string, MetaValue>): YaraHitCategory {
  const category = typeof meta.category === 'string' ? meta.category.toLowerCase() : undefined;
  if (category === 'malicious' || category === 'suspicious' || category === 'harmless') return category;
  if (category === 'informational' || category === 'info') return 'harmless';
  const severity = typeof meta.severity === 'string' ? meta.severity.toLowerCase() : undefined;
  if (severity === 'critical' || severity === 'high') return 'malicious';
  if (severity === 'medium' || severity === 'low') return 'suspicious';
  if (severity === 'info' || severity === 'informational' || severity === 'none') return 'harmless';
  return 'suspicious';
}

const RANK: Record<YaraHitCategory, number> = { harmless: 0, suspicious: 1, malicious: 2 };

/** The most severe category among the matches. */
export function worstCategory(matches: readonly YaraMatch[]): YaraHitCategory {
  let worst: YaraHitCategory = 'harmless';
  for (const match of matches) {
    const category = categoryOfMatch(match.meta);
    if (RANK[category] > RANK[worst]) worst = category;
  }
  return worst;
}
