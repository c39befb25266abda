/**
 * What a scan covers: each top-level file as a whole, and inside installers and archives every
 * member that can hold code (a PE, or a nested container, itself opened), so the report says which
 * inner file an engine flags. Members are expanded in memory through the ContainerReader, with its
 * limits, exactly as the audit expands them; nothing is written to disk under an archive's name.
 */
import { isParseError } from '../../binary/index.ts';
import { looksLikePE } from '../../formats/pe/index.ts';
import { MEMBER_SEPARATOR } from '../audit-tree.ts';
import { readExactly } from '../audit-artifact.ts';
import type { ByteSource, ContainerReader } from '../ports.ts';
import { memorySample } from './memory-sample.ts';
import type { ScanSample } from './scan.types.ts';
import type { ScanTargetRecord } from './scan-report.ts';

/** Bytes of a file's start that container detection looks at (an NSIS stub's overlay starts within it). */
export const DETECT_HEAD_BYTES = 1024 * 1024;

export interface ScanRoot {
  /** The report path (`dist/setup.msi`, or the path recorded in a release). */
  path: string;
  source: ByteSource;
  sample: ScanSample;
}

export interface ScanTarget extends Omit<ScanTargetRecord, 'ordinal'> {
  sample: ScanSample;
}

export interface CollectedTargets {
  targets: ScanTarget[];
  /** Members that could not be expanded (bomb, encrypted, corrupt…): not scanned, said why. */
  skipped: Array<{ path: string; reason: string }>;
}

/** The root itself, then its code-bearing members depth-first in listing order. */
export async function collectScanTargets(root: ScanRoot, containers: ContainerReader | undefined): Promise<CollectedTargets> {
  const out: CollectedTargets = { targets: [{ path: root.path, parentPath: null, sha256: root.sample.sha256, size: root.sample.size, sample: root.sample }], skipped: [] };
  if (containers === undefined || root.source.size === 0) return out;
  const head = new Uint8Array(Math.min(root.source.size, DETECT_HEAD_BYTES));
  await readExactly(root.source, head, 0);
  const kind = containers.detect(head);
  if (kind === undefined) return out;
  let bytes = head;
  if (head.length !== root.source.size) {
    // The container's listing needs all of it: the head is already read, so only the rest is.
    bytes = new Uint8Array(root.source.size);
    bytes.set(head);
    await readExactly(root.source, bytes.subarray(head.length), head.length);
  }
  await expand(root.path, kind, bytes, containers, containers.session(root.source.size), 1, out);
  return out;
}

async function expand(
  path: string,
  kind: string,
  bytes: Uint8Array,
  containers: ContainerReader,
  session: ReturnType<ContainerReader['session']>,
  depth: number,
  out: CollectedTargets,
): Promise<void> {
  if (depth > containers.maxDepth) {
    out.skipped.push({ path, reason: `nested deeper than ${containers.maxDepth} container levels: its members were not scanned` });
    return;
  }
  let listing: Awaited<ReturnType<typeof session.open>>;
  try {
    listing = await session.open(kind, bytes);
  } catch (error) {
    if (!isParseError(error)) throw error;
    out.skipped.push({ path, reason: `cannot read this ${kind.toUpperCase()} container: ${error.message}` });
    return;
  }
  for (const member of listing.members) {
    const memberPath = `${path}${MEMBER_SEPARATOR}${member.path}`;
    let memberBytes: Uint8Array;
    try {
      memberBytes = await member.read();
    } catch (error) {
      if (!isParseError(error)) throw error;
      out.skipped.push({ path: memberPath, reason: `not expanded: ${error.message}` });
      continue;
    }
    const nested = containers.detect(memberBytes.subarray(0, DETECT_HEAD_BYTES));
    if (!looksLikePE(memberBytes) && nested === undefined) continue;
    const sample = memorySample(memberBytes, memberPath);
    out.targets.push({ path: memberPath, parentPath: path, sha256: sample.sha256, size: sample.size, sample });
    if (nested !== undefined) await expand(memberPath, nested, memberBytes, containers, session, depth + 1, out);
  }
}
