/**
 * Container listing for the audit: ZIP, MSI/MSP (and other compound files), CAB, NSIS.
 *
 *   const kind = detectContainer(bytes);
 *   if (kind !== undefined) {
 *     const listing = await openContainer(kind, bytes, DEFAULT_CONTAINER_LIMITS);
 *     for (const m of listing.members) audit(m.path, await m.read());   // read() is bounded by the limits
 *   }
 *
 * Errors: openContainer and read() reject only with ParseError (codes below) or LimitExceededError.
 *   ZIP_TRUNCATED, ZIP_BAD_ARCHIVE, ZIP_BAD_MEMBER, ZIP_BAD_CRC, ZIP_ENCRYPTED, ZIP_UNSUPPORTED_METHOD
 *   CFB_NOT_CFB, CFB_TRUNCATED, CFB_BAD_HEADER, CFB_BAD_FAT, CFB_BAD_CHAIN, CFB_BAD_DIRECTORY
 *   MSI_NOT_DATABASE, MSI_BAD_STRING_POOL, MSI_BAD_TABLE
 *   CAB_NOT_CABINET, CAB_TRUNCATED, CAB_BAD_HEADER, CAB_BAD_FOLDER, CAB_BAD_FILE, CAB_BAD_DATA, CAB_SPANNED,
 *   CAB_UNSUPPORTED_COMPRESSION
 *   NSIS_CANNOT_OPEN, NSIS_TRUNCATED, NSIS_FAILED, NSIS_UNAVAILABLE; SEVENZIP_* for LZX/Quantum cabinet folders
 *   CONTAINER_BAD_ARGUMENT
 * Member names and paths are display strings: nothing here writes to the file system.
 */
import { LimitExceededError, ParseError } from '../binary/index.ts';
import { parseCabinet, prepareCabSignature } from '../formats/cab/index.ts';
import type { CabSignatureInfo } from '../formats/cab/index.ts';
import { readCFB } from '../formats/cfb/index.ts';
import { DEFAULT_CONTAINER_LIMITS } from '../formats/container/container.types.ts';
import type { ContainerKind, ContainerLimits, ContainerListing } from '../formats/container/container.types.ts';
import { prepareMsiSignature } from '../formats/msi/index.ts';
import type { MsiSignatureInfo } from '../formats/msi/index.ts';
import { ExtractionBudget } from './budget.ts';
import { openCab } from './cab.ts';
import type { ListingContext } from './common.ts';
import { openCompound } from './compound.ts';
import { openNsis } from './nsis.ts';
import { openZip } from './zip.ts';

export { detectContainer } from '../formats/container/detect.ts';
export { COMPRESSION_RATIO_MIN_BYTES, DEFAULT_CONTAINER_LIMITS } from '../formats/container/container.types.ts';
export type {
  ContainerFinding,
  ContainerFindingId,
  ContainerFindingSeverity,
  ContainerKind,
  ContainerLimits,
  ContainerListing,
  ContainerMember,
} from '../formats/container/container.types.ts';
export { ExtractionBudget } from './budget.ts';
export type { CabSignatureInfo } from '../formats/cab/index.ts';
export type { CreateHasher, Hasher, MsiSignatureInfo } from '../formats/msi/index.ts';

export interface OpenContainerOptions {
  /** Share one byte budget across nested listings (a recursive audit); default: a fresh budget of maxTotalExtractedBytes. */
  budget?: ExtractionBudget;
}

/** What openContainer returns: the listing, plus the cabinet files an MSI expects next to it. */
export interface ContainerListingResult extends ContainerListing {
  /** MSI/MSP: Media.Cabinet names without '#' (look for them next to the package). */
  externalCabinets: string[];
}

/**
 * List a container's members. `kind` comes from detectContainer (for 'msi' | 'msp' | 'cfb' the content decides:
 * the returned `kind` is what the file really is). Rejects with ParseError/LimitExceededError only.
 */
export async function openContainer(kind: ContainerKind, bytes: Uint8Array, limits: ContainerLimits, options: OpenContainerOptions = {}): Promise<ContainerListingResult> {
  if (!(bytes instanceof Uint8Array)) throw new ParseError('CONTAINER_BAD_ARGUMENT', 'openContainer: bytes must be a Uint8Array');
  const maxContainerBytes = limits.maxContainerBytes ?? DEFAULT_CONTAINER_LIMITS.maxContainerBytes;
  if (bytes.length > maxContainerBytes) throw new LimitExceededError('container size (maxContainerBytes)', bytes.length, maxContainerBytes);
  const budget = options.budget ?? new ExtractionBudget(limits.maxTotalExtractedBytes, { limitMembers: limits.maxTotalMembers ?? DEFAULT_CONTAINER_LIMITS.maxTotalMembers });
  const ctx: ListingContext = { limits, budget, findings: [], members: [], containerBytes: bytes.length, declaredBytes: 0 };
  let actual: ContainerKind = kind;
  let externalCabinets: string[] = [];
  switch (kind) {
    case 'zip':
      await openZip(bytes, ctx);
      break;
    case 'cab':
      openCab(bytes, ctx);
      break;
    case 'msi':
    case 'msp':
    case 'cfb': {
      const result = openCompound(bytes, ctx);
      actual = result.kind;
      externalCabinets = result.externalCabinets;
      break;
    }
    case 'nsis':
      await openNsis(bytes, ctx);
      break;
    default:
      throw new ParseError('CONTAINER_BAD_ARGUMENT', `openContainer: unknown container kind ${String(kind)}`);
  }
  return { kind: actual, members: ctx.members, findings: ctx.findings, externalCabinets };
}

/**
 * The Authenticode material of a signed container, for src/authenticode: the PKCS#7 blob and the digest function
 * (hash injected: pass node:crypto's createHash). undefined for kinds that are not signed as a whole (ZIP; NSIS is
 * a PE and is verified as one).
 */
export function inspectContainerSignature(kind: ContainerKind, bytes: Uint8Array): MsiSignatureInfo | CabSignatureInfo | undefined {
  switch (kind) {
    case 'msi':
    case 'msp':
    case 'cfb':
      return prepareMsiSignature(readCFB(bytes));
    case 'cab':
      return prepareCabSignature(bytes, parseCabinet(bytes));
    case 'zip':
    case 'nsis':
      return undefined;
    default:
      throw new ParseError('CONTAINER_BAD_ARGUMENT', `inspectContainerSignature: unknown container kind ${String(kind)}`);
  }
}
