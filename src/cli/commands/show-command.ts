/**
 * `absolve show <file>`: one file in depth, as a publisher fills in an allowlisting form: hashes (SHA-256, SHA-1,
 * MD5 and the Authenticode hash), imphash, PE facts and version information, the signature with every certificate
 * of its chain, the timestamp and its authority, nested signatures, and the findings. Installers and archives:
 * the package first, then one line per member. The same audit and options as `absolve audit`; exits as it does.
 */
import { Option, type Command } from 'commander';
import { AUDIT_SCHEMA, type ArtifactReport, type AuditReport, type SignatureReport, type SignerReport } from '../../core/audit.types.ts';
import { summarizeAudit } from '../../core/audit-summary.ts';
import { AbsolveError } from '../../core/errors.ts';
import { addAuditOptions, auditExitCode, auditWithProgress, resolveAuditSetup, type AuditOptionFlags } from '../audit-options.ts';
import type { CliDeps } from '../program.ts';
import { shortenMiddle, wrap } from '../render-audit.ts';
import { terminalWidth } from '../terminal.ts';

export const SHOW_SCHEMA = 'absolve.show/v1';

export type ShowCommandDeps = Pick<CliDeps, 'version' | 'walkInputs' | 'loadTrustAnchors' | 'loadLintConfig' | 'auditFiles' | 'defaultJobs' | 'now' | 'stdout' | 'stderr'> & {
  setExitCode(code: number): void;
};

interface ShowFlags extends AuditOptionFlags {
  format: 'table' | 'json';
}

export function registerShowCommand(program: Command, deps: ShowCommandDeps): Command {
  const show = program
    .command('show')
    .description('One file in depth: hashes (Authenticode hash, imphash), version info, the signature with its certificate chain, timestamp authority and time, findings.')
    .argument('<file>', 'the file (a PE, MSI, MSP, CAB, ZIP or NSIS installer)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'));
  addAuditOptions(show);
  // sha1 and md5 too by default: the forms that ask for one hash ask for any of them.
  show.setOptionValue('hashes', 'sha256,sha1,md5');
  show.action(async (file: string, flags: ShowFlags) => {
    const setup = await resolveAuditSetup(deps, flags);
    const files = await deps.walkInputs([file]);
    if (files.length !== 1 || files[0]?.displayPath !== file) throw new AbsolveError('USAGE', `show takes one file, not a folder ('${file}'); use \`absolve audit\` for folders`);
    const artifacts = await auditWithProgress(deps, files, setup, flags.progress);
    const summary = summarizeAudit(artifacts);
    if (flags.format === 'json') {
      const report: AuditReport & { schema: typeof AUDIT_SCHEMA } = {
        schema: AUDIT_SCHEMA,
        tool: { name: 'absolve', version: deps.version },
        generatedAt: deps.now().toISOString(),
        verifiedAt: setup.at.toISOString(),
        inputs: [file],
        configFile: setup.configFile,
        artifacts,
        summary,
      };
      deps.stdout.write(`${JSON.stringify({ ...report, schema: SHOW_SCHEMA, auditSchema: AUDIT_SCHEMA }, null, 2)}\n`);
    } else {
      deps.stdout.write(renderShow(artifacts, terminalWidth(deps.stdout)));
    }
    deps.setExitCode(auditExitCode(artifacts, summary, setup.failOn));
  });
  return show;
}

const LABEL = 14;

/** `  label       value`, the value wrapped under itself. */
function field(indent: string, label: string, value: string, width: number): string[] {
  const hang = `${indent}${' '.repeat(LABEL)}`;
  return wrap(value, width, hang).map((l, i) => (i === 0 ? `${indent}${label.padEnd(LABEL)}${l.slice(hang.length)}` : l));
}

function certificateLines(label: string, c: SignerReport, indent: string, width: number): string[] {
  return [
    ...field(indent, label, c.subject, width),
    ...field(`${indent}  `, 'issuer', c.issuer, width),
    ...field(`${indent}  `, 'serial', c.serialNumber, width),
    ...field(`${indent}  `, 'valid', `${c.notBefore} to ${c.notAfter}`, width),
    ...field(`${indent}  `, 'SHA-1', c.thumbprintSha1, width),
    ...field(`${indent}  `, 'SHA-256', c.thumbprintSha256, width),
  ];
}

