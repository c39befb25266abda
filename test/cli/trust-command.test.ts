/** `absolve trust update|status`, `--trust-store`, and the signature-coverage verdicts, as a user runs them. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { AuditReport } from '../../src/core/audit.types.ts';
import { repoRoot } from '../support/fixtures.ts';
import { sharedTrustDir, skipWithoutSharedTrust } from '../support/shared-trust.ts';

const entry = join(repoRoot, 'src', 'app', 'cli-entry.ts');
const scratch = mkdtempSync(join(tmpdir(), 'absolve-trust-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const coverage = (name: string): string => join('test', 'fixtures', 'coverage', name);
const coverageOracle = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'coverage', 'oracle.json'), 'utf8')) as {
  files: Record<string, { osslsigncodeExitCode: number; osslsigncode: string }>;
};

/** Runs the CLI with its own cache folder (the Microsoft store lives there). */
function absolve(cache: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cache, LOCALAPPDATA: cache };
  delete env.ABSOLVE_TRUST_BASE_URL;
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: repoRoot, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function auditJSON(cache: string, ...args: string[]): { code: number | null; report: AuditReport } {
  const r = absolve(cache, 'audit', '--format', 'json', ...args);
  return { code: r.code, report: JSON.parse(r.stdout) as AuditReport };
}

describe('absolve trust', () => {
  it('status without a store says so, in JSON too', () => {
    const cache = join(scratch, 'empty');
    const r = absolve(cache, 'trust', 'status', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const status = JSON.parse(r.stdout) as { schema: string; defaultStore: string; microsoft: unknown; dir: string };
    assert.deepEqual([status.schema, status.defaultStore, status.microsoft], ['absolve.trust-status/v1', 'node', null]);
    assert.equal(status.dir, join(cache, 'absolve', 'trust'));
    assert.match(absolve(cache, 'trust', 'status').stdout, /not imported: run 'absolve trust update'/);
  });

  it('--trust-store microsoft without a store is a one-line TRUST_STORE_MISSING (exit 2)', () => {
    const r = absolve(join(scratch, 'empty'), 'audit', 'test/fixtures/real/conpty.dll', '--trust-store', 'microsoft');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^absolve: TRUST_STORE_MISSING: .*absolve trust update.*\n$/);
  });

  it('an unreachable endpoint is a one-line TRUST_UPDATE_FAILED (exit 2)', async () => {
    const server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        // spawnSync would block the server's event loop: run the CLI asynchronously.
        void import('node:child_process').then(({ execFile }) => {
          const env = { ...process.env, XDG_CACHE_HOME: join(scratch, 'failed') };
          execFile(process.execPath, ['--import', 'tsx', entry, 'trust', 'update', '--base-url', `http://127.0.0.1:${port}/x/`], { cwd: repoRoot, env }, (error, _stdout, stderr) => {
            resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stderr });
          });
        });
      });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^absolve: TRUST_UPDATE_FAILED: http:\/\/127\.0\.0\.1:\d+\/x\/authroot\.stl was not found \(HTTP 404\)\n$/);
    } finally {
      server.close();
    }
  });

  it('rejects a --base-url that is not http(s)', () => {
    const r = absolve(join(scratch, 'empty'), 'trust', 'update', '--base-url', 'file:///etc/');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /absolve: USAGE: --base-url takes an http/);
  });
});

