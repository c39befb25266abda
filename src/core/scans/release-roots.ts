/**
 * Scanning a recorded release from the store alone: its top-level files come from the blob store, and
 * collectScanTargets re-expands their members, so the release folder may be long gone.
 */
import { randomBytes } from 'node:crypto';
import { ReleaseError } from '../releases/errors.ts';
import type { OpenedStore } from '../releases/ports.ts';
import type { ReleaseDetail, ReleaseKey } from '../releases/release.types.ts';
import type { ScanRootProvider } from './run-scan.ts';
import type { ScanRoot } from './scan-targets.ts';

/** A stored release, or PRODUCT_NOT_FOUND / RELEASE_NOT_FOUND saying what the store does have. */
export async function requireRelease(opened: Pick<OpenedStore, 'store' | 'location'>, key: ReleaseKey): Promise<ReleaseDetail> {
  const detail = await opened.store.getRelease(key);
  if (detail !== undefined) return detail;
  if (!(await opened.store.hasProduct(key.product))) throw new ReleaseError('PRODUCT_NOT_FOUND', `no product '${key.product}' in ${opened.location}`);
  throw new ReleaseError('RELEASE_NOT_FOUND', `${key.product} has no release '${key.version}' in ${opened.location} (see 'absolve release list ${key.product}')`);
}

/** The scan roots of a stored release: each top-level file from the blob store (BLOB_MISMATCH when its bytes are missing). */
export async function releaseRoots(
  fileRoot: (fsPath: string, displayPath: string, known: { sha256: string; size: number }) => Promise<ScanRoot>,
  opened: Pick<OpenedStore, 'store' | 'location' | 'blobs'>,
  key: ReleaseKey,
): Promise<ScanRootProvider[]> {
  const detail = await requireRelease(opened, key);
  const roots: ScanRootProvider[] = [];
  for (const artifact of detail.artifacts) {
    if (artifact.path.includes('!/')) continue; // members come from their container's blob
    const blob = await opened.blobs.locate(artifact.sha256);
    if (blob === undefined) {
      throw new ReleaseError('BLOB_MISMATCH', `the stored bytes of ${artifact.path} (sha256 ${artifact.sha256}) are missing from the blob store; record the release again with 'absolve release add --replace'`);
    }
    roots.push({ path: artifact.path, open: () => fileRoot(blob, artifact.path, { sha256: artifact.sha256, size: artifact.size }) });
  }
  return roots;
}

/** A scan id that sorts by time and names its trigger: `scan-20261205T101500Z-3fa2c1`, `monitor-…`. */
export function newScanId(prefix: 'scan' | 'monitor', now: Date): string {
  return `${prefix}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}
