/**
 * `absolve rules [--format table|json]`: list the lint rules (ID, default severity, on/off by default, title;
 * JSON adds rationale, source, fix and the AuthenticodeLint equivalent). Pure listing, exit code 0.
 */
import { Option, type Command } from 'commander';
import { LINT_RULES, type LintRule } from '../../core/lint/index.ts';

export interface RulesCommandDeps {
  stdout: NodeJS.WritableStream;
}

export interface RuleListing {
  id: string;
  title: string;
  category: LintRule['category'];
  defaultSeverity: LintRule['defaultSeverity'];
  enabledByDefault: boolean;
  rationale: string;
  source: string | null;
  fix: string;
  authenticodeLint: number | null;
}

export function listRules(rules: readonly LintRule[] = LINT_RULES): RuleListing[] {
  return rules.map((r) => ({
    id: r.id,
    title: r.title,
    category: r.category,
    defaultSeverity: r.defaultSeverity,
    enabledByDefault: r.enabledByDefault,
    rationale: r.rationale,
    source: r.source,
    fix: r.fix,
    authenticodeLint: r.authenticodeLint ?? null,
  }));
}

export function renderRulesTable(rules: readonly LintRule[] = LINT_RULES): string {
  const rows = rules.map((r) => [r.id, r.defaultSeverity, r.enabledByDefault ? 'on' : 'off', r.title]);
  const header = ['ID', 'SEVERITY', 'DEFAULT', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export function renderRulesJSON(rules: readonly LintRule[] = LINT_RULES): string {
  return `${JSON.stringify({ rules: listRules(rules) }, null, 2)}\n`;
}

export function registerRulesCommand(program: Command, deps: RulesCommandDeps): Command {
  return program
    .command('rules')
    .description('List the signature-quality (ABS-SIG-*) and false-positive-risk (ABS-FP-*) rules the audit applies.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((flags: { format: 'table' | 'json' }) => {
      deps.stdout.write(flags.format === 'json' ? renderRulesJSON() : renderRulesTable());
    });
}
