/**
 * `absolve vendors list|show <engine>|stats`: the vendor directory (shipped, with the user's
 * entries from absolve.config.json) and how responsive each vendor has been in the case history.
 */
import { Option, type Command } from 'commander';
import { vendorStats, VENDOR_STATS_SCHEMA } from '../../core/cases/vendor-stats.ts';
import { CaseError } from '../../core/cases/errors.ts';
import type { CaseSettings } from '../../core/cases/settings.ts';
import { buildVendorDirectory, VENDOR_DIRECTORY_CHECKED, type VendorDirectory, type VendorEntry } from '../../core/vendors/index.ts';
import type { CliDeps } from '../program.ts';
import { printable } from '../render-scan.ts';
import { wrapHanging } from '../render-audit.ts';
import { terminalWidth } from '../terminal.ts';
import { dbOption, formatOption, fitColumns, withStore, writeJSON } from './release-command.ts';

export const VENDOR_LIST_SCHEMA = 'absolve.vendor-list/v1';
export const VENDOR_SCHEMA = 'absolve.vendor/v1';

export interface VendorCommandDeps extends Pick<CliDeps, 'openStore' | 'now' | 'stdout'> {
  loadCaseSettings(options: { path?: string }): Promise<CaseSettings>;
}

export async function loadDirectory(deps: Pick<VendorCommandDeps, 'loadCaseSettings'>, config: string | undefined): Promise<{ directory: VendorDirectory; settings: CaseSettings }> {
  const settings = await deps.loadCaseSettings(config === undefined ? {} : { path: config });
  return { directory: buildVendorDirectory(settings.vendors), settings };
}

function configOption(): Option {
  return new Option('--config <file>', 'configuration with vendor overrides (default: ./absolve.config.json when present)');
}

function channelSummary(e: VendorEntry): string {
  const kinds = [...new Set(e.channels.filter((c) => c.status === 'listed').map((c) => c.kind))];
  return kinds.join(',') || '-';
}

function describe(e: VendorEntry, width: number): string {
  const r = e.requirements;
  const lines = [
    `${e.engine} (${e.vendor})${e.origin === 'config' ? '  [from your configuration]' : ''}`,
    ...(e.aliases.length === 0 ? [] : [`Also reported as: ${e.aliases.join(', ')}`]),
    ...(e.upstream === null ? [] : [`Licenses the ${e.upstream} engine: its detections go to ${e.upstream} when ${e.upstream} flags the same file`]),
    ...(e.notes === null ? [] : ['', e.notes]),
    '',
    'Channels:',
    ...(e.channels.length === 0 ? ['  none known'] : e.channels.map((c) => `  ${c.kind.padEnd(8)} ${c.address}${c.status === 'listed' ? '' : `  [${c.status.toUpperCase()}]`}${c.note === '' ? '' : `\n           ${c.note}`}`)),
    '',
    'Requirements:',
    `  archive      ZIP ${r.archivePassword === null ? 'without password (password-protected archives are refused)' : `with password "${r.archivePassword}"`}`,
    `  size limit   ${r.maxArchiveBytes === null ? 'none known' : `${r.maxArchiveBytes} bytes (above: hashes and links only)`}`,
    ...(r.maxFiles === null ? [] : [`  files        at most ${r.maxFiles} per submission`]),
    ...(r.subjectPrefix === null ? [] : [`  subject      starts with "${r.subjectPrefix}"`]),
    ...(r.accountRequired ? ['  account      a sign-in is needed'] : []),
    ...(r.detectionNameRequired ? ['  detection    the detection name is required'] : []),
    ...(r.source === null ? [] : [`  source       ${r.source}`]),
    ...(e.programmes.length === 0 ? [] : ['', 'Allowlisting programmes:', ...e.programmes.map((p) => `  ${p.name} (${p.kind})${p.url === null ? '' : ` ${p.url}`}${p.contact === null ? '' : ` <${p.contact}>`}${p.note === '' ? '' : `\n    ${p.note}`}`)]),
    '',
    `Sources (checked ${e.checked}):`,
    ...e.sources.map((s) => `  ${s}`),
  ];
  // Long notes and URLs wrap within the terminal, continuation lines under the text they continue.
  const fitted = lines.flatMap((l) => l.split('\n')).map(printable).flatMap((l) => {
    if (l.length <= width) return [l];
    const lead = /^ */.exec(l)?.[0] ?? '';
    return wrapHanging(l.slice(lead.length), Math.max(20, width - lead.length), '  ').map((part) => `${lead}${part}`);
  });
  return `${fitted.join('\n')}\n`;
}

