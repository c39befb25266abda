// Healthy real signed DLLs from the npm registry (test/fixtures/real, see its README): Microsoft-signed and
// Azure-Trusted-Signing-signed. With Microsoft's root program they are valid at their RFC 3161 times (as
// osslsigncode says with the same roots, test/fixtures/real/oracle.json); without it they are
// ROOT_NOT_IN_STORE naming the root; and lint finds nothing at warning level beyond what is true of them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { VerificationPolicy } from '../../src/authenticode/index.ts';
import { auditTree, MemoryByteSource } from '../../src/core/audit-tree.ts';
import type { ArtifactReport } from '../../src/core/audit.types.ts';
import { DEFAULT_AUDIT_LIMITS } from '../../src/core/limits.ts';
import { applyLint, DEFAULT_RULE_PARAMETERS, EMPTY_LINT_CONFIG } from '../../src/core/lint/index.ts';
import { importMicrosoftTrustStore } from '../../src/files/microsoft-trust-store.ts';
import { loadTrustAnchors } from '../../src/files/trust-store.ts';
import { repoRoot } from '../support/fixtures.ts';
import { sharedTrustDir, skipWithoutSharedTrust } from '../support/shared-trust.ts';

const REAL = join(repoRoot, 'test', 'fixtures', 'real');
/** After every leaf certificate here has expired: only the timestamps keep the signatures valid. */
const AT = new Date('2027-06-01T00:00:00Z');

interface RealOracle {
  files: Record<string, { sha256: string; osslsigncodeExitCode: number; timestampTimes: string[]; embeddedCertificates: string[] }>;
}
const oracle = JSON.parse(readFileSync(join(REAL, 'oracle.json'), 'utf8')) as RealOracle;

const EXPECTED: Record<string, { signer: RegExp; root: string; rootThumbprint: string; warnings: string[] }> = {
  'conpty.dll': { signer: /CN=Microsoft Corporation,/, root: 'Microsoft Root Certificate Authority 2011', rootThumbprint: '8F43288AD272F3103B6FB1428485EA3014C0BCFE', warnings: ['ABS-SIG-006'] },
  'vcruntime140.dll': {
    signer: /CN=Microsoft Windows Software Compatibility Publisher,/,
    root: 'Microsoft Root Certificate Authority 2011',
    rootThumbprint: '8F43288AD272F3103B6FB1428485EA3014C0BCFE',
    warnings: ['ABS-SIG-006'],
  },
  'gmodule-2.0-0.dll': {
    signer: /CN=OpenAI OpCo\\, LLC,/,
    root: 'Microsoft Identity Verification Root Certificate Authority 2020',
    rootThumbprint: 'F40042E2E5F7E8EF8189FED15519AECE42C3BFA2',
    warnings: [],
  },
  'gstapp.dll': {
    signer: /CN=OpenAI OpCo\\, LLC,/,
    root: 'Microsoft Identity Verification Root Certificate Authority 2020',
    rootThumbprint: 'F40042E2E5F7E8EF8189FED15519AECE42C3BFA2',
    warnings: ['ABS-FP-003'],
  },
};

async function audit(name: string, anchors: readonly Uint8Array[], policy: VerificationPolicy): Promise<ArtifactReport> {
  const bytes = new Uint8Array(readFileSync(join(REAL, name)));
  const reports = await auditTree(new MemoryByteSource(bytes), { path: name, hashes: [], trustAnchors: anchors, verificationPolicy: policy, at: AT, limits: DEFAULT_AUDIT_LIMITS });
  const [report] = applyLint(reports, { config: EMPTY_LINT_CONFIG, parameters: { ...DEFAULT_RULE_PARAMETERS, at: AT } });
  assert.ok(report !== undefined);
  return report;
}

describe('real binaries: the committed files are the ones recorded', () => {
  it('every file matches its recorded SHA-256 and osslsigncode accepted it with Microsoft’s roots', () => {
    for (const [name, entry] of Object.entries(oracle.files)) {
      assert.equal(createHash('sha256').update(readFileSync(join(REAL, name))).digest('hex'), entry.sha256, name);
      assert.equal(entry.osslsigncodeExitCode, 0, name);
    }
    assert.deepEqual(Object.keys(oracle.files).sort(), Object.keys(EXPECTED).sort());
  });
});

describe('real binaries without the Microsoft store', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} is untrusted / ROOT_NOT_IN_STORE naming ${expected.root} and 'absolve trust update'`, async () => {
      const trust = await loadTrustAnchors({ trustPaths: [], includeDefaultRoots: true, store: 'node' });
      const report = await audit(name, trust.anchors, trust.policy);
      assert.deepEqual([report.signature?.status, report.signature?.reasonCode], ['untrusted', 'ROOT_NOT_IN_STORE']);
      assert.ok(report.signature?.reason.includes(`"${expected.root}" (${expected.rootThumbprint})`), report.signature?.reason);
      assert.match(report.signature?.reason ?? '', /absolve trust update/);
    });
  }
});

describe('real binaries with the Microsoft store imported from ../shared/research/trust', { skip: skipWithoutSharedTrust }, () => {
  let work: string;
  let anchors: Uint8Array[] = [];
  let policy: VerificationPolicy = {};
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'absolve-real-'));
    await importMicrosoftTrustStore(join(work, 'trust'), sharedTrustDir);
    const trust = await loadTrustAnchors({ trustPaths: [], includeDefaultRoots: true, storeDir: join(work, 'trust') });
    assert.equal(trust.store, 'microsoft');
    anchors = trust.anchors;
    policy = trust.policy;
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} is valid with its RFC 3161 time, as osslsigncode says`, async () => {
      const report = await audit(name, anchors, policy);
      assert.equal(report.signature?.status, 'valid', report.signature?.reason);
      assert.match(report.signature?.signer?.subject ?? '', expected.signer);
      assert.equal(report.signature?.timestamp?.kind, 'rfc3161');
      assert.equal(report.signature?.timestamp?.time.slice(0, 19), oracle.files[name]?.timestampTimes[0]?.slice(0, 19));
      for (const [i, nested] of (report.signature?.nested ?? []).entries()) {
        assert.equal(nested.status, 'valid', `nested #${i + 1}`);
        assert.equal(nested.timestamp?.time.slice(0, 19), oracle.files[name]?.timestampTimes[i + 1]?.slice(0, 19));
      }
    });

    it(`${name}: no warning-level findings beyond ${expected.warnings.join(', ') || 'none'}`, async () => {
      const report = await audit(name, anchors, policy);
      const warnings = report.findings.filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.id);
      assert.deepEqual(warnings.sort(), [...expected.warnings].sort(), JSON.stringify(report.findings, null, 1));
      assert.equal(
        report.findings.some((f) => f.id === 'ABS-SIG-017'),
        false,
        'a validly timestamped signature is not reported for its expired certificate',
      );
    });
  }
});
