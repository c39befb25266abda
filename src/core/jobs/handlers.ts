/**
 * The service's jobs as use cases (what `absolve serve` runs in-process on SQLite and what
 * `absolve worker` processes share on PostgreSQL):
 *
 *   scan-release       a release scan asked for through the API (POST …/scans)
 *   monitor-round      a monitor round: one scan row, then one monitor-artifact job per unique
 *                      sha256 of every live release, keyed (round, sha256) so re-running the round
 *                      (a retry after a crash) adds nothing twice
 *   monitor-artifact   every engine asked afresh about one file; its verdicts, its detection-change
 *                      events and their alerts (into the outbox)
 *   deliver-alerts     what is due in the alert outbox is sent (also on a schedule, for retries)
 *
 * Every handler is idempotent: a worker killed mid-job has its job run again by another worker, and
 * what the first one stored (verdicts, events, outbox rows: stable keys) is not stored twice. A file
 * answered since the round began is not asked again, so a retry spends no quota twice.
 */
import { alertEvents, deliverDueAlerts, plannedDeliveries, type Mailer, type SmtpServer, type WebhookSender } from '../alerts/alerts.ts';
import type { ContainerReader } from '../ports.ts';
import { liveReleases } from '../monitor/live-releases.ts';
import { recordDetectionEvents } from '../monitor/record-events.ts';
import { ReleaseError } from '../releases/errors.ts';
import type { OpenedStore } from '../releases/ports.ts';
import type { ReleaseKey } from '../releases/release.types.ts';
import { newScanId, releaseRoots, requireRelease } from '../scans/release-roots.ts';
import { runScan, type ScanRootProvider } from '../scans/run-scan.ts';
import { countFile, type ScanHeader, type ScannedFile, type ScanTargetRecord } from '../scans/scan-report.ts';
import { collectScanTargets, type ScanRoot } from '../scans/scan-targets.ts';
import type { EngineVia, ScanEngine, ScanSample, Verdict } from '../scans/scan.types.ts';
import { ScanError } from '../scans/verdicts.ts';
import { alertTargetsOf, type ServiceSettings } from '../service-settings.ts';
import type { Job, JobQueue } from './job-queue.ts';

export const JOB_KINDS = {
  scanRelease: 'scan-release',
  monitorRound: 'monitor-round',
  monitorArtifact: 'monitor-artifact',
  deliverAlerts: 'deliver-alerts',
} as const;

export type JobKind = (typeof JOB_KINDS)[keyof typeof JOB_KINDS];

export interface ScanReleasePayload {
  product: string;
  version: string;
  scanId: string;
  engines?: string[];
}

export interface MonitorRoundPayload {
  /** Engines to ask (default: the configuration's `monitor.engines`, else every configured engine). */
  engines?: string[];
  /** A round id chosen by the caller; a scheduled round takes one from its job (stable across retries). */
  roundId?: string;
}

export interface MonitorArtifactPayload {
  roundId: string;
  /** When the round began: answers recorded since then count as this round's (a retry asks nothing twice). */
  roundStartedAt: string;
  sha256: string;
  size: number;
  /** Where the bytes are: a top-level file of a release (its blob) or a member of one (re-expanded from its container's blob, only if an engine reads the bytes). */
  source: ReleaseKey & { path: string };
  /** Report paths and releases of this file, for alert texts (at most 20 paths). */
  paths: string[];
  releases: string[];
  engines?: string[];
}

export type DeliverAlertsPayload = Record<string, never>;

export interface JobDeps {
  opened: OpenedStore;
  queue: JobQueue;
  settings: ServiceSettings;
  /** The engines for a list of ids (undefined: the configured ones); ScanError when none can run. */
  engines: (ids: readonly string[] | undefined) => Promise<ScanEngine[]>;
  fileRoot: (fsPath: string, displayPath: string, known: { sha256: string; size: number }) => Promise<ScanRoot>;
  containers: () => Promise<ContainerReader>;
  webhookSender: WebhookSender;
  /** An SMTP connection for alerts.email (absent: email targets are left pending with an error). */
  createMailer?: (smtp: SmtpServer) => Mailer;
  now: () => Date;
  version: string;
  log: (line: string) => void;
}

