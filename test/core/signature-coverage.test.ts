// No `valid` for bytes a signature does not cover, at the core: data appended after the certificate table
// (hashed as the Authenticode spec's step 14 hashes "extra data", so the digest breaks) and bytes inside the
// WIN_CERTIFICATE beyond its 8-byte alignment (CVE-2013-3900). Fixtures: test/fixtures/coverage (osslsigncode
// verdicts in its oracle.json).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { authenticodeDigestRanges, bytesAfterCertificateTable } from '../../src/authenticode/index.ts';
import { auditArtifact } from '../../src/core/audit-artifact.ts';
import { DEFAULT_AUDIT_LIMITS } from '../../src/core/limits.ts';
import { parsePEHeaders } from '../../src/formats/pe/index.ts';
import { MemorySource, pemToDer, pki, repoRoot } from '../support/fixtures.ts';

const COVERAGE = join(repoRoot, 'test', 'fixtures', 'coverage');
const oracle = JSON.parse(readFileSync(join(COVERAGE, 'oracle.json'), 'utf8')) as { files: Record<string, { sha256: string; osslsigncodeExitCode: number }> };
const anchors = pemToDer(join(pki, 'ca.crt'));
const AT = new Date('2026-12-01T00:00:00Z');
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(COVERAGE, name)));

function audit(name: string, certPaddingCheck = false) {
  return auditArtifact(new MemorySource(read(name)), { path: name, hashes: [], trustAnchors: anchors, at: AT, limits: DEFAULT_AUDIT_LIMITS, verificationPolicy: { certPaddingCheck } });
}

describe('data appended after the attribute certificate table', () => {
  it('is part of the digest ranges, as the specification hashes it', () => {
    const bytes = read('appended-22-x64.exe');
    const layout = parsePEHeaders(bytes, bytes.length).authenticode;
    const ranges = authenticodeDigestRanges(layout, bytes.length);
    assert.deepEqual(ranges.at(-1), { start: bytes.length - 22, end: bytes.length });
    assert.deepEqual(bytesAfterCertificateTable(layout, bytes.length), { offset: bytes.length - 22, length: 22 });
  });

  it('makes the signature invalid (DIGEST_MISMATCH naming the bytes), where osslsigncode fails too', async () => {
    assert.notEqual(oracle.files['appended-22-x64.exe']?.osslsigncodeExitCode, 0);
    const report = await audit('appended-22-x64.exe');
    assert.deepEqual([report.signature?.status, report.signature?.reasonCode], ['invalid', 'DIGEST_MISMATCH']);
    assert.match(report.signature?.reason ?? '', /22 byte\(s\) appended after the attribute certificate table/);
    assert.equal(report.lintFacts?.signature.certificateTable?.bytesAfter, 22);
  });
});

describe('bytes inside the WIN_CERTIFICATE beyond the 8-byte alignment (CVE-2013-3900)', () => {
  for (const [name, zero] of [['padding-zero-x64.exe', true], ['padding-nonzero-x64.exe', false]] as const) {
    it(`${name}: valid by default (as osslsigncode), counted in the facts, invalid under --cert-padding-check`, async () => {
      assert.equal(oracle.files[name]?.osslsigncodeExitCode, 0);
      const lenient = await audit(name);
      assert.equal(lenient.signature?.status, 'valid', lenient.signature?.reason);
      const primary = lenient.lintFacts?.signature.signatures[0];
      assert.deepEqual([primary?.excessPaddingBytes, primary?.excessPaddingNonZero], [8, !zero]);
      const strict = await audit(name, true);
      assert.deepEqual([strict.signature?.status, strict.signature?.reasonCode], ['invalid', 'CERT_PADDING']);
    });
  }

  it('alignment padding alone is not excess', async () => {
    const bytes = new Uint8Array(readFileSync(join(repoRoot, 'test', 'fixtures', 'lint', 'clean-signed-x64.exe')));
    const r = await auditArtifact(new MemorySource(bytes), {
      path: 'clean-signed-x64.exe',
      hashes: [],
      trustAnchors: anchors,
      at: AT,
      limits: DEFAULT_AUDIT_LIMITS,
      verificationPolicy: { certPaddingCheck: true },
    });
    assert.equal(r.signature?.status, 'valid', r.signature?.reason);
    assert.equal(r.lintFacts?.signature.signatures[0]?.excessPaddingBytes, 0);
  });
});
