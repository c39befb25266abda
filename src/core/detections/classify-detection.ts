/**
 * classifyDetection: what an antivirus detection name means for a publisher (generic or specific,
 * ML / heuristic / reputation / PUA / family) and what usually helps. Pure and synchronous: the
 * rules are data (detection-rules.ts), the engine aliases are data (engine-names.ts).
 */
import {
  CATCHALL_NAMES,
  DETECTION_RULES,
  FRAME_WORDS,
  GENERIC_MARKER,
  GENERIC_WORDS,
  NEVER_FAMILY_WORDS,
  PUA_WORDS,
  type DetectionRule,
} from './detection-rules.ts';
import type { DetectionClassification } from './detection.types.ts';
import { canonicalEngineName } from './engine-names.ts';

/**
 * Longest detection name we look at. Real names are under 100 characters; the cap bounds regex
 * work on hostile input (a scan result is untrusted data). Longer names are classified by their
 * first MAX_DETECTION_NAME_CHARS characters.
 */
export const MAX_DETECTION_NAME_CHARS = 512;

const UNKNOWN_EXPLANATION =
  'Absolve has no rule for this detection name, so it cannot tell whether it is generic or a specific family. Look the name up with the vendor and, if you believe the file is clean, submit it as a false positive with the VirusTotal link.';

const EMPTY_EXPLANATION = 'The engine reported no detection name.';

function wholeTokenPattern(words: readonly string[]): RegExp {
  return new RegExp(`^(?:${words.join('|')})$`, 'i');
}

const NOT_A_FAMILY = [
  wholeTokenPattern(FRAME_WORDS),
  wholeTokenPattern(GENERIC_WORDS),
  wholeTokenPattern(PUA_WORDS),
  wholeTokenPattern(CATCHALL_NAMES),
  wholeTokenPattern(NEVER_FAMILY_WORDS),
];

/**
 * The family in a detection name: the first token of four or more characters, starting with a
 * letter, that is not a type/platform word, a generic or PUA word, a catch-all name, a hex or
 * numeric id. Short tokens are variant codes (`.A`, `.RPX`, `.abc`, `!tr`).
 */
export function extractFamilyToken(name: string): string | undefined {
  for (const token of name.split(/[^A-Za-z0-9]+/)) {
    if (token.length < 4 || !/^[A-Za-z]/.test(token)) continue;
    if (/[0-9]{3,}/.test(token)) continue; // ids such as Siggen21.12345 parts, hashes
    if (/[0-9]/.test(token) && /^[0-9A-Fa-f]+$/.test(token)) continue; // hex ids: D1E240, 8F2E3B1C
    if (NOT_A_FAMILY.some((re) => re.test(token))) continue;
    return token;
  }
  return undefined;
}

function appliesTo(rule: DetectionRule, engine: string): boolean {
  return rule.engines === '*' || rule.engines.includes(engine);
}

function parseConfidence(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isInteger(n) && n >= 0 && n <= 100 ? n : undefined;
}

function applyRule(rule: DetectionRule, engine: string, name: string): DetectionClassification | undefined {
  const match = rule.pattern.exec(name);
  if (match === null) return undefined;
  let family = match.groups?.family;
  if (rule.family === 'tokens' || rule.family === 'require-tokens') {
    family = extractFamilyToken(name);
    if (family === undefined && rule.family === 'require-tokens') return undefined;
  }
  const generic = rule.generic === 'if-marked' ? GENERIC_MARKER.test(name) : rule.generic;
  const result: DetectionClassification = { engine, generic, kind: rule.kind, explanation: rule.explanation, source: rule.source };
  // A generic verdict's "family" part is a bucket name (Wacatac, Razy, Generic); do not present it as a family.
  if (!generic && family !== undefined) result.family = family;
  const confidence = parseConfidence(match.groups?.confidence);
  if (confidence !== undefined) result.confidence = confidence;
  return result;
}

/**
 * Classify one engine's detection name. `engine` may be any VirusTotal key or common spelling
 * (case and spacing are ignored); an unknown engine still gets the engine-independent rules.
 */
export function classifyDetection(engine: string, detectionName: string): DetectionClassification {
  const canonical = canonicalEngineName(engine);
  const name = detectionName.slice(0, MAX_DETECTION_NAME_CHARS).trim();
  if (name === '') return { engine: canonical, generic: false, kind: 'unknown', explanation: EMPTY_EXPLANATION, source: null };
  for (const rule of DETECTION_RULES) {
    if (!appliesTo(rule, canonical)) continue;
    const result = applyRule(rule, canonical, name);
    if (result !== undefined) return result;
  }
  return { engine: canonical, generic: false, kind: 'unknown', explanation: UNKNOWN_EXPLANATION, source: null };
}

/** The id of the rule that decides `classifyDetection(engine, detectionName)`, for tests and debugging. */
export function matchingRuleId(engine: string, detectionName: string): string | undefined {
  const canonical = canonicalEngineName(engine);
  const name = detectionName.slice(0, MAX_DETECTION_NAME_CHARS).trim();
  if (name === '') return undefined;
  return DETECTION_RULES.find((rule) => appliesTo(rule, canonical) && applyRule(rule, canonical, name) !== undefined)?.id;
}

/** The brief's name for classifyDetection. */
export const classify = classifyDetection;
