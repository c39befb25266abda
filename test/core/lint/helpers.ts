/** Facts for a real file, built the way the audit builds them (parse, verify, collect), without the audit's I/O. */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isParseError } from '../../../src/binary/index.ts';
import { computeAuthenticodeDigest, parseAuthenticodeSignature, requiredDigestAlgorithms, verifyAuthenticode, type AuthenticodeSignature, type SignatureVerdict } from '../../../src/authenticode/index.ts';
import { parsePE, parseWinCertificates } from '../../../src/formats/pe/index.ts';
import { collectLintFacts } from '../../../src/core/lint/collect-facts.ts';
import { DEFAULT_RULE_PARAMETERS, EMPTY_LINT_CONFIG, evaluateLint, type LintFacts, type LintResult, type RuleParameters } from '../../../src/core/lint/index.ts';
import { pemToDer, pki, repoRoot } from '../../support/fixtures.ts';

export const lintFixtures = join(repoRoot, 'test', 'fixtures', 'lint');
export const peFixtures = join(repoRoot, 'test', 'fixtures', 'pe');
export const containerFixtures = join(repoRoot, 'test', 'fixtures', 'containers');
/** The instant fixtures are judged at: the PKI is valid then, the fixtures' link time (2023-11-14) is past. */
export const AT = new Date('2026-06-01T00:00:00Z');
export const TRUST = pemToDer(join(pki, 'ca.crt'));

export function parameters(overrides: Partial<RuleParameters> = {}): RuleParameters {
  return { ...DEFAULT_RULE_PARAMETERS, at: AT, ...overrides };
}

export async function factsFor(file: string, options: { displayPath?: string; at?: Date } = {}): Promise<LintFacts> {
  const bytes = new Uint8Array(readFileSync(file));
  const image = parsePE(bytes);
  const table = image.headers.authenticode.certificateTable;
  let signature: AuthenticodeSignature | undefined;
  let verdict: SignatureVerdict | { status: string; reasonCode: string; reason: string; nested: [] } = { status: 'unsigned', reasonCode: 'NOT_SIGNED', reason: 'the file has no Authenticode signature', nested: [] };
  if (table !== undefined) {
    try {
      const entries = parseWinCertificates(bytes.subarray(table.offset, table.offset + table.size));
      const first = entries.find((e) => e.certificateType === 2);
      if (first === undefined) throw new Error('no PKCS#7 entry');
      signature = parseAuthenticodeSignature(first.certificate);
      const digests = new Map(requiredDigestAlgorithms(signature).map((a) => [a, computeAuthenticodeDigest(bytes, image.headers.authenticode, a)] as const));
      verdict = await verifyAuthenticode({ signature, computedDigests: digests, trustAnchors: TRUST, at: options.at ?? AT });
    } catch (error) {
      if (!isParseError(error) && !(error instanceof Error && error.message === 'no PKCS#7 entry')) throw error;
      verdict = { status: 'malformed', reasonCode: isParseError(error) ? error.code : 'NO_PKCS7_SIGNATURE', reason: (error as Error).message, nested: [] };
    }
  }
  return collectLintFacts({ path: options.displayPath ?? `release/${basename(file)}`, image, bytes, signature, verdict });
}

export function lint(facts: LintFacts, overrides: Partial<RuleParameters> = {}): Map<string, LintResult> {
  const results = evaluateLint(facts, { config: EMPTY_LINT_CONFIG, parameters: parameters(overrides) });
  return new Map(results.map((r) => [r.ruleId, r]));
}

export async function lintFile(file: string, overrides: Partial<RuleParameters> = {}, displayPath?: string): Promise<Map<string, LintResult>> {
  return lint(await factsFor(file, displayPath === undefined ? {} : { displayPath }), overrides);
}
