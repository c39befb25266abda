/**
 * The ReleaseStore contract: every adapter (SQLite, PostgreSQL, PGlite) runs these tests
 * unchanged (test/store/sqlite.test.ts, test/store/postgres.test.ts). `open` must return a store
 * on an empty database with the schema applied; each test closes what it opens.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { isReleaseError } from '../../src/core/releases/errors.ts';
import { exportStore, importStore, type ImportCounts } from '../../src/core/releases/export-records.ts';
import type { ReleaseStore } from '../../src/core/releases/ports.ts';
import type { ReleaseFinding, ReleaseHistory, SaveReleaseOptions } from '../../src/core/releases/release.types.ts';
import { certA, certB, certNested, draft, type FileSpec } from './sample-data.ts';

export interface StoreContractOptions {
  name: string;
  open(): Promise<ReleaseStore>;
  /** Tests an adapter cannot pass yet, each with the reason. */
  skip?: Array<{ reason: string; tests: string[] }>;
}

const keep: SaveReleaseOptions = { replace: false, deriveFindings: () => [] };

async function exportLines(store: ReleaseStore): Promise<string[]> {
  const lines: string[] = [];
  await exportStore(store, (line) => void lines.push(line));
  return lines;
}

function recordTypes(lines: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) {
    const type = (JSON.parse(l) as { type: string }).type;
    out[type] = (out[type] ?? 0) + 1;
  }
  return out;
}

async function* linesOf(lines: readonly string[]): AsyncGenerator<string> {
  for (const l of lines) yield await Promise.resolve(l.replace(/\n$/, ''));
}

const v1Files: FileSpec[] = [
  { path: 'app.exe', content: 'app v1', signer: certA },
  { path: 'lib/contoso.dll', content: 'lib v1', signer: certA, nested: [certNested] },
  { path: 'readme.txt', content: 'hello', format: 'unknown' },
  { path: 'updater.exe', content: 'updater', signer: null },
];