describe('absolve trust with the Microsoft list from ../shared/research/trust', { skip: skipWithoutSharedTrust }, () => {
  const cache = join(scratch, 'ms');

  it('update --from imports it and makes it the default for audit', () => {
    const r = absolve(cache, 'trust', 'update', '--from', sharedTrustDir, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { schema: string; entries: number; certificates: number; missing: number };
    assert.deepEqual([summary.schema, summary.entries, summary.certificates, summary.missing], ['absolve.trust-update/v1', 515, 371, 0]);
    const status = JSON.parse(absolve(cache, 'trust', 'status', '--format', 'json').stdout) as { defaultStore: string; microsoft: { entries: number; anchors: number; thisUpdate: string } };
    assert.deepEqual([status.defaultStore, status.microsoft.entries, status.microsoft.anchors, status.microsoft.thisUpdate], ['microsoft', 515, 371, '2026-04-22T00:33:28Z']);

    const valid = auditJSON(cache, 'test/fixtures/real', '--at', '2027-06-01T00:00:00Z');
    assert.equal(valid.code, 0);
    assert.deepEqual(
      valid.report.artifacts.filter((a) => a.format === 'pe').map((a) => [a.path, a.signature?.status]),
      ['conpty.dll', 'gmodule-2.0-0.dll', 'gstapp.dll', 'vcruntime140.dll'].map((n) => [`test/fixtures/real/${n}`, 'valid']),
    );
    const node = auditJSON(cache, 'test/fixtures/real/gstapp.dll', '--trust-store', 'node');
    assert.equal(node.code, 1);
    assert.equal(node.report.artifacts[0]?.signature?.reasonCode, 'ROOT_NOT_IN_STORE');
    assert.match(node.report.artifacts[0]?.signature?.reason ?? '', /Microsoft Identity Verification Root Certificate Authority 2020.*absolve trust update/);
  });
});

describe('bytes the signature does not cover (test/fixtures/coverage, osslsigncode oracle)', () => {
  const cache = join(scratch, 'coverage');
  const trust = ['--trust', 'test/fixtures/pki/ca.crt', '--trust-store', 'none'];

  it('22 bytes appended after the certificate table: invalid, DIGEST_MISMATCH naming them (osslsigncode fails too)', () => {
    assert.notEqual(coverageOracle.files['appended-22-x64.exe']?.osslsigncodeExitCode, 0);
    const { code, report } = auditJSON(cache, coverage('appended-22-x64.exe'), ...trust);
    assert.equal(code, 1);
    const s = report.artifacts[0]?.signature;
    assert.deepEqual([s?.status, s?.reasonCode], ['invalid', 'DIGEST_MISMATCH']);
    assert.match(s?.reason ?? '', /^22 byte\(s\) appended after the attribute certificate table \(at offset \d+\) are not covered by the signature/);
  });

  it('8 zero bytes inside the WIN_CERTIFICATE: ABS-SIG-009 with the count; --cert-padding-check makes it invalid', () => {
    assert.equal(coverageOracle.files['padding-zero-x64.exe']?.osslsigncodeExitCode, 0, 'osslsigncode accepts it (no padding check)');
    const lenient = auditJSON(cache, coverage('padding-zero-x64.exe'), ...trust);
    assert.equal(lenient.report.artifacts[0]?.signature?.status, 'valid');
    const finding = lenient.report.artifacts[0]?.findings.find((f) => f.id === 'ABS-SIG-009');
    assert.equal(finding?.severity, 'warning');
    assert.match(finding?.message ?? '', /holds 8 byte\(s\) after the PKCS#7 data beyond its 8-byte alignment \(all zero\)/);
    const strict = auditJSON(cache, coverage('padding-zero-x64.exe'), ...trust, '--cert-padding-check');
    assert.equal(strict.code, 1);
    assert.deepEqual([strict.report.artifacts[0]?.signature?.status, strict.report.artifacts[0]?.signature?.reasonCode], ['invalid', 'CERT_PADDING']);
    assert.match(strict.report.artifacts[0]?.signature?.reason ?? '', /^8 zero byte\(s\) follow the PKCS #7 signature/);
  });

  it('8 non-zero bytes: ABS-SIG-009 says not all zero; --cert-padding-check makes it invalid', () => {
    const lenient = auditJSON(cache, coverage('padding-nonzero-x64.exe'), ...trust);
    assert.match(lenient.report.artifacts[0]?.findings.find((f) => f.id === 'ABS-SIG-009')?.message ?? '', /8 byte\(s\).*\(not all zero\)/);
    const strict = auditJSON(cache, coverage('padding-nonzero-x64.exe'), ...trust, '--cert-padding-check');
    assert.equal(strict.report.artifacts[0]?.signature?.reasonCode, 'CERT_PADDING');
    assert.match(strict.report.artifacts[0]?.signature?.reason ?? '', /^8 non-zero byte\(s\)/);
  });

  it('a clean signature passes --cert-padding-check', () => {
    const { code, report } = auditJSON(cache, 'test/fixtures/lint/clean-signed-x64.exe', ...trust, '--cert-padding-check');
    assert.equal(code, 0);
    assert.equal(report.artifacts[0]?.signature?.status, 'valid');
  });

  it('a high-entropy section that is the exception table (.pdata) is no ABS-FP-006 finding', () => {
    const { report } = auditJSON(cache, coverage('pdata-entropy-x64.exe'), ...trust);
    const ids = report.artifacts[0]?.findings.map((f) => f.id) ?? [];
    assert.equal(ids.includes('ABS-FP-006'), false, ids.join(', '));
    const original = auditJSON(cache, 'test/fixtures/lint/wx-entropy-x64.exe', ...trust);
    assert.equal(original.report.artifacts[0]?.findings.some((f) => f.id === 'ABS-FP-006'), true, 'the same bytes as code/data are flagged');
  });
});
