import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffReleases } from '../../../src/core/releases/diff-releases.ts';
import type { ReleaseDetail } from '../../../src/core/releases/release.types.ts';
import { certA, certB, certNested, draft, type FileSpec } from '../../store/sample-data.ts';

function detail(version: string, files: FileSpec[]): ReleaseDetail {
  const d = draft('Contoso', version, files);
  return { header: d.header, artifacts: d.artifacts, findings: [] };
}

const ref = (c: typeof certA): { subject: string; thumbprintSha1: string; thumbprintSha256: string } => ({ subject: c.subject, thumbprintSha1: c.thumbprintSha1, thumbprintSha256: c.thumbprintSha256 });

describe('diffReleases', () => {
  it('identical releases: nothing but the unchanged count', () => {
    const files: FileSpec[] = [{ path: 'a.exe', content: 'a', signer: certA }];
    const diff = diffReleases(detail('1', files), detail('2', files));
    assert.deepEqual(diff.summary, { added: 0, removed: 0, changed: 0, unchanged: 1, newlyUnsigned: 0, newlyInvalid: 0, signerChanges: 0 });
    assert.deepEqual(diff.signers, { added: [], removed: [] });
    assert.equal(diff.schema, 'absolve.release-diff/v1');
    assert.deepEqual([diff.product, diff.from, diff.to], ['Contoso', '1', '2']);
  });

  it('added, removed and changed by release path, sorted', () => {
    const diff = diffReleases(
      detail('1', [
        { path: 'b.exe', content: 'b', signer: certA },
        { path: 'gone.dll', content: 'g', signer: certA },
        { path: 'same.txt', content: 's', format: 'unknown' },
      ]),
      detail('2', [
        { path: 'b.exe', content: 'b2', signer: certA },
        { path: 'same.txt', content: 's', format: 'unknown' },
        { path: 'a-new.exe', content: 'n', signer: null },
      ]),
    );
    assert.deepEqual(diff.added.map((f) => [f.path, f.status]), [['a-new.exe', 'unsigned']]);
    assert.deepEqual(diff.removed.map((f) => f.path), ['gone.dll']);
    assert.deepEqual(diff.changed.map((c) => [c.path, c.from.size, c.to.size]), [['b.exe', 1, 2]]);
    assert.equal(diff.summary.unchanged, 1);
    assert.deepEqual(diff.signerChanges, [], 'same signer on the changed file');
  });

  it('newly unsigned, newly invalid, other status changes', () => {
    const diff = diffReleases(
      detail('1', [
        { path: 'u.exe', content: 'u', signer: certA },
        { path: 'i.exe', content: 'i', signer: certA },
        { path: 'm.exe', content: 'm', signer: certA, status: 'untrusted' },
        { path: 'still-invalid.exe', content: 's', signer: certA, status: 'invalid' },
      ]),
      detail('2', [
        { path: 'u.exe', content: 'u2', signer: null },
        { path: 'i.exe', content: 'i2', signer: certA, status: 'invalid' },
        { path: 'm.exe', content: 'm', signer: certA, status: 'valid' },
        { path: 'still-invalid.exe', content: 's2', signer: certA, status: 'malformed' },
      ]),
    );
    assert.deepEqual(diff.newlyUnsigned, [{ path: 'u.exe', from: 'valid', to: 'unsigned' }]);
    assert.deepEqual(diff.newlyInvalid, [{ path: 'i.exe', from: 'valid', to: 'invalid' }]);
    assert.deepEqual(diff.otherStatusChanges, [
      { path: 'm.exe', from: 'untrusted', to: 'valid' },
      { path: 'still-invalid.exe', from: 'invalid', to: 'malformed' },
    ]);
    assert.deepEqual(diff.signerChanges, [{ path: 'u.exe', container: null, from: [ref(certA)], to: [] }]);
  });

  it('every signer change: the container itself and each member, nested signatures included', () => {
    const diff = diffReleases(
      detail('1', [
        { path: 'setup.msi', content: 'msi1', signer: certA, format: 'unknown' },
        { path: 'setup.msi!/Contoso/app.exe', content: 'app', signer: null },
        { path: 'setup.msi!/Contoso/lib.dll', content: 'lib1', signer: certA, nested: [certNested] },
        { path: 'tool.exe', content: 'tool', signer: certA, nested: [certNested] },
      ]),
      detail('2', [
        { path: 'setup.msi', content: 'msi2', signer: certB, format: 'unknown' },
        { path: 'setup.msi!/Contoso/app.exe', content: 'app', signer: null },
        { path: 'setup.msi!/Contoso/lib.dll', content: 'lib2', signer: certB },
        { path: 'tool.exe', content: 'tool2', signer: certA },
      ]),
    );
    assert.deepEqual(diff.signerChanges, [
      { path: 'setup.msi', container: null, from: [ref(certA)], to: [ref(certB)] },
      { path: 'setup.msi!/Contoso/lib.dll', container: 'setup.msi', from: [ref(certA), ref(certNested)], to: [ref(certB)] },
      { path: 'tool.exe', container: null, from: [ref(certA), ref(certNested)], to: [ref(certA)] },
    ]);
    assert.deepEqual(diff.signers, { added: [ref(certB)], removed: [ref(certNested)] });
    assert.equal(diff.summary.signerChanges, 3);
  });

  it('a member of a nested container names its direct parent', () => {
    const diff = diffReleases(
      detail('1', [{ path: 'a.zip!/b.zip!/c.exe', content: 'c', signer: certA }]),
      detail('2', [{ path: 'a.zip!/b.zip!/c.exe', content: 'c2', signer: certB }]),
    );
    assert.equal(diff.signerChanges[0]?.container, 'a.zip!/b.zip');
  });
});
