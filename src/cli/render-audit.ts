/**
 * `absolve audit` as a table (for people, fitted to the terminal width), as JSON and as CSV.
 *
 * The table lists problems first (files breaking the policy, then files with error or warning findings), then
 * the other PEs and packages; files that are neither (documents, images, …) are folded into one count unless
 * `--all`. When the columns do not fit, paths are shortened in the middle and each row's details go on an
 * indented line under it. Findings follow, grouped by file, then each rule's fix once, then the summary.
 */
import pc from 'picocolors';
import type { ArtifactReport, AuditReport, AuditSummary, Finding, SignatureStatus } from '../core/audit.types.ts';
import { escapeForDisplay } from '../binary/index.ts';
import { violatesPolicy } from '../core/audit-summary.ts';
import { findRule } from '../core/lint/index.ts';

type Colors = ReturnType<typeof pc.createColors>;
type Painter = (s: string) => string;
type RowStatus = SignatureStatus | 'error' | '-';

export interface TableOptions {
  color: boolean;
  /** Terminal width in characters; no output line is longer. */
  width: number;
  /** List every file, not only PEs, packages and files with findings. */
  all: boolean;
  /** Add the version information (company, product, file version) to each PE's details. */
  versionInfo?: boolean;
}

/** `Contoso Ltd, Contoso App, file 1.2.3.4` from the VERSIONINFO resource; '' without one. */
function versionText(a: ArtifactReport): string {
  const v = a.pe?.versionInfo;
  if (v === null || v === undefined) return a.pe === null || a.pe === undefined ? '' : 'no version info';
  return [v.strings.CompanyName, v.strings.ProductName, v.fileVersion === '' ? undefined : `file ${v.fileVersion}`].filter((x) => x !== undefined && x !== '').join(', ');
}

const MIN_WIDTH = 40;

/**
 * The one place a path enters the table: every printed path goes through here (terminal-control escaping
 * belongs in this function, so the table, the findings and the summary line all get it).
 */
function printable(path: string): string {
  return escapeForDisplay(path);
}

function statusPainter(status: RowStatus, colors: Colors): Painter {
  switch (status) {
    case 'valid':
      return colors.green;
    // Untrusted breaks the policy like unsigned does: coloured as a failure, not as a warning.
    case 'untrusted':
    case 'unsigned':
    case 'invalid':
    case 'malformed':
    case 'error':
      return colors.red;
    case '-':
      return colors.dim;
  }
}

