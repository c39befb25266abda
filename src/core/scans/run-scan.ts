/**
 * The scan use case: every engine on every unique sample of a set of roots (files or a stored
 * release), each answer recorded as it arrives.
 *
 * - One question per unique sha256 per engine per scan, however many paths, members and releases
 *   carry those bytes.
 * - A cloud answer younger than the engine's maximum age (VirusTotal: 24 h by default) is reused
 *   from the store instead of spending quota; local engines are always asked afresh.
 * - Verdicts are stored per (sample, engine) as they come, so an interrupted scan keeps what it
 *   paid for and the next one reuses it.
 */
import type { ContainerReader } from '../ports.ts';
import type { ReleaseKey } from '../releases/release.types.ts';
import { countFile, summarizeScan, type ScanHeader, type ScannedFile, type ScanReport } from './scan-report.ts';
import { collectScanTargets, type ScanRoot, type ScanTarget } from './scan-targets.ts';
import { SCAN_SCHEMA, type EngineVia, type ScanEngine, type ScanSample, type Verdict } from './scan.types.ts';
import type { ScanStore } from './ports.ts';

/** Samples one engine works on at once: cloud services wait on the network and their quota limiter, local scanners use a core each. */
export const DEFAULT_ENGINE_CONCURRENCY: Readonly<Record<EngineVia, number>> = {
  virustotal: 4,
  metadefender: 4,
  clamav: 2,
  yara: 2,
  command: 1,
};

export interface RunScanOptions {
  id: string;
  trigger: ScanHeader['trigger'];
  inputs: string[];
  release: ReleaseKey | null;
  engines: readonly ScanEngine[];
  store: ScanStore;
  containers: ContainerReader | undefined;
  now(): Date;
  /** How old a stored answer of an adapter may be to be reused (milliseconds); undefined = always ask. `monitor` rounds pass none. */
  maxAgeMs?: Partial<Record<EngineVia, number>>;
  concurrency?: Partial<Record<EngineVia, number>>;
  signal?: AbortSignal;
  onWait?: (note: string) => void;
  /** Called once the targets of a root are known (count of unique samples still to scan) and after each sample × engine. */
  onProgress?: (event: { kind: 'targets'; added: number } | { kind: 'scanned'; path: string }) => void;
  /** Paths of members that could not be expanded (listed in the report's `skipped`). */
  onSkipped?: (path: string, reason: string) => void;
}

export interface ScanRootProvider {
  path: string;
  open(): Promise<ScanRoot>;
}

export async function runScan(roots: readonly ScanRootProvider[], options: RunScanOptions, toolVersion: string): Promise<ScanReport & { skipped: Array<{ path: string; reason: string }> }> {
  const header: ScanHeader = {
    id: options.id,
    startedAt: options.now().toISOString(),
    finishedAt: null,
    trigger: options.trigger,
    engines: options.engines.map((e) => e.id),
    release: options.release,
    inputs: options.inputs,
  };
  await options.store.beginScan(header);
  /** sha256 → engine id → verdicts (and whether they were reused). */
  const answers = new Map<string, Map<string, { verdicts: Verdict[]; reused: boolean }>>();
  const files: Array<ScanTarget & { ordinal: number }> = [];
  const skipped: Array<{ path: string; reason: string }> = [];

  for (const provider of roots) {
    options.signal?.throwIfAborted();
    const root = await provider.open();
    const collected = await collectScanTargets(root, options.containers);
    for (const s of collected.skipped) {
      skipped.push(s);
      options.onSkipped?.(s.path, s.reason);
    }
    const numbered = collected.targets.map((t, i) => ({ ...t, ordinal: files.length + i }));
    files.push(...numbered);
    await options.store.addTargets(header.id, numbered.map(({ sample: _sample, ...record }) => record));

    const fresh = new Map<string, ScanSample>();
    for (const t of numbered) if (!answers.has(t.sha256) && !fresh.has(t.sha256)) fresh.set(t.sha256, t.sample);
    for (const sha of fresh.keys()) answers.set(sha, new Map());
    options.onProgress?.({ kind: 'targets', added: fresh.size * options.engines.length });
    await Promise.all(options.engines.map((engine) => scanWithEngine(engine, [...fresh.values()], answers, header.id, options)));
    // The members' bytes of this root are released here: only verdicts are kept for the next roots.
  }

  const finishedAt = options.now().toISOString();
  await options.store.finishScan(header.id, finishedAt);
  const scanned: ScannedFile[] = files.map(({ sample: _sample, ...record }) => {
    const perEngine = answers.get(record.sha256) ?? new Map<string, { verdicts: Verdict[]; reused: boolean }>();
    const verdicts = [...perEngine.values()].flatMap((a) => a.verdicts).sort(compareVerdicts);
    return { ...record, verdicts, reused: [...perEngine.values()].some((a) => a.reused), ...countFile(verdicts) };
  });
  return { schema: SCAN_SCHEMA, tool: { name: 'absolve', version: toolVersion }, ...header, finishedAt, files: scanned, summary: summarizeScan(scanned), skipped };
}

async function scanWithEngine(
  engine: ScanEngine,
  samples: readonly ScanSample[],
  answers: Map<string, Map<string, { verdicts: Verdict[]; reused: boolean }>>,
  scanId: string,
  options: RunScanOptions,
): Promise<void> {
  let pending = [...samples];
  const maxAge = options.maxAgeMs?.[engine.via];
  if (maxAge !== undefined && pending.length > 0) {
    const notBefore = new Date(options.now().getTime() - maxAge).toISOString();
    const stored = await options.store.freshVerdicts(pending.map((s) => s.sha256), engine.via, notBefore);
    const still: ScanSample[] = [];
    for (const sample of pending) {
      const verdicts = stored.get(sample.sha256);
      if (verdicts === undefined) {
        still.push(sample);
        continue;
      }
      await options.store.addVerdicts(scanId, sample.sha256, verdicts, true);
      answers.get(sample.sha256)?.set(engine.id, { verdicts, reused: true });
      options.onProgress?.({ kind: 'scanned', path: sample.displayName });
    }
    pending = still;
  }
  const concurrency = Math.max(1, options.concurrency?.[engine.via] ?? DEFAULT_ENGINE_CONCURRENCY[engine.via]);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length) {
      options.signal?.throwIfAborted();
      const sample = pending[next++];
      if (sample === undefined) break;
      const verdicts = await engine.scan(sample, { ...(options.signal === undefined ? {} : { signal: options.signal }), ...(options.onWait === undefined ? {} : { onWait: options.onWait }) });
      await options.store.addVerdicts(scanId, sample.sha256, verdicts, false);
      answers.get(sample.sha256)?.set(engine.id, { verdicts, reused: false });
      options.onProgress?.({ kind: 'scanned', path: sample.displayName });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
}

/** The order verdicts are reported and stored in: by adapter, then engine name (code-unit order, as the store sorts). */
export function compareVerdicts(a: Verdict, b: Verdict): number {
  return a.via < b.via ? -1 : a.via > b.via ? 1 : a.engine < b.engine ? -1 : a.engine > b.engine ? 1 : 0;
}
