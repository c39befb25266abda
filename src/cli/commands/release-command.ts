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
import { InvalidArgumentError, Option, type Command } from 'commander';
import { AUDIT_SCHEMA, type ArtifactReport, type AuditReport, type AuditSummary, type HashAlgorithm } from '../../core/audit.types.ts';
import { AbsolveError } from '../../core/errors.ts';
import { DEFAULT_AUDIT_LIMITS, type AuditLimits } from '../../core/limits.ts';
import { diffReleases, type ReleaseDiff, type SignerChange } from '../../core/releases/diff-releases.ts';
import { ReleaseError } from '../../core/releases/errors.ts';
import type { BlobSource, OpenedStore } from '../../core/releases/ports.ts';
import { DEFAULT_CHANNEL, recordRelease, validateReleaseKey, type RecordReleaseResult } from '../../core/releases/record-release.ts';
import type { ReleaseDetail, ReleaseFinding, ReleaseHeader, SignerRef } from '../../core/releases/release.types.ts';
import type { CliDeps } from '../program.ts';
import { createProgress } from '../progress.ts';
import { renderAuditTable } from '../render-audit.ts';

export const RELEASE_ADD_SCHEMA = 'absolve.release-add/v1';
export const RELEASE_LIST_SCHEMA = 'absolve.release-list/v1';
export const RELEASE_SHOW_SCHEMA = 'absolve.release/v1';

/**
 * What the release, certs and data commands need: the CLI's dependencies, with an audit that already
 * applies the container limits and lint rules `release add` uses.
 */
export type ReleaseCommandDeps = Pick<CliDeps, 'version' | 'walkInputs' | 'loadTrustAnchors' | 'defaultJobs' | 'openStore' | 'now' | 'stdout' | 'stderr'> & {
  /** The same audit `absolve audit` runs; container members come back as `outer!/member` reports after their container. */
  auditFiles(
    files: ReadonlyArray<{ displayPath: string; fsPath: string }>,
    options: { jobs: number; hashes: readonly HashAlgorithm[]; trustAnchors: readonly Uint8Array[]; at: Date; limits: AuditLimits; onResult?: () => void },
  ): Promise<ArtifactReport[]>;
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
export async function withStore<T>(deps: Pick<ReleaseCommandDeps, 'openStore'>, url: string | undefined, create: boolean, fn: (opened: OpenedStore) => Promise<T>): Promise<T> {
  const opened = await deps.openStore(url, { create });
  try {
    return await fn(opened);
  } finally {
    await opened.store.close();
  }
}

export function writeJSON(deps: Pick<ReleaseCommandDeps, 'stdout'>, value: unknown): void {
  deps.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Left-aligned columns, two spaces apart, header first. */
export function renderColumns(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

export function commonName(dn: string): string {
  const m = /(?:^|,)CN=((?:\\.|[^,])*)/.exec(dn);
  return (m?.[1] ?? dn).replace(/\\(.)/g, '$1');
}

export function describeSigner(s: SignerRef): string {
  return `${s.subject} (SHA-1 ${s.thumbprintSha1}, SHA-256 ${s.thumbprintSha256})`;
}

function summaryLine(s: AuditSummary): string {
  return `${s.files} files, ${s.pe} PE: ${s.valid} valid, ${s.invalid} invalid, ${s.untrusted} untrusted, ${s.unsigned} unsigned, ${s.malformed} malformed; ${s.errors} with errors`;
}

function findingLines(findings: readonly ReleaseFinding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.id}: ${f.message}`);
}

async function loadRelease(opened: OpenedStore, product: string, version: string): Promise<ReleaseDetail> {
  const detail = await opened.store.getRelease({ product, version });
  if (detail !== undefined) return detail;
  if (!(await opened.store.hasProduct(product))) throw new ReleaseError('PRODUCT_NOT_FOUND', `no product '${product}' in ${opened.location}`);
  throw new ReleaseError('RELEASE_NOT_FOUND', `${product} has no release '${version}' in ${opened.location} (see 'absolve release list ${product}')`);
}

// ------------------------------------------------------------------ release add: paths

/** A folder named like this holds Absolve's own data (the default store and blobs); walking a release folder skips it. */
const DATA_FOLDER = '.absolve';

function toReleasePath(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/**
 * Walks each input on its own so every file gets its *release path*: relative to the folder
 * given, or the file's name for a file given directly. Two files on one release path are refused
 * by recordRelease.
 */
async function walkRelease(deps: ReleaseCommandDeps, inputs: readonly string[]): Promise<Array<{ displayPath: string; fsPath: string; releasePath: string }>> {
  const out: Array<{ displayPath: string; fsPath: string; releasePath: string }> = [];
  for (const input of inputs) {
    const files = await deps.walkInputs([input]);
    const single = files.length === 1 && files[0]?.displayPath === input;
    for (const f of files) {
      const releasePath = single ? basename(input) : toReleasePath(relative(input, f.displayPath));
      if (!single && releasePath.split('/').includes(DATA_FOLDER)) continue;
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
    const findings = outer === mapped ? r.findings : r.findings.map((f) => ({ ...f, message: f.message.split(`${outer}!/`).join(`${mapped}!/`) }));
    return { ...r, path: cut < 0 ? mapped : `${mapped}${r.path.slice(cut)}`, findings };
  });
}

// ------------------------------------------------------------------ commands

interface AddFlags {
  channel: string;
  notes?: string;
  db?: string;
  trust: string[];
  defaultTrust: boolean;
  at?: string;
  jobs?: number;
  replace: boolean;
  progress: boolean;
  format: OutputFormat;
}

interface StoreFlags {
  db?: string;
  format: OutputFormat;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${name} takes a whole number of 1 or more`);
    return n;
  };
}

