/**
 * `absolve cases open|list|show|update|due`: false-positive cases, from stored detections to the
 * vendor's answer.
 *
 *   cases open --release p@v        a case per (vendor, file) the release's newest scan flags; resolves gone ones
 *   cases list [filters]            cases, oldest first
 *   cases show <id>                 one case with its history and the emails sent for it
 *   cases update <id> [--state s] [--reference r] [--note n] [--due time]
 *   cases due [--at time]           submitted cases whose answer is overdue
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CASE_KINDS, CASE_LIST_SCHEMA, CASE_SCHEMA, CASE_STATES, type CaseChange, type CaseKind, type CaseRecord, type CaseState } from '../../core/cases/case.types.ts';
import { CaseError } from '../../core/cases/errors.ts';
import { openCasesForRelease } from '../../core/cases/open-cases.ts';
import { draftCasesForRelease } from '../../core/cases/release-drafts.ts';
import type { OpenedStore } from '../../core/releases/ports.ts';
import type { ReleaseKey } from '../../core/releases/release.types.ts';
import { AbsolveError } from '../../core/errors.ts';
import type { CliDeps } from '../program.ts';
import { printable } from '../render-scan.ts';
import { dbOption, formatOption, fitColumns, withStore, writeJSON } from './release-command.ts';
import { parseReleaseRef } from './scan-command.ts';
import { loadDirectory, type VendorCommandDeps } from './vendors-command.ts';

export const CASE_OPEN_SCHEMA = 'absolve.case-open/v1';

export type CasesCommandDeps = VendorCommandDeps & Pick<CliDeps, 'stderr'>;

function caseId(value: string): number {
  const n = Number(value.replace(/^#/, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('a case id is a whole number (see `absolve cases list`)');
  return n;
}

function isoTime(value: string, name: string): string {
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new AbsolveError('USAGE', `${name} takes an ISO 8601 time such as 2026-12-31T12:00:00Z (got '${printable(value)}')`);
  return t.toISOString();
}

function caseRows(cases: readonly CaseRecord[]): string[][] {
  return cases.map((c) => [
    `#${c.id}`,
    c.kind,
    c.vendor,
    `${c.release.product}@${c.release.version}`,
    c.state,
    c.dueAt === null ? '-' : c.dueAt.slice(0, 10),
    c.reference ?? '-',
    c.kind === 'false-positive' ? `${c.path ?? c.subject.slice(0, 12)} (${c.detections.map((d) => d.engine).join(', ')})` : c.summary,
  ].map(printable));
}

const CASE_HEADERS = ['CASE', 'KIND', 'VENDOR', 'RELEASE', 'STATE', 'DUE', 'REFERENCE', 'WHAT'];

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

export function registerCasesCommand(program: Command, deps: CasesCommandDeps): void {
  const cases = program.command('cases').description('False-positive cases: one per vendor, file and release, tracked from submission to the answer.');

  cases
    .command('open')
    .description("Open a case for every detection in the release's newest scan (OEM engines under their upstream vendor); resolve cases whose detection is gone. Running it again opens nothing twice.")
    .requiredOption('--release <product@version>', 'the release whose detections to open cases for')
    .addOption(new Option('--config <file>', 'configuration with vendor overrides (default: ./absolve.config.json when present)'))
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (flags: { release: string; config?: string; db?: string; format: 'table' | 'json' }) => {
      const release = parseReleaseRef(flags.release);
      const { directory } = await loadDirectory(deps, flags.config);
      await withStore(deps, flags.db, false, async (opened) => {
        const result = await openCasesForRelease({ cases: opened.cases, scans: opened.scans, directory, now: deps.now }, release);
        if (flags.format === 'json') return writeJSON(deps, { schema: CASE_OPEN_SCHEMA, ...result });
        const lines = [
          `${release.product}@${release.version}, scan ${result.scanId}: ${result.opened.length} case(s) opened, ${result.existing.length} already open, ${result.resolved.length} resolved (detection gone).`,
        ];
        deps.stdout.write(`${printable(lines.join('\n'))}\n`);
        const shown = [...result.opened, ...result.resolved];
        if (shown.length > 0) deps.stdout.write(`\n${fitColumns(deps.stdout, CASE_HEADERS, caseRows(shown))}`);
      });
    });

  cases
    .command('list')
    .description('Cases, oldest first.')
    .option('--release <product@version>', 'only this release')
    .option('--vendor <engine>', 'only this vendor (directory engine name)')
    .addOption(new Option('--state <state>', 'only this state').choices([...CASE_STATES]))
    .addOption(new Option('--kind <kind>', 'only this kind').choices([...CASE_KINDS]))
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (flags: { release?: string; vendor?: string; state?: CaseState; kind?: CaseKind; db?: string; format: 'table' | 'json' }) => {
      await withStore(deps, flags.db, false, async (opened) => {
        const list = await opened.cases.listCases({
          ...(flags.release === undefined ? {} : { release: parseReleaseRef(flags.release) }),
          ...(flags.vendor === undefined ? {} : { vendor: flags.vendor }),
          ...(flags.state === undefined ? {} : { state: flags.state }),
          ...(flags.kind === undefined ? {} : { kind: flags.kind }),
        });
        if (flags.format === 'json') return writeJSON(deps, { schema: CASE_LIST_SCHEMA, cases: list });
        if (list.length === 0) return void deps.stdout.write(`No cases in ${opened.location}.\n`);
        deps.stdout.write(fitColumns(deps.stdout, CASE_HEADERS, caseRows(list)));
      });
    });

  cases
    .command('show')
    .description('One case: what it covers, its history and the emails sent for it.')
    .argument('<id>', 'case id', caseId)
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (id: number, flags: { db?: string; format: 'table' | 'json' }) => {
      await withStore(deps, flags.db, false, async (opened) => {
        const c = await opened.cases.getCase(id);
        if (c === undefined) throw new CaseError('CASE_NOT_FOUND', `no case ${id} in ${opened.location} (see 'absolve cases list')`);
        const events = await opened.cases.events(id);
        const submissions = await opened.cases.submissions(id);
        if (flags.format === 'json') return writeJSON(deps, { schema: CASE_SCHEMA, case: c, events, submissions });
        const lines = [
          `Case #${c.id}: ${c.kind} with ${c.vendor}, ${c.release.product}@${c.release.version}`,
          `State ${c.state}; opened ${c.openedAt}${c.submittedAt === null ? '' : `, submitted ${c.submittedAt}`}${c.dueAt === null ? '' : `, answer due ${c.dueAt}`}${c.closedAt === null ? '' : `, closed ${c.closedAt}`}`,
          ...(c.reference === null ? [] : [`Vendor reference: ${c.reference}`]),
          `${c.kind === 'false-positive' ? 'File' : c.kind === 'allowlist' ? 'Release content' : 'Certificate'} ${c.subject}${c.path === null ? '' : ` (${c.path})`}`,
          c.summary,
          ...(c.detections.length === 0 ? [] : ['', 'Detections:', ...c.detections.map((d) => `  ${d.engine}: ${d.result ?? d.category}${d.reading === null ? '' : ` [${d.reading.generic ? 'generic ' : ''}${d.reading.kind}]`} at ${d.scannedAt} (scan ${d.scanId})`)]),
          '',
          'History:',
          ...events.map((e) => `  ${e.at}  ${e.kind}${e.fromState === null && e.toState === null ? '' : ` ${e.fromState ?? ''}${e.fromState === null ? '' : ' → '}${e.toState ?? ''}`}${e.note === null ? '' : `  ${e.note}`}`),
          ...(submissions.length === 0 ? [] : ['', 'Emails:', ...submissions.map((s) => `  ${s.messageId} to ${s.channel}: ${s.state === 'sent' ? `sent ${s.sentAt ?? ''}` : 'sending was interrupted (check your sent mail)'}`)]),
        ];
        deps.stdout.write(`${lines.map(printable).join('\n')}\n`);
      });
    });

  cases
    .command('update')
    .description('Record what happened: a new state, the vendor reference, a note, another due date.')
    .argument('<id>', 'case id', caseId)
    .addOption(new Option('--state <state>', 'new state').choices([...CASE_STATES]))
    .option('--reference <text>', "the vendor's ticket or reference number")
    .option('--note <text>', 'a note for the history')
    .option('--due <time>', 'when an answer is due (ISO 8601); default on submission: 7 days later (submission.dueDays)')
    .addOption(new Option('--config <file>', 'configuration (submission.dueDays)'))
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (id: number, flags: { state?: CaseState; reference?: string; note?: string; due?: string; config?: string; db?: string; format: 'table' | 'json' }) => {
      if (flags.state === undefined && flags.reference === undefined && flags.note === undefined && flags.due === undefined) {
        throw new AbsolveError('USAGE', 'cases update needs at least one of --state, --reference, --note, --due');
      }
      const { settings } = await loadDirectory(deps, flags.config);
      await withStore(deps, flags.db, false, async (opened) => {
        const current = await opened.cases.getCase(id);
        if (current === undefined) throw new CaseError('CASE_NOT_FOUND', `no case ${id} in ${opened.location} (see 'absolve cases list')`);
        const at = deps.now().toISOString();
        const change: CaseChange = { at };
        if (flags.state !== undefined) change.state = flags.state;
        if (flags.reference !== undefined) change.reference = flags.reference;
        if (flags.note !== undefined) change.note = flags.note;
        if (flags.due !== undefined) change.dueAt = isoTime(flags.due, '--due');
        else if (flags.state === 'submitted' && current.state !== 'submitted') change.dueAt = addDays(at, settings.submission.dueDays);
        const updated = await opened.cases.updateCase(id, change, current.state);
        if (flags.format === 'json') return writeJSON(deps, { schema: CASE_SCHEMA, case: updated, events: await opened.cases.events(id), submissions: await opened.cases.submissions(id) });
        deps.stdout.write(`${printable(`Case #${id}: ${updated.state}${updated.dueAt === null ? '' : `, answer due ${updated.dueAt}`}${updated.reference === null ? '' : `, reference ${updated.reference}`}`)}\n`);
      });
    });

  cases
    .command('due')
    .description('Submitted or acknowledged cases whose answer is due (a follow-up is worth sending).')
    .option('--at <time>', 'judge against this time instead of now (ISO 8601)')
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (flags: { at?: string; db?: string; format: 'table' | 'json' }) => {
      const at = flags.at === undefined ? deps.now().toISOString() : isoTime(flags.at, '--at');
      await withStore(deps, flags.db, false, async (opened) => {
        const list = (await opened.cases.listCases({})).filter((c) => (c.state === 'submitted' || c.state === 'acknowledged') && c.dueAt !== null && c.dueAt <= at);
        if (flags.format === 'json') return writeJSON(deps, { schema: CASE_LIST_SCHEMA, at, cases: list });
        if (list.length === 0) return void deps.stdout.write(`No case is due at ${at}.\n`);
        deps.stdout.write(fitColumns(deps.stdout, CASE_HEADERS, caseRows(list)));
      });
    });
}

/** The `release add` hook: drafts the release-driven cases (allowlist, certificate-change) with the directory from ./absolve.config.json. */
export function releaseDraftHook(
  deps: Pick<VendorCommandDeps, 'loadCaseSettings' | 'now'>,
): (opened: OpenedStore, key: ReleaseKey) => Promise<Array<Pick<CaseRecord, 'id' | 'kind' | 'vendor' | 'subject' | 'summary'>>> {
  return async (opened, key) => {
    const { directory } = await loadDirectory(deps, undefined);
    const drafted = await draftCasesForRelease(
      { cases: opened.cases, directory, now: deps.now, listReleases: (product) => opened.store.listReleases(product), getRelease: (k) => opened.store.getRelease(k) },
      key,
    );
    // What `release add` reports: no timestamps, so its JSON stays the same on every store (`cases show` has the rest).
    return drafted.map((c) => ({ id: c.id, kind: c.kind, vendor: c.vendor, subject: c.subject, summary: c.summary }));
  };
}
