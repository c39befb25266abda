/**
 * Cloud-scan quota benchmark: a 100-file release scanned with the VirusTotal engine against the
 * local documented-behaviour server (test/support/fake-virustotal.ts) under a per-minute-style
 * quota with a short window (4 requests per 1 s, BENCH_QUOTA_WINDOW_MS: the rule is VirusTotal's 4 per 60 s, scaled
 * down so the run takes about 75 s). Four samples at a time, as the scan use case runs them. A
 * request holds its slot until a window after its response, so each window costs one extra round
 * trip: the ratio is about 1 + round trip ÷ window (about 1.03 at 1 s here, 1.0005 at VT's 60 s).
 *
 * Reported, never asserted: calls made; wall time ÷ the least time the quota allows for that many
 * calls (the C-th request cannot be sent before floor((C − 1) / N) windows; target ≤ 1.05); and
 * wasted 429s (requests the server refused for quota; target 0).
 *
 *   node --import tsx bench/scan-quota.ts        (also run at the end of `npm run bench`)
 */
import { pathToFileURL } from 'node:url';
import type { ScanSample } from '../src/core/scans/index.ts';
import { SlidingWindowLimiter } from '../src/engines/quota/request-limiter.ts';
import { createVirusTotalEngine } from '../src/engines/virustotal/virustotal-engine.ts';
import { smallSample } from '../test/support/cloud-samples.ts';
import { FAKE_VT_KEY, FakeVirusTotal } from '../test/support/fake-virustotal.ts';

const PER_WINDOW = 4;
const WINDOW_MS = Number(process.env.BENCH_QUOTA_WINDOW_MS ?? 1000);
const FILES = 100;
const WORKERS = 4;

async function scenario(name: string, knownCount: number, upload: 'never' | 'unknown'): Promise<void> {
  const fake = await FakeVirusTotal.start({ quota: { perWindow: PER_WINDOW, windowMs: WINDOW_MS, perDay: 1_000_000 } });
  const samples: ScanSample[] = Array.from({ length: FILES }, (_, i) => smallSample(`bench-${name}-${i}`));
  samples.slice(0, knownCount).forEach((s, i) => fake.addKnownFile(s.sha256, i % 10 === 0 ? { Microsoft: 'Trojan:Win32/Wacatac.B!ml' } : {}));
  const engine = createVirusTotalEngine({
    apiKey: FAKE_VT_KEY,
    baseUrl: fake.baseUrl,
    upload,
    limiter: new SlidingWindowLimiter({ perWindow: PER_WINDOW, windowMs: WINDOW_MS, perDay: 1_000_000 }),
    // Polls scaled like the window (15 s first poll against a 60 s window).
    poll: { initialMs: WINDOW_MS / 4, maxMs: WINDOW_MS, timeoutMs: 600_000 },
    retry: { maxAttempts: 5, backoffMs: WINDOW_MS / 30, maxBackoffMs: WINDOW_MS },
  });
  let next = 0;
  let withVerdicts = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < samples.length) {
        const sample = samples[next++];
        if (sample === undefined) break;
        const verdicts = await engine.scan(sample, {});
        if (verdicts.length > 1) withVerdicts++;
      }
    }),
  );
  const wallMs = performance.now() - t0;
  await fake.close();
  const calls = fake.log.length;
  const leastMs = Math.floor((calls - 1) / PER_WINDOW) * WINDOW_MS;
  console.log(
    `  ${name.padEnd(34)} calls ${String(calls).padStart(4)} (uploads ${fake.uploads.size})   wall ${(wallMs / 1000).toFixed(2)} s / least ${(leastMs / 1000).toFixed(2)} s = ${(wallMs / leastMs).toFixed(3)} (target ≤ 1.05)   wasted 429s ${fake.quotaRejections} (target 0)   max in a window ${fake.maxRequestsInAnyWindow()}/${PER_WINDOW}   files with engine verdicts ${withVerdicts}/${FILES}`,
  );
}

export async function benchScanQuota(): Promise<void> {
  console.log(`\ncloud scan quota: ${FILES} files, VirusTotal engine vs the local VT server, ${PER_WINDOW} requests per ${WINDOW_MS} ms window, ${WORKERS} at a time:`);
  await scenario('all known (lookups only)', FILES, 'never');
  await scenario('80 known, 20 uploaded (--upload)', 80, 'unknown');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await benchScanQuota();
