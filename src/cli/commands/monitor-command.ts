/**
 * `absolve monitor --once`, `absolve events`, `absolve gate`: detection changes over time and the
 * rollout decision.
 *
 *   monitor --once [--engines …]      one round now: every file of every live release asked afresh,
 *                                     changes recorded as events (what the scheduler will run)
 *   events [--since T]                detection-change events, oldest first
 *   gate <product>@<version>          exit 0 when the release may roll out, 1 with the reasons when not
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { AbsolveError, ExitCode } from '../../core/errors.ts';
import { DEFAULT_GATE_POLICY, evaluateGate, type GatePolicy, type GateResult } from '../../core/gate/release-gate.ts';
import { DETECTION_EVENT_KINDS, type DetectionEvent, type DetectionEventKind } from '../../core/monitor/detection-events.ts';
import { liveReleases } from '../../core/monitor/live-releases.ts';
import { recordDetectionEvents } from '../../core/monitor/record-events.ts';
import { newScanId, releaseRoots, requireRelease } from '../../core/scans/release-roots.ts';
import { runScan, type ScanRootProvider } from '../../core/scans/run-scan.ts';
import { ScanError } from '../../core/scans/verdicts.ts';
import { createProgress } from '../progress.ts';
import { terminalWidth } from '../terminal.ts';
import { describeChange, printable } from '../render-scan.ts';
import { renderGateMarkdown } from '../render-gate.ts';
import { dbOption, fitColumns, withStore, writeJSON } from './release-command.ts';
import { engineRequest, parseReleaseRef, render, sendAlerts, type ScanCommandDeps } from './scan-command.ts';

export const EVENTS_SCHEMA = 'absolve.events/v1';
export const MONITOR_SCHEMA = 'absolve.monitor-round/v1';

function isoTime(name: string) {
  return (value: string): string => {
    const t = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t)) throw new InvalidArgumentError(`${name} takes an ISO 8601 time such as 2026-12-01T00:00:00Z`);
    return new Date(t).toISOString();
  };
}

function count(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${name} takes a whole number of 0 or more`);
    return n;
  };
}

function renderEvents(out: NodeJS.WriteStream, events: readonly DetectionEvent[], paths: ReadonlyMap<string, string> = new Map()): string {
  if (events.length === 0) return 'no detection-change events\n';
  return fitColumns(
    out,
    ['AT', 'EVENT', 'FILE', 'VIA', 'ENGINES (before → after)'],
    events.map((e) => [e.at, e.kind, printable(paths.get(e.sha256) ?? e.sha256), e.via, printable(describeChange(e))]),
  );
}

function renderGate(result: GateResult): string {
  const head = `${printable(result.product)}@${printable(result.version)}: ${result.pass ? 'PASS' : 'FAIL'}`;
  return `${[head, ...result.reasons.map((r) => `  ${r.code}: ${printable(r.message)}`)].join('\n')}\n`;
}

export function registerMonitorCommands(program: Command, deps: ScanCommandDeps, setExitCode: (code: number) => void): void {
  program
    .command('monitor')
    .description('Rescan every file of every live release (the newest per product and channel) and record detection changes.')
    .requiredOption('--once', 'run one round now (the scheduler of `absolve serve` runs the same round)')
    .option('--engines <list>', 'comma-separated engines (default: every configured engine)')
    .option('--upload', 'upload files the cloud services do not know', false)
    .option('--clamd <address>', 'clamd socket path or host:port')
    .option('--clamav-db <dir>', 'ClamAV signature database folder')
    .option('--yara-rules <file>', 'YARA rules file; repeatable', (v: string, prev: string[]) => [...prev, v], [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(dbOption())
    .option('--no-progress', 'never draw the progress bar')
    .option('--config <file>', 'configuration (default: ./absolve.config.json when present)')
    .action(async (flags: { engines?: string; upload: boolean; clamd?: string; clamavDb?: string; yaraRules: string[]; config?: string; format: 'table' | 'json'; db?: string; progress: boolean }) => {
      const settings = await deps.loadSettings(flags.config);
      const engines = await deps.createEngines(engineRequest(flags, settings));
      if (engines.length === 0) throw new ScanError('ENGINE_CONFIG_INVALID', 'no scan engine is configured: set VT_API_KEY or MD_API_KEY, install ClamAV, or pass --yara-rules');
      await withStore(deps, flags.db, false, async (opened) => {
        const live = liveReleases(await opened.store.listReleases());
        const roots: ScanRootProvider[] = [];
        for (const h of live) roots.push(...(await releaseRoots(deps.fileRoot, opened, h)));
        const progress = createProgress(deps.stderr, flags.progress);
        let total = 0;
        progress.start(0, 'monitor');
        let report: Awaited<ReturnType<typeof runScan>>;
        try {
          report = await runScan(
            roots,
            {
              id: newScanId('monitor', deps.now()),
              trigger: 'monitor',
              inputs: live.map((h) => `${h.product}@${h.version}`),
              release: null,
              engines,
              store: opened.scans,
              containers: await deps.containers(),
              now: deps.now,
              // A monitor round always asks the engines afresh: no maxAgeMs.
              onWait: (note) => progress.note?.(printable(note)),
              onProgress: (event) => {
                if (event.kind === 'targets') progress.setTotal?.((total += event.added));
                else progress.tick(printable(event.path));
              },
            },
            deps.version,
          );
        } finally {
          progress.stop();
        }
        const events = await recordDetectionEvents(report, opened.scans, opened.events);
        const alerts = await sendAlerts(deps, opened, report, events, settings);
        if (flags.format === 'json') writeJSON(deps, { schema: MONITOR_SCHEMA, releases: report.inputs, scan: report, events, alerts: alerts ?? null });
        else deps.stdout.write(render({ ...report, events, ...(alerts === undefined ? {} : { alerts }) }, 'table', terminalWidth(deps.stdout)));
      });
    });

  program
    .command('events')
    .description('Detection-change events (new, increasing, decreasing, solved, swapped detections), oldest first.')
    .option('--since <time>', 'events at or after this ISO 8601 time', isoTime('--since'))
    .option('--kind <kinds>', `comma-separated: ${DETECTION_EVENT_KINDS.join(', ')}`)
    .option('--limit <n>', 'at most this many', count('--limit'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(dbOption())
    .action(async (flags: { since?: string; kind?: string; limit?: number; format: 'table' | 'json'; db?: string }) => {
      const kinds = flags.kind?.split(',').map((k) => k.trim()) ?? [];
      for (const k of kinds) if (!DETECTION_EVENT_KINDS.includes(k as DetectionEventKind)) throw new AbsolveError('USAGE', `--kind takes ${DETECTION_EVENT_KINDS.join(', ')} (got '${printable(k)}')`);
      await withStore(deps, flags.db, false, async (opened) => {
        const events = await opened.events.listEvents({
          ...(flags.since === undefined ? {} : { since: flags.since }),
          ...(kinds.length === 0 ? {} : { kinds: kinds as DetectionEventKind[] }),
          ...(flags.limit === undefined ? {} : { limit: flags.limit }),
        });
        if (flags.format === 'json') writeJSON(deps, { schema: EVENTS_SCHEMA, events });
        else deps.stdout.write(renderEvents(deps.stdout, events));
      });
    });

  program
    .command('gate')
    .description('May this release roll out? Exit 0 when it passes, 1 with the reasons when it does not.')
    .argument('<release>', '<product>@<version>')
    .option('--max-engines <n>', `most engines that may flag any one file (default ${DEFAULT_GATE_POLICY.maxFlaggingEngines})`, count('--max-engines'))
    .option('--must-be-clean <engines>', `comma-separated engines that must flag nothing (default ${DEFAULT_GATE_POLICY.mustBeClean.join(',')}; '' for none)`)
    .option('--allow-invalid-signatures', 'do not require every PE and package to be validly signed')
    .option('--allow-unscanned', 'pass files that were never scanned')
    .option('--pin-signer <thumbprint>', 'only this signer (SHA-1 or SHA-256 thumbprint); repeatable', (v: string, prev: string[]) => [...prev, v], [])
    .option('--config <file>', 'configuration with a gate section (default: ./absolve.config.json when present)')
    .addOption(new Option('-f, --format <format>', 'output format (markdown: for a pull-request comment or a CI job summary)').choices(['table', 'json', 'markdown']).default('table'))
    .addOption(dbOption())
    .action(async (ref: string, flags: { maxEngines?: number; mustBeClean?: string; allowInvalidSignatures?: boolean; allowUnscanned?: boolean; pinSigner: string[]; config?: string; format: 'table' | 'json' | 'markdown'; db?: string }) => {
      const key = parseReleaseRef(ref);
      const settings = await deps.loadSettings(flags.config);
      const policy: GatePolicy = {
        ...DEFAULT_GATE_POLICY,
        ...settings.gate,
        ...(flags.maxEngines === undefined ? {} : { maxFlaggingEngines: flags.maxEngines }),
        ...(flags.mustBeClean === undefined ? {} : { mustBeClean: flags.mustBeClean.split(',').map((e) => e.trim()).filter((e) => e !== '') }),
        ...(flags.allowInvalidSignatures === true ? { requireValidSignatures: false } : {}),
        ...(flags.allowUnscanned === true ? { requireScan: false } : {}),
        ...(flags.pinSigner.length === 0 ? {} : { pinnedSigners: flags.pinSigner }),
      };
      const result = await withStore(deps, flags.db, false, async (opened) => {
        const release = await requireRelease(opened, key);
        const verdicts = await opened.scans.currentVerdicts(release.artifacts.map((a) => a.sha256));
        return evaluateGate({ release, verdicts }, policy);
      });
      if (flags.format === 'json') writeJSON(deps, result);
      else deps.stdout.write(flags.format === 'markdown' ? renderGateMarkdown(result) : renderGate(result));
      setExitCode(result.pass ? ExitCode.ok : ExitCode.policyViolation);
    });
}