function statusOf(a: ArtifactReport): RowStatus {
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

function details(a: ArtifactReport): string {
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

/** Shortens to `width` characters by cutting the middle (`examples/rel…/contoso.exe`): both ends of a path say the most. */
export function shortenMiddle(s: string, width: number): string {
  if (s.length <= width) return s;
  if (width <= 1) return s.slice(0, Math.max(0, width));
  const tail = Math.ceil((width - 1) * 0.6);
  return `${s.slice(0, width - 1 - tail)}…${s.slice(s.length - tail)}`;
}

/** Cuts the end (`Contoso Code Sig…`), for names. */
function shortenEnd(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}…`;
}

/** Word-wraps `text` to lines of at most `width` characters, each prefixed by `indent` (counted in the width). */
export function wrap(text: string, width: number, indent: string): string[] {
  const room = Math.max(10, width - indent.length);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let rest = word;
    while (rest.length > room) {
      if (line !== '') {
        lines.push(line);
        line = '';
      }
      lines.push(rest.slice(0, room));
      rest = rest.slice(room);
    }
    if (line === '') line = rest;
    else if (line.length + 1 + rest.length <= room) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => `${indent}${l}`);
}

/** Word-wraps with a hanging indent: the first line starts at the margin, the rest under `indent`. */
export function wrapHanging(text: string, width: number, indent: string): string[] {
  const lines = wrap(text, width, indent);
  return lines.map((l, i) => (i === 0 ? l.slice(indent.length) : l));
}

function pad(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

/** 0: breaks the policy; 1: has an error or warning finding; 2: a PE or package without problems; 3: anything else. */
function rank(a: ArtifactReport): number {
  if (violatesPolicy(a)) return 0;
  if (a.error !== null || a.findings.some((f) => f.severity !== 'note')) return 1;
  if (a.format === 'pe' || a.signature !== null || a.container !== undefined) return 2;
  return 3;
}

/** The readable table: problems first, one line per file (details under it when they do not fit), findings, fixes, summary. */
export function renderAuditTable(report: AuditReport, options: TableOptions): string {
  const colors = pc.createColors(options.color);
  const width = Math.max(MIN_WIDTH, options.width);
  const ordered = report.artifacts.map((a, index) => ({ a, index, rank: rank(a) })).sort((x, y) => x.rank - y.rank || x.index - y.index);
  const shown = options.all ? ordered : ordered.filter((r) => r.rank < 3);
  const folded = ordered.length - shown.length;

  const rows = shown.map(({ a }) => ({
    status: statusOf(a),
    cells: [
      statusOf(a),
      printable(a.path),
      describe(a),
      // Signer names and version strings come from the file: escaped like paths.
      printable(a.signature?.signer ? commonName(a.signature.signer.subject) : ''),
      printable(options.versionInfo === true && versionText(a) !== '' ? `[${versionText(a)}] ${details(a)}`.trimEnd() : details(a)),
    ],
  }));
  const headers = ['STATUS', 'PATH', 'TYPE', 'SIGNER', 'DETAILS'];
  const natural = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.cells[i] ?? '').length)));
  const gap = 2;
  const lines: string[] = [];
  const inline = natural.reduce((sum, w) => sum + w, 0) + gap * (headers.length - 1) <= width;
  // Column widths: the details go under the row unless everything fits; signer and type are capped, the path gets the rest.
  const widths = [...natural];
  const columns = inline ? 5 : 4;
  if (!inline) {
    widths[3] = Math.min(natural[3] ?? 0, 24);
    widths[2] = Math.min(natural[2] ?? 0, 22);
    const fixed = (widths[0] ?? 0) + (widths[2] ?? 0) + (widths[3] ?? 0) + gap * 3;
    widths[1] = Math.max(12, Math.min(natural[1] ?? 0, width - fixed));
    // On a very narrow terminal, give the path room by shrinking the signer, then the type.
    let over = fixed + (widths[1] ?? 0) - width;
    for (const i of [3, 2]) {
      if (over <= 0) break;
      const cut = Math.min(over, Math.max(0, (widths[i] ?? 0) - 6));
      widths[i] = (widths[i] ?? 0) - cut;
      over -= cut;
    }
  }
  const fit = (cell: string, i: number): string => {
    const w = widths[i] ?? 0;
    return i === 1 ? shortenMiddle(cell, w) : shortenEnd(cell, w);
  };
  const renderRow = (cells: readonly string[], paint?: Painter): string => {
    const out = cells.slice(0, columns).map((c, i) => pad(fit(c, i), widths[i] ?? 0));
    if (paint !== undefined) out[0] = paint(out[0] ?? '');
    return out.join(' '.repeat(gap)).trimEnd();
  };
  lines.push(colors.bold(renderRow(headers)));
  for (const row of rows) {
    lines.push(renderRow(row.cells, statusPainter(row.status, colors)));
    const d = row.cells[4] ?? '';
    if (!inline && d !== '') lines.push(...wrap(d, width, '    ').map((l) => colors.dim(l)));
  }
  if (folded > 0) lines.push(colors.dim(`(${folded} other file${folded === 1 ? '' : 's'}, neither PE nor package, not listed: --all lists them)`));

  const { findingLines, fixes, hiddenNotes } = findingsSection(shown.map((r) => r.a), colors, width);
  if (findingLines.length > 0) lines.push('', colors.bold('FINDINGS'), ...findingLines);
  if (fixes.length > 0) lines.push('', colors.bold('HOW TO FIX'), ...fixes);
  const notes = hiddenNotes + report.artifacts.filter((_a, i) => !shown.some((r) => r.index === i)).reduce((n, a) => n + a.findings.filter((f) => f.severity === 'note').length, 0);
  lines.push('');
  if (notes > 0) lines.push(colors.dim(`${notes} note${notes === 1 ? '' : 's'} not shown (--format json, sarif or markdown lists them).`));
  if (report.configFile !== undefined) lines.push(`Configuration: ${report.configFile === null ? 'defaults (no absolve.config.json)' : printable(report.configFile)}.`);
  for (const l of wrap(countsText(report.summary), width, '')) lines.push(l);
  const s = report.summary;
  lines.push(
    s.policyMet
      ? colors.green('Policy met: every PE and package carries a valid signature.')
      : colors.red(s.files === 0 ? 'Policy not met: nothing was audited (no file in the inputs).' : `Policy violated by ${s.violations} file(s).`),
  );
  return `${lines.join('\n')}\n`;
}

/** Findings that the row's DETAILS already say (the signature verdict restated by a rule) are not printed twice. */
function repeatsDetails(a: ArtifactReport, f: Finding): boolean {
  const d = details(a);
  if (d === '') return false;
  const s = a.signature;
  return d.includes(f.message) || (s !== null && s.status !== 'valid' && s.status !== 'unsigned' && f.message.includes(s.reasonCode) && f.message.includes(s.reason));
}

/** Warnings and errors grouped by file (repeats of one ID folded into a count), each rule's fix once, and how many notes were left out. */
function findingsSection(artifacts: readonly ArtifactReport[], colors: Colors, width: number): { findingLines: string[]; fixes: string[]; hiddenNotes: number } {
  const findingLines: string[] = [];
  const fixes = new Map<string, string>();
  let hiddenNotes = 0;
  for (const a of artifacts) {
    const byId = new Map<string, Finding[]>();
    for (const f of a.findings) {
      if (f.severity === 'note') {
        hiddenNotes++;
        continue;
      }
      // A rule restating the row's DETAILS is listed by its title: the finding shows, the text is not said twice.
      const shownFinding = repeatsDetails(a, f) ? { ...f, message: findRule(f.id)?.title ?? f.message } : f;
      byId.set(f.id, [...(byId.get(f.id) ?? []), shownFinding]);
    }
    if (byId.size === 0) continue;
    findingLines.push(shortenMiddle(printable(a.path), width));
    for (const [id, group] of byId) {
      const first = group[0];
      if (first === undefined) continue;
      const more = group.length > 1 ? ` (and ${group.length - 1} more)` : '';
      const paint = first.severity === 'error' ? colors.red : colors.yellow;
      // The message starts after the ID; continuation lines hang under the ID column, which keeps room for text.
      const head = `  ${first.severity.padEnd(7)}  ${id}  `;
      const hang = ' '.repeat(Math.min(head.length, 13));
      const firstWords = wrap(printable(`${first.message}${more}`), width - head.length + hang.length, hang);
      const firstLine = firstWords[0]?.slice(hang.length) ?? '';
      const rest = wrap(firstWords.slice(1).map((l) => l.trim()).join(' '), width, hang);
      findingLines.push(`${paint(head.trimEnd())}  ${firstLine}`.trimEnd(), ...rest);
      const fix = first.fix ?? findRule(id)?.fix;
      if (fix !== undefined && !fixes.has(id)) fixes.set(id, fix);
    }
  }
  const idWidth = Math.max(0, ...[...fixes.keys()].map((id) => id.length));
  const fixLines = [...fixes].flatMap(([id, fix]) => {
    const head = `  ${id.padEnd(idWidth)}  `;
    const body = wrap(fix, width, ' '.repeat(head.length));
    return [`${head}${body[0]?.trimStart() ?? ''}`, ...body.slice(1)];
  });
  return { findingLines, fixes: fixLines, hiddenNotes };
}

/** `12 files: 5 PEs (3 valid, 2 unsigned), 2 packages (1 valid, 1 unsigned), 1 with errors.` */
export function countsText(s: AuditSummary): string {
  const statuses = (c: { valid: number; invalid: number; untrusted: number; unsigned: number; malformed: number }): string => {
    const parts = (['valid', 'untrusted', 'unsigned', 'invalid', 'malformed'] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`);
    return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
  };
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const packages = s.packages === undefined || s.packages.total === 0 ? '' : `, ${plural(s.packages.total, 'package')}${statuses(s.packages)}`;
  return `${plural(s.files, 'file')}: ${plural(s.pe, 'PE')}${statuses(s)}${packages}${s.errors > 0 ? `; ${s.errors} with errors` : ''}.`;
}

