/**
 * Runs the rules over one artifact's facts, and applies lint to a finished list of artifact reports (in the
 * main thread, after the workers: the configuration and the container relations are only known there).
 */
import type { ArtifactReport, Finding } from '../audit.types.ts';
import { ruleLevel, type LintConfig } from './config.ts';
import type { ContainerFacts, LintFacts, LintResult, LintRule, RuleParameters } from './lint.types.ts';
import { LINT_RULES } from './rules.ts';

export interface LintOptions {
  config: LintConfig;
  parameters: RuleParameters;
  /** Defaults to LINT_RULES. */
  rules?: readonly LintRule[];
}

/** One result per rule that is not `off`, in rule order. A rule that throws is reported as a skip, never crashes the audit. */
export function evaluateLint(facts: LintFacts, options: LintOptions): LintResult[] {
  const results: LintResult[] = [];
  for (const rule of options.rules ?? LINT_RULES) {
    const level = ruleLevel(rule, facts.path, options.config);
    if (level === 'off') continue;
    let outcome;
    try {
      outcome = rule.evaluate(facts, options.parameters);
    } catch (error) {
      outcome = { result: 'skip' as const, reason: `internal error in the rule: ${error instanceof Error ? error.message : String(error)}` };
    }
    switch (outcome.result) {
      case 'pass':
        results.push({ ruleId: rule.id, result: 'pass', severity: level, message: '' });
        break;
      case 'skip':
        results.push({ ruleId: rule.id, result: 'skip', severity: level, message: outcome.reason });
        break;
      case 'fail': {
        const r: LintResult = { ruleId: rule.id, result: 'fail', severity: level, message: outcome.message };
        if (outcome.details !== undefined) r.details = outcome.details;
        results.push(r);
        break;
      }
    }
  }
  return results;
}

/** An artifact report as the audit produces it, with the lint fields (see audit.types.ts). */
export type LintableArtifact = ArtifactReport & { lint?: LintResult[]; lintFacts?: LintFacts };

/** `outer.msi!/inner.exe` → `outer.msi` (the innermost container). */
export function containerPathOf(path: string): string | undefined {
  const i = path.lastIndexOf('!/');
  return i <= 0 ? undefined : path.slice(0, i);
}


export function applyLint<T extends LintableArtifact>(artifacts: readonly T[], options: LintOptions): T[] {
  return withoutRestatedMemberFindings(lintEach(artifacts, options));
}

/** The member rules that state, on the member itself, that a member of a signed container is not validly signed. */
const MEMBER_SIGNATURE_RULES: ReadonlySet<string> = new Set(['ABS-FP-002', 'ABS-SIG-008']);

/**
 * One finding per fact: ABS-CONTAINER-UNSIGNED-MEMBER on a container says what ABS-FP-002 / ABS-SIG-008 already
 * say on each member, so it is dropped when every member it is about carries one of those (it stays when the
 * configuration turned them off, so the fact is never lost).
 */
function withoutRestatedMemberFindings<T extends LintableArtifact>(artifacts: T[]): T[] {
  return artifacts.map((a) => {
    if (!a.findings.some((f) => f.id === 'ABS-CONTAINER-UNSIGNED-MEMBER')) return a;
    const prefix = `${a.path}!/`;
    const members = artifacts.filter((m) => m.path.startsWith(prefix) && m.format === 'pe' && m.signature !== null && m.signature.status !== 'valid' && m.signature.status !== 'untrusted');
    const restated = members.every((m) => m.findings.some((f) => MEMBER_SIGNATURE_RULES.has(f.id)));
    return restated ? { ...a, findings: a.findings.filter((f) => f.id !== 'ABS-CONTAINER-UNSIGNED-MEMBER') } : a;
  });
}

function lintEach<T extends LintableArtifact>(artifacts: readonly T[], options: LintOptions): T[] {
  const byPath = new Map(artifacts.map((a) => [a.path, a]));
  const rules = options.rules ?? LINT_RULES;
  return artifacts.map((a) => {
    const { lintFacts, ...rest } = a;
    const out = { ...rest } as T;
    if (lintFacts === undefined) {
      if (a.format === 'pe') out.lint = [];
      return out;
    }
    const facts: LintFacts = { ...lintFacts };
    if (facts.container === undefined) {
      const parentPath = containerPathOf(a.path);
      const parent = parentPath === undefined ? undefined : byPath.get(parentPath);
      if (parentPath !== undefined) {
        const container: ContainerFacts = { path: parentPath, signatureStatus: parent?.signature?.status ?? null };
        facts.container = container;
      }
    }
    if (facts.signature.certificateTable !== null && facts.signature.certificateTable.entries === null) {
      // The table was not in memory; the audit's own MULTIPLE_WIN_CERTIFICATES finding still tells the count.
      const multiple = a.findings.find((f) => f.id === 'MULTIPLE_WIN_CERTIFICATES');
      const n = multiple === undefined ? 1 : Number(/holds (\d+) entries/.exec(multiple.message)?.[1] ?? 2);
      facts.signature = { ...facts.signature, certificateTable: { ...facts.signature.certificateTable, entries: n } };
    }
    const lint = evaluateLint(facts, { ...options, rules });
    out.lint = lint;
    const failing = lint.filter((r) => r.result === 'fail').map((r) => rules.find((x) => x.id === r.ruleId));
    const superseded = new Set(failing.flatMap((rule) => rule?.supersedes ?? []));
    const findings: Finding[] = a.findings.filter((f) => !superseded.has(f.id));
    for (const r of lint) {
      if (r.result !== 'fail') continue;
      const rule = rules.find((x) => x.id === r.ruleId);
      findings.push({ id: r.ruleId, severity: r.severity, message: r.message, ...(rule === undefined ? {} : { fix: rule.fix }) });
    }
    out.findings = findings;
    return out;
  });
}
