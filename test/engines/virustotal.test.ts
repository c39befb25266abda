import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AbsolveError } from '../../src/core/errors.ts';
import type { ScanEngine, ScanSample, Verdict } from '../../src/core/scans/index.ts';
import { SlidingWindowLimiter } from '../../src/engines/quota/request-limiter.ts';
import { NOT_KNOWN_DETAIL, createVirusTotalEngine, type VirusTotalEngineOptions } from '../../src/engines/virustotal/virustotal-engine.ts';
import { MONITOR_NOT_FOUND_DETAIL, createVirusTotalMonitorEngine } from '../../src/engines/virustotal/virustotal-monitor-engine.ts';
import { vtResultsToVerdicts } from '../../src/engines/virustotal/virustotal-verdicts.ts';
import { generatedSample, smallSample } from '../support/cloud-samples.ts';
import { FAKE_VT_KEY, FakeVirusTotal } from '../support/fake-virustotal.ts';
import { engineContract } from './engine-contract.ts';

/** Fast settings for a local server: a short window (the rule is the same as 4 per minute), short polls. */
function options(fake: FakeVirusTotal, extra: Partial<VirusTotalEngineOptions> = {}): VirusTotalEngineOptions {
  const windowMs = extra.quota?.windowMs ?? 300;
  const perWindow = extra.quota?.perWindow ?? 4;
  return {
    apiKey: FAKE_VT_KEY,
    baseUrl: fake.baseUrl,
    limiter: new SlidingWindowLimiter({ perWindow, windowMs, perDay: 10_000 }),
    retry: { maxAttempts: 6, backoffMs: 20, maxBackoffMs: 200 },
    poll: { initialMs: 30, maxMs: 150, timeoutMs: 60_000 },
    requestTimeoutMs: 5000,
    uploadTimeoutMs: extra.requestTimeoutMs ?? 5000,
    ...extra,
  };
}

const DEAD_URL = 'http://127.0.0.1:9/api/v3';

engineContract('VirusTotal (local documented-behaviour server)', async () => {
  const clean = smallSample('contract-clean');
  const flagged = smallSample('contract-flagged');
  const fake = await FakeVirusTotal.start({ quota: { perWindow: 100, windowMs: 1000 } });
  fake.addKnownFile(clean.sha256);
  fake.addKnownFile(flagged.sha256, { Microsoft: 'Trojan:Win32/Wacatac.B!ml', BitDefender: 'Gen:Variant.Fugrafa.1234' });
  const hangingFake = await FakeVirusTotal.start({ quota: { perWindow: 100, windowMs: 1000 }, faults: { rate: 1, seed: 1, kinds: ['hang'] } });
  return {
    engine: createVirusTotalEngine(options(fake, { quota: { perWindow: 100, windowMs: 1000 } })),
    clean,
    flagged,
    flaggedName: /Wacatac/,
    broken: createVirusTotalEngine({ ...options(fake), baseUrl: DEAD_URL, retry: { maxAttempts: 2, backoffMs: 10, maxBackoffMs: 10 } }),
    hanging: createVirusTotalEngine({ ...options(hangingFake), requestTimeoutMs: 200, retry: { maxAttempts: 2, backoffMs: 10, maxBackoffMs: 10 } }),
    close: async () => {
      await fake.close();
      await hangingFake.close();
    },
  };
});

async function scanAll(engine: ScanEngine, samples: ScanSample[]): Promise<Verdict[][]> {
  return Promise.all(samples.map((s) => engine.scan(s, {})));
}

