/**
 * `absolve audit --format markdown`: a summary fit for a pull-request comment. Counts, a table of the files
 * with problems (signature status and findings per severity), then the top findings grouped by ID with the
 * fix and a few example paths. Every finding is counted; the lists are capped so a comment stays readable.
 */
import type { ArtifactReport, AuditReport, Finding, Severity } from '../core/audit.types.ts';
import { escapeForDisplay } from '../binary/index.ts';
import { violatesPolicy } from '../core/audit-summary.ts';
import { findRule } from '../core/lint/index.ts';

export const MARKDOWN_MAX_FILES = 50;
export const MARKDOWN_MAX_FINDING_GROUPS = 15;
const EXAMPLES_PER_GROUP = 3;
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, note: 2 };
const ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', note: '🔵' };

/** Text inside a table cell or inline: Markdown and HTML specials escaped, newlines flattened. */
export function mdEscape(s: string): string {
  // Control bytes first (ESC, newline, bidi): shown as \xNN like everywhere else, never passed through.
  return escapeForDisplay(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1');
}

/** A path in code style; backticks inside are widened around. */
export function code(s: string): string {
  const clean = escapeForDisplay(s).replace(/\|+/g, ' ');
  const fence = clean.includes('`') ? '`` ' : '`';
  return `${fence}${clean}${fence.split('').reverse().join('')}`;
}

function counts(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

function isProblem(a: ArtifactReport): boolean {
  return violatesPolicy(a) || a.error !== null || a.findings.some((f) => f.severity !== 'note');
}

export function renderAuditMarkdown(report: AuditReport): string {
  const s = report.summary;
  const all = report.artifacts.flatMap((a) => a.findings);
  const total = counts(all);
  const out: string[] = [];
  const verdict = s.policyMet ? '✅ policy met' : s.files === 0 ? '❌ nothing was audited (no file in the inputs)' : `❌ ${s.violations} file${s.violations === 1 ? '' : 's'} break the signing policy`;
  out.push(`## Absolve audit: ${verdict}`);
  out.push('');
  // PE signature counts, then signed packages (MSI, MSP, CAB) apart, so the columns add up.
  const p = s.packages;
  const packages = p === undefined || p.total === 0 ? '0' : `${p.total} (${p.valid} valid${p.total === p.valid ? '' : `, ${p.total - p.valid} not`})`;
  out.push('| files | PE | valid | invalid | untrusted | unsigned | malformed | packages | errors | 🔴 error findings | 🟠 warnings | 🔵 notes |');
  out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  out.push(`| ${s.files} | ${s.pe} | ${s.valid} | ${s.invalid} | ${s.untrusted} | ${s.unsigned} | ${s.malformed} | ${packages} | ${s.errors} | ${total.error} | ${total.warning} | ${total.note} |`);
  out.push('');

  const problems = report.artifacts.filter(isProblem).sort((x, y) => {
    const cx = counts(x.findings);
    const cy = counts(y.findings);
    return Number(violatesPolicy(y)) - Number(violatesPolicy(x)) || cy.error - cx.error || cy.warning - cx.warning || x.path.localeCompare(y.path);
  });
  if (problems.length === 0) {
    out.push('No file has an error or warning.');
  } else {
    out.push(`### Files with problems (${problems.length})`);
    out.push('');
    out.push('| file | signature | 🔴 | 🟠 | 🔵 | first problem |');
    out.push('| --- | --- | ---: | ---: | ---: | --- |');
    for (const a of problems.slice(0, MARKDOWN_MAX_FILES)) {
      const c = counts(a.findings);
      const first = a.error !== null ? `${a.error.code}: ${a.error.message}` : [...a.findings].sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity])[0];
      const firstText = first === undefined ? '' : typeof first === 'string' ? first : `${first.id}: ${first.message}`;
      out.push(`| ${code(a.path)} | ${a.signature === null ? '–' : mdEscape(a.signature.status)} | ${c.error} | ${c.warning} | ${c.note} | ${mdEscape(firstText)} |`);
    }
    if (problems.length > MARKDOWN_MAX_FILES) out.push(`| … ${problems.length - MARKDOWN_MAX_FILES} more | | | | | |`);
  }
  out.push('');

  const groups = new Map<string, { id: string; severity: Severity; count: number; fix: string | undefined; examples: Array<{ path: string; message: string }> }>();
  for (const a of report.artifacts) {
    for (const f of a.findings) {
      const key = `${f.id}\u0000${f.severity}`;
      let g = groups.get(key);
      if (g === undefined) {
        g = { id: f.id, severity: f.severity, count: 0, fix: (f as { fix?: string }).fix ?? findRule(f.id)?.fix, examples: [] };
        groups.set(key, g);
      }
      g.count++;
      if (g.examples.length < EXAMPLES_PER_GROUP) g.examples.push({ path: a.path, message: f.message });
    }
  }
  const top = [...groups.values()].sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || y.count - x.count || x.id.localeCompare(y.id));
  if (top.length > 0) {
    out.push(`### Top findings`);
    out.push('');
    for (const g of top.slice(0, MARKDOWN_MAX_FINDING_GROUPS)) {
      const title = findRule(g.id)?.title;
      out.push(`- ${ICON[g.severity]} **${mdEscape(g.id)}**${title === undefined ? '' : ` ${mdEscape(title)}`} · ${g.severity} · ${g.count} file${g.count === 1 ? '' : 's'}`);
      for (const e of g.examples) out.push(`  - ${code(e.path)}: ${mdEscape(e.message)}`);
      if (g.count > g.examples.length) out.push(`  - … and ${g.count - g.examples.length} more`);
      if (g.fix !== undefined) out.push(`  - **Fix:** ${mdEscape(g.fix)}`);
    }
    if (top.length > MARKDOWN_MAX_FINDING_GROUPS) out.push(`- … ${top.length - MARKDOWN_MAX_FINDING_GROUPS} more kinds of findings (see the JSON or SARIF report)`);
    out.push('');
  }
  out.push(`<sub>absolve ${mdEscape(report.tool.version)} · ${report.schema} · verified at ${report.verifiedAt}</sub>`);
  return `${out.join('\n')}\n`;
}