/** One line for stderr when the report went to a file. */
export function summaryText(s: AuditSummary): string {
  return `${countsText(s)} ${s.policyMet ? 'Policy met.' : `Policy violated by ${s.violations} file(s).`}`;
}

export function renderAuditJSON(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** A CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading =, +, - or @ is defused for spreadsheets. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const CSV_COLUMNS = [
  'path',
  'format',
  'size',
  'sha256',
  'status',
  'reason_code',
  'signer',
  'signer_thumbprint_sha1',
  'timestamp',
  'company',
  'product',
  'file_version',
  'product_version',
  'description',
  'errors',
  'warnings',
  'policy',
] as const;

/** `--format csv`: one row per artifact with signature and version-info columns (sigcheck's habit), for spreadsheets. */
export function renderAuditCSV(report: AuditReport): string {
  const rows = report.artifacts.map((a) => {
    const v = a.pe?.versionInfo ?? null;
    const strings = v?.strings ?? {};
    const s = a.signature;
    return [
      a.path,
      a.format,
      String(a.size),
      a.sha256,
      s?.status ?? '',
      a.error?.code ?? s?.reasonCode ?? '',
      s?.signer ? commonName(s.signer.subject) : '',
      s?.signer?.thumbprintSha1 ?? '',
      s?.timestamp?.time ?? '',
      strings.CompanyName ?? '',
      strings.ProductName ?? '',
      v?.fileVersion ?? '',
      v?.productVersion ?? '',
      strings.FileDescription ?? '',
      String(a.findings.filter((f) => f.severity === 'error').length),
      String(a.findings.filter((f) => f.severity === 'warning').length),
      violatesPolicy(a) ? 'violated' : 'met',
    ];
  });
  return `${[CSV_COLUMNS as readonly string[], ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
