/**
 * The contract every ScanEngine adapter passes (VirusTotal, VT Monitor, MetaDefender, ClamAV,
 * YARA, command scanners): verdict shapes, detections carry a name and the classifier's label,
 * a scanner that cannot answer yields failure/timeout (never clean), and abort stops the scan.
 * Each adapter's test file calls `engineContract` with its own real or documented-behaviour setup.
 */
import assert from 'node:assert/strict';
import { describe, test, after, before } from 'node:test';
import { isDetection, VERDICT_CATEGORIES, type ScanEngine, type ScanSample, type Verdict } from '../../src/core/scans/index.ts';

export interface EngineContractSetup {
  /** A working engine. */
  engine: ScanEngine;
  /** A sample the engine does not flag. */
  clean: ScanSample;
  /** A sample the engine flags, and a pattern its detection name matches. */
  flagged: ScanSample;
  flaggedName: RegExp;
  /** The same engine, pointed at a scanner that cannot answer (dead server, missing binary, crashing command). */
  broken: ScanEngine;
  /** Optional: an engine whose scanner never answers, with a short timeout configured. */
  hanging?: ScanEngine;
  close?: () => Promise<void>;
}

function assertVerdictShape(verdict: Verdict, engine: ScanEngine): void {
  assert.equal(verdict.via, engine.via);
  assert.ok(verdict.engine.length > 0, 'engine name');
  assert.ok(VERDICT_CATEGORIES.includes(verdict.category), `category ${verdict.category}`);
  assert.ok(!Number.isNaN(Date.parse(verdict.scannedAt)), `scannedAt ${verdict.scannedAt}`);
  if (verdict.result === null) assert.equal(verdict.classification, null);
  else {
    assert.ok(verdict.classification !== null, 'a detection name carries the classifier label');
    assert.equal(typeof verdict.classification.generic, 'boolean');
  }
  if (isDetection(verdict.category)) assert.ok(verdict.result !== null, 'a detection has a name');
}

export function engineContract(name: string, setup: () => Promise<EngineContractSetup>, options: { skip?: string | false } = {}): void {
  describe(`ScanEngine contract: ${name}`, { skip: options.skip ?? false }, () => {
    let s: EngineContractSetup;
    before(async () => {
      s = await setup();
    });
    after(async () => {
      await s?.close?.();
    });

    test('a clean sample: verdicts of the documented shape, none a detection', async () => {
      const verdicts = await s.engine.scan(s.clean, {});
      assert.ok(verdicts.length > 0);
      for (const v of verdicts) assertVerdictShape(v, s.engine);
      assert.deepEqual(verdicts.filter((v) => isDetection(v.category)), []);
    });

    test('a flagged sample: a detection with its name and classification', async () => {
      const verdicts = await s.engine.scan(s.flagged, {});
      for (const v of verdicts) assertVerdictShape(v, s.engine);
      const hits = verdicts.filter((v) => isDetection(v.category));
      assert.ok(hits.length > 0, 'at least one detection');
      assert.ok(hits.some((v) => v.result !== null && s.flaggedName.test(v.result)), `a name matching ${s.flaggedName}: ${hits.map((v) => v.result).join(', ')}`);
    });

    test('a scanner that cannot answer: failure or timeout, never clean', async () => {
      const verdicts = await s.broken.scan(s.flagged, {});
      assert.ok(verdicts.length > 0);
      for (const v of verdicts) {
        assertVerdictShape(v, s.broken);
        assert.ok(v.category === 'failure' || v.category === 'timeout', `got ${v.category}`);
        assert.ok(v.detail !== undefined && v.detail.length > 0 && !v.detail.includes('\n'), 'a one-line reason');
      }
    });

    test('a scanner that never answers: timeout', { skip: false }, async (t) => {
      if (s.hanging === undefined) return t.skip('the adapter has no separate timeout setting');
      const verdicts = await s.hanging.scan(s.clean, {});
      assert.ok(verdicts.length > 0);
      for (const v of verdicts) assert.equal(v.category, 'timeout');
    });

    test('an aborted signal rejects with AbortError and leaves nothing running', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(s.engine.scan(s.flagged, { signal: controller.signal }), (error: Error) => error.name === 'AbortError');
    });
  });
}
