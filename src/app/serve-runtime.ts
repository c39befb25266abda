/**
 * `absolve serve`: the HTTP API on one opened store, and the jobs (API scans, scheduled monitor
 * rounds, alert deliveries; see core/jobs/handlers.ts). On SQLite/PGlite the jobs run in this
 * process (the embedded set-up: nothing else to install); on PostgreSQL they go to pg-boss in the
 * same database, run here too unless `--no-worker`, and by any number of `absolve worker` processes.
 */
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { engineRequest } from '../cli/commands/scan-command.ts';
import { ScanError } from '../core/scans/verdicts.ts';
import { JOB_KINDS, type ScanReleasePayload } from '../core/jobs/handlers.ts';
import { newScanId, requireRelease } from '../core/scans/release-roots.ts';
import type { RunningServer, ServeOptions } from '../cli/commands/service-command.ts';
import { gatePolicyFrom } from '../core/service-settings.ts';
import type { OpenStore } from '../core/releases/ports.ts';
import { createApi } from '../server/api.ts';
import type { CaseSettings } from '../core/cases/settings.ts';
import { buildVendorDirectory } from '../core/vendors/index.ts';
import { staticFiles } from '../server/static-files.ts';
import { chosenStoreURL, startServiceJobs, type JobScanDeps } from './worker-runtime.ts';

/**
 * The dashboard's build (Vite, `npm run build`): dist/web beside dist/app when running the built
 * package, the checkout's dist/web when running the sources through tsx.
 */
export function defaultWebRoot(): string {
  return fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../dist/web/' : '../web/', import.meta.url));
}

export async function startServer(
  options: ServeOptions,
  deps: { openStore: OpenStore; version: string; now: () => Date; log: (line: string) => void; webRoot?: string; scan: JobScanDeps; loadCaseSettings?: (options: { path?: string }) => Promise<CaseSettings>; env?: Readonly<Record<string, string | undefined>> },
): Promise<RunningServer> {
  const env = deps.env ?? process.env;
  const settings = await deps.scan.loadSettings(undefined);
  // The case pages show submission packages as `absolve submit` would write them: the config's vendor overrides and submission profile.
  const caseSettings = deps.loadCaseSettings === undefined ? undefined : await deps.loadCaseSettings({});
  const url = chosenStoreURL(options.db, env);
  const opened = await deps.openStore(options.db, { create: true, createFolders: options.createFolders });
  let jobs: Awaited<ReturnType<typeof startServiceJobs>>;
  try {
    jobs = await startServiceJobs(url, opened, settings, { ...deps, env }, { work: options.worker ?? true, concurrency: options.concurrency ?? 4 });
  } catch (error) {
    await opened.store.close();
    throw error;
  }
  /** A scan of a stored release as a job; its scan id is returned at once (the API answers 202). */
  const startReleaseScan = async (product: string, version: string): Promise<{ jobId: string; scanId: string }> => {
    await requireRelease(opened, { product, version });
    if (options.worker !== false) {
      // This process runs the job: an engine configuration that cannot scan is the caller's error now, not a failed job later.
      const engines = await deps.scan.createEngines(engineRequest({ upload: false, yaraRules: [] }, settings));
      if (engines.length === 0) throw new ScanError('ENGINE_CONFIG_INVALID', 'the server has no scan engine configured (set VT_API_KEY or MD_API_KEY, or configure clamav/yara)');
    }
    const scanId = newScanId('scan', deps.now());
    const payload: ScanReleasePayload = { product, version, scanId };
    const jobId = await jobs.queue.enqueue(JOB_KINDS.scanRelease, payload, { singletonKey: scanId });
    return { jobId: jobId ?? scanId, scanId };
  };
  const web = await staticFiles(deps.webRoot ?? defaultWebRoot(), deps.log);
  const app = createApi({
    store: opened,
    version: deps.version,
    now: deps.now,
    gatePolicy: gatePolicyFrom(settings, {}),
    log: deps.log,
    startReleaseScan,
    staticFiles: (path, method) => web.serve(path, method),
    ...(caseSettings === undefined ? {} : { directory: buildVendorDirectory(caseSettings.vendors), submission: caseSettings.submission }),
  });
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (error) {
    await jobs.stop();
    await opened.store.close();
    throw error;
  }
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    location: opened.location,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await jobs.stop();
      await opened.store.close();
    },
  };
}