export function runStoreContract(options: StoreContractOptions): void {
  const skipped = new Map<string, string>();
  for (const s of options.skip ?? []) for (const t of s.tests) skipped.set(t, s.reason);
  const test = (name: string, fn: (store: ReleaseStore) => Promise<void>): void => {
    const reason = skipped.get(name);
    it(name, reason === undefined ? {} : { skip: reason }, async () => {
      const store = await options.open();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    });
  };

  describe(`ReleaseStore contract: ${options.name}`, () => {
    test('a fresh store has the schema and nothing in it', async (store) => {
      assert.deepEqual(await store.listReleases(), []);
      assert.equal(await store.hasProduct('Contoso'), false);
      assert.equal(await store.findRelease({ product: 'Contoso', version: '1.0' }), undefined);
      assert.equal(await store.getRelease({ product: 'Contoso', version: '1.0' }), undefined);
      assert.deepEqual(await store.certificateUsage(), []);
      assert.deepEqual(await exportLines(store), ['{"type":"header","schema":"absolve.store-export/v1"}\n', '{"type":"end","records":0}\n']);
    });

    test('records a release and gives back every report exactly, in audit order', async (store) => {
      const d = draft('Contoso', '1.0', v1Files, { notes: 'first\nrelease ✓' });
      const saved = await store.saveRelease(d, keep);
      assert.equal(saved.outcome, 'created');
      assert.deepEqual(saved.header, d.header);
      assert.deepEqual(await store.findRelease(d.header), d.header);
      const detail = await store.getRelease(d.header);
      assert.deepEqual(detail, { header: d.header, artifacts: d.artifacts, findings: [] });
      assert.deepEqual(detail?.artifacts.map((a) => a.path), ['app.exe', 'lib/contoso.dll', 'readme.txt', 'updater.exe']);
      assert.equal(await store.hasProduct('Contoso'), true);
    });

    test('recording the same release again changes nothing', async (store) => {
      const first = draft('Contoso', '1.0', v1Files, { createdAt: '2026-01-01T00:00:00.000Z' });
      await store.saveRelease(first, keep);
      const before = await exportLines(store);
      const again = draft('Contoso', '1.0', v1Files, { createdAt: '2026-02-02T00:00:00.000Z' });
      const saved = await store.saveRelease(again, keep);
      assert.equal(saved.outcome, 'unchanged');
      assert.equal(saved.header.createdAt, '2026-01-01T00:00:00.000Z', 'the stored header, not the new draft');
      assert.deepEqual(await exportLines(store), before);
    });

    test('other content is refused unless replaced; a replace keeps createdAt and leaves no orphans', async (store) => {
      await store.saveRelease(draft('Contoso', '1.0', v1Files, { createdAt: '2026-01-01T00:00:00.000Z' }), keep);
      const before = await exportLines(store);
      const changedFiles: FileSpec[] = [{ path: 'app.exe', content: 'app v1.0.1', signer: certB }, ...v1Files.slice(2)];
      const changed = draft('Contoso', '1.0', changedFiles, { createdAt: '2026-03-03T00:00:00.000Z' });
      await assert.rejects(store.saveRelease(changed, keep), (e) => isReleaseError(e, 'RELEASE_EXISTS_DIFFERENT'));
      assert.deepEqual(await exportLines(store), before, 'a refused save writes nothing');

      const saved = await store.saveRelease(changed, { ...keep, replace: true });
      assert.equal(saved.outcome, 'replaced');
      assert.equal(saved.header.createdAt, '2026-01-01T00:00:00.000Z');
      const detail = await store.getRelease(changed.header);
      assert.deepEqual(detail?.artifacts, changed.artifacts);
      assert.deepEqual(detail?.header, { ...changed.header, createdAt: '2026-01-01T00:00:00.000Z' });
      const types = recordTypes(await exportLines(store));
      assert.equal(types.artifact, 3, 'the old app.exe and lib.dll are gone with the release that used them');
      assert.equal(types.certificate, 1, 'only certificate B still signs something');
      assert.equal(types.release_artifact, 3);
    });

    test('a different channel or notes is a different release', async (store) => {
      await store.saveRelease(draft('Contoso', '1.0', v1Files, { channel: 'beta' }), keep);
      await assert.rejects(store.saveRelease(draft('Contoso', '1.0', v1Files, { channel: 'stable' }), keep), (e) => isReleaseError(e, 'RELEASE_EXISTS_DIFFERENT'));
      await assert.rejects(store.saveRelease(draft('Contoso', '1.0', v1Files, { channel: 'beta', notes: 'x' }), keep), (e) => isReleaseError(e, 'RELEASE_EXISTS_DIFFERENT'));
      const replaced = await store.saveRelease(draft('Contoso', '1.0', v1Files, { channel: 'stable', notes: 'x' }), { ...keep, replace: true });
      assert.equal(replaced.outcome, 'replaced');
      assert.equal((await store.findRelease({ product: 'Contoso', version: '1.0' }))?.notes, 'x');
    });

    test('files are stored once by content, shared across releases and products', async (store) => {
      await store.saveRelease(draft('Contoso', '1.0', v1Files, { createdAt: '2026-01-01T00:00:00.000Z' }), keep);
      await store.saveRelease(draft('Contoso', '1.1', [...v1Files, { path: 'copy/app.exe', content: 'app v1', signer: certA }], { createdAt: '2026-01-02T00:00:00.000Z' }), keep);
      await store.saveRelease(draft('Fabrikam', '7', [{ path: 'bin/app.exe', content: 'app v1', signer: certA }], { createdAt: '2026-01-03T00:00:00.000Z' }), keep);
      const types = recordTypes(await exportLines(store));
      assert.deepEqual(types, { header: 1, product: 2, certificate: 2, artifact: 4, release: 3, release_artifact: 4 + 5 + 1, end: 1 });
    });

    test('removeRelease drops one release and only the content no other release uses', async (store) => {
      await store.saveRelease(draft('Contoso', '1.0', v1Files, { createdAt: '2026-01-01T00:00:00.000Z' }), keep);
      await store.saveRelease(draft('Contoso', '2.0', [{ path: 'app.exe', content: 'app v1', signer: certA }, { path: 'b.exe', content: 'only in 2', signer: certB }], { createdAt: '2026-01-02T00:00:00.000Z' }), keep);
      const sha = (content: string): string => createHash('sha256').update(content).digest('hex');
      assert.equal(await store.removeRelease({ product: 'Contoso', version: '2.0' }), true);
      assert.equal(await store.removeRelease({ product: 'Contoso', version: '2.0' }), false);
      assert.equal(await store.getRelease({ product: 'Contoso', version: '2.0' }), undefined);
      assert.deepEqual((await store.listReleases('Contoso')).map((r) => r.version), ['1.0']);
      assert.equal(await store.isArtifactReferenced(sha('app v1')), true, 'still in 1.0');
      assert.equal(await store.isArtifactReferenced(sha('only in 2')), false);
      const types = recordTypes(await exportLines(store));
      assert.equal(types.certificate, 2, 'certB, used only by 2.0, is gone; certA and the nested signer of 1.0 remain');
      assert.equal((await store.getRelease({ product: 'Contoso', version: '1.0' }))?.artifacts.length, v1Files.length);
    });

    test('deriveFindings runs inside the transaction with the product history; its findings are stored', async (store) => {
      const seen: Array<{ priorReleases: number; priorSigners: string[] }> = [];
      const finding: ReleaseFinding = {
        id: 'ABS-TEST',
        severity: 'warning',
        message: 'a finding naming a certificate',
        certificate: { subject: certB.subject, thumbprintSha1: certB.thumbprintSha1, thumbprintSha256: certB.thumbprintSha256 },
        files: ['app.exe', 'setup.msi!/app.exe'],
      };
      const capture = (findings: ReleaseFinding[]): SaveReleaseOptions => ({
        replace: false,
        deriveFindings: (h: ReleaseHistory) => {
          seen.push({ priorReleases: h.priorReleases, priorSigners: [...h.priorSigners].sort() });
          return findings;
        },
      });
      await store.saveRelease(draft('Contoso', '1.0', v1Files, { createdAt: '2026-01-01T00:00:00.000Z' }), capture([]));
      await store.saveRelease(draft('Other', '1.0', [{ path: 'x.exe', content: 'x', signer: certB }], { createdAt: '2026-01-02T00:00:00.000Z' }), capture([]));
      const v2 = draft('Contoso', '2.0', [{ path: 'app.exe', content: 'app v2', signer: certB }], { createdAt: '2026-01-03T00:00:00.000Z' });
      const saved = await store.saveRelease(v2, capture([finding]));
      assert.deepEqual(seen, [
        { priorReleases: 0, priorSigners: [] },
        { priorReleases: 0, priorSigners: [] },
        { priorReleases: 1, priorSigners: [certA.thumbprintSha256, certNested.thumbprintSha256].sort() },
      ]);
      assert.deepEqual(saved.findings, [finding]);
      assert.deepEqual((await store.getRelease(v2.header))?.findings, [finding]);
      const again = await store.saveRelease(v2, capture([]));
      assert.equal(again.outcome, 'unchanged');
      assert.deepEqual(again.findings, [finding], 'an unchanged release reports the findings stored with it');
      assert.equal(seen.length, 3, 'not derived again for an unchanged release');
    });

    test('concurrent recordings of one release: one creates it, the others find it unchanged', async (store) => {
      // The product exists already, so the writers race on the release key itself.
      await store.saveRelease(draft('Contoso', '0.9', [{ path: 'old.exe', content: 'old' }], { createdAt: '2025-12-01T00:00:00.000Z' }), keep);
      const results = await Promise.all([0, 1, 2].map((i) => store.saveRelease(draft('Contoso', '1.0', v1Files, { createdAt: `2026-01-0${i + 1}T00:00:00.000Z` }), keep)));
      assert.deepEqual(results.map((r) => r.outcome).sort(), ['created', 'unchanged', 'unchanged']);
      assert.deepEqual(recordTypes(await exportLines(store)), { header: 1, product: 1, certificate: 2, artifact: 5, release: 2, release_artifact: 5, end: 1 });
    });

    test('a failure inside the transaction leaves nothing behind', async (store) => {
      const failing: SaveReleaseOptions = {
        replace: false,
        deriveFindings: () => {
          throw new Error('boom');
        },
      };
      await assert.rejects(store.saveRelease(draft('Contoso', '1.0', v1Files), failing), /boom/);
      assert.equal(await store.hasProduct('Contoso'), false);
      assert.deepEqual(recordTypes(await exportLines(store)), { header: 1, end: 1 });
      // …and the store still works afterwards.
      assert.equal((await store.saveRelease(draft('Contoso', '1.0', v1Files), keep)).outcome, 'created');
    });

    test('lists releases in recording order, for one product or all', async (store) => {
      await store.saveRelease(draft('Zeta', '1', [{ path: 'z.exe', content: 'z' }], { createdAt: '2026-01-02T00:00:00.000Z' }), keep);
      await store.saveRelease(draft('Contoso', '2.0', [{ path: 'a.exe', content: 'a2' }], { createdAt: '2026-01-03T00:00:00.000Z' }), keep);
      await store.saveRelease(draft('Contoso', '10.0', [{ path: 'a.exe', content: 'a10' }], { createdAt: '2026-01-01T00:00:00.000Z' }), keep);
      await store.saveRelease(draft('contoso', '1', [{ path: 'a.exe', content: 'a' }], { createdAt: '2026-01-02T00:00:00.000Z' }), keep);
      assert.deepEqual((await store.listReleases()).map((r) => `${r.product} ${r.version}`), ['Contoso 10.0', 'Zeta 1', 'contoso 1', 'Contoso 2.0']);
      assert.deepEqual((await store.listReleases('Contoso')).map((r) => r.version), ['10.0', '2.0']);
      assert.deepEqual(await store.listReleases('Nobody'), []);
    });

    test('certificate usage: distinct files by content, every release in order, nested signers and members included', async (store) => {
      await store.saveRelease(draft('Contoso', '1.0', v1Files, { createdAt: '2026-01-01T00:00:00.000Z' }), keep);
      await store.saveRelease(
        draft(
          'Contoso',
          '2.0',
          [
            { path: 'app.exe', content: 'app v1', signer: certA },
            { path: 'setup.msi', content: 'msi', signer: certB, format: 'unknown' },
            { path: 'setup.msi!/Contoso/app.exe', content: 'member', signer: certB },
          ],
          { createdAt: '2026-01-02T00:00:00.000Z' },
        ),
        keep,
      );
      await store.saveRelease(draft('Fabrikam', '1', [{ path: 'f.exe', content: 'f', signer: certB }], { createdAt: '2026-01-03T00:00:00.000Z' }), keep);
      const all = await store.certificateUsage();
      const by = new Map(all.map((u) => [u.certificate.thumbprintSha256, u]));
      assert.deepEqual(by.get(certA.thumbprintSha256), {
        certificate: certA,
        files: 2,
        releases: [
          { product: 'Contoso', version: '1.0', createdAt: '2026-01-01T00:00:00.000Z' },
          { product: 'Contoso', version: '2.0', createdAt: '2026-01-02T00:00:00.000Z' },
        ],
      });
      assert.equal(by.get(certNested.thumbprintSha256)?.files, 1);
      assert.equal(by.get(certB.thumbprintSha256)?.files, 3, 'the container, its member and the Fabrikam file (format unknown still counts when signed)');
      const contoso = await store.certificateUsage('Contoso');
      assert.equal(contoso.find((u) => u.certificate.thumbprintSha256 === certB.thumbprintSha256)?.files, 2);
      assert.deepEqual(contoso.find((u) => u.certificate.thumbprintSha256 === certB.thumbprintSha256)?.releases.map((r) => r.version), ['2.0']);
    });

    test('sizes beyond 32 bits and any Unicode survive', async (store) => {
      const big = draft('Ünïcødé ✓', '1.0-βeta+🚀', [{ path: 'data/größe 🚀.bin', content: 'x', format: 'unknown', size: 5 * 2 ** 30 + 3 }], { notes: 'line 1\nline 2\ttab "quoted" \\ back' });
      await store.saveRelease(big, keep);
      assert.deepEqual(await store.getRelease(big.header), { header: big.header, artifacts: big.artifacts, findings: [] });
      const artifact = (await exportLines(store)).map((l) => JSON.parse(l) as { type: string; size?: number }).find((r) => r.type === 'artifact');
      assert.equal(artifact?.size, 5 * 2 ** 30 + 3);
    });

    test('export → import into an empty store → export gives identical lines', async (store) => {
      await store.saveRelease(draft('Contoso', '1.0', v1Files, { createdAt: '2026-01-01T00:00:00.000Z', notes: 'n' }), keep);
      const finding: ReleaseFinding = { id: 'ABS-CERT-NEW-SIGNER', severity: 'warning', message: 'm', certificate: { subject: certB.subject, thumbprintSha1: certB.thumbprintSha1, thumbprintSha256: certB.thumbprintSha256 }, files: ['app.exe'] };
      await store.saveRelease(
        draft('Contoso', '2.0', [{ path: 'app.exe', content: 'app v2', signer: certB, findings: [{ id: 'PE_CHECKSUM_MISMATCH', severity: 'note', message: 'checksum' }] }], { createdAt: '2026-01-02T00:00:00.000Z' }),
        { replace: false, deriveFindings: () => [finding] },
      );
      const lines = await exportLines(store);
      await store.close();
      const fresh = await options.open();
      try {
        const counts = await importStore(fresh, linesOf(lines));
        assert.deepEqual(counts, { products: 1, certificates: 3, artifacts: 5, releases: 2, releasesSkipped: 0, findings: 1, scans: 0, scansSkipped: 0, verdicts: 0, events: 0, cases: 0, casesSkipped: 0, caseEvents: 0, submissions: 0 } satisfies ImportCounts);
        assert.deepEqual(await exportLines(fresh), lines);
        assert.deepEqual((await fresh.getRelease({ product: 'Contoso', version: '2.0' }))?.findings, [finding]);
        // Importing the same file again skips every release and adds nothing.
        const again = await importStore(fresh, linesOf(lines));
        assert.deepEqual(again, { products: 0, certificates: 0, artifacts: 0, releases: 0, releasesSkipped: 2, findings: 0, scans: 0, scansSkipped: 0, verdicts: 0, events: 0, cases: 0, casesSkipped: 0, caseEvents: 0, submissions: 0 });
        assert.deepEqual(await exportLines(fresh), lines);
      } finally {
        await fresh.close();
      }
    });

    test('an import that conflicts with stored content or is cut off imports nothing', async (store) => {
      await store.saveRelease(draft('Contoso', '1.0', v1Files, { createdAt: '2026-01-01T00:00:00.000Z' }), keep);
      await store.saveRelease(draft('Contoso', '2.0', [{ path: 'app.exe', content: 'v2' }], { createdAt: '2026-01-02T00:00:00.000Z' }), keep);
      const lines = await exportLines(store);
      await store.close();
      const other = await options.open();
      try {
        const empty = await exportLines(other);
        // Validated line by line inside the import transaction: a bad line anywhere rolls back everything before it.
        await assert.rejects(importStore(other, linesOf(lines.slice(0, -1))), (e) => isReleaseError(e, 'IMPORT_INVALID') && /end record/.test(e.message));
        await assert.rejects(importStore(other, linesOf([lines[0] ?? '', '{"type":"product","name":""}\n'])), (e) => isReleaseError(e, 'IMPORT_INVALID') && /line 2/.test(e.message));
        await assert.rejects(importStore(other, linesOf(['not json\n'])), (e) => isReleaseError(e, 'IMPORT_INVALID') && /line 1: not JSON/.test(e.message));
        const tampered = lines.map((l) => (l.includes('"type":"end"') ? '{"type":"end","records":1}\n' : l));
        await assert.rejects(importStore(other, linesOf(tampered)), (e) => isReleaseError(e, 'IMPORT_INVALID'));
        const missingArtifact = lines.filter((l) => !l.includes('"type":"artifact"') && !l.includes('"type":"end"'));
        missingArtifact.push(`{"type":"end","records":${missingArtifact.length - 1}}\n`);
        await assert.rejects(importStore(other, linesOf(missingArtifact)), (e) => isReleaseError(e, 'IMPORT_INVALID'));
        assert.deepEqual(await exportLines(other), empty);

        await other.saveRelease(draft('Contoso', '2.0', [{ path: 'app.exe', content: 'something else' }]), keep);
        const before = await exportLines(other);
        await assert.rejects(importStore(other, linesOf(lines)), (e) => isReleaseError(e, 'IMPORT_CONFLICT'));
        assert.deepEqual(await exportLines(other), before, 'Contoso 1.0 (which came first in the file) was rolled back too');
      } finally {
        await other.close();
      }
    });
  });
}
