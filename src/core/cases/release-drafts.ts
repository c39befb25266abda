/**
 * Release-driven cases, drafted when a release is recorded:
 *  - `allowlist`: for every vendor whose allowlisting programme works per release (McAfee's clean
 *    software submissions before each DAT release) and that says where to submit (a contact or
 *    URL), one case per release;
 *  - `certificate-change`: when the release is signed by a certificate the previous release of the
 *    product was not signed by, one notice per new certificate to every vendor that allowlists by
 *    certificate (Avast/AVG signature whitelisting).
 * Both are drafts in state `new`; `absolve submit` writes their packages like any other case.
 */
import { compareReleases, signersOf, type ReleaseDetail } from '../releases/release.types.ts';
import type { VendorDirectory } from '../vendors/vendor-directory.ts';
import type { CaseDraft, CaseRecord } from './case.types.ts';
import type { CaseStore } from './ports.ts';

/** Thumbprints (SHA-256) and subjects of the certificates that sign a release's files (primary signatures). */
function primarySigners(release: ReleaseDetail): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of release.artifacts) for (const s of signersOf(a)) if (s.role === 'primary') out.set(s.signer.thumbprintSha256, s.signer.subject);
  return out;
}

export function draftReleaseCases(release: ReleaseDetail, previous: ReleaseDetail | undefined, directory: VendorDirectory): CaseDraft[] {
  const key = { product: release.header.product, version: release.header.version };
  const drafts: CaseDraft[] = [];
  for (const vendor of directory.entries) {
    // Engines that follow another (TrendMicro-HouseCall, OEMs) share its programme: one draft, at the upstream.
    if (vendor.upstream !== null) continue;
    const programme = vendor.programmes.find((p) => p.kind === 'per-release' && (p.contact !== null || p.url !== null));
    if (programme === undefined) continue;
    drafts.push({
      kind: 'allowlist',
      vendor: vendor.engine,
      subject: release.header.contentSha256,
      release: key,
      path: null,
      detections: [],
      summary: `clean-software submission of ${key.product} ${key.version} (${programme.name})`,
    });
  }
  if (previous !== undefined) {
    const before = primarySigners(previous);
    const fresh = [...primarySigners(release)].filter(([thumbprint]) => !before.has(thumbprint));
    const was = [...before.values()].join('; ') || 'unsigned';
    for (const vendor of directory.entries) {
      if (vendor.upstream !== null || !vendor.programmes.some((p) => p.kind === 'certificate')) continue;
      for (const [thumbprint, subject] of fresh) {
        drafts.push({
          kind: 'certificate-change',
          vendor: vendor.engine,
          subject: thumbprint,
          release: key,
          path: null,
          detections: [],
          summary: `new signing certificate ${subject} (SHA-256 ${thumbprint}); ${previous.header.version} was signed by ${was}`,
        });
      }
    }
  }
  return drafts;
}

export interface ReleaseDraftDeps {
  cases: CaseStore;
  directory: VendorDirectory;
  now(): Date;
  /** The product's releases, to find the one recorded before this one. */
  listReleases(product: string): Promise<Array<{ product: string; version: string; createdAt: string }>>;
  getRelease(key: { product: string; version: string }): Promise<ReleaseDetail | undefined>;
}

/** Drafts (idempotently) the release-driven cases of a just-recorded release; returns the ones opened now. */
export async function draftCasesForRelease(deps: ReleaseDraftDeps, key: { product: string; version: string }): Promise<CaseRecord[]> {
  const release = await deps.getRelease(key);
  if (release === undefined) return [];
  const earlier = (await deps.listReleases(key.product))
    .filter((r) => r.version !== key.version && compareReleases(r, release.header) < 0)
    .sort(compareReleases)
    .at(-1);
  const previous = earlier === undefined ? undefined : await deps.getRelease(earlier);
  const { opened } = await deps.cases.openCases(draftReleaseCases(release, previous, deps.directory), deps.now().toISOString());
  return opened;
}
