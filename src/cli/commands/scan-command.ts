/**
 * `absolve scan` and `absolve scans list|show`: which engines flag which file of a release.
 *
 *   scan <paths...>                         files and folders on disk, containers opened
 *   scan --release <product>@<version>      a recorded release, from the store alone (blobs)
 *   scans list [--release p@v]              stored scans, newest first
 *   scans show <scan-id>                    one stored scan
 *
 * Every scan is stored (verdicts as they arrive), so later scans reuse fresh cloud answers and the
 * history can be compared over time. Exit codes: 0 no engine flags anything, 1 a detection,
 * 2 a usage, configuration or I/O error, or a file no engine answered for.
 */
import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { AbsolveError, ExitCode } from '../../core/errors.ts';
import type { ContainerReader } from '../../core/ports.ts';
import type { OpenedStore } from '../../core/releases/ports.ts';
import type { ReleaseKey } from '../../core/releases/release.types.ts';
import { alertEvents, type DeliveryOutcome, type Mailer, type SmtpServer, type WebhookSender } from '../../core/alerts/alerts.ts';
import type { DetectionEvent } from '../../core/monitor/detection-events.ts';
import { alertTargetsOf, type ServiceSettings } from '../../core/service-settings.ts';
import { newScanId, releaseRoots } from '../../core/scans/release-roots.ts';
import { recordDetectionEvents } from '../../core/monitor/record-events.ts';
import { resolveGoneDetections } from '../../core/cases/open-cases.ts';
import { runScan, type ScanRootProvider } from '../../core/scans/run-scan.ts';
import type { ScanRoot } from '../../core/scans/scan-targets.ts';
import { summarizeScan, type ScanReport } from '../../core/scans/scan-report.ts';
import { ScanError } from '../../core/scans/verdicts.ts';
import { SCAN_SCHEMA, type EngineVia, type ScanEngine } from '../../core/scans/scan.types.ts';
import type { CliDeps } from '../program.ts';
import { createProgress } from '../progress.ts';
import { terminalWidth } from '../terminal.ts';
import { renderScanJSON, renderScanMarkdown, renderScanTable, printable } from '../render-scan.ts';
import { createFoldersOption, dbOption, fitColumns, withStore, writeJSON } from './release-command.ts';

export const SCAN_LIST_SCHEMA = 'absolve.scan-list/v1';

/** What a user asked for on the command line; the composition root turns it into engines (with env and config). */
export interface EngineRequest {
  /** `--engines`, split; undefined = every engine that is configured. */
  engines: string[] | undefined;
  /** `--upload`: send files the cloud services do not know (VirusTotal, MetaDefender). */
  upload: boolean;
  clamd: string | undefined;
  clamavDb: string | undefined;
  yaraRules: string[];
  /** absolve.config.json's engine sections (upload policy and quota per cloud service, …). */
  settings: ServiceSettings;
}

/** The engine request: command-line flags win over the configuration. */
export function engineRequest(flags: { engines?: string; upload: boolean; clamd?: string; clamavDb?: string; yaraRules: string[] }, settings: ServiceSettings): EngineRequest {
  const requested = flags.engines?.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (requested !== undefined && requested.length === 0) throw new AbsolveError('USAGE', '--engines takes a comma-separated list, e.g. virustotal,clamav');
  return {
    engines: requested ?? settings.engines,
    upload: flags.upload,
    clamd: flags.clamd ?? settings.clamav?.clamd,
    clamavDb: flags.clamavDb ?? settings.clamav?.database,
    yaraRules: flags.yaraRules.length > 0 ? flags.yaraRules : (settings.yara?.rules ?? []),
    settings,
  };
}

export interface ScanCommandDeps extends Pick<CliDeps, 'version' | 'walkInputs' | 'openStore' | 'now' | 'stdout' | 'stderr'> {
  /** Builds the engines; throws ScanError (ENGINE_UNKNOWN, ENGINE_CONFIG_INVALID) for what cannot run. */
  createEngines(request: EngineRequest): Promise<ScanEngine[]>;
  /** Opens installers and archives with the default limits (as `absolve audit` does); loaded when first needed. */
  containers(): Promise<ContainerReader>;
  /** absolve.config.json's scanning, alert and gate sections (`--config FILE`, else ./absolve.config.json when present). */
  loadSettings(path: string | undefined): Promise<ServiceSettings>;
  /** Posts alerts to webhooks. */
  webhookSender: WebhookSender;
  /** Sends email alerts through the configured SMTP server (`alerts.email`). */
  createMailer?: (smtp: SmtpServer) => Mailer;
  /** A file on disk as a scan root (its sample streams from disk; its bytes are read for container listing). */
  fileRoot: (fsPath: string, displayPath: string, known?: { sha256: string; size: number }) => Promise<ScanRoot>;
}