function signatureLines(s: SignatureReport, label: string, indent: string, width: number): string[] {
  const lines = field(indent, label, `${s.status} (${s.reasonCode})${s.digestAlgorithm === null ? '' : `, ${s.digestAlgorithm}`}`, width);
  const inner = `${indent}  `;
  lines.push(...wrap(s.reason, width, inner));
  if (s.programName !== undefined) lines.push(...field(inner, 'program', s.programName, width));
  if (s.moreInfoUrl !== undefined) lines.push(...field(inner, 'more info', s.moreInfoUrl, width));
  if (s.signer !== null) lines.push(...certificateLines('signer', s.signer, inner, width));
  if (s.chain !== undefined && s.chain.length > 0) s.chain.forEach((subject, i) => lines.push(...field(inner, i === 0 ? 'chain' : '', subject, width)));
  if (s.timestamp === null) lines.push(...field(inner, 'timestamp', 'none', width));
  else {
    lines.push(...field(inner, 'timestamp', `${s.timestamp.time} (${s.timestamp.kind}${s.timestamp.valid === false ? ', not valid' : ''})`, width));
    if (s.timestamp.authority) lines.push(...certificateLines('TSA', s.timestamp.authority, inner, width));
  }
  s.nested.forEach((n, i) => lines.push(...signatureLines(n, `nested #${i + 1}`, inner, width)));
  return lines;
}

function artifactLines(a: ArtifactReport, width: number): string[] {
  const lines = [shortenMiddle(a.path, width)];
  lines.push(...field('  ', 'format', `${a.format}${a.container === undefined ? '' : ` (${a.container.kind}, ${a.container.members} members)`}`, width));
  lines.push(...field('  ', 'size', `${a.size} bytes`, width));
  for (const [algorithm, hex] of Object.entries(a.hashes)) lines.push(...field('  ', algorithm.toUpperCase(), hex, width));
  if (a.pe?.authenticodeSha256 !== undefined) lines.push(...field('  ', 'Authenticode', a.pe.authenticodeSha256, width));
  if (a.pe?.imphash !== undefined) lines.push(...field('  ', 'imphash', a.pe.imphash, width));
  if (a.pe !== null) {
    lines.push(...field('  ', 'PE', `${a.pe.machine}, ${a.pe.bits}-bit, ${a.pe.isDll ? 'DLL' : a.pe.subsystem}, linked ${a.pe.linkTimestamp ?? 'at time 0'}`, width));
    const v = a.pe.versionInfo;
    if (v === null) lines.push(...field('  ', 'version', 'no version information', width));
    else {
      lines.push(...field('  ', 'version', `file ${v.fileVersion}, product ${v.productVersion}`, width));
      for (const [key, value] of Object.entries(v.strings)) lines.push(...field('  ', '', `${key}: ${value}`, width));
    }
  }
  if (a.error !== null) lines.push(...field('  ', 'error', `${a.error.code}: ${a.error.message}`, width));
  if (a.signature !== null) lines.push(...signatureLines(a.signature, 'signature', '  ', width));
  if (a.findings.length > 0) {
    lines.push('  findings');
    for (const f of a.findings) lines.push(...wrap(`${f.severity} ${f.id}: ${f.message}`, width, '    '));
  }
  return lines;
}

export function renderShow(artifacts: readonly ArtifactReport[], width: number): string {
  const [first, ...members] = artifacts;
  if (first === undefined) return '';
  const lines = artifactLines(first, width);
  if (members.length > 0) {
    lines.push('', `members (${members.length}; \`absolve audit\` lists their findings):`);
    // Paths inside the package: the package's own path is the heading above.
    for (const m of members) lines.push(shortenMiddle(`  ${(m.signature?.status ?? '-').padEnd(9)}  ${m.path.startsWith(`${first.path}!/`) ? m.path.slice(first.path.length + 2) : m.path}`, width));
  }
  return `${lines.join('\n')}\n`;
}