describe('VirusTotal engine: the acceptance scenario (4 requests per window, 20 files of which 15 known)', () => {
  const samples = Array.from({ length: 20 }, (_, i) => smallSample(`file-${i}`));
  const known = samples.slice(0, 15);
  const unknown = samples.slice(15);
  // Three more paths with the same bytes as other files (a DLL shipped twice): still one lookup per hash.
  const withDuplicates = [...samples, { ...samples[0]!, displayName: 'other/file-0.exe' }, { ...samples[16]!, displayName: 'other/file-16.exe' }, { ...samples[3]!, displayName: 'x/file-3.exe' }];

  async function fakeWithKnown(): Promise<FakeVirusTotal> {
    const fake = await FakeVirusTotal.start({ quota: { perWindow: 4, windowMs: 300 } });
    known.forEach((s, i) => fake.addKnownFile(s.sha256, i % 5 === 0 ? { Microsoft: 'Trojan:Win32/Wacatac.B!ml' } : {}));
    return fake;
  }

  test('default policy: exactly one lookup per unique hash, no upload, the 5 unknown files reported as unknown', async () => {
    const fake = await fakeWithKnown();
    try {
      const engine = createVirusTotalEngine(options(fake));
      const results = await scanAll(engine, withDuplicates);
      for (const s of samples) assert.equal(fake.requests('GET', new RegExp(`/files/${s.sha256}$`)).length, 1, `one lookup of ${s.displayName}`);
      assert.equal(fake.log.length, 20, 'no other request');
      assert.equal(fake.uploads.size, 0, 'nothing uploaded');
      assert.equal(fake.requests('POST', /./).length, 0);
      for (const [i, verdicts] of results.entries()) {
        const sample = withDuplicates[i]!;
        if (unknown.some((u) => u.sha256 === sample.sha256)) {
          assert.equal(verdicts.length, 1);
          assert.equal(verdicts[0]?.engine, 'VirusTotal');
          assert.equal(verdicts[0]?.category, 'failure');
          assert.equal(verdicts[0]?.detail, NOT_KNOWN_DETAIL);
        } else assert.equal(verdicts.length, 8, 'one verdict per AV engine');
      }
      assert.ok(fake.maxRequestsInAnyWindow() <= 4, `server saw ${fake.maxRequestsInAnyWindow()} requests in one window`);
      assert.equal(fake.quotaRejections, 0);
    } finally {
      await fake.close();
    }
  });

  test("upload 'unknown': only the 5 unknown files are uploaded, once each; never more than 4 requests in any window; every file gets engine verdicts", async () => {
    const fake = await fakeWithKnown();
    try {
      const engine = createVirusTotalEngine(options(fake, { upload: 'unknown' }));
      const results = await scanAll(engine, withDuplicates);
      assert.deepEqual([...fake.uploads.keys()].sort(), unknown.map((s) => s.sha256).sort());
      for (const count of fake.uploads.values()) assert.equal(count, 1);
      for (const s of known) assert.equal(fake.requests('GET', new RegExp(`/files/${s.sha256}$`)).length, 1, 'known: one lookup');
      for (const verdicts of results) {
        assert.equal(verdicts.length, 8);
        assert.ok(verdicts.every((v) => v.category === 'undetected' || v.category === 'malicious'));
      }
      assert.ok(fake.requests('GET', /^\/api\/v3\/analyses\//).length >= 5, 'analyses polled');
      assert.ok(fake.maxRequestsInAnyWindow() <= 4, `server saw ${fake.maxRequestsInAnyWindow()} requests in one window`);
      assert.equal(fake.quotaRejections, 0, 'no request wasted on a 429');
    } finally {
      await fake.close();
    }
  });
});

describe('VirusTotal engine: faults', () => {
  test('30% of responses injected as 429 / 500 / no answer: every file ends with verdicts, nothing is uploaded twice', async () => {
    const samples = Array.from({ length: 20 }, (_, i) => smallSample(`faulty-${i}`));
    const fake = await FakeVirusTotal.start({ quota: { perWindow: 4, windowMs: 150 }, faults: { rate: 0.3, seed: 424242 } });
    samples.slice(0, 15).forEach((s) => fake.addKnownFile(s.sha256));
    try {
      const engine = createVirusTotalEngine(options(fake, { upload: 'unknown', quota: { perWindow: 4, windowMs: 150 }, requestTimeoutMs: 250, retry: { maxAttempts: 8, backoffMs: 10, maxBackoffMs: 80 } }));
      const results = await scanAll(engine, samples);
      for (const verdicts of results) assert.ok(verdicts.length > 0, 'a verdict set for every file');
      for (const [sha, count] of fake.uploads) assert.equal(count, 1, `${sha} uploaded ${count} times`);
      assert.ok(fake.log.some((r) => r.fault === 'hang') && fake.log.some((r) => r.fault === '429') && fake.log.some((r) => r.fault === '500'), 'every kind of fault happened');
      const answered = results.filter((v) => v.length === 8).length;
      assert.ok(answered >= 18, `nearly every file got engine verdicts despite the faults (${answered}/20)`);
      assert.equal(fake.quotaRejections, 0, 'the real quota was never exceeded');
    } finally {
      await fake.close();
    }
  });

  test('an upload whose answer never comes is not repeated: the hash is looked up again and the analysis found', async () => {
    const sample = smallSample('hung-upload');
    const fake = await FakeVirusTotal.start({ quota: { perWindow: 100, windowMs: 1000 }, detectionsOnUpload: new Map([[sample.sha256, { ESET: null, Microsoft: 'Trojan:Win32/Wacatac.H!ml' }]]) });
    try {
      // Every upload hangs after the server stored it; lookups and polls answer.
      fake.options.faults = { rate: 1, seed: 3, kinds: ['hang'], only: /^POST \/api\/v3\/files$/ };
      const engine = createVirusTotalEngine(options(fake, { upload: 'unknown', requestTimeoutMs: 300 }));
      const scanning = engine.scan(sample, {});
      // Let the upload hang, then stop injecting faults.
      while (fake.uploads.size === 0) await new Promise((r) => setTimeout(r, 20));
      fake.options.faults = undefined;
      const verdicts = await scanning;
      assert.equal(fake.uploads.get(sample.sha256), 1);
      assert.equal(verdicts.find((v) => v.engine === 'Microsoft')?.result, 'Trojan:Win32/Wacatac.H!ml');
    } finally {
      await fake.close();
    }
  });
});

describe('VirusTotal engine: uploads, rescans, keys', () => {
  let fake: FakeVirusTotal;
  before(async () => {
    fake = await FakeVirusTotal.start({ quota: { perWindow: 1000, windowMs: 1000 } });
  });
  after(() => fake.close());

  test('a file over 32 MB goes through a one-time upload URL, streamed (the server hashes what it receives)', async () => {
    const big = generatedSample(40 * 1024 * 1024 + 123, 'big-installer');
    const engine = createVirusTotalEngine(options(fake, { upload: 'unknown', quota: { perWindow: 1000, windowMs: 1000 } }));
    const verdicts = await engine.scan(big, {});
    assert.equal(verdicts.length, 8);
    assert.equal(fake.requests('GET', /\/files\/upload_url$/).length, 1);
    assert.equal(fake.requests('POST', /^\/_upload\//).length, 1);
    assert.equal(fake.requests('POST', /^\/api\/v3\/files$/).length, 0);
    assert.equal(fake.uploads.get(big.sha256), 1, 'the server received exactly these bytes');
  });

  test('a 200 MB upload is streamed: the client never runs more than a few MB ahead of what the server received', async () => {
    let maxAhead = 0;
    const start = fake.uploadBytesReceived;
    const big = generatedSample(200 * 1024 * 1024, 'streamed-200mb', (produced) => {
      maxAhead = Math.max(maxAhead, produced - (fake.uploadBytesReceived - start));
    });
    const verdicts = await createVirusTotalEngine(options(fake, { upload: 'unknown', quota: { perWindow: 1000, windowMs: 1000 }, uploadTimeoutMs: 120_000 })).scan(big, {});
    assert.equal(verdicts.length, 8);
    assert.equal(fake.uploads.get(big.sha256), 1);
    // Socket buffers of both ends and one chunk in flight: about 10 MB here, whatever the file size.
    assert.ok(maxAhead <= 32 * 1024 * 1024, `the client read ${(maxAhead / 1048576).toFixed(1)} MB ahead of the server`);
  });

  test('a file over 650 MB is not sent: a failure verdict says to scan its inner files', async () => {
    const huge: ScanSample = { sha256: 'a'.repeat(64), size: 700 * 1024 * 1024, displayName: 'huge.bin', stream: () => { throw new Error('must not be read'); } };
    const before = fake.log.length;
    const verdicts = await createVirusTotalEngine(options(fake, { upload: 'unknown', quota: { perWindow: 1000, windowMs: 1000 } })).scan(huge, {});
    assert.equal(verdicts.length, 1);
    assert.match(verdicts[0]?.detail ?? '', /650 MB/);
    assert.equal(fake.log.length - before, 1, 'only the lookup');
  });

  test("upload 'always' rescans a known file (POST /files/{id}/analyse) and polls the analysis", async () => {
    const sample = smallSample('rescan-me');
    fake.addKnownFile(sample.sha256, { Kaspersky: 'HEUR:Trojan.Win32.Generic' });
    const verdicts = await createVirusTotalEngine(options(fake, { upload: 'always', quota: { perWindow: 1000, windowMs: 1000 } })).scan(sample, {});
    assert.equal(fake.requests('POST', new RegExp(`/files/${sample.sha256}/analyse$`)).length, 1);
    assert.equal(fake.uploads.get(sample.sha256), undefined, 'a rescan is not an upload');
    const hit = verdicts.find((v) => v.engine === 'Kaspersky');
    assert.equal(hit?.category, 'malicious');
    assert.equal(hit?.definitionsDate, '2026-11-30');
    assert.equal(hit?.engineVersion, '1.2.3');
  });

  test('a wrong key: one clear failure verdict, the key never shown, no further requests for other files', async () => {
    const engine = createVirusTotalEngine({ ...options(fake), apiKey: 'not-the-key-5555' });
    const start = fake.log.length;
    const first = await engine.scan(smallSample('k1'), {});
    const second = await engine.scan(smallSample('k2'), {});
    for (const verdicts of [first, second]) {
      assert.equal(verdicts.length, 1);
      assert.equal(verdicts[0]?.category, 'failure');
      assert.match(verdicts[0]?.detail ?? '', /WrongCredentialsError.*VT_API_KEY/);
      assert.ok(!JSON.stringify(verdicts).includes('not-the-key-5555'));
    }
    assert.equal(fake.log.length - start, 1);
  });

  test('a missing key is a configuration error (ENGINE_CONFIG_INVALID) before any scan', () => {
    for (const apiKey of [undefined, '', '  ']) {
      assert.throws(
        () => createVirusTotalEngine({ apiKey }),
        (e: unknown) => e instanceof AbsolveError && e.code === 'ENGINE_CONFIG_INVALID' && /VT_API_KEY/.test(e.message),
      );
    }
  });

  test('long quota waits are reported for the progress bar', async () => {
    const notes: string[] = [];
    const engine = createVirusTotalEngine(options(fake, { limiter: new SlidingWindowLimiter({ perWindow: 1, windowMs: 1100 }) }));
    await Promise.all(['w1', 'w2'].map((l) => engine.scan(smallSample(l), { onWait: (n) => notes.push(n) })));
    assert.ok(notes.some((n) => /^VT quota: next request in \d+ s$/.test(n)), notes.join(' | '));
  });
});

describe('VirusTotal engine: quota edges and abort', () => {
  test('the daily allowance: files beyond it get a clear failure verdict at once, and the server never refuses a request', async () => {
    const fake = await FakeVirusTotal.start({ quota: { perWindow: 100, windowMs: 1000, perDay: 3 } });
    try {
      const samples = Array.from({ length: 5 }, (_, i) => smallSample(`daily-${i}`));
      samples.forEach((s) => fake.addKnownFile(s.sha256));
      const engine = createVirusTotalEngine(options(fake, { limiter: new SlidingWindowLimiter({ perWindow: 100, windowMs: 1000, perDay: 3 }) }));
      const results = [];
      for (const s of samples) results.push(await engine.scan(s, {}));
      assert.deepEqual(results.map((v) => v.length), [8, 8, 8, 1, 1]);
      assert.match(results[4]?.[0]?.detail ?? '', /daily quota of 3 requests is used up; it resets at \d{4}-\d\d-\d\dT00:00:00.000Z/);
      assert.equal(fake.log.length, 3);
      assert.equal(fake.quotaRejections, 0);
    } finally {
      await fake.close();
    }
  });

  test('an abort while waiting for the quota rejects with AbortError and sends nothing more', async () => {
    const fake = await FakeVirusTotal.start({ quota: { perWindow: 1, windowMs: 60_000 } });
    try {
      const engine = createVirusTotalEngine(options(fake, { limiter: new SlidingWindowLimiter({ perWindow: 1, windowMs: 60_000 }) }));
      await engine.scan(smallSample('first'), {});
      const controller = new AbortController();
      let waiting!: () => void;
      const noted = new Promise<void>((resolve) => (waiting = resolve));
      const second = engine.scan(smallSample('second'), { signal: controller.signal, onWait: () => waiting() });
      await noted; // it waits for the quota (a minute)
      controller.abort();
      await assert.rejects(second, (e: Error) => e.name === 'AbortError');
      assert.equal(fake.log.length, 1);
    } finally {
      await fake.close();
    }
  });

  test('a service that never answers: after 3 requests in a row time out, the other files fail at once (bounded time and requests)', async () => {
    const fake = await FakeVirusTotal.start({ quota: { perWindow: 100, windowMs: 1000 }, faults: { rate: 1, seed: 5, kinds: ['hang'] } });
    try {
      const engine = createVirusTotalEngine(options(fake, { quota: { perWindow: 100, windowMs: 1000 }, requestTimeoutMs: 150, retry: { maxAttempts: 2, backoffMs: 5, maxBackoffMs: 5 } }));
      const samples = Array.from({ length: 40 }, (_, i) => smallSample(`dead-${i}`));
      const results: Verdict[][] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < samples.length) results.push(await engine.scan(samples[next++]!, {}));
        }),
      );
      assert.equal(results.length, 40);
      for (const verdicts of results) assert.deepEqual(verdicts.map((v) => v.category), ['timeout']);
      // At most (3 failures + 3 other workers in flight) × 2 attempts, however many files there are.
      assert.ok(fake.log.length <= 12, `${fake.log.length} requests to a service that never answers`);
      assert.ok(results.some((v) => /not asked: \d requests in a row got no answer/.test(v[0]?.detail ?? '')));
    } finally {
      await fake.close();
    }
  });

  test('a sample without a valid SHA-256 is not asked about (the hash goes into a URL path)', async () => {
    const fake = await FakeVirusTotal.start();
    try {
      const verdicts = await createVirusTotalEngine(options(fake)).scan({ ...smallSample('x'), sha256: '../../users/me' }, {});
      assert.equal(verdicts[0]?.category, 'failure');
      assert.equal(fake.log.length, 0);
    } finally {
      await fake.close();
    }
  });
});