export function registerReleaseCommand(program: Command, deps: ReleaseCommandDeps): Command {
  const release = program.command('release').description('Record audited releases of a product and compare them (history in SQLite or PostgreSQL).');

  release
    .command('add')
    .description('Audit the files of a release (as `absolve audit` does) and record them; the same command again changes nothing.')
    .argument('<product>', 'product name, e.g. "Contoso App"')
    .argument('<version>', 'version string as you publish it')
    .argument('<paths...>', 'release folders or files (paths inside the release are relative to each folder)')
    .option('--channel <name>', 'release channel', DEFAULT_CHANNEL)
    .option('--notes <text>', 'free-form notes stored with the release')
    .option('--replace', 'overwrite a recorded release of this version whose files differ', false)
    .addOption(dbOption())
    .option('--trust <path>', 'trust anchor certificate (PEM or DER file, or a folder of them); repeatable', collect, [])
    .option('--no-default-trust', "do not trust Node's bundled root certificates")
    .option('--at <time>', 'judge certificate validity at this ISO 8601 time instead of now')
    .option('-j, --jobs <n>', 'parallel workers (default: CPU count, max 8)', positiveInt('--jobs'))
    .option('--no-progress', 'never draw the progress bar')
    .addOption(formatOption())
    .action(async (product: string, version: string, paths: string[], flags: AddFlags) => {
      await runAdd(deps, product, version, paths, flags);
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
            ['PRODUCT', 'VERSION', 'CHANNEL', 'RECORDED', 'FILES', 'PE', 'VALID', 'UNSIGNED', 'INVALID', 'POLICY'],
            releases.map((r) => [
              r.product,
              r.version,
              r.channel,
              r.createdAt.replace('T', ' ').slice(0, 19),
              String(r.files),
              String(r.summary.pe),
              String(r.summary.valid),
              String(r.summary.unsigned),
              String(r.summary.invalid + r.summary.malformed),
              r.summary.policyMet ? 'met' : `${r.summary.violations} violation(s)`,
            ]),
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
    .addOption(formatOption())
    .option('--no-color', 'no colours in the table')
    .action(async (product: string, version: string, flags: StoreFlags & { color?: boolean }) => {
      await withStore(deps, flags.db, false, async (opened) => {
        const detail = await loadRelease(opened, product, version);
        if (flags.format === 'json') {
          writeJSON(deps, { schema: RELEASE_SHOW_SCHEMA, release: detail.header, findings: detail.findings, artifacts: detail.artifacts });
          return;
        }
        const h = detail.header;
        const lines = [
          `${h.product} ${h.version} (channel ${h.channel}), recorded ${h.createdAt}, signatures judged at ${h.verifiedAt}, Absolve ${h.toolVersion}`,
          ...(h.notes === null ? [] : [`Notes: ${h.notes}`]),
          `Content SHA-256 ${h.contentSha256}`,
          '',
        ];
        const report: AuditReport = {
          schema: AUDIT_SCHEMA,
          tool: { name: 'absolve', version: h.toolVersion },
          generatedAt: h.createdAt,
          verifiedAt: h.verifiedAt,
          inputs: [],
          artifacts: detail.artifacts,
          summary: h.summary,
        };
        const useColor = flags.color !== false && deps.stdout.isTTY && process.env.NO_COLOR === undefined;
        deps.stdout.write(`${lines.join('\n')}\n${renderAuditTable(report, useColor)}`);
        if (detail.findings.length > 0) deps.stdout.write(`\nRelease findings:\n${findingLines(detail.findings).join('\n')}\n`);
      });
    });

  release
    .command('diff')
    .description('What changed between two releases: files added, removed and changed, newly unsigned or invalid files, and every signer change.')
    .argument('<product>')
    .argument('<from>', 'the older version')
    .argument('<to>', 'the newer version')
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (product: string, from: string, to: string, flags: StoreFlags) => {
      await withStore(deps, flags.db, false, async (opened) => {
        const diff = diffReleases(await loadRelease(opened, product, from), await loadRelease(opened, product, to));
        if (flags.format === 'json') writeJSON(deps, diff);
        else deps.stdout.write(renderDiffTable(diff));
      });
    });

  return release;
}

async function runAdd(deps: ReleaseCommandDeps, product: string, version: string, paths: string[], flags: AddFlags): Promise<void> {
  validateReleaseKey(product, version);
  let at = deps.now();
  if (flags.at !== undefined) {
    at = new Date(flags.at);
    if (Number.isNaN(at.getTime())) throw new AbsolveError('USAGE', `--at takes an ISO 8601 time such as 2026-01-31T12:00:00Z (got '${flags.at}')`);
  }
  const trustAnchors = await deps.loadTrustAnchors({ trustPaths: flags.trust, includeDefaultRoots: flags.defaultTrust });
  const files = await walkRelease(deps, paths);
  if (files.length === 0) throw new ReleaseError('RELEASE_INVALID', `no files in ${paths.join(', ')}`);

  // Open (and migrate) the store before the audit: a wrong --db fails in a second, not after minutes of hashing.
  await withStore(deps, flags.db, true, async (opened) => {
    const progress = createProgress(deps.stderr, flags.progress);
    progress.start(files.length, 'auditing');
    let reports: ArtifactReport[];
    try {
      reports = await deps.auditFiles(files, {
        jobs: flags.jobs ?? deps.defaultJobs(),
        hashes: ['sha256'],
        trustAnchors,
        at,
        limits: DEFAULT_AUDIT_LIMITS,
        onResult: () => progress.tick(''),
      });
    } finally {
      progress.stop();
    }
    const artifacts = withReleasePaths(reports, new Map(files.map((f) => [f.displayPath, f.releasePath])));
    const byRelease = new Map(files.map((f) => [f.releasePath, f.fsPath]));
    // Top-level files have their bytes on disk. Container members: no bytes yet (the audit keeps them in memory);
    // when it hands them over, add `{ kind: 'bytes' }` sources here.
    const blobSources: Array<{ sha256: string; source: BlobSource }> = [];
    for (const a of artifacts) {
      const fsPath = byRelease.get(a.path);
      if (fsPath !== undefined && a.error?.code !== 'IO_ERROR') blobSources.push({ sha256: a.sha256, source: { kind: 'file', path: fsPath } });
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
      writeJSON(deps, { schema: RELEASE_ADD_SCHEMA, outcome: result.outcome, release: result.header, findings: result.findings, blobs: result.blobs, draftedCases: drafted });
    } else {
      deps.stdout.write(renderAddTable(result, opened.location));
      if (drafted.length > 0) deps.stdout.write(`Drafted ${drafted.length} case(s): ${drafted.map((c) => `#${c.id} ${c.kind} ${c.vendor}`).join(', ')} (see 'absolve cases list').\n`);
    }
  });
}

function renderAddTable(result: RecordReleaseResult, location: string): string {
  const h: ReleaseHeader = result.header;
  const name = `${h.product} ${h.version}`;
  const lines = [
    result.outcome === 'unchanged'
      ? `Unchanged: ${name} is already recorded with these files (recorded ${h.createdAt}) in ${location}.`
      : `${result.outcome === 'created' ? 'Recorded' : 'Replaced'} ${name} (channel ${h.channel}) in ${location}.`,
    summaryLine(h.summary),
    `Blobs: ${result.blobs.stored} stored, ${result.blobs.present} already present.`,
  ];
  if (result.findings.length > 0) lines.push('', ...findingLines(result.findings));
  return `${lines.join('\n')}\n`;
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
