/**
 * `absolve serve`: the HTTP API on one opened store, with scan jobs run in this process (the
 * embedded set-up: nothing else to install).
 */
import { serve } from '@hono/node-server';
import { engineRequest, sendAlerts, type ScanCommandDeps } from '../cli/commands/scan-command.ts';
import { recordDetectionEvents } from '../core/monitor/record-events.ts';
import { newScanId, releaseRoots } from '../core/scans/release-roots.ts';
import { runScan } from '../core/scans/run-scan.ts';
import { ScanError } from '../core/scans/verdicts.ts';
import type { RunningServer, ServeOptions } from '../cli/commands/service-command.ts';
import { gatePolicyFrom } from '../core/service-settings.ts';
import type { OpenStore } from '../core/releases/ports.ts';
import { createApi } from '../server/api.ts';

export async function startServer(
  options: ServeOptions,
  deps: { openStore: OpenStore; version: string; now: () => Date; log: (line: string) => void; scan: Pick<ScanCommandDeps, 'createEngines' | 'containers' | 'fileRoot' | 'loadSettings' | 'webhookSender' | 'createMailer'> },
): Promise<RunningServer> {
  const settings = await deps.scan.loadSettings(undefined);
  const opened = await deps.openStore(options.db, { create: true, createFolders: options.createFolders });
  const running = new Set<Promise<void>>();
  /** A scan of a stored release, run in this process (the embedded job runner); its scan id is returned at once. */
  const startReleaseScan = async (product: string, version: string): Promise<{ jobId: string; scanId: string }> => {
    const engines = await deps.scan.createEngines(engineRequest({ upload: false, yaraRules: [] }, settings));
    if (engines.length === 0) throw new ScanError('ENGINE_CONFIG_INVALID', 'the server has no scan engine configured (set VT_API_KEY or MD_API_KEY, or configure clamav/yara)');
    const roots = await releaseRoots(deps.scan.fileRoot, opened, { product, version });
    const scanId = newScanId('scan', deps.now());
    const job = (async () => {
      try {
        const report = await runScan(roots, { id: scanId, trigger: 'api', inputs: [`${product}@${version}`], release: { product, version }, engines, store: opened.scans, containers: await deps.scan.containers(), now: deps.now, maxAgeMs: { virustotal: (settings.virustotal?.maxAgeHours ?? 24) * 3_600_000, metadefender: (settings.metadefender?.maxAgeHours ?? 24) * 3_600_000 } }, deps.version);
        const events = await recordDetectionEvents(report, opened.scans, opened.events);
        await sendAlerts({ webhookSender: deps.scan.webhookSender, ...(deps.scan.createMailer === undefined ? {} : { createMailer: deps.scan.createMailer }), now: deps.now }, opened, report, events, settings);
        deps.log(`scan ${scanId} of ${product}@${version}: ${report.summary.verdict}; ${events.length} event(s)`);
      } catch (error) {
        deps.log(`scan ${scanId} of ${product}@${version} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
    running.add(job);
    void job.finally(() => running.delete(job));
    return { jobId: scanId, scanId };
  };
  const app = createApi({ store: opened, version: deps.version, now: deps.now, gatePolicy: gatePolicyFrom(settings, {}), log: deps.log, startReleaseScan });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    location: opened.location,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...running]);
      await opened.store.close();
    },
  };
}
