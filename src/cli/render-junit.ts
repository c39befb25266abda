/**
 * `absolve audit --format junit`: JUnit XML (the Ant/Surefire dialect CI systems read).
 *
 * One <testsuite name="absolve audit">, one <testcase> per artifact (classname "absolve", name = the artifact
 * path). A failing testcase gets exactly one <failure> (or one <error> when the file could not be read), so
 * `failures` counts failing files: its `type` is the first problem (`signature` when the file breaks the
 * signing policy, a PE, MSI or MSP not validly signed; else the first error- or warning-level finding's ID),
 * its `message` says how many problems there are, and its body lists every one with its fix.
 * Note-level findings are listed in <system-out>, so they appear without turning the build red.
 * Escaping: the five XML entities; characters XML 1.0 cannot carry (controls other than tab/newline/CR, lone
 * surrogates, U+FFFE/U+FFFF) become U+FFFD.
 */
import type { ArtifactReport, AuditReport } from '../core/audit.types.ts';
import { violatesPolicy } from '../core/audit-summary.ts';

/** Text or attribute content for XML 1.0. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

interface Problem {
  kind: 'failure' | 'error';
  type: string;
  message: string;
  body: string;
}

function problemsOf(a: ArtifactReport): { problems: Problem[]; notes: string[] } {
  const problems: Problem[] = [];
  const notes: string[] = [];
  if (a.error !== null && a.error.code === 'IO_ERROR') problems.push({ kind: 'error', type: a.error.code, message: a.error.message, body: '' });
  else if (a.error !== null && violatesPolicy(a)) problems.push({ kind: 'failure', type: a.error.code, message: a.error.message, body: '' });
  if (a.error === null && violatesPolicy(a) && a.signature !== null && a.signature.status !== 'valid') {
    problems.push({ kind: 'failure', type: 'signature', message: `signature ${a.signature.status} (${a.signature.reasonCode}): ${a.signature.reason}`, body: '' });
  }
  for (const f of a.findings) {
    const fix = (f as { fix?: string }).fix;
    if (f.severity === 'note') notes.push(`note ${f.id}: ${f.message}${fix === undefined ? '' : ` (fix: ${fix})`}`);
    else problems.push({ kind: 'failure', type: f.id, message: `${f.severity}: ${f.message}`, body: fix === undefined ? '' : `Fix: ${fix}` });
  }
  return { problems, notes };
}

/** The one <failure> or <error> of a testcase: the first problem names it, the body lists them all. */
function mergeProblems(problems: readonly Problem[]): Problem[] {
  const first = problems.find((p) => p.kind === 'error') ?? problems[0];
  if (first === undefined) return [];
  const message = problems.length === 1 ? first.message : `${problems.length} problems; first: ${first.message}`;
  const body = problems.map((p) => `${p.type}: ${p.message}${p.body === '' ? '' : `\n  ${p.body}`}`).join('\n');
  return [{ kind: first.kind, type: first.type, message, body }];
}

export function renderAuditJUnit(report: AuditReport): string {
  const cases = report.artifacts.map((a) => {
    const { problems, notes } = problemsOf(a);
    return { a, problems: mergeProblems(problems), notes };
  });
  const failures = cases.reduce((n, c) => n + c.problems.filter((p) => p.kind === 'failure').length, 0);
  const errors = cases.reduce((n, c) => n + c.problems.filter((p) => p.kind === 'error').length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="absolve" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="absolve audit" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" timestamp="${xmlEscape(report.generatedAt)}">`,
    '    <properties>',
    `      <property name="schema" value="${xmlEscape(report.schema)}"/>`,
    `      <property name="absolve.version" value="${xmlEscape(report.tool.version)}"/>`,
    `      <property name="verifiedAt" value="${xmlEscape(report.verifiedAt)}"/>`,
    '    </properties>',
  ];
  for (const { a, problems, notes } of cases) {
    const open = `    <testcase classname="absolve" name="${xmlEscape(a.path)}"`;
    if (problems.length === 0 && notes.length === 0) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    for (const p of problems) {
      const body = p.body === '' ? '' : xmlEscape(p.body);
      lines.push(`      <${p.kind} type="${xmlEscape(p.type)}" message="${xmlEscape(p.message)}">${body}</${p.kind}>`);
    }
    if (notes.length > 0) lines.push(`      <system-out>${xmlEscape(notes.join('\n'))}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}