/** How old a stored cloud answer may be for an API scan to reuse it (a monitor round asks afresh). */
function maxAgeMs(settings: ServiceSettings): Partial<Record<EngineVia, number>> {
  return { virustotal: (settings.virustotal?.maxAgeHours ?? 24) * 3_600_000, metadefender: (settings.metadefender?.maxAgeHours ?? 24) * 3_600_000 };
}

async function requireEngines(deps: JobDeps, ids: readonly string[] | undefined): Promise<ScanEngine[]> {
  const engines = await deps.engines(ids);
  if (engines.length === 0) throw new ScanError('ENGINE_CONFIG_INVALID', 'no scan engine is configured for the jobs (set VT_API_KEY or MD_API_KEY, or configure clamav/yara)');
  return engines;
}

/** After new events: their alerts into the outbox, and a delivery job (the outbox's leases make concurrent deliverers safe). */
async function queueAlerts(deps: JobDeps, events: Parameters<typeof plannedDeliveries>[0], context: { paths: Map<string, string[]>; releases: string[] }): Promise<number> {
  const targets = alertTargetsOf(deps.settings);
  if (targets.length === 0 || events.length === 0) return 0;
  const planned = plannedDeliveries(events, targets, (e) => ({ paths: context.paths.get(e.sha256) ?? [], releases: context.releases }), deps.now().toISOString());
  const added = await deps.opened.outbox.enqueue(planned);
  await deps.queue.enqueue(JOB_KINDS.deliverAlerts, {});
  return added;
}

export async function scanReleaseJob(deps: JobDeps, job: Job<ScanReleasePayload>): Promise<void> {
  const { product, version } = job.payload;
  let scanId = job.payload.scanId;
  if ((await deps.opened.scans.getScan(scanId)) !== undefined) {
    // A retry of a scan that began (its worker died): what it stored stays, and a scan under a
    // derived id finishes the work, reusing the answers already paid for (maxAgeMs).
    scanId = `${job.payload.scanId}-retry${job.attempt}`;
    if ((await deps.opened.scans.getScan(scanId)) !== undefined) return;
    deps.log(`scan ${job.payload.scanId} of ${product}@${version} was cut short; continued as ${scanId}`);
  }
  const engines = await requireEngines(deps, job.payload.engines);
  const roots = await releaseRoots(deps.fileRoot, deps.opened, { product, version });
  const report = await runScan(roots, { id: scanId, trigger: 'api', inputs: [`${product}@${version}`], release: { product, version }, engines, store: deps.opened.scans, containers: await deps.containers(), now: deps.now, maxAgeMs: maxAgeMs(deps.settings) }, deps.version);
  const events = await recordDetectionEvents(report, deps.opened.scans, deps.opened.events);
  await withMailer(deps, (mailer) => alertEvents({ outbox: deps.opened.outbox, sender: deps.webhookSender, ...(mailer === undefined ? {} : { mailer }), now: deps.now }, report, events, alertTargetsOf(deps.settings)));
  deps.log(`scan ${scanId} of ${product}@${version}: ${report.summary.verdict}; ${events.length} event(s)`);
}

/** The round id of a job: the caller's, else one made from the job's enqueue time and id (the same on every retry). */
export function roundIdOf(job: Job<MonitorRoundPayload>): string {
  if (job.payload.roundId !== undefined) return job.payload.roundId;
  return `${newScanId('monitor', job.createdAt).replace(/-[0-9a-f]{6}$/, '')}-${job.id.replace(/[^0-9a-z]/gi, '').slice(0, 8).toLowerCase()}`;
}

const MAX_ALERT_PATHS = 20;

