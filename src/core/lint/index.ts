// Public surface of the lint rules (explicit named exports, style.md practice 13).
// collect-facts (the PE and Authenticode side of linting) is imported from its module by the audit: re-exporting
// it here would load the parsers into every command that only needs the rule table.
export type { CollectLintFactsInput, VerdictLike } from './collect-facts.ts';
export {
  DEFAULT_RULE_PARAMETERS,
  EMPTY_LINT_CONFIG,
  LintConfigError,
  normalizeThumbprint,
  parseLintConfig,
  ruleLevel,
  type LintConfig,
  type LintConfigOverride,
  type LintSettings,
} from './config.ts';
export { applyLint, containerPathOf, evaluateLint, type LintableArtifact, type LintOptions } from './evaluate.ts';
export { shannonEntropy } from './entropy.ts';
export { matchesGlob } from './glob.ts';
export { PACKER_SIGNATURES } from './markers.ts';
export { displayName, doubleExtension } from './rules-fp.ts';
export { findRule, LINT_RULES } from './rules.ts';
export type {
  BundleFacts,
  BundleKind,
  CertificateFacts,
  ContainerFacts,
  Evidence,
  LintFacts,
  LintResult,
  LintRule,
  OverlayFacts,
  PEFacts,
  RuleCategory,
  RuleDetails,
  RuleLevel,
  RuleOutcome,
  RuleParameters,
  RuleSeverity,
  SectionFacts,
  SignatureFacts,
  SignerFacts,
  TimestampFacts,
} from './lint.types.ts';
