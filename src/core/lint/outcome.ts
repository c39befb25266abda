import type { LintFacts, RuleDetails, RuleOutcome, SignerFacts } from './lint.types.ts';

export const pass = (): RuleOutcome => ({ result: 'pass' });

export function fail(message: string, details?: RuleDetails): RuleOutcome {
  return details === undefined ? { result: 'fail', message } : { result: 'fail', message, details };
}

export const skip = (reason: string): RuleOutcome => ({ result: 'skip', reason });

/** The parsed signatures, or the reason a signature rule has nothing to look at. */
export function signaturesOf(facts: LintFacts): SignerFacts[] | RuleOutcome {
  const s = facts.signature;
  if (s.signatures.length > 0) return s.signatures;
  if (s.status === 'unsigned') return skip('the file is not signed');
  return skip(`the signature could not be read (${s.reasonCode})`);
}

export function isOutcome(value: SignerFacts[] | RuleOutcome): value is RuleOutcome {
  return !Array.isArray(value);
}

/** "primary: …; nested #1: …" */
export function joinProblems(problems: readonly string[]): string {
  return problems.join('; ');
}
