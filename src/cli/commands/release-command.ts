/**
 * `absolve release add|list|show|diff`: record audited releases and compare them.
 *
 *   release add <product> <version> <paths...>  audit the files (as `absolve audit` does) and record them
 *   release list [product]                      recorded releases, in recording order
 *   release show <product> <version>            a recorded release: every file's stored audit report
 *   release diff <product> <from> <to>          files added/removed/changed, newly unsigned/invalid, signer changes
 *
 * Every command takes `--db URL` (sqlite:PATH, postgres://…, pglite:PATH; default ABSOLVE_DB or
 * ./.absolve/absolve.db) and `--format table|json`. Errors are AbsolveErrors (exit 2).
 */
import { basename, relative, sep } from 'node:path';
import { Option, type Command } from 'commander';
import { AUDIT_SCHEMA, type ArtifactReport, type AuditReport, type AuditSummary } from '../../core/audit.types.ts';
import { summarizeAudit } from '../../core/audit-summary.ts';
import { matchesGlob } from '../../core/lint/index.ts';
import { AbsolveError, ExitCode } from '../../core/errors.ts';
import { diffReleases, type ReleaseDiff, type SignerChange } from '../../core/releases/diff-releases.ts';
import { ReleaseError } from '../../core/releases/errors.ts';
import type { BlobSource, OpenedStore } from '../../core/releases/ports.ts';
import { DEFAULT_CHANNEL, recordRelease, validateReleaseKey, type RecordReleaseResult } from '../../core/releases/record-release.ts';
import type { ReleaseDetail, ReleaseFinding, ReleaseHeader, SignerRef } from '../../core/releases/release.types.ts';
import type { CliDeps } from '../program.ts';
import { requireRelease } from '../../core/scans/release-roots.ts';
import { escapeForDisplay } from '../../binary/index.ts';
import { printableLines } from '../printable.ts';
import { addAuditOptions, auditExitCode, auditWithProgress, resolveAuditSetup, type AuditOptionFlags } from '../audit-options.ts';
import { countsText, renderAuditTable, wrap, wrapHanging } from '../render-audit.ts';
import { renderAuditJUnit } from '../render-junit.ts';
import { renderAuditMarkdown } from '../render-markdown.ts';
import { renderAuditSARIF } from '../render-sarif.ts';
import { terminalWidth } from '../terminal.ts';

export const RELEASE_ADD_SCHEMA = 'absolve.release-add/v1';
export const RELEASE_LIST_SCHEMA = 'absolve.release-list/v1';
export const RELEASE_SHOW_SCHEMA = 'absolve.release/v1';
export const RELEASE_REMOVE_SCHEMA = 'absolve.release-remove/v1';

/**
 * What the release, certs and data commands need: the CLI's dependencies, with an audit that already
 * applies the container limits and lint rules `release add` uses.
 */
export type ReleaseCommandDeps = Pick<CliDeps, 'version' | 'walkInputs' | 'loadTrustAnchors' | 'loadLintConfig' | 'auditFiles' | 'defaultJobs' | 'openStore' | 'now' | 'stdout' | 'stderr'> & {
  /** The process exit code of a command that succeeded but found problems (`release add` like `audit`, `release diff --fail-on`). */
  setExitCode(code: number): void;
  /** Runs after a release is recorded (created or replaced): drafts its release-driven cases and returns them. */
  onReleaseRecorded?(opened: OpenedStore, key: { product: string; version: string }): Promise<Array<{ id: number; kind: string; vendor: string }>>;
};

export type OutputFormat = 'table' | 'json';

// ------------------------------------------------------------------ shared helpers (certs and data commands use them too)

export function formatOption(): Option {
  return new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table');
}

export function dbOption(): Option {
  return new Option('--db <url>', 'store: sqlite:PATH, postgres://user@host/db or pglite:PATH (default: $ABSOLVE_DB, else sqlite:.absolve/absolve.db)');
}

