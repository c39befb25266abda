import pc from 'picocolors';

type Colors = ReturnType<typeof pc.createColors>;
import type { ArtifactReport, AuditReport, SignatureStatus } from '../core/audit.types.ts';
import { escapeForDisplay } from '../binary/index.ts';
import { violatesPolicy } from '../core/audit-summary.ts';

type Painter = (s: string) => string;

function statusPainter(status: SignatureStatus | 'error' | '-', colors: Colors): Painter {
  switch (status) {
    case 'valid':
      return colors.green;
    case 'untrusted':
      return colors.yellow;
    case 'unsigned':
    case 'invalid':
    case 'malformed':
    case 'error':
      return colors.red;
    case '-':
      return colors.dim;
  }
}

function statusOf(a: ArtifactReport): SignatureStatus | 'error' | '-' {
  if (a.error !== null && a.error.code !== 'IO_ERROR' && a.format !== 'pe' && !violatesPolicy(a)) return '-';
  if (a.error !== null && a.signature === null) return 'error';
  return a.signature?.status ?? '-';
}

const CONTAINER_NAMES: Record<string, string> = { msi: 'MSI', msp: 'MSP patch', cfb: 'compound file', cab: 'CAB', zip: 'ZIP', nsis: 'NSIS installer' };

function describe(a: ArtifactReport): string {
  const members = a.container === undefined ? '' : `${a.pe === null ? '' : ', '}${CONTAINER_NAMES[a.container.kind] ?? a.container.kind} (${a.container.members} members)`;
  if (a.pe === null) {
    if (a.format === 'pe') return 'PE (unreadable)';
    if (a.format === 'unknown') return 'not a PE';
    return members === '' ? (CONTAINER_NAMES[a.format] ?? a.format) : members;
  }
  const kind = a.pe.isDll ? 'dll' : a.pe.subsystem === 'windows-gui' ? 'gui' : a.pe.subsystem === 'windows-cui' ? 'console' : a.pe.subsystem;
  return `PE ${a.pe.machine} ${kind}${members}`;
}

function note(a: ArtifactReport): string {
  if (a.error !== null) return `${a.error.code}: ${a.error.message}`;
  const s = a.signature;
  if (s === null) return '';
  if (s.status === 'valid') {
    const parts = [s.digestAlgorithm ?? ''];
    parts.push(s.timestamp ? `timestamped ${s.timestamp.time.slice(0, 10)}` : 'no timestamp');
    if (s.nested.length > 0) parts.push(`+${s.nested.length} nested (${s.nested.map((n) => `${n.digestAlgorithm ?? '?'} ${n.status}`).join(', ')})`);
    return parts.join(', ');
  }
  return `${s.reasonCode}: ${s.reason}`;
}

function commonName(dn: string): string {
  const m = /(?:^|,)CN=((?:\\.|[^,])*)/.exec(dn);
  return (m?.[1] ?? dn).replace(/\\(.)/g, '$1');
}

function pad(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

/** The readable table: one line per file, then a summary. */
export function renderAuditTable(report: AuditReport, useColor: boolean): string {
  const colors = pc.createColors(useColor);
  const rows = report.artifacts.map((a) => {
    const status = statusOf(a);
    return {
      status,
      // Paths and messages come from disk and archives: escaped, a name cannot add a row or send terminal controls.
      cells: [status, a.path, describe(a), a.signature?.signer ? commonName(a.signature.signer.subject) : '', note(a)].map((c) => escapeForDisplay(c)),
    };
  });
  const headers = ['STATUS', 'PATH', 'TYPE', 'SIGNER', 'DETAILS'];
  // A loop, not Math.max(...rows): spreading a million rows overflows the call stack.
  const widths = headers.map((h, i) => Math.min(i === 4 ? 200 : 60, rows.reduce((w, r) => Math.max(w, (r.cells[i] ?? '').length), h.length)));
  const lines = [colors.bold(headers.map((h, i) => pad(h, widths[i] ?? 0)).join('  ').trimEnd())];
  for (const row of rows) {
    const paint = statusPainter(row.status, colors);
    const cells = row.cells.map((c, i) => pad(c, widths[i] ?? 0));
    cells[0] = paint(cells[0] ?? '');
    lines.push(cells.join('  ').trimEnd());
  }
  const findingLines = report.artifacts.flatMap((a) => summarizeFindings(a, colors));
  if (findingLines.length > 0) lines.push('', colors.bold('FINDINGS'), ...findingLines);
  const s = report.summary;
  lines.push('');
  lines.push(
    `${s.files} artifacts, ${s.pe} PE: ${s.valid} valid, ${s.invalid} invalid, ${s.untrusted} untrusted, ${s.unsigned} unsigned, ${s.malformed} malformed; ${s.errors} with errors`,
  );
  lines.push(
    s.policyMet
      ? colors.green('Policy met: every PE and Windows Installer package carries a valid signature.')
      : colors.red(s.files === 0 ? 'Policy not met: nothing was audited (no file in the inputs).' : `Policy violated by ${s.violations} file(s).`),
  );
  return `${lines.join('\n')}\n`;
}

/** Warnings and errors of one artifact, one line each; repeats of one ID beyond two are folded into a count. */
function summarizeFindings(a: ArtifactReport, colors: Colors): string[] {
  const byId = new Map<string, ArtifactReport['findings']>();
  for (const f of a.findings) {
    if (f.severity === 'note') continue;
    const group = byId.get(f.id);
    if (group === undefined) byId.set(f.id, [f]);
    else group.push(f);
  }
  const out: string[] = [];
  for (const [id, group] of byId) {
    const shown = group.length > 2 ? group.slice(0, 1) : group;
    for (const f of shown) {
      const paint = f.severity === 'error' ? colors.red : colors.yellow;
      const more = group.length > shown.length ? ` (and ${group.length - shown.length} more ${id})` : '';
      out.push(`${paint(f.severity.padEnd(7))}  ${id}  ${escapeForDisplay(`${a.path}: ${f.message}`)}${more}`);
    }
  }
  return out;
}

export function renderAuditJSON(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
