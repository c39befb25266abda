/**
 * The load generator of bench/load.ts, run as its own process (so the server's event loop is not
 * shared with the client's): keep-alive HTTP/1.1 with Node's http client, `concurrency` requests
 * in flight, every route's latencies recorded. It sends `Accept-Encoding: gzip` as a browser does and counts
 * the bytes as sent (answers are not unzipped: that is the client's time, not the service's). Input: one JSON argument; output: one JSON line.
 */
import { Agent, request } from 'node:http';

interface Plan {
  base: string;
  token: string;
  concurrency: number;
  /** Requests per route. */
  requests: number;
  routes: Record<string, string[]>;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;
const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });

function get(path: string): Promise<{ status: number; ms: number; bytes: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(`${plan.base}${path}`, { agent, headers: { authorization: `Bearer ${plan.token}`, 'accept-encoding': 'gzip' } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, bytes }));
      res.on('error', () => resolve({ status: 0, ms: performance.now() - started, bytes }));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started, bytes: 0 }));
    req.end();
  });
}

const jobs: Array<{ route: string; path: string }> = [];
const names = Object.keys(plan.routes);
for (let i = 0; i < plan.requests; i++) {
  for (const route of names) {
    const paths = plan.routes[route] ?? [];
    const path = paths[(i * 7919) % paths.length];
    if (path !== undefined) jobs.push({ route, path });
  }
}
const results = new Map<string, { ms: number[]; errors: number; bytes: number }>(names.map((n) => [n, { ms: [], errors: 0, bytes: 0 }]));
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: plan.concurrency }, async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (job === undefined) break;
      const r = await get(job.path);
      const slot = results.get(job.route);
      if (slot === undefined) continue;
      slot.ms.push(r.ms);
      slot.bytes += r.bytes;
      if (r.status !== 200) slot.errors++;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const out: Record<string, unknown> = { seconds, requests: jobs.length, rps: jobs.length / seconds };
for (const [route, r] of results) {
  const sorted = [...r.ms].sort((a, b) => a - b);
  out[route] = { n: sorted.length, errors: r.errors, p50: pct(sorted, 50), p95: pct(sorted, 95), p99: pct(sorted, 99), max: sorted.at(-1) ?? NaN, avgBytes: sorted.length === 0 ? 0 : Math.round(r.bytes / sorted.length) };
}
agent.destroy();
process.stdout.write(`${JSON.stringify(out)}\n`);
