import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AbsolveError } from '../../src/core/errors.ts';
import { MD_NOT_KNOWN_DETAIL, createMetaDefenderEngine, type MetaDefenderEngineOptions } from '../../src/engines/metadefender/metadefender-engine.ts';
import { mdDetailsToVerdicts } from '../../src/engines/metadefender/metadefender-verdicts.ts';
import { SlidingWindowLimiter } from '../../src/engines/quota/request-limiter.ts';
import { smallSample } from '../support/cloud-samples.ts';
import { FAKE_MD_KEY, FakeMetaDefender } from '../support/fake-metadefender.ts';
import { engineContract } from './engine-contract.ts';

function options(fake: FakeMetaDefender, extra: Partial<MetaDefenderEngineOptions> & { perWindow?: number; windowMs?: number } = {}): MetaDefenderEngineOptions {
  const { perWindow = 10, windowMs = 300, ...rest } = extra;
  return {
    apiKey: FAKE_MD_KEY,
    baseUrl: fake.baseUrl,
    limiter: new SlidingWindowLimiter({ perWindow, windowMs, perDay: 100_000 }),
    uploadLimiter: new SlidingWindowLimiter({ perWindow: 1000, windowMs: 1000, perDay: 100 }),
    retry: { maxAttempts: 8, backoffMs: 10, maxBackoffMs: 80 },
    poll: { initialMs: 20, maxMs: 100, timeoutMs: 60_000 },
    requestTimeoutMs: 5000,
    uploadTimeoutMs: rest.requestTimeoutMs ?? 5000,
    ...rest,
  };
}

engineContract('MetaDefender Cloud (local documented-behaviour server)', async () => {
  const clean = smallSample('md-clean');
  const flagged = smallSample('md-flagged');
  const fake = await FakeMetaDefender.start({ quota: { perWindow: 1000, windowMs: 1000 } });
  fake.addKnownFile(clean.sha256);
  fake.addKnownFile(flagged.sha256, { ESET: 'a variant of Win32/Packed.VMProtect.AAA', Ahnlab: 23 });
  const hanging = await FakeMetaDefender.start({ quota: { perWindow: 1000, windowMs: 1000 }, faults: { rate: 1, seed: 2, kinds: ['hang'] } });
  return {
    engine: createMetaDefenderEngine(options(fake, { perWindow: 1000 })),
    clean,
    flagged,
    flaggedName: /VMProtect/,
    broken: createMetaDefenderEngine({ ...options(fake), baseUrl: 'http://127.0.0.1:9/v4', retry: { maxAttempts: 2, backoffMs: 5, maxBackoffMs: 5 } }),
    hanging: createMetaDefenderEngine({ ...options(hanging), requestTimeoutMs: 200, retry: { maxAttempts: 2, backoffMs: 5, maxBackoffMs: 5 } }),
    close: async () => {
      await fake.close();
      await hanging.close();
    },
  };
});