/** Opens the store, runs `fn`, always closes it (a PostgreSQL pool left open would keep the process alive). */
export async function withStore<T>(deps: Pick<ReleaseCommandDeps, 'openStore'>, url: string | undefined, create: boolean, fn: (opened: OpenedStore) => Promise<T>, createFolders = false): Promise<T> {
  const opened = await deps.openStore(url, { create, createFolders });
  try {
    return await fn(opened);
  } finally {
    await opened.store.close();
  }
}

export function writeJSON(deps: Pick<ReleaseCommandDeps, 'stdout'>, value: unknown): void {
  deps.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Left-aligned columns, two spaces apart, header first. When that is wider than `width`, each row becomes a
 * block instead: its first cell as a heading, then one `header  value` line per other cell (long values wrapped),
 * so no line is longer than the terminal.
 */
/** `--create`: the commands that may create a store may also create its folder. */
export function createFoldersOption(): Option {
  return new Option('--create', "create the store's folder when it does not exist (a new store in an existing folder needs no flag)").default(false);
}

/** `renderColumns` fitted to the terminal the output goes to (COLUMNS, else its width, else 80). */
export function fitColumns(out: { columns?: number; isTTY?: boolean }, headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return renderColumns(headers, rows, terminalWidth(out));
}

export function renderColumns(headers: readonly string[], rawRows: ReadonlyArray<readonly string[]>, width = Number.POSITIVE_INFINITY): string {
  // Cells hold names from files and certificates: escaped before they are measured and printed.
  const rows = rawRows.map((r) => r.map((cell) => escapeForDisplay(cell)));
  // A loop, not Math.max(...rows): spreading many rows overflows the call stack.
  const widths = headers.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), h.length));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const total = widths.reduce((sum, w) => sum + w, 0) + 2 * (headers.length - 1);
  if (total <= width) return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
  const label = Math.max(...headers.slice(1).map((h) => h.length));
  const blocks = rows.map((r) => {
    const heading = wrap(`${headers[0] ?? ''} ${r[0] ?? ''}`, width, '');
    const fields = headers.slice(1).flatMap((h, i) => {
      const head = `  ${h.padEnd(label)}  `;
      const body = wrapHanging(r[i + 1] ?? '', width, ' '.repeat(head.length));
      return [`${head}${body[0] ?? ''}`.trimEnd(), ...body.slice(1)];
    });
    return [...heading, ...fields].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

export function commonName(dn: string): string {
  const m = /(?:^|,)CN=((?:\\.|[^,])*)/.exec(dn);
  return (m?.[1] ?? dn).replace(/\\(.)/g, '$1');
}

export function describeSigner(s: SignerRef): string {
  return `${s.subject} (SHA-1 ${s.thumbprintSha1}, SHA-256 ${s.thumbprintSha256})`;
}

function summaryLine(s: AuditSummary): string {
  return `${countsText(s)} ${s.policyMet ? 'Policy met.' : `Policy violated by ${s.violations} file(s).`}`;
}

function findingLines(findings: readonly ReleaseFinding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.id}: ${f.message}`);
}

function loadRelease(opened: OpenedStore, product: string, version: string): Promise<ReleaseDetail> {
  return requireRelease(opened, { product, version });
}

// ------------------------------------------------------------------ release add: paths

function toReleasePath(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/**
 * Walks each input on its own so every file gets its *release path*: relative to the folder
 * given, or the file's name for a file given directly. Two files on one release path are refused
 * by recordRelease.
 */
type ReleaseFile = Awaited<ReturnType<ReleaseCommandDeps['walkInputs']>>[number] & { releasePath: string };

async function walkRelease(deps: ReleaseCommandDeps, inputs: readonly string[], exclude: readonly string[]): Promise<ReleaseFile[]> {
  const out: ReleaseFile[] = [];
  for (const input of inputs) {
    // The walk skips Absolve's own `.absolve` folder (the store may live inside the release folder). --exclude
    // patterns match the path as given or the path inside the release.
    const files = await deps.walkInputs([input]);
    const single = files.length === 1 && files[0]?.displayPath === input;
    for (const f of files) {
      const releasePath = single ? basename(input) : toReleasePath(relative(input, f.displayPath));
      if (exclude.some((pattern) => matchesGlob(f.displayPath, pattern) || matchesGlob(releasePath, pattern))) continue;
      out.push({ ...f, releasePath });
    }
  }
  return out;
}

/**
 * Rewrites report paths (`dist/setup.msi!/app.exe`) to release paths (`setup.msi!/app.exe`), in
 * finding messages too (container findings name members by their full path), so a stored report
 * never depends on where the release folder was on the recording machine.
 */
function withReleasePaths(reports: readonly ArtifactReport[], releasePathOf: ReadonlyMap<string, string>): ArtifactReport[] {
  return reports.map((r) => {
    const cut = r.path.indexOf('!/');
    const outer = cut < 0 ? r.path : r.path.slice(0, cut);
    const mapped = releasePathOf.get(outer);
    if (mapped === undefined) throw new AbsolveError('INTERNAL', `the audit returned '${r.path}', which is not under any input`);
    // Messages name member paths (`outer!/member`) and containers (`… the signed container outer`): both map.
    const findings = outer === mapped ? r.findings : r.findings.map((f) => ({ ...f, message: f.message.split(outer).join(mapped) }));
    return { ...r, path: cut < 0 ? mapped : `${mapped}${r.path.slice(cut)}`, findings };
  });
}

// ------------------------------------------------------------------ commands

interface AddFlags extends AuditOptionFlags {
  channel: string;
  notes?: string;
  db?: string;
  replace: boolean;
  format: OutputFormat;
  create: boolean;
}

interface StoreFlags {
  db?: string;
  format: OutputFormat;
}

export function registerReleaseCommand(program: Command, deps: ReleaseCommandDeps): Command {
  const release = program.command('release').description('Record audited releases of a product and compare them (history in SQLite or PostgreSQL).');

  const add = release
    .command('add')
    .description('Audit the files of a release (as `absolve audit` does, same options) and record them; exits as `audit` does. The same command again changes nothing.')
    .argument('<product>', 'product name, e.g. "Contoso App"')
    .argument('<version>', 'version string as you publish it')
    .argument('<paths...>', 'release folders or files (paths inside the release are relative to each folder)')
    .option('--channel <name>', 'release channel', DEFAULT_CHANNEL)
    .option('--notes <text>', 'free-form notes stored with the release')
    .option('--replace', 'overwrite a recorded release of this version whose files differ', false)
    .addOption(dbOption())
    .addOption(createFoldersOption())
    .addOption(formatOption());
  addAuditOptions(add);
  add.action(async (product: string, version: string, paths: string[], flags: AddFlags) => {
    deps.setExitCode(await runAdd(deps, product, version, paths, flags));
  });

  release
    .command('list')
    .description('Recorded releases in recording order, of one product or all.')
    .argument('[product]', 'only this product')
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (product: string | undefined, flags: StoreFlags) => {
      await withStore(deps, flags.db, false, async (opened) => {
        const releases = await opened.store.listReleases(product);
        if (product !== undefined && releases.length === 0 && !(await opened.store.hasProduct(product))) {
          throw new ReleaseError('PRODUCT_NOT_FOUND', `no product '${product}' in ${opened.location}`);
        }
        if (flags.format === 'json') {
          writeJSON(deps, { schema: RELEASE_LIST_SCHEMA, product: product ?? null, releases });
          return;
        }
        if (releases.length === 0) {
          deps.stdout.write(`No releases recorded in ${opened.location}.\n`);
          return;
        }
        deps.stdout.write(
          renderColumns(
            ['PRODUCT', 'VERSION', 'CHANNEL', 'RECORDED', 'FILES', 'PE', 'VALID', 'UNTRUSTED', 'UNSIGNED', 'INVALID', 'POLICY'],
            releases.map((r) => [
              r.product,
              r.version,
              r.channel,
              r.createdAt.replace('T', ' ').slice(0, 19),
              String(r.files),
              String(r.summary.pe),
              String(r.summary.valid),
              String(r.summary.untrusted),
              String(r.summary.unsigned),
              String(r.summary.invalid + r.summary.malformed),
              r.summary.policyMet ? 'met' : `${r.summary.violations} violation(s)`,
            ]),
            terminalWidth(deps.stdout),
          ),
        );
      });
    });

  release
    .command('show')
    .description("A recorded release: every file's audit report as recorded, and the release's findings.")
    .argument('<product>')
    .argument('<version>')
    .addOption(dbOption())
    .addOption(new Option('-f, --format <format>', 'output format (sarif, junit, markdown: as `absolve audit` writes them)').choices(['table', 'json', 'sarif', 'junit', 'markdown']).default('table'))
    .option('--no-color', 'no colours in the table')
    .option('--all', 'table: list every file, not only PEs, packages and files with findings')
    .action(async (product: string, version: string, flags: Omit<StoreFlags, 'format'> & { format: 'table' | 'json' | 'sarif' | 'junit' | 'markdown'; color?: boolean; all?: boolean }) => {
      await withStore(deps, flags.db, false, async (opened) => {
        const detail = await loadRelease(opened, product, version);
        if (flags.format === 'json') {
          writeJSON(deps, { schema: RELEASE_SHOW_SCHEMA, release: detail.header, findings: detail.findings, artifacts: detail.artifacts });
          return;
        }
        const h = detail.header;
        const report: AuditReport = {
          schema: AUDIT_SCHEMA,
          tool: { name: 'absolve', version: h.toolVersion },
          generatedAt: h.createdAt,
          verifiedAt: h.verifiedAt,
          inputs: [],
          artifacts: detail.artifacts,
          summary: h.summary,
        };
        if (flags.format === 'sarif') return void deps.stdout.write(renderAuditSARIF(report));
        if (flags.format === 'junit') return void deps.stdout.write(renderAuditJUnit(report));
        if (flags.format === 'markdown') return void deps.stdout.write(renderAuditMarkdown(report));
        const width = terminalWidth(deps.stdout);
        const lines = [
          `${h.product} ${h.version} (channel ${h.channel}), recorded ${h.createdAt}, signatures judged at ${h.verifiedAt}, Absolve ${h.toolVersion}`,
          ...(h.notes === null ? [] : [`Notes: ${h.notes}`]),
          `Content SHA-256 ${h.contentSha256}`,
        ].flatMap((l) => wrap(l, width, ''));
        const useColor = flags.color !== false && deps.stdout.isTTY && process.env.NO_COLOR === undefined;
        deps.stdout.write(`${lines.join('\n')}\n\n${renderAuditTable(report, { color: useColor, width, all: flags.all === true })}`);
        if (detail.findings.length > 0) deps.stdout.write(printableLines(`\nRelease findings:\n${findingLines(detail.findings).flatMap((l) => wrapHanging(l, width, '  ')).join('\n')}\n`));
      });
    });

  release
    .command('remove')
    .description('Remove a recorded release (its files stay stored while another release uses them; `absolve gc` deletes unused copies).')
    .argument('<product>')
    .argument('<version>')
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (product: string, version: string, flags: StoreFlags) => {
      await withStore(deps, flags.db, false, async (opened) => {
        await loadRelease(opened, product, version); // PRODUCT_NOT_FOUND / RELEASE_NOT_FOUND
        await opened.store.removeRelease({ product, version });
        if (flags.format === 'json') writeJSON(deps, { schema: RELEASE_REMOVE_SCHEMA, product, version, removed: true });
        else deps.stdout.write(`Removed ${product} ${version} from ${opened.location}.\n`);
      });
    });

  release
    .command('diff')
    .description('What changed between two releases (by default: the given one and the one recorded before it): files added, removed and changed, newly unsigned or invalid files, and every signer change.')
    .argument('<product>')
    .argument('<version>', 'the newer version; with two versions, the older one')
    .argument('[to]', 'the newer version, when <version> is the older one')
    .addOption(new Option('--fail-on <what>', 'exit 1 on a regression: a file newly unsigned or invalid, or a signer not used by the older release').choices(['regression', 'none']).default('none'))
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (product: string, version: string, to: string | undefined, flags: StoreFlags & { failOn: 'regression' | 'none' }) => {
      await withStore(deps, flags.db, false, async (opened) => {
        const newer = to ?? version;
        const older = to === undefined ? await previousVersion(opened, product, version) : version;
        const diff = diffReleases(await loadRelease(opened, product, older), await loadRelease(opened, product, newer));
        if (flags.format === 'json') writeJSON(deps, diff);
        else deps.stdout.write(printableLines(renderDiffTable(diff)));
        if (flags.failOn === 'regression' && isRegression(diff)) deps.setExitCode(ExitCode.policyViolation);
      });
    });

  return release;
}

/** A regression for `release diff --fail-on regression`: files newly unsigned or invalid, or a signer the older release did not use. */
export function isRegression(diff: ReleaseDiff): boolean {
  return diff.newlyUnsigned.length > 0 || diff.newlyInvalid.length > 0 || diff.signers.added.length > 0;
}

/** The version recorded just before `version` (release order: recording time). */
async function previousVersion(opened: OpenedStore, product: string, version: string): Promise<string> {
  const releases = await opened.store.listReleases(product);
  const index = releases.findIndex((r) => r.version === version);
  if (index < 0) await loadRelease(opened, product, version); // throws PRODUCT_NOT_FOUND / RELEASE_NOT_FOUND
  const previous = releases[index - 1];
  if (previous === undefined) throw new ReleaseError('RELEASE_NOT_FOUND', `${product} ${version} is its first recorded release: there is nothing before it to compare with (give two versions)`);
  return previous.version;
}

async function runAdd(deps: ReleaseCommandDeps, product: string, version: string, paths: string[], flags: AddFlags): Promise<number> {
  validateReleaseKey(product, version);
  const setup = await resolveAuditSetup(deps, flags);
  const at = setup.at;
  const walked = await walkRelease(deps, paths, setup.exclude);
  // An entry that cannot be read has no bytes to record: one that may hold code (a dangling link named .exe)
  // stops the recording, the others (a link to a folder, a FIFO named .txt) are left out as before.
  const unreadable = walked.filter((f) => f.problem?.severity === 'error');
  if (unreadable.length > 0) throw new ReleaseError('RELEASE_INVALID', `cannot record ${unreadable.map((f) => `'${f.releasePath}' (${f.problem?.id ?? ''}: ${f.problem?.message ?? ''})`).join(', ')}: fix or remove it`);
  const files = walked.filter((f) => f.problem === undefined);
  if (files.length === 0) throw new ReleaseError('RELEASE_INVALID', `no files in ${paths.join(', ')}`);

  // Open (and migrate) the store before the audit: a wrong --db fails in a second, not after minutes of hashing.
  return withStore(
    deps,
    flags.db,
    true,
    async (opened) => {
    const reports = await auditWithProgress(deps, files, setup, flags.progress);
    const artifacts = withReleasePaths(reports, new Map(files.map((f) => [f.displayPath, f.releasePath])));
    const byRelease = new Map(files.map((f) => [f.releasePath, f.fsPath]));
    // Top-level files have their bytes on disk. Container members: no bytes yet (the audit keeps them in memory);
    // when it hands them over, add `{ kind: 'bytes' }` sources here.
    const blobSources: Array<{ sha256: string; source: BlobSource }> = [];
    for (const a of artifacts) {
      const fsPath = byRelease.get(a.path);
      if (fsPath !== undefined && a.error?.code !== 'IO_ERROR' && a.sha256 !== '') blobSources.push({ sha256: a.sha256, source: { kind: 'file', path: fsPath } });
    }
    const result = await recordRelease(opened.store, opened.blobs, {
      product,
      version,
      channel: flags.channel,
      notes: flags.notes ?? null,
      createdAt: deps.now(),
      verifiedAt: at,
      toolVersion: deps.version,
      artifacts,
      blobSources,
      replace: flags.replace,
    });
    // Release-driven cases (per-release allowlisting, certificate-change notices): drafted by the use case deps.onRecorded runs.
    const drafted = result.outcome === 'unchanged' || deps.onReleaseRecorded === undefined ? [] : await deps.onReleaseRecorded(opened, { product, version });
    if (flags.format === 'json') {
      writeJSON(deps, { schema: RELEASE_ADD_SCHEMA, outcome: result.outcome, configFile: setup.configFile, release: result.header, findings: result.findings, blobs: result.blobs, draftedCases: drafted });
    } else {
      deps.stdout.write(printableLines(renderAddTable(result, opened.location, setup.configFile, terminalWidth(deps.stdout))));
      // One line per drafted case, so the output stays within a narrow terminal.
      if (drafted.length > 0) deps.stdout.write(printableLines(`${drafted.map((c) => `Drafted case #${c.id}: ${c.kind} ${c.vendor}`).join('\n')}\nSee 'absolve cases list'.\n`));
    }
    // Recorded either way; the exit code then says what `absolve audit` would say about these files.
    return auditExitCode(artifacts, summarizeAudit(artifacts, setup.policy), setup.failOn);
    },
    flags.create,
  );
}

function renderAddTable(result: RecordReleaseResult, location: string, configFile: string | null, width: number): string {
  const h: ReleaseHeader = result.header;
  const name = `${h.product} ${h.version}`;
  const lines = [
    result.outcome === 'unchanged'
      ? `Unchanged: ${name} is already recorded with these files (recorded ${h.createdAt}) in ${location}.`
      : `${result.outcome === 'created' ? 'Recorded' : 'Replaced'} ${name} (channel ${h.channel}) in ${location}.`,
    summaryLine(h.summary),
    `Blobs: ${result.blobs.stored} stored, ${result.blobs.present} already present.`,
    `Configuration: ${configFile ?? 'defaults (no absolve.config.json)'}.`,
  ];
  if (result.findings.length > 0) lines.push('', ...findingLines(result.findings));
  return `${lines.flatMap((l) => (l === '' ? [l] : wrapHanging(l, width, '  '))).join('\n')}\n`;
}

function signerList(signers: readonly SignerRef[]): string {
  return signers.length === 0 ? 'no signer' : signers.map(describeSigner).join(' + nested ');
}

export function renderDiffTable(diff: ReleaseDiff): string {
  const s = diff.summary;
  const lines = [
    `${diff.product} ${diff.from} → ${diff.to}: ${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.unchanged} unchanged; ${s.newlyUnsigned} newly unsigned, ${s.newlyInvalid} newly invalid, ${s.signerChanges} signer change(s)`,
  ];
  const section = (title: string, entries: string[]): void => {
    if (entries.length > 0) lines.push('', `${title}:`, ...entries);
  };
  const status = (x: string | null): string => x ?? 'not signable';
  section('Added', diff.added.map((f) => `  + ${f.path}  (${status(f.status)}${f.signer === null ? '' : `, ${commonName(f.signer.subject)}`})`));
  section('Removed', diff.removed.map((f) => `  - ${f.path}`));
  section('Changed', diff.changed.map((c) => `  ~ ${c.path}  ${c.from.sha256.slice(0, 12)} → ${c.to.sha256.slice(0, 12)}  (${c.from.size} → ${c.to.size} bytes)`));
  section('Newly unsigned', diff.newlyUnsigned.map((c) => `  ! ${c.path}  (${status(c.from)} → ${status(c.to)})`));
  section('Newly invalid', diff.newlyInvalid.map((c) => `  ! ${c.path}  (${status(c.from)} → ${status(c.to)})`));
  section('Other signature status changes', diff.otherStatusChanges.map((c) => `  ${c.path}  (${status(c.from)} → ${status(c.to)})`));
  section(
    'Signer changes',
    diff.signerChanges.flatMap((c: SignerChange) => [`  ${c.path}${c.container === null ? '' : `  (in ${c.container})`}`, `    was ${signerList(c.from)}`, `    now ${signerList(c.to)}`]),
  );
  section('Certificates new in this release', diff.signers.added.map((x) => `  + ${describeSigner(x)}`));
  section('Certificates no longer used', diff.signers.removed.map((x) => `  - ${describeSigner(x)}`));
  return `${lines.join('\n')}\n`;
}
