import type { LintRule } from './lint.types.ts';
import { FP_RULES } from './rules-fp.ts';
import { SIGNATURE_RULES } from './rules-signature.ts';

/** Every rule, signature quality first, in ID order. IDs are stable: never renumber or reuse one. */
export const LINT_RULES: readonly LintRule[] = [...SIGNATURE_RULES, ...FP_RULES];

export function findRule(id: string): LintRule | undefined {
  return LINT_RULES.find((r) => r.id === id);
}
