/**
 * `absolve serve`: the HTTP API on one opened store, with scan jobs run in this process (the
 * embedded set-up: nothing else to install).
 */
import { serve } from '@hono/node-server';
import type { RunningServer, ServeOptions } from '../cli/commands/service-command.ts';
import { DEFAULT_GATE_POLICY } from '../core/gate/release-gate.ts';
import type { OpenStore } from '../core/releases/ports.ts';
import { createApi } from '../server/api.ts';

export async function startServer(options: ServeOptions, deps: { openStore: OpenStore; version: string; now: () => Date; log: (line: string) => void }): Promise<RunningServer> {
  const opened = await deps.openStore(options.db, { create: true });
  const app = createApi({ store: opened, version: deps.version, now: deps.now, gatePolicy: DEFAULT_GATE_POLICY, log: deps.log });
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
      await opened.store.close();
    },
  };
}