export function registerVendorsCommand(program: Command, deps: VendorCommandDeps): void {
  const vendors = program.command('vendors').description('The antivirus vendor directory: where and how to report a false positive, and how vendors answered.');
  vendors
    .command('list')
    .description(`Every engine in the directory (facts checked ${VENDOR_DIRECTORY_CHECKED}), with your configuration's changes.`)
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (flags: { config?: string; format: 'table' | 'json' }) => {
      const { directory } = await loadDirectory(deps, flags.config);
      if (flags.format === 'json') return writeJSON(deps, { schema: VENDOR_LIST_SCHEMA, vendors: directory.entries });
      deps.stdout.write(
        fitColumns(deps.stdout, 
          ['ENGINE', 'VENDOR', 'CHANNELS', 'PASSWORD', 'LIMIT', 'UPSTREAM', 'PROGRAMMES'],
          directory.entries.map((e) => [
            e.engine,
            e.vendor,
            channelSummary(e),
            e.requirements.archivePassword ?? '(none)',
            e.requirements.maxArchiveBytes === null ? '-' : `${Math.round(e.requirements.maxArchiveBytes / 1048576)} MiB`,
            e.upstream ?? '-',
            e.programmes.map((p) => p.kind).join(',') || '-',
          ].map(printable)),
        ),
      );
    });
  vendors
    .command('show')
    .description('One engine: channels, requirements, allowlisting programmes, sources.')
    .argument('<engine>', 'engine name as VirusTotal reports it, or an alias')
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (engine: string, flags: { config?: string; format: 'table' | 'json' }) => {
      const { directory } = await loadDirectory(deps, flags.config);
      const entry = directory.find(engine);
      if (entry === undefined) throw new CaseError('VENDOR_NOT_FOUND', `no engine '${printable(engine)}' in the vendor directory (see 'absolve vendors list'; add one under "vendors" in absolve.config.json)`);
      if (flags.format === 'json') return writeJSON(deps, { schema: VENDOR_SCHEMA, vendor: entry, downstream: directory.downstreamOf(entry.engine).map((d) => d.engine) });
      deps.stdout.write(describe(entry, terminalWidth(deps.stdout)));
    });
  vendors
    .command('stats')
    .description('Per vendor, from the case history: cases, median time to resolution, share with no response.')
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (flags: { db?: string; format: 'table' | 'json' }) => {
      await withStore(deps, flags.db, false, async (opened) => {
        const stats = vendorStats(await opened.cases.listCases({}), await opened.cases.allEvents(), deps.now());
        if (flags.format === 'json') return writeJSON(deps, { schema: VENDOR_STATS_SCHEMA, generatedAt: deps.now().toISOString(), vendors: stats });
        if (stats.length === 0) return void deps.stdout.write(`No cases in ${opened.location}.\n`);
        deps.stdout.write(
          fitColumns(deps.stdout, 
            ['VENDOR', 'CASES', 'SUBMITTED', 'RESOLVED', 'REJECTED', 'MEDIAN TO RESOLUTION', 'NO RESPONSE'],
            stats.map((s) => [
              s.vendor,
              String(s.cases),
              String(s.submitted),
              String(s.resolved),
              String(s.rejected),
              s.medianHoursToResolution === null ? '-' : s.medianHoursToResolution >= 48 ? `${(s.medianHoursToResolution / 24).toFixed(1)} days` : `${s.medianHoursToResolution} h`,
              s.noResponseShare === null ? '-' : `${Math.round(s.noResponseShare * 100)}%`,
            ].map(printable)),
          ),
        );
      });
    });
}
