import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NEW_SIGNER_FINDING, newSignerFindings, summarizeCertificates } from '../../../src/core/releases/certificates.ts';
import { certA, certB, certNested, certificate, report } from '../../store/sample-data.ts';

describe('newSignerFindings (ABS-CERT-NEW-SIGNER)', () => {
  const artifacts = [
    report({ path: 'app.exe', content: 'a', signer: certB }),
    report({ path: 'setup.msi', content: 'm', signer: certB, format: 'unknown' }),
    report({ path: 'setup.msi!/lib.dll', content: 'l', signer: certA, nested: [certNested] }),
    report({ path: 'unsigned.exe', content: 'u' }),
  ];

  it('the first release of a product sets the baseline: no finding', () => {
    assert.deepEqual(newSignerFindings('Contoso', artifacts, { priorReleases: 0, priorSigners: new Set() }), []);
  });

  it('one warning per certificate never seen before, naming every file it signs, nested signers included', () => {
    const findings = newSignerFindings('Contoso', artifacts, { priorReleases: 2, priorSigners: new Set([certA.thumbprintSha256]) });
    assert.deepEqual(
      findings.map((f) => [f.id, f.severity, f.certificate?.thumbprintSha256, f.files]),
      [
        [NEW_SIGNER_FINDING, 'warning', certNested.thumbprintSha256, ['setup.msi!/lib.dll']],
        [NEW_SIGNER_FINDING, 'warning', certB.thumbprintSha256, ['app.exe', 'setup.msi']],
      ],
    );
    assert.match(findings[1]?.message ?? '', /^signed by a certificate never seen before for Contoso: CN=Fabrikam Code Signing.*2 files: app\.exe, setup\.msi$/);
    assert.equal(NEW_SIGNER_FINDING, 'ABS-CERT-NEW-SIGNER');
  });

  it('a long file list is shortened in the message, complete in files', () => {
    const many = Array.from({ length: 8 }, (_, i) => report({ path: `f${i}.exe`, content: `c${i}`, signer: certB }));
    const [finding] = newSignerFindings('P', many, { priorReleases: 1, priorSigners: new Set() });
    assert.match(finding?.message ?? '', /8 files: f0\.exe, f1\.exe, f2\.exe, f3\.exe, f4\.exe and 3 more$/);
    assert.equal(finding?.files.length, 8);
  });

  it('no finding when every signer is known', () => {
    assert.deepEqual(newSignerFindings('P', artifacts, { priorReleases: 1, priorSigners: new Set([certA.thumbprintSha256, certB.thumbprintSha256, certNested.thumbprintSha256]) }), []);
  });
});

describe('summarizeCertificates', () => {
  it('first and last release, release and file counts, expiry relative to now, ordered by first appearance', () => {
    const soon = certificate('Expiring', undefined, '2026-02-10T00:00:00.000Z');
    const summaries = summarizeCertificates(
      [
        {
          certificate: certB,
          files: 3,
          releases: [
            { product: 'Contoso', version: '2.0', createdAt: '2026-01-02T00:00:00.000Z' },
            { product: 'Fabrikam', version: '1', createdAt: '2026-01-03T00:00:00.000Z' },
          ],
        },
        {
          certificate: soon,
          files: 1,
          releases: [
            { product: 'Contoso', version: '1.1', createdAt: '2026-01-05T00:00:00.000Z' },
            { product: 'Contoso', version: '1.0', createdAt: '2026-01-01T00:00:00.000Z' },
          ],
        },
      ],
      new Date('2026-02-01T00:00:00.000Z'),
    );
    assert.deepEqual(
      summaries.map((s) => [s.subject, s.firstRelease.version, s.lastRelease.version, s.releases, s.files, s.products, s.expired, s.daysToExpiry]),
      [
        [soon.subject, '1.0', '1.1', 2, 1, ['Contoso'], false, 9],
        [certB.subject, '2.0', '1', 2, 3, ['Contoso', 'Fabrikam'], false, 7638],
      ],
    );
    const later = summarizeCertificates([{ certificate: soon, files: 1, releases: [{ product: 'C', version: '1', createdAt: '2026-01-01T00:00:00.000Z' }] }], new Date('2026-03-01T00:00:00.000Z'));
    assert.equal(later[0]?.expired, true);
    assert.equal(later[0]?.daysToExpiry, -19);
  });
});
