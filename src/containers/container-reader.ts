import { createHash } from 'node:crypto';
import type { ContainerKind, ContainerLimits } from '../formats/container/container.types.ts';
import type { ContainerReader, ContainerSignatureMaterial } from '../core/ports.ts';
import { COMPRESSION_RATIO_MIN_BYTES, DEFAULT_CONTAINER_LIMITS, ExtractionBudget, detectContainer, inspectContainerSignature, openContainer } from './index.ts';

const KINDS: ReadonlySet<string> = new Set<ContainerKind>(['zip', 'cab', 'msi', 'msp', 'cfb', 'nsis']);

function asKind(kind: string): ContainerKind {
  if (!KINDS.has(kind)) throw new TypeError(`unknown container kind ${kind}`);
  return kind as ContainerKind;
}

const nodeHasher = (algorithm: string): { update(data: Uint8Array): unknown; digest(): Uint8Array } => {
  const hash = createHash(algorithm);
  return { update: (data) => hash.update(data), digest: () => new Uint8Array(hash.digest()) };
};

/** The ContainerReader port over this folder's readers, with the given limits; `expandMembers: false` only verifies package signatures. */
export function createContainerReader(limits: ContainerLimits, options: { expandMembers?: boolean } = {}): ContainerReader {
  return {
    maxDepth: limits.maxDepth,
    expandMembers: options.expandMembers ?? true,
    detect: (head) => detectContainer(head),
    session(topLevelBytes) {
      // The compression ratio holds for the whole tree too: everything expanded below a file, at every level,
      // may come to maxCompressionRatio times its size (never less than the size a lone member may reach
      // before the ratio applies), and to maxTotalExtractedBytes at most.
      const byRatio = Math.max(COMPRESSION_RATIO_MIN_BYTES, topLevelBytes * limits.maxCompressionRatio);
      const budget = new ExtractionBudget(Math.min(limits.maxTotalExtractedBytes, byRatio), {
        limitMembers: limits.maxTotalMembers ?? DEFAULT_CONTAINER_LIMITS.maxTotalMembers,
        limitName:
          byRatio < limits.maxTotalExtractedBytes
            ? `bytes expanded below this ${topLevelBytes}-byte file (maxCompressionRatio ${limits.maxCompressionRatio} times its size)`
            : 'bytes expanded below this file (maxTotalExtractedBytes)',
      });
      return {
        async open(kind, bytes) {
          const listing = await openContainer(asKind(kind), bytes, limits, { budget });
          const findings = [...listing.findings];
          for (const name of listing.externalCabinets) {
            if (!findings.some((f) => f.id === 'ABS-CONTAINER-EXTERNAL-CABINET' && f.message.includes(name))) {
              findings.push({ id: 'ABS-CONTAINER-EXTERNAL-CABINET', severity: 'note', message: `external cabinet: ${name}` });
            }
          }
          return { kind: listing.kind, members: listing.members, findings };
        },
      };
    },
    signature(kind, bytes): ContainerSignatureMaterial | undefined {
      const info = inspectContainerSignature(asKind(kind), bytes);
      if (info === undefined) return undefined;
      const material: ContainerSignatureMaterial = {
        signatureBlob: info.signatureBlob,
        computeDigest: (algorithm) => info.computeDigest(algorithm, nodeHasher),
      };
      if ('exBlob' in info && info.exBlob !== undefined) {
        material.ex = { recorded: info.exBlob, compute: (algorithm) => info.computePrehash(algorithm, nodeHasher) };
      }
      return material;
    },
  };
}
