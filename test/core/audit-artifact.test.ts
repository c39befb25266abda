/**
 * The whole audit of one file (headers → certificate table → one streaming pass → verify),
 * checked against the verdicts osslsigncode and openssl gave when the fixtures were built.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { auditArtifact } from '../../src/core/audit-artifact.ts';
import type { ArtifactReport, SignatureReport } from '../../src/core/audit.types.ts';
import { DEFAULT_AUDIT_LIMITS } from '../../src/core/limits.ts';
import { MemorySource, loadPEOracle, peFixtures, pemToDer, pki, type OracleSignature } from '../support/fixtures.ts';

const oracle = loadPEOracle();
const caAnchors = pemToDer(join(pki, 'ca.crt'));

async function audit(name: string, options: { anchors?: Uint8Array[]; at?: Date; maxReadBytes?: number; limits?: typeof DEFAULT_AUDIT_LIMITS } = {}): Promise<ArtifactReport> {
  const bytes = new Uint8Array(readFileSync(join(peFixtures, name)));
  const entry = oracle.files[name];
  return auditArtifact(new MemorySource(bytes, options.maxReadBytes), {
    path: name,
    hashes: ['sha256', 'sha1', 'md5'],
    trustAnchors: options.anchors ?? caAnchors,
    at: options.at ?? new Date(entry?.verifiedAt ?? oracle.generatedAt),
    limits: options.limits ?? DEFAULT_AUDIT_LIMITS,
  });
}

function sameInstant(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && new Date(a).getTime() === new Date(b).getTime();
}

function assertMatchesOracle(actual: SignatureReport, expected: OracleSignature, where: string): void {
  assert.equal(actual.digestAlgorithm, expected.digestAlgorithm, `${where}: digest algorithm`);
  if (expected.signer) {
    assert.ok(actual.signer, `${where}: signer expected`);
    for (const key of ['subject', 'issuer', 'serialNumber', 'thumbprintSha1', 'thumbprintSha256'] as const) {
      assert.equal(actual.signer[key], expected.signer[key], `${where}: signer ${key}`);
    }
    assert.ok(sameInstant(actual.signer.notBefore, expected.signer.notBefore), `${where}: notBefore`);
    assert.ok(sameInstant(actual.signer.notAfter, expected.signer.notAfter), `${where}: notAfter`);
  }
  if (expected.timestamp) {
    assert.equal(actual.timestamp?.kind, expected.timestamp.kind, `${where}: timestamp kind`);
    assert.ok(sameInstant(actual.timestamp?.time, expected.timestamp.time), `${where}: timestamp time ${actual.timestamp?.time} vs ${expected.timestamp.time}`);
  } else if (expected.timestamp === null) {
    assert.equal(actual.timestamp, null, `${where}: no timestamp`);
  }
}

describe('auditArtifact against the osslsigncode/openssl oracle', () => {
  for (const [name, entry] of Object.entries(oracle.files)) {
    it(`${name}: ${entry.expected.status}`, async () => {
      const report = await audit(name);
      assert.equal(report.sha256, entry.sha256, 'sha256 equals sha256sum');
      assert.equal(report.size, entry.size);
      const expected = entry.expected;
      if (!entry.isPE) {
        assert.equal(report.signature, null);
        assert.ok(report.error !== null, 'a non-PE named like a PE is reported');
        return;
      }
      if (expected.status === 'malformed' && report.signature === null) {
        // Headers too broken to be a PE at all: an error with a PE_* code.
        assert.match(report.error?.code ?? '', /^PE_/);
        return;
      }
      assert.ok(report.pe, 'PE summary');
      assert.equal(report.pe.machine, entry.machine);
      assert.equal(report.pe.bits, entry.bits);
      assert.equal(report.pe.isDll, entry.isDll);
      assert.equal(report.pe.subsystem, entry.subsystem);
      assert.ok(report.signature);
      if (name === 'truncated-sections.exe') {
        // osslsigncode calls it unsigned; the oracle says malformed because the script cut the section data.
        // Absolve reports both facts: no signature, and a finding for the missing section bytes.
        assert.equal(report.signature.status, 'unsigned');
        assert.ok(report.findings.some((f) => f.id === 'PE_SECTION_DATA_PAST_EOF'));
        return;
      }
      assert.equal(report.signature.status, expected.status, `${report.signature.reasonCode}: ${report.signature.reason}`);
      if (expected.status === 'unsigned') assert.equal(report.signature.reasonCode, 'NOT_SIGNED');
      if (expected.status === 'valid' || expected.signer) assertMatchesOracle(report.signature, expected, name);
      const nested = expected.nested ?? [];
      assert.equal(report.signature.nested.length, nested.length, 'nested signature count');
      nested.forEach((n, i) => {
        const actual = report.signature?.nested[i];
        assert.ok(actual);
        assertMatchesOracle(actual, n, `${name} nested[${i}]`);
        assert.equal(actual.status, 'valid');
      });
    });
  }
});

describe('auditArtifact: acceptance cases', () => {
  it('one byte changed in the code of a signed file → invalid (DIGEST_MISMATCH)', async () => {
    const bytes = new Uint8Array(readFileSync(join(peFixtures, 'signed-sha256.exe')));
    const good = await auditArtifact(new MemorySource(bytes), { path: 'x.exe', hashes: [], trustAnchors: caAnchors, at: new Date(oracle.generatedAt), limits: DEFAULT_AUDIT_LIMITS });
    assert.equal(good.signature?.status, 'valid');
    const textSection = good.pe?.sections.find((s) => s.name === '.text');
    assert.ok(textSection);
    // Flip a byte in the middle of .text (file offset from the section table).
    const copy = bytes.slice();
    const { parsePEHeaders } = await import('../../src/formats/pe/index.ts');
    const text = parsePEHeaders(copy).sections.find((s) => s.name === '.text');
    assert.ok(text);
    const at = text.pointerToRawData + Math.floor(text.sizeOfRawData / 2);
    copy[at] = (copy[at] ?? 0) ^ 0xff;
    const bad = await auditArtifact(new MemorySource(copy), { path: 'x.exe', hashes: [], trustAnchors: caAnchors, at: new Date(oracle.generatedAt), limits: DEFAULT_AUDIT_LIMITS });
    assert.equal(bad.signature?.status, 'invalid');
    assert.equal(bad.signature?.reasonCode, 'DIGEST_MISMATCH');
  });

  it('a self-signed signer is untrusted, and valid once its certificate is a trust anchor', async () => {
    assert.equal((await audit('signed-selfsigned.exe')).signature?.status, 'untrusted');
    // Like the oracle's run: the self-signed certificate as code-signing anchor, the test CA for the timestamp.
    const trusted = await audit('signed-selfsigned.exe', { anchors: [...pemToDer(join(pki, 'selfsigned.crt')), ...caAnchors] });
    assert.equal(trusted.signature?.status, oracle.files['signed-selfsigned.exe']?.expected.statusWhenTrusted);
    assert.equal(trusted.signature?.status, 'valid');
  });

  it('a security directory past EOF → malformed with PE_BAD_SECURITY_DIRECTORY', async () => {
    const report = await audit('secdir-past-eof.exe');
    assert.equal(report.signature?.status, 'malformed');
    assert.equal(report.signature?.reasonCode, 'PE_BAD_SECURITY_DIRECTORY');
    assert.ok(report.pe, 'the PE is still described');
  });

  it('an empty file and random bytes named .exe are reported as errors', async () => {
    assert.equal((await audit('empty.exe')).error?.code, 'EMPTY_FILE');
    assert.equal((await audit('random.exe')).error?.code, 'NOT_A_PE');
  });

  it('short reads give the same report as whole reads', async () => {
    const whole = await audit('signed-dual.exe');
    const dribbled = await audit('signed-dual.exe', { maxReadBytes: 37 });
    assert.deepEqual(dribbled, whole);
  });

  it('a PE above maxParsedPEBytes is streamed: same hashes and verdict, a note instead of imports', async () => {
    const full = await audit('signed-sha256.exe');
    const streamed = await audit('signed-sha256.exe', { limits: { ...DEFAULT_AUDIT_LIMITS, maxParsedPEBytes: 1024 } });
    assert.deepEqual(streamed.hashes, full.hashes);
    assert.deepEqual(streamed.signature, full.signature);
    assert.ok(streamed.findings.some((f) => f.id === 'PE_NOT_FULLY_PARSED'));
    assert.deepEqual(streamed.pe?.imports, []);
    assert.ok((full.pe?.imports.length ?? 0) > 0);
  });

  it('a certificate table over maxCertificateTableBytes is reported, not read', async () => {
    const report = await audit('signed-sha256.exe', { limits: { ...DEFAULT_AUDIT_LIMITS, maxCertificateTableBytes: 64 } });
    assert.equal(report.signature?.status, 'malformed');
    assert.equal(report.signature?.reasonCode, 'CERTIFICATE_TABLE_TOO_LARGE');
  });

  it('judges an expired certificate at its timestamp, and without one at --at', async () => {
    assert.equal((await audit('signed-expired-timestamped.exe')).signature?.status, 'valid');
    const noTs = await audit('signed-expired-notimestamp.exe');
    assert.equal(noTs.signature?.status, 'invalid');
    assert.equal(noTs.signature?.reasonCode, 'CERT_EXPIRED');
    const inTheDay = await audit('signed-expired-notimestamp.exe', { at: new Date('2020-07-01T00:00:00Z') });
    assert.equal(inTheDay.signature?.status, 'valid');
  });

  it('reports VERSIONINFO strings and the manifest of the GUI app', async () => {
    const report = await audit('app-x64-gui.exe');
    assert.equal(report.pe?.versionInfo?.strings.CompanyName, 'Contoso Ltd');
    assert.equal(report.pe?.versionInfo?.fileVersion, '1.2.3.4');
    assert.equal(report.pe?.hasManifest, true);
    const consoleApp = await audit('app-x64-console.exe');
    assert.equal(consoleApp.pe?.versionInfo, null);
    assert.equal(consoleApp.pe?.hasManifest, false);
  });
});

describe('auditArtifact: large overlays', () => {
  it('streams an overlay above LARGE_OVERLAY_BYTES and still reports it, its checksum and hashes', async () => {
    const { LARGE_OVERLAY_BYTES } = await import('../../src/core/limits.ts');
    const { computePEChecksum, parsePEHeaders } = await import('../../src/formats/pe/index.ts');
    const { createHash } = await import('node:crypto');
    const image = new Uint8Array(readFileSync(join(peFixtures, 'app-x64-gui.exe')));
    const whole = new Uint8Array(image.length + LARGE_OVERLAY_BYTES + 12345);
    whole.set(image);
    for (let i = image.length; i < whole.length; i++) whole[i] = (i * 31) & 0xff;
    const report = await auditArtifact(new MemorySource(whole), { path: 'setup.exe', hashes: [], trustAnchors: caAnchors, at: new Date(), limits: DEFAULT_AUDIT_LIMITS });
    assert.equal(report.error, null);
    assert.equal(report.sha256, createHash('sha256').update(whole).digest('hex'));
    assert.deepEqual(report.pe?.overlay, { offset: image.length, size: whole.length - image.length });
    const offset = parsePEHeaders(whole).authenticode.checksumOffset;
    assert.equal(report.pe?.checksum?.computed, computePEChecksum(whole, offset));
    assert.equal(report.pe?.versionInfo?.strings.CompanyName, 'Contoso Ltd');
  });
});
