import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyDetectionChange } from '../../src/core/monitor/detection-events.ts';
import { makeVerdict, type Verdict, type VerdictCategory } from '../../src/core/scans/index.ts';

function set(entries: Record<string, VerdictCategory>): Verdict[] {
  return Object.entries(entries).map(([engine, category]) =>
    makeVerdict({ engine, via: 'virustotal', category, result: category === 'malicious' || category === 'suspicious' ? `Gen:${engine}` : null, scannedAt: '2026-12-05T00:00:00.000Z' }),
  );
}

describe('detection changes (VirusTotal Monitor tags)', () => {
  const cases: Array<[string, Record<string, VerdictCategory>, Record<string, VerdictCategory>, string | undefined]> = [
    ['clean → flagged: new', { A: 'undetected', B: 'undetected' }, { A: 'malicious', B: 'undetected' }, 'new-detections'],
    ['one → two: increasing', { A: 'malicious', B: 'undetected' }, { A: 'malicious', B: 'suspicious' }, 'increasing-detections'],
    ['two → one: decreasing', { A: 'malicious', B: 'malicious' }, { A: 'malicious', B: 'undetected' }, 'decreasing-detections'],
    ['flagged → clean: solved', { A: 'malicious', B: 'undetected' }, { A: 'undetected', B: 'undetected' }, 'solved-detections'],
    ['A → B: swapped', { A: 'malicious', B: 'undetected' }, { A: 'undetected', B: 'malicious' }, 'swapped-detections'],
    ['same engines: no event', { A: 'malicious', B: 'undetected' }, { A: 'malicious', B: 'undetected' }, undefined],
    ['the flagging engine failed: unknown, not solved', { A: 'malicious', B: 'undetected' }, { A: 'failure', B: 'undetected' }, undefined],
    ['the flagging engine timed out while another starts flagging: it keeps its state, increasing', { A: 'malicious', B: 'undetected' }, { A: 'timeout', B: 'malicious' }, 'increasing-detections'],
    ['an engine answering for the first time and flagging: new', { A: 'undetected' }, { A: 'undetected', C: 'malicious' }, 'new-detections'],
    ['an engine that failed before and is clean now: no event', { A: 'failure' }, { A: 'undetected' }, undefined],
    ['type-unsupported is no answer', { A: 'malicious' }, { A: 'type-unsupported' }, undefined],
  ];
  for (const [name, before, after, kind] of cases) {
    it(name, () => {
      assert.equal(classifyDetectionChange(set(before), set(after))?.kind, kind);
    });
  }

  it('reports the engines before and after', () => {
    assert.deepEqual(classifyDetectionChange(set({ A: 'malicious', B: 'undetected', C: 'malicious' }), set({ A: 'undetected', B: 'malicious', C: 'malicious' })), {
      kind: 'swapped-detections',
      before: ['A', 'C'],
      after: ['B', 'C'],
    });
  });
});
