/**
 * `absolve rules [ID] [--format table|json]`: list the lint rules (ID, default severity, on/off by default, title;
 * JSON adds rationale, source, fix and the AuthenticodeLint equivalent), or one rule in full. Exit code 0; an
 * unknown ID is a usage error.
 */
import { Option, type Command } from 'commander';
import { AbsolveError } from '../../core/errors.ts';
import { LINT_RULES, findRule, type LintRule } from '../../core/lint/index.ts';
import { wrap } from '../render-audit.ts';

export const RULES_SCHEMA = 'absolve.rules/v1';

export interface RulesCommandDeps {
  stdout: NodeJS.WritableStream;
  /** The terminal width the detail view wraps to. */
  width(): number;
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
  return `${JSON.stringify({ schema: RULES_SCHEMA, rules: listRules(rules) }, null, 2)}\n`;
}

/** One rule in full: every field, long texts wrapped to `width`. */
export function renderRuleDetail(rule: LintRule, width: number): string {
  const [r] = listRules([rule]);
  if (r === undefined) return '';
  const rows: Array<[string, string]> = [
    ['title', r.title],
    ['category', r.category],
    ['severity', `${r.defaultSeverity}, ${r.enabledByDefault ? 'on' : 'off'} by default`],
    ['why', r.rationale],
    ['fix', r.fix],
    ['source', r.source ?? '-'],
  ];
  if (r.authenticodeLint !== null) rows.push(['AuthenticodeLint', String(r.authenticodeLint)]);
  const label = Math.max(...rows.map(([k]) => k.length)) + 2;
  const lines = [
    r.id,
    ...rows.flatMap(([k, v]) => {
      const body = wrap(v, width, ' '.repeat(label));
      return body.map((l, i) => (i === 0 ? `${`${k}:`.padEnd(label)}${l.slice(label)}` : l));
    }),
  ];
  return `${lines.join('\n')}\n`;
}

export function registerRulesCommand(program: Command, deps: RulesCommandDeps): Command {
  return program
    .command('rules')
    .description('List the signature-quality (ABS-SIG-*) and false-positive-risk (ABS-FP-*) rules the audit applies, or explain one.')
    .argument('[id]', 'one rule, e.g. ABS-SIG-004')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((id: string | undefined, flags: { format: 'table' | 'json' }) => {
      if (id === undefined) {
        deps.stdout.write(flags.format === 'json' ? renderRulesJSON() : renderRulesTable());
        return;
      }
      const rule = findRule(id.toUpperCase());
      if (rule === undefined) throw new AbsolveError('USAGE', `no rule '${id}' (run 'absolve rules' for the list)`);
      deps.stdout.write(flags.format === 'json' ? `${JSON.stringify({ schema: RULES_SCHEMA, rules: listRules([rule]) }, null, 2)}\n` : renderRuleDetail(rule, deps.width()));
    });
}