describe('VirusTotal results → verdicts', () => {
  test('categories, definitions dates and the classifier label', () => {
    const verdicts = vtResultsToVerdicts(
      {
        Microsoft: { category: 'malicious', engine_name: 'Microsoft', engine_version: '1.1.24', engine_update: '20261201', method: 'blacklist', result: 'Trojan:Win32/Wacatac.B!ml' },
        Zillya: { category: 'confirmed-timeout', engine_name: 'Zillya', engine_version: '2.0', engine_update: '20261130', method: 'blacklist', result: null },
        Panda: { category: 'type-unsupported', engine_name: 'Panda', result: null },
        Odd: { category: 'something-new', engine_name: 'Odd', result: null },
      },
      '2026-12-01T10:00:00.000Z',
    );
    const by = new Map(verdicts.map((v) => [v.engine, v]));
    assert.equal(by.get('Microsoft')?.definitionsDate, '2026-12-01');
    assert.ok(by.get('Microsoft')?.classification !== null);
    assert.equal(by.get('Zillya')?.category, 'timeout');
    assert.equal(by.get('Panda')?.category, 'type-unsupported');
    assert.equal(by.get('Odd')?.category, 'failure', 'an unknown category is never read as clean');
  });
});

engineContract('VirusTotal Monitor (local documented-behaviour server)', async () => {
  const clean = smallSample('monitor-contract-clean');
  const flagged = smallSample('monitor-contract-flagged');
  const fake = await FakeVirusTotal.start({ quota: { perWindow: 100, windowMs: 1000 }, detectionsOnUpload: new Map([[flagged.sha256, { Symantec: 'ML.Attribute.HighConfidence' }]]) });
  const hangingFake = await FakeVirusTotal.start({ quota: { perWindow: 100, windowMs: 1000 }, faults: { rate: 1, seed: 1, kinds: ['hang'] } });
  return {
    engine: createVirusTotalMonitorEngine({ ...options(fake, { quota: { perWindow: 100, windowMs: 1000 } }), upload: 'unknown' }),
    clean,
    flagged,
    flaggedName: /HighConfidence/,
    broken: createVirusTotalMonitorEngine({ ...options(fake), baseUrl: DEAD_URL, retry: { maxAttempts: 2, backoffMs: 10, maxBackoffMs: 10 } }),
    hanging: createVirusTotalMonitorEngine({ ...options(hangingFake), requestTimeoutMs: 200, retry: { maxAttempts: 2, backoffMs: 10, maxBackoffMs: 10 } }),
    close: async () => {
      await fake.close();
      await hangingFake.close();
    },
  };
});