describe('MetaDefender engine', () => {
  const samples = Array.from({ length: 20 }, (_, i) => smallSample(`md-file-${i}`));
  const known = samples.slice(0, 15);
  const unknown = samples.slice(15);

  async function fakeWithKnown(extra: ConstructorParameters<typeof FakeMetaDefender>[0] = {}): Promise<FakeMetaDefender> {
    const fake = await FakeMetaDefender.start({ quota: { perWindow: 4, windowMs: 300 }, ...extra });
    known.forEach((s, i) => fake.addKnownFile(s.sha256, i % 4 === 0 ? { 'CrowdStrike Falcon ML': 'win/malicious_confidence_60% (W)' } : {}));
    return fake;
  }

  test('lookupMany: one bulk request for all hashes, then scan() needs no lookup; unknown files not uploaded by default', async () => {
    const fake = await fakeWithKnown();
    try {
      const engine = createMetaDefenderEngine(options(fake, { perWindow: 4 }));
      const states = await engine.lookupMany([...samples.map((s) => s.sha256), samples[0]!.sha256]);
      assert.equal(fake.requests('POST', /^\/v4\/hash$/).length, 1);
      assert.deepEqual([...states.values()].filter((s) => s === 'known').length, 15);
      const results = await Promise.all(samples.map((s) => engine.scan(s, {})));
      assert.equal(fake.log.length, 1, 'the bulk lookup was the only request');
      assert.equal(fake.uploads.size, 0);
      for (const [i, verdicts] of results.entries()) {
        if (i < 15) assert.equal(verdicts.length, 7);
        else assert.deepEqual(verdicts.map((v) => [v.engine, v.category, v.detail]), [['MetaDefender', 'failure', MD_NOT_KNOWN_DETAIL]]);
      }
      assert.equal(results[0]?.find((v) => v.engine === 'CrowdStrike Falcon ML')?.category, 'malicious');
      assert.equal(results[0]?.find((v) => v.engine === 'ESET')?.definitionsDate, '2026-11-30T06:00:00.000Z');
    } finally {
      await fake.close();
    }
  });

  test("upload 'unknown' without a bulk lookup: one lookup per hash, only the 5 unknown uploaded once, within the quota at the server", async () => {
    const fake = await fakeWithKnown();
    try {
      const engine = createMetaDefenderEngine(options(fake, { upload: 'unknown', perWindow: 4 }));
      const results = await Promise.all([...samples, samples[2]!, samples[17]!].map((s) => engine.scan(s, {})));
      for (const s of samples) assert.equal(fake.requests('GET', new RegExp(`/v4/hash/${s.sha256}$`)).length, 1);
      assert.deepEqual([...fake.uploads.keys()].sort(), unknown.map((s) => s.sha256).sort());
      for (const n of fake.uploads.values()) assert.equal(n, 1);
      for (const verdicts of results) assert.equal(verdicts.length, 7);
      assert.ok(fake.maxRequestsInAnyWindow() <= 4, `${fake.maxRequestsInAnyWindow()} in one window`);
      assert.equal(fake.quotaRejections, 0);
    } finally {
      await fake.close();
    }
  });

  test('30% of responses injected as 429 / 500 / no answer: every file ends with verdicts, nothing uploaded twice', async () => {
    const fake = await fakeWithKnown({ quota: { perWindow: 8, windowMs: 150 }, faults: { rate: 0.3, seed: 99 } });
    try {
      const engine = createMetaDefenderEngine(options(fake, { upload: 'unknown', perWindow: 8, windowMs: 150, requestTimeoutMs: 250 }));
      const results = await Promise.all(samples.map((s) => engine.scan(s, {})));
      for (const verdicts of results) assert.ok(verdicts.length > 0);
      for (const n of fake.uploads.values()) assert.equal(n, 1);
      assert.ok(results.filter((v) => v.length === 7).length >= 18);
      assert.equal(fake.quotaRejections, 0);
    } finally {
      await fake.close();
    }
  });

  test("upload 'always' rescans a known file (GET /v4/file/{file_id}/rescan) without uploading it", async () => {
    const fake = await fakeWithKnown({ quota: { perWindow: 100, windowMs: 1000 } });
    try {
      const verdicts = await createMetaDefenderEngine(options(fake, { upload: 'always', perWindow: 100 })).scan(known[0]!, {});
      assert.equal(fake.requests('GET', /\/rescan$/).length, 1);
      assert.equal(fake.uploads.size, 0);
      assert.equal(verdicts.length, 7);
    } finally {
      await fake.close();
    }
  });

  test('a wrong key: one clear failure, the key never shown; a missing key is a configuration error', async () => {
    const fake = await fakeWithKnown({ quota: { perWindow: 100, windowMs: 1000 } });
    try {
      const engine = createMetaDefenderEngine({ ...options(fake), apiKey: 'wrong-md-key-777' });
      const verdicts = await engine.scan(known[1]!, {});
      const again = await engine.scan(known[2]!, {});
      assert.equal(verdicts[0]?.category, 'failure');
      assert.match(verdicts[0]?.detail ?? '', /401.*MD_API_KEY/);
      assert.ok(!JSON.stringify([verdicts, again]).includes('wrong-md-key-777'));
      assert.equal(fake.log.length, 1, 'no request after the key was refused');
    } finally {
      await fake.close();
    }
    assert.throws(() => createMetaDefenderEngine({ apiKey: undefined }), (e: unknown) => e instanceof AbsolveError && e.code === 'ENGINE_CONFIG_INVALID' && /MD_API_KEY/.test(e.message));
  });

  test('per-engine scan_result_i → categories (documented codes; unknown codes are failures, never clean)', () => {
    const at = '2026-12-01T00:00:00.000Z';
    const v = mdDetailsToVerdicts(
      {
        A: { scan_result_i: 0, threat_found: '' },
        B: { scan_result_i: 1, threat_found: 'Trojan.GenericKD.1' },
        C: { scan_result_i: 2, threat_found: '' },
        D: { scan_result_i: 3, threat_found: '' },
        E: { scan_result_i: 10, threat_found: '' },
        F: { scan_result_i: 22, threat_found: 'PUA.Win32.Bundler' },
        G: { scan_result_i: 23, threat_found: '' },
        H: { scan_result_i: 16, threat_found: '' },
        I: { scan_result_i: 77, threat_found: '' },
      },
      at,
    );
    assert.deepEqual(
      v.map((x) => [x.engine, x.category, x.result]),
      [
        ['A', 'undetected', null],
        ['B', 'malicious', 'Trojan.GenericKD.1'],
        ['C', 'suspicious', 'suspicious (no name reported)'],
        ['D', 'failure', null],
        ['E', 'failure', null],
        ['F', 'suspicious', 'PUA.Win32.Bundler'],
        ['G', 'type-unsupported', null],
        ['H', 'timeout', null],
        ['I', 'failure', null],
      ],
    );
  });
});