export async function monitorRoundJob(deps: JobDeps, job: Job<MonitorRoundPayload>): Promise<{ roundId: string; artifacts: number; enqueued: number }> {
  const roundId = roundIdOf(job);
  const engineIds = job.payload.engines ?? deps.settings.monitor?.engines;
  const engines = await requireEngines(deps, engineIds);
  const live = liveReleases(await deps.opened.store.listReleases());
  /** sha256 → where to read it (a top-level file preferred), its paths and releases. */
  const files = new Map<string, { size: number; source: ReleaseKey & { path: string }; paths: string[]; releases: Set<string> }>();
  const targets: ScanTargetRecord[] = [];
  for (const h of live) {
    const detail = await requireRelease(deps.opened, h);
    const ref = `${h.product}@${h.version}`;
    for (const a of detail.artifacts) {
      const cut = a.path.lastIndexOf('!/');
      targets.push({ ordinal: targets.length, path: a.path, parentPath: cut < 0 ? null : a.path.slice(0, cut), sha256: a.sha256, size: a.size });
      const topLevel = !a.path.includes('!/');
      const seen = files.get(a.sha256);
      if (seen === undefined) {
        files.set(a.sha256, { size: a.size, source: { product: h.product, version: h.version, path: a.path }, paths: [a.path], releases: new Set([ref]) });
        continue;
      }
      if (topLevel && seen.source.path.includes('!/')) seen.source = { product: h.product, version: h.version, path: a.path };
      if (seen.paths.length < MAX_ALERT_PATHS) seen.paths.push(a.path);
      seen.releases.add(ref);
    }
  }
  let header: ScanHeader | undefined = await deps.opened.scans.getScan(roundId);
  if (header === undefined) {
    header = { id: roundId, startedAt: deps.now().toISOString(), finishedAt: null, trigger: 'monitor', engines: engines.map((e) => e.id), release: null, inputs: live.map((h) => `${h.product}@${h.version}`) };
    await deps.opened.scans.beginScan(header);
  }
  // Idempotent (scan id, ordinal): a retried round writes the same rows.
  await deps.opened.scans.addTargets(roundId, targets);
  let enqueued = 0;
  for (const [sha256, f] of files) {
    const payload: MonitorArtifactPayload = { roundId, roundStartedAt: header.startedAt, sha256, size: f.size, source: f.source, paths: f.paths, releases: [...f.releases], ...(engineIds === undefined ? {} : { engines: [...engineIds] }) };
    if ((await deps.queue.enqueue(JOB_KINDS.monitorArtifact, payload, { singletonKey: `${roundId}:${sha256}` })) !== null) enqueued++;
  }
  // The round's rows are all written; its verdicts arrive as the artifact jobs finish (finishedAt marks the fan-out).
  await deps.opened.scans.finishScan(roundId, deps.now().toISOString());
  deps.log(`monitor round ${roundId}: ${live.length} live release(s), ${files.size} unique file(s), ${enqueued} job(s) queued`);
  return { roundId, artifacts: files.size, enqueued };
}

/** The bytes of a release file: its blob, or for a member, its top-level container's blob re-expanded (only when an engine reads them). */
function artifactSample(deps: JobDeps, p: MonitorArtifactPayload): ScanSample {
  const topPath = p.source.path.split('!/')[0] ?? p.source.path;
  let resolved: Promise<ScanSample> | undefined;
  const resolve = (): Promise<ScanSample> =>
    (resolved ??= (async () => {
      const detail = await requireRelease(deps.opened, p.source);
      const top = detail.artifacts.find((a) => a.path === topPath);
      const blob = top === undefined ? undefined : await deps.opened.blobs.locate(top.sha256);
      if (top === undefined || blob === undefined) throw new ReleaseError('BLOB_MISMATCH', `the stored bytes of ${topPath} are missing from the blob store`);
      const root = await deps.fileRoot(blob, top.path, { sha256: top.sha256, size: top.size });
      if (top.sha256 === p.sha256) return root.sample;
      const found = (await collectScanTargets(root, await deps.containers())).targets.find((t) => t.sha256 === p.sha256);
      if (found === undefined) throw new ReleaseError('BLOB_MISMATCH', `${p.source.path} (sha256 ${p.sha256}) is no longer inside ${topPath}`);
      return found.sample;
    })());
  return {
    sha256: p.sha256,
    size: p.size,
    displayName: p.source.path,
    stream: async function* () {
      yield* (await resolve()).stream();
    },
  };
}