describe('VirusTotal Monitor engine', () => {
  test('items live at {folder}/{sha256}/{name}: found by a path filter, uploaded only with the policy, read once analysed', async () => {
    const sample = smallSample('monitored-app');
    const fake = await FakeVirusTotal.start({ quota: { perWindow: 100, windowMs: 1000 }, detectionsOnUpload: new Map([[sample.sha256, { Microsoft: 'Trojan:Win32/Sabsik.FL.B!ml' }]]) });
    try {
      const base = { ...options(fake, { quota: { perWindow: 100, windowMs: 1000 } }), folder: '/releases' };
      const notUploaded = await createVirusTotalMonitorEngine(base).scan(sample, {});
      assert.deepEqual(notUploaded.map((v) => [v.engine, v.category, v.detail]), [['VirusTotal', 'failure', MONITOR_NOT_FOUND_DETAIL]]);
      assert.equal(fake.uploads.size, 0);
      const verdicts = await createVirusTotalMonitorEngine({ ...base, upload: 'unknown' }).scan(sample, {});
      assert.equal(verdicts.find((v) => v.engine === 'Microsoft')?.result, 'Trojan:Win32/Sabsik.FL.B!ml');
      assert.deepEqual([...fake.monitorItems.values()].map((i) => i.path), [`/releases/${sample.sha256}/monitored-app.exe`]);
      // A later scan (a new engine) finds the item: no second upload.
      const later = await createVirusTotalMonitorEngine({ ...base, upload: 'unknown' }).scan(sample, {});
      assert.equal(later.length, 8);
      assert.equal(fake.uploads.get(sample.sha256), 1);
      assert.ok(fake.requests('GET', /^\/api\/v3\/monitor\/items$/).length >= 3);
    } finally {
      await fake.close();
    }
  });
});