/** A cloud answer younger than this is reused instead of asked again (`--max-age`). */
export const DEFAULT_MAX_AGE_HOURS = 24;
const CLOUD = ['virustotal', 'metadefender'] as const satisfies readonly EngineVia[];

interface ScanFlags {
  release?: string;
  engines?: string;
  upload: boolean;
  clamd?: string;
  clamavDb?: string;
  yaraRules: string[];
  maxAge?: number;
  config?: string;
  format: 'table' | 'json' | 'markdown';
  output?: string;
  db?: string;
  create: boolean;
  progress: boolean;
}

function nonNegative(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} takes a number of 0 or more`);
    return n;
  };
}

/** `product@version`: split at the last `@` so scoped names such as `@contoso/app@1.2.0` work. */
export function parseReleaseRef(ref: string): ReleaseKey {
  const at = ref.lastIndexOf('@');
  if (at <= 0 || at === ref.length - 1) throw new AbsolveError('USAGE', `--release takes <product>@<version>, e.g. contoso-app@1.2.0 (got '${ref}')`);
  return { product: ref.slice(0, at), version: ref.slice(at + 1) };
}


export function render(report: ScanReport & { skipped?: Array<{ path: string; reason: string }>; events?: DetectionEvent[]; alerts?: DeliveryOutcome }, format: ScanFlags['format'], width = 80): string {
  switch (format) {
    case 'json':
      return renderScanJSON(report);
    case 'markdown':
      return renderScanMarkdown(report);
    case 'table':
      return renderScanTable(report, width);
  }
}

async function runScanCommand(deps: ScanCommandDeps, paths: string[], flags: ScanFlags): Promise<number> {
  if ((paths.length === 0) === (flags.release === undefined)) throw new AbsolveError('USAGE', 'give either paths to scan or --release <product>@<version> (not both)');
  const key = flags.release === undefined ? null : parseReleaseRef(flags.release);
  const settings = await deps.loadSettings(flags.config);
  const engines = await deps.createEngines(engineRequest(flags, settings));
  if (engines.length === 0) {
    throw new ScanError('ENGINE_CONFIG_INVALID', 'no scan engine is configured: set VT_API_KEY or MD_API_KEY, install ClamAV, or pass --yara-rules (see --engines)');
  }

  return withStore(
    deps,
    flags.db,
    key === null,
    async (opened) => {
    const roots: ScanRootProvider[] =
      key === null
        ? (await deps.walkInputs(paths)).map((f) => ({ path: f.displayPath, open: () => deps.fileRoot(f.fsPath, f.displayPath) }))
        : await releaseRoots(deps.fileRoot, opened, key);
    const progress = createProgress(deps.stderr, flags.progress);
    let total = 0;
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    progress.start(0, 'scanning');
    let report: Awaited<ReturnType<typeof runScan>>;
    try {
      report = await runScan(
        roots,
        {
          id: newScanId('scan', deps.now()),
          trigger: 'cli',
          inputs: key === null ? paths : [`${key.product}@${key.version}`],
          release: key,
          engines,
          store: opened.scans,
          containers: await deps.containers(),
          now: deps.now,
          maxAgeMs: Object.fromEntries(CLOUD.map((via) => [via, (flags.maxAge ?? settings[via]?.maxAgeHours ?? DEFAULT_MAX_AGE_HOURS) * 3_600_000])),
          signal: controller.signal,
          onWait: (note) => progress.note?.(printable(note)),
          onProgress: (event) => {
            if (event.kind === 'targets') {
              total += event.added;
              progress.setTotal?.(total);
            } else progress.tick(printable(event.path));
          },
        },
        deps.version,
      );
    } finally {
      process.removeListener('SIGINT', onSigint);
      progress.stop();
    }
    const events = await recordDetectionEvents(report, opened.scans, opened.events);
    const alerts = await sendAlerts(deps, opened, report, events, settings);
    // A later scan of a release resolves the cases whose detection it shows gone (see core/cases/open-cases.ts).
    if (key !== null) await resolveGoneDetections({ cases: opened.cases, scans: opened.scans, now: deps.now }, key);
    const text = render({ ...report, events, ...(alerts === undefined ? {} : { alerts }) }, flags.format, terminalWidth(deps.stdout));
    if (flags.output !== undefined) {
      try {
        await writeFile(flags.output, text);
      } catch (error) {
        throw new AbsolveError('OUTPUT_UNWRITABLE', `cannot write the report to '${flags.output}': ${(error as Error).message}`, { cause: error });
      }
    } else deps.stdout.write(text);
    if (report.summary.detections > 0) return ExitCode.policyViolation;
    // A file no engine answered for is not clean: the scan proved nothing about it (a dead service, a crashed scanner).
    if (report.files.some((f) => f.answered === 0 && f.verdicts.length > 0)) {
      deps.stderr.write(`absolve: SCAN_INCOMPLETE: ${report.files.filter((f) => f.answered === 0).length} file(s) got no answer from any engine (see the failures); the scan is stored, run it again\n`);
      return ExitCode.usageOrIOError;
    }
    return ExitCode.ok;
    },
    flags.create,
  );
}

/** After a scan or a monitor round: the alerts of its events, through the outbox (see core/alerts). */
export async function sendAlerts(
  deps: Pick<ScanCommandDeps, 'webhookSender' | 'createMailer' | 'now'>,
  opened: OpenedStore,
  report: Pick<ScanReport, 'files' | 'inputs'>,
  events: readonly DetectionEvent[],
  settings: ServiceSettings,
): Promise<DeliveryOutcome | undefined> {
  const email = settings.alerts?.email;
  const mailer = email === undefined ? undefined : deps.createMailer?.(email.smtp);
  try {
    return await alertEvents({ outbox: opened.outbox, sender: deps.webhookSender, ...(mailer === undefined ? {} : { mailer }), now: deps.now }, report, events, alertTargetsOf(settings));
  } finally {
    mailer?.close();
  }
}

export function registerScanCommands(program: Command, deps: ScanCommandDeps, setExitCode: (code: number) => void): void {
  program
    .command('scan')
    .description('Ask antivirus engines (VirusTotal, MetaDefender, ClamAV, YARA, command-line scanners) about every file and inner executable; store the verdicts.')
    .argument('[paths...]', 'files or release folders (or use --release)')
    .option('--release <product@version>', 'scan a recorded release from the store (its files need not be on disk)')
    .option('--engines <list>', 'comma-separated: virustotal, vt-monitor, metadefender, clamav, yara, or a command preset (default: every configured engine)')
    .option('--upload', 'upload files the cloud services do not know (default: never; unreleased builds stay private)', false)
    .option('--clamd <address>', 'clamd socket path or host:port (default: clamscan)')
    .option('--clamav-db <dir>', 'ClamAV signature database folder')
    .option('--yara-rules <file>', 'YARA rules file; repeatable', (v: string, prev: string[]) => [...prev, v], [])
    .option('--max-age <hours>', `reuse a cloud answer younger than this instead of asking again (0: always ask; default ${DEFAULT_MAX_AGE_HOURS}, or the configuration's maxAgeHours)`, nonNegative('--max-age'))
    .option('--config <file>', 'configuration (default: ./absolve.config.json when present)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(dbOption())
    .addOption(createFoldersOption())
    .option('--no-progress', 'never draw the progress bar')
    .action(async (paths: string[], flags: ScanFlags) => {
      setExitCode(await runScanCommand(deps, paths, flags));
    });

  const scans = program.command('scans').description('Stored scans.');
  scans
    .command('list')
    .description('Stored scans, newest first.')
    .option('--release <product@version>', 'only the scans of this release')
    .option('--limit <n>', 'at most this many', nonNegative('--limit'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(dbOption())
    .action(async (flags: { release?: string; limit?: number; format: 'table' | 'json'; db?: string }) => {
      const release = flags.release === undefined ? undefined : parseReleaseRef(flags.release);
      await withStore(deps, flags.db, false, async (opened) => {
        const list = await opened.scans.listScans({ ...(release === undefined ? {} : { release }), ...(flags.limit === undefined ? {} : { limit: flags.limit }) });
        if (flags.format === 'json') return writeJSON(deps, { schema: SCAN_LIST_SCHEMA, scans: list });
        deps.stdout.write(
          fitColumns(deps.stdout, 
            ['SCAN', 'STARTED', 'FINISHED', 'RELEASE', 'ENGINES', 'INPUTS'],
            list.map((s) => [s.id, s.startedAt, s.finishedAt ?? '(cut short)', s.release === null ? '-' : `${s.release.product}@${s.release.version}`, s.engines.join(','), printable(s.inputs.join(' '))]),
          ),
        );
      });
    });
  scans
    .command('show')
    .description('One stored scan: every file, every engine.')
    .argument('<scan-id>')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .addOption(dbOption())
    .action(async (id: string, flags: { format: 'table' | 'json' | 'markdown'; db?: string }) => {
      await withStore(deps, flags.db, false, async (opened) => {
        const detail = await opened.scans.getScan(id);
        if (detail === undefined) throw new ScanError('SCAN_NOT_FOUND', `no scan '${printable(id)}' in ${opened.location} (see 'absolve scans list')`);
        const report: ScanReport = { schema: SCAN_SCHEMA, tool: { name: 'absolve', version: deps.version }, ...detail, summary: summarizeScan(detail.files) };
        deps.stdout.write(render(report, flags.format, terminalWidth(deps.stdout)));
      });
    });
}