export async function monitorArtifactJob(deps: JobDeps, job: Job<MonitorArtifactPayload>): Promise<{ asked: number; events: number }> {
  const p = job.payload;
  const engines = await requireEngines(deps, p.engines);
  const sample = artifactSample(deps, p);
  const verdicts: Verdict[] = [];
  let asked = 0;
  for (const engine of engines) {
    // Answered since the round began (this job's earlier run, killed after storing; or another scan): not asked again.
    const since = (await deps.opened.scans.freshVerdicts([p.sha256], engine.via, p.roundStartedAt)).get(p.sha256);
    if (since !== undefined && since.length > 0) {
      await deps.opened.scans.addVerdicts(p.roundId, p.sha256, since, true);
      verdicts.push(...since);
      continue;
    }
    const answer = await engine.scan(sample, {});
    asked++;
    await deps.opened.scans.addVerdicts(p.roundId, p.sha256, answer, false);
    verdicts.push(...answer);
  }
  const now = deps.now().toISOString();
  const file: ScannedFile = { ordinal: 0, path: p.source.path, parentPath: null, sha256: p.sha256, size: p.size, verdicts, reused: asked === 0, ...countFile(verdicts) };
  const events = await recordDetectionEvents({ id: p.roundId, startedAt: p.roundStartedAt, finishedAt: now, files: [file] }, deps.opened.scans, deps.opened.events);
  await queueAlerts(deps, events, { paths: new Map([[p.sha256, p.paths]]), releases: p.releases });
  return { asked, events: events.length };
}

/** Runs `use` with an SMTP connection when alerts.email is configured, and closes it after. */
async function withMailer<T>(deps: JobDeps, use: (mailer: Mailer | undefined) => Promise<T>): Promise<T> {
  const email = deps.settings.alerts?.email;
  const mailer = email === undefined ? undefined : deps.createMailer?.(email.smtp);
  try {
    return await use(mailer);
  } finally {
    mailer?.close();
  }
}

export async function deliverAlertsJob(deps: JobDeps): Promise<void> {
  const targets = alertTargetsOf(deps.settings);
  if (targets.length === 0) return;
  const outcome = await withMailer(deps, (mailer) => deliverDueAlerts(deps.opened.outbox, { webhook: deps.webhookSender, ...(mailer === undefined ? {} : { mailer }) }, targets, deps.now));
  if (outcome.delivered.length + outcome.retrying.length + outcome.givenUp.length > 0) {
    deps.log(`alerts: ${outcome.delivered.length} delivered, ${outcome.retrying.length} to retry, ${outcome.givenUp.length} given up`);
  }
}

/** Every handler on the queue (what `absolve worker` and an embedded `absolve serve` run). */
export async function workJobs(deps: JobDeps, options: { concurrency: number; onJob?: (event: { kind: string; id: string; attempt: number; state: 'started' | 'done' | 'failed'; error?: string }) => void }): Promise<void> {
  const wrap =
    <P extends object>(kind: string, run: (job: Job<P>) => Promise<unknown>) =>
    async (job: Job<P>): Promise<void> => {
      options.onJob?.({ kind, id: job.id, attempt: job.attempt, state: 'started' });
      try {
        await run(job);
      } catch (error) {
        options.onJob?.({ kind, id: job.id, attempt: job.attempt, state: 'failed', error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      options.onJob?.({ kind, id: job.id, attempt: job.attempt, state: 'done' });
    };
  await deps.queue.work<ScanReleasePayload>(JOB_KINDS.scanRelease, wrap(JOB_KINDS.scanRelease, (job) => scanReleaseJob(deps, job)), { concurrency: 1 });
  await deps.queue.work<MonitorRoundPayload>(JOB_KINDS.monitorRound, wrap(JOB_KINDS.monitorRound, (job) => monitorRoundJob(deps, job)), { concurrency: 1 });
  await deps.queue.work<MonitorArtifactPayload>(JOB_KINDS.monitorArtifact, wrap(JOB_KINDS.monitorArtifact, (job) => monitorArtifactJob(deps, job)), { concurrency: options.concurrency });
  await deps.queue.work<DeliverAlertsPayload>(JOB_KINDS.deliverAlerts, wrap(JOB_KINDS.deliverAlerts, () => deliverAlertsJob(deps)), { concurrency: 1 });
}

/** The schedules of the service: monitor rounds on `monitor.schedule`, and alert retries every minute. */
export async function scheduleJobs(queue: JobQueue, settings: ServiceSettings, defaultSchedule: string): Promise<void> {
  await queue.schedule<MonitorRoundPayload>(JOB_KINDS.monitorRound, settings.monitor?.schedule ?? defaultSchedule, settings.monitor?.engines === undefined ? {} : { engines: settings.monitor.engines });
  await queue.schedule<DeliverAlertsPayload>(JOB_KINDS.deliverAlerts, '* * * * *', {});
}

export type { ScanRootProvider };
