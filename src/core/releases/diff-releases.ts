/**
 * `absolve release diff`: what changed between two releases of a product, by release path:
 * files added, removed and changed (other bytes), files that became unsigned or invalid, and
 * every change of signer certificate, for top-level files (a signed MSI/CAB container itself)
 * and for container members alike.
 */
import type { ArtifactReport, SignatureStatus } from '../audit.types.ts';
import { compareText, parentPathOf, signerRef, signersOf, type ReleaseDetail, type SignerRef } from './release.types.ts';

export const RELEASE_DIFF_SCHEMA = 'absolve.release-diff/v1';

export interface FileState {
  sha256: string;
  size: number;
  format: string;
  /** Signature status, or null for a file that is not a PE (and not a signed container). */
  status: SignatureStatus | null;
  /** Primary signer, when the signature names one. */
  signer: SignerRef | null;
}

export interface PathState extends FileState {
  path: string;
}

export interface StatusChange {
  path: string;
  from: SignatureStatus | null;
  to: SignatureStatus | null;
}

export interface SignerChange {
  path: string;
  /** The container the file is a member of (null for a top-level file). */
  container: string | null;
  /** Every signer of the old and the new signature: the primary first, then nested ones. Empty = no signer. */
  from: SignerRef[];
  to: SignerRef[];
}

export interface ReleaseDiff {
  schema: typeof RELEASE_DIFF_SCHEMA;
  product: string;
  from: string;
  to: string;
  added: PathState[];
  removed: PathState[];
  /** Same path, other bytes. */
  changed: Array<{ path: string; from: FileState; to: FileState }>;
  /** Present in both; unsigned now, not before. */
  newlyUnsigned: StatusChange[];
  /** Present in both; invalid or malformed now, neither before. */
  newlyInvalid: StatusChange[];
  /** Present in both; any other change of signature status (e.g. valid → untrusted, unsigned → valid). */
  otherStatusChanges: StatusChange[];
  signerChanges: SignerChange[];
  /** Certificates that sign something in `to` but nothing in `from`, and the reverse. */
  signers: { added: SignerRef[]; removed: SignerRef[] };
  summary: {
    added: number;
    removed: number;
    changed: number;
    unchanged: number;
    newlyUnsigned: number;
    newlyInvalid: number;
    signerChanges: number;
  };
}

const INVALID: ReadonlySet<SignatureStatus | null> = new Set<SignatureStatus | null>(['invalid', 'malformed']);

function stateOf(a: ArtifactReport): FileState {
  return {
    sha256: a.sha256,
    size: a.size,
    format: a.format,
    status: a.signature?.status ?? null,
    signer: a.signature?.signer ? signerRef(a.signature.signer) : null,
  };
}

function signerList(a: ArtifactReport): SignerRef[] {
  return signersOf(a).map((s) => signerRef(s.signer));
}

function releaseSigners(detail: ReleaseDetail): Map<string, SignerRef> {
  const out = new Map<string, SignerRef>();
  for (const a of detail.artifacts) for (const s of signerList(a)) out.set(s.thumbprintSha256, s);
  return out;
}

const bySubject = (a: SignerRef, b: SignerRef): number => compareText(a.subject, b.subject) || compareText(a.thumbprintSha256, b.thumbprintSha256);

export function diffReleases(from: ReleaseDetail, to: ReleaseDetail): ReleaseDiff {
  const before = new Map(from.artifacts.map((a) => [a.path, a]));
  const after = new Map(to.artifacts.map((a) => [a.path, a]));
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort(compareText);
  const diff: ReleaseDiff = {
    schema: RELEASE_DIFF_SCHEMA,
    product: to.header.product,
    from: from.header.version,
    to: to.header.version,
    added: [],
    removed: [],
    changed: [],
    newlyUnsigned: [],
    newlyInvalid: [],
    otherStatusChanges: [],
    signerChanges: [],
    signers: { added: [], removed: [] },
    summary: { added: 0, removed: 0, changed: 0, unchanged: 0, newlyUnsigned: 0, newlyInvalid: 0, signerChanges: 0 },
  };
  for (const path of paths) {
    const a = before.get(path);
    const b = after.get(path);
    if (a === undefined && b !== undefined) {
      diff.added.push({ path, ...stateOf(b) });
      continue;
    }
    if (b === undefined && a !== undefined) {
      diff.removed.push({ path, ...stateOf(a) });
      continue;
    }
    if (a === undefined || b === undefined) continue;
    if (a.sha256 !== b.sha256) diff.changed.push({ path, from: stateOf(a), to: stateOf(b) });
    else diff.summary.unchanged++;
    const was = a.signature?.status ?? null;
    const now = b.signature?.status ?? null;
    if (was !== now) {
      const change = { path, from: was, to: now };
      if (now === 'unsigned') diff.newlyUnsigned.push(change);
      else if (INVALID.has(now) && !INVALID.has(was)) diff.newlyInvalid.push(change);
      else diff.otherStatusChanges.push(change);
    }
    const oldSigners = signerList(a);
    const newSigners = signerList(b);
    const same = oldSigners.length === newSigners.length && oldSigners.every((s, i) => s.thumbprintSha256 === newSigners[i]?.thumbprintSha256);
    if (!same) diff.signerChanges.push({ path, container: parentPathOf(path), from: oldSigners, to: newSigners });
  }
  const oldSet = releaseSigners(from);
  const newSet = releaseSigners(to);
  diff.signers.added = [...newSet.values()].filter((s) => !oldSet.has(s.thumbprintSha256)).sort(bySubject);
  diff.signers.removed = [...oldSet.values()].filter((s) => !newSet.has(s.thumbprintSha256)).sort(bySubject);
  diff.summary.added = diff.added.length;
  diff.summary.removed = diff.removed.length;
  diff.summary.changed = diff.changed.length;
  diff.summary.newlyUnsigned = diff.newlyUnsigned.length;
  diff.summary.newlyInvalid = diff.newlyInvalid.length;
  diff.summary.signerChanges = diff.signerChanges.length;
  return diff;
}
