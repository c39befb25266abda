import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_GATE_POLICY, evaluateGate } from '../../src/core/gate/release-gate.ts';
import { liveReleases } from '../../src/core/monitor/live-releases.ts';
import { makeVerdict, type Verdict, type VerdictCategory } from '../../src/core/scans/index.ts';
import { certA, certB, draft } from '../store/sample-data.ts';

const files = [
  { path: 'app.exe', content: 'app', signer: certA },
  { path: 'lib.dll', content: 'lib', signer: certA },
];
const release = { ...draft('app', '1.0', files), findings: [] };
const [app, lib] = release.artifacts;

function verdicts(entries: Record<string, VerdictCategory>): Verdict[] {
  return Object.entries(entries).map(([engine, category]) => makeVerdict({ engine, via: 'virustotal', category, result: category === 'malicious' ? 'Trojan.Gen.MBT' : null, scannedAt: '2026-12-05T00:00:00.000Z' }));
}

describe('release gate', () => {
  it('passes a signed release that no engine flags', () => {
    const result = evaluateGate({ release, verdicts: new Map([[app!.sha256, verdicts({ Microsoft: 'undetected' })], [lib!.sha256, verdicts({ Symantec: 'undetected' })]]) }, DEFAULT_GATE_POLICY);
    assert.deepEqual([result.pass, result.reasons], [true, []]);
  });

  it('fails on detections over the limit and on a must-be-clean engine, naming files and engines', () => {
    const standing = new Map([[app!.sha256, verdicts({ Microsoft: 'malicious', Symantec: 'malicious', ESET: 'undetected' })], [lib!.sha256, verdicts({ Symantec: 'undetected' })]]);
    const strict = evaluateGate({ release, verdicts: standing }, DEFAULT_GATE_POLICY);
    assert.equal(strict.pass, false);
    assert.deepEqual(strict.reasons.map((r) => [r.code, r.files]), [
      ['DETECTIONS', ['app.exe']],
      ['MUST_BE_CLEAN', ['app.exe']],
    ]);
    assert.match(strict.reasons[0]?.message ?? '', /app\.exe \(2: Microsoft, Symantec\)/);
    const lenient = evaluateGate({ release, verdicts: standing }, { ...DEFAULT_GATE_POLICY, maxFlaggingEngines: 2, mustBeClean: [] });
    assert.equal(lenient.pass, true);
  });

  it('an unscanned file is not clean; invalid signatures and foreign signers fail', () => {
    const unsigned = { ...draft('app', '1.1', [{ path: 'app.exe', content: 'x', signer: null }, { path: 'b.exe', content: 'y', signer: certB }]), findings: [] };
    const result = evaluateGate({ release: unsigned, verdicts: new Map() }, { ...DEFAULT_GATE_POLICY, pinnedSigners: [certA.thumbprintSha256] });
    assert.deepEqual(result.reasons.map((r) => r.code), ['NOT_SCANNED', 'SIGNATURE_POLICY', 'SIGNER_NOT_PINNED']);
    assert.deepEqual(result.reasons[2]?.files, ['b.exe']);
    assert.equal(evaluateGate({ release: unsigned, verdicts: new Map() }, { ...DEFAULT_GATE_POLICY, requireScan: false, requireValidSignatures: false }).pass, true);
  });

  it('live releases: the newest per product and channel', () => {
    const h = (product: string, version: string, channel: string, createdAt: string) => ({ ...draft(product, version, [], { channel, createdAt }).header });
    const live = liveReleases([h('app', '1.0', 'stable', '2026-01-01T00:00:00Z'), h('app', '1.1', 'stable', '2026-02-01T00:00:00Z'), h('app', '2.0-beta', 'beta', '2026-01-15T00:00:00Z'), h('tool', '0.9', 'stable', '2026-01-10T00:00:00Z')]);
    assert.deepEqual(live.map((x) => `${x.product}@${x.version}`), ['tool@0.9', 'app@2.0-beta', 'app@1.1']);
  });
});
