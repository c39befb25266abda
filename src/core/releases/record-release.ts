/**
 * The `release add` use case after the audit: validate, keep the bytes (blobs first, idempotent),
 * then record everything in one store transaction. Re-recording the same content is a no-op;
 * different content for a recorded product/version is RELEASE_EXISTS_DIFFERENT unless `replace`.
 */
import { createHash } from 'node:crypto';
import type { ArtifactReport } from '../audit.types.ts';
import { summarizeAudit } from '../audit-summary.ts';
import { AbsolveError } from '../errors.ts';
import { newSignerFindings } from './certificates.ts';
import { ReleaseError } from './errors.ts';
import type { BlobSource, BlobStore, ReleaseStore } from './ports.ts';
import { compareText, type ReleaseDetail, type ReleaseHeader, type SaveReleaseResult } from './release.types.ts';

export const DEFAULT_CHANNEL = 'stable';

/** Blob copies in flight at once: enough to overlap file-system latency, few enough not to thrash a disk. */
const BLOB_CONCURRENCY = 4;

export interface RecordReleaseInput {
  product: string;
  version: string;
  channel: string;
  notes: string | null;
  createdAt: Date;
  verifiedAt: Date;
  toolVersion: string;
  /** Reports whose `path` is already the release path, in audit order. */
  artifacts: readonly ArtifactReport[];
  /**
   * Bytes to keep in the blob store. Today: the top-level files. Hook for container members: once
   * the container audit hands their bytes over, pass them here as `{ kind: 'bytes' }` sources.
   */
  blobSources: ReadonlyArray<{ sha256: string; source: BlobSource }>;
  replace: boolean;
}

export interface RecordReleaseResult extends SaveReleaseResult {
  blobs: { stored: number; present: number };
}

/** C0 controls and DEL: they would garble tables and terminals. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function checkName(kind: string, value: string, maxLength: number): void {
  if (value.length === 0 || value.trim() !== value || value.length > maxLength || hasControlCharacter(value)) {
    throw new ReleaseError('RELEASE_INVALID', `${kind} '${value}' is not usable: give 1 to ${maxLength} characters, no control characters, no leading or trailing spaces`);
  }
}

export function validateReleaseKey(product: string, version: string): void {
  checkName('product name', product, 200);
  checkName('version', version, 100);
}

/** SHA-256 over the sorted `path TAB sha256 LF` lines of a release. */
export function releaseContentSha256(artifacts: ReadonlyArray<{ path: string; sha256: string }>): string {
  const hash = createHash('sha256');
  for (const line of artifacts.map((a) => `${a.path}\t${a.sha256}\n`).sort(compareText)) hash.update(line);
  return hash.digest('hex');
}

/** Why a stored release differs from the one being recorded, for the RELEASE_EXISTS_DIFFERENT message. */
function describeDifference(stored: ReleaseDetail, header: ReleaseHeader, artifacts: readonly ArtifactReport[]): string {
  const parts: string[] = [];
  if (stored.header.contentSha256 !== header.contentSha256) {
    const old = new Map(stored.artifacts.map((a) => [a.path, a.sha256]));
    const now = new Map(artifacts.map((a) => [a.path, a.sha256]));
    const added = [...now.keys()].filter((p) => !old.has(p)).length;
    const removed = [...old.keys()].filter((p) => !now.has(p)).length;
    const changed = [...now].filter(([p, sha]) => old.has(p) && old.get(p) !== sha).length;
    parts.push(`other files (${added} added, ${removed} removed, ${changed} changed)`);
  }
  if (stored.header.channel !== header.channel) parts.push(`channel '${stored.header.channel}' (now '${header.channel}')`);
  if (stored.header.notes !== header.notes) parts.push('other notes');
  return parts.join(', ');
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function recordRelease(store: ReleaseStore, blobs: BlobStore, input: RecordReleaseInput): Promise<RecordReleaseResult> {
  validateReleaseKey(input.product, input.version);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/.test(input.channel)) {
    throw new ReleaseError('RELEASE_INVALID', `channel '${input.channel}' is not usable: letters, digits, '.', '_' and '-', at most 50`);
  }
  if (input.artifacts.length === 0) throw new ReleaseError('RELEASE_INVALID', 'the release has no files');
  const seen = new Set<string>();
  for (const a of input.artifacts) {
    if (a.error?.code === 'IO_ERROR') throw new AbsolveError('IO_ERROR', `cannot record ${input.product} ${input.version}: '${a.path}' could not be read (${a.error.message})`);
    if (!/^[0-9a-f]{64}$/.test(a.sha256)) throw new ReleaseError('RELEASE_INVALID', `'${a.path}' has no SHA-256`);
    if (seen.has(a.path)) throw new ReleaseError('RELEASE_INVALID', `two files map to the release path '${a.path}'; give their folders separately or rename one`);
    seen.add(a.path);
  }
  const artifacts = [...input.artifacts];
  const header: ReleaseHeader = {
    product: input.product,
    version: input.version,
    channel: input.channel,
    notes: input.notes,
    createdAt: input.createdAt.toISOString(),
    verifiedAt: input.verifiedAt.toISOString(),
    toolVersion: input.toolVersion,
    contentSha256: releaseContentSha256(artifacts),
    files: artifacts.length,
    summary: summarizeAudit(artifacts),
  };

  // Fail early, before any byte is copied, with a message that says what differs. The store checks again inside its transaction.
  const existing = await store.findRelease(input);
  if (existing !== undefined && !input.replace && (existing.contentSha256 !== header.contentSha256 || existing.channel !== header.channel || existing.notes !== header.notes)) {
    const stored = await store.getRelease(input);
    const what = stored === undefined ? 'other content' : describeDifference(stored, header, artifacts);
    throw new ReleaseError('RELEASE_EXISTS_DIFFERENT', `${input.product} ${input.version} is already recorded with ${what}; pass --replace to overwrite it, or record a new version`);
  }

  // Blobs first: a kill after this point leaves complete blobs and no release, and a re-run finds them present.
  const counts = { stored: 0, present: 0 };
  const unique = [...new Map(input.blobSources.map((b) => [b.sha256, b])).values()];
  await mapLimit(unique, BLOB_CONCURRENCY, async ({ sha256, source }) => {
    counts[await blobs.put(sha256, source)]++;
  });

  const saved = await store.saveRelease(
    { header, artifacts },
    { replace: input.replace, deriveFindings: (history) => newSignerFindings(input.product, artifacts, history) },
  );
  return { ...saved, blobs: counts };
}
