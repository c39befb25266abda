/**
 * Shapes shared by every container reader (ZIP, MS-CFB/MSI/MSP, MS-CAB, NSIS) and by `src/containers`.
 * Pure types: the readers in `src/formats/*` produce them, the adapters in `src/containers` fill in `read()`.
 */

/** What `detectContainer` recognises. `cfb` is a compound file that is neither an MSI nor an MSP (e.g. an MST or a .doc). */
export type ContainerKind = 'zip' | 'cab' | 'msi' | 'msp' | 'cfb' | 'nsis';

/** Stable IDs of container findings (reported, never thrown). */
export type ContainerFindingId =
  /**
   * Declared size over `maxMemberBytes`; uncompressed/compressed over `maxCompressionRatio` for a member, for the
   * members of one container together, or for everything expanded below one top-level file; member data shared by
   * several members (overlapping ranges): the member is listed but not expanded.
   */
  | 'ABS-CONTAINER-BOMB'
  /** A member name with `..` segments, an absolute path, a drive letter or a UNC prefix. The name is kept for display only. */
  | 'ABS-CONTAINER-PATH-TRAVERSAL'
  /** An encrypted member (ZipCrypto, AES): listed, not expanded. */
  | 'ABS-CONTAINER-ENCRYPTED'
  /** A compression method this build cannot expand (ZIP bzip2/LZMA/…, an unknown CAB type): listed, not expanded. */
  | 'ABS-CONTAINER-UNSUPPORTED-METHOD'
  /** More than `maxMembers` members: the rest are not listed. */
  | 'ABS-CONTAINER-TOO-MANY-MEMBERS'
  /** An MSI Media row names a cabinet outside the package (message: `external cabinet: <name>`). */
  | 'ABS-CONTAINER-EXTERNAL-CABINET'
  /** An MSI File row whose data is not inside the package (uncompressed source layout, or missing from its cabinet). */
  | 'ABS-CONTAINER-EXTERNAL-FILE'
  /** A cabinet member that no MSI File row names (listed under the cabinet's name). */
  | 'ABS-CONTAINER-UNREFERENCED-MEMBER'
  /** An MSP transform (a sub-storage): noted, not listed as a member. */
  | 'ABS-CONTAINER-PATCH-TRANSFORM'
  /** A member that could not be located or decoded while listing (the rest of the listing is still usable). */
  | 'ABS-CONTAINER-BAD-MEMBER'
  /** A multi-cabinet set (CAB continued from/to another cabinet): only the parts inside this file are listed. */
  | 'ABS-CONTAINER-SPANNED';

export type ContainerFindingSeverity = 'error' | 'warning' | 'note';

export interface ContainerFinding {
  /** One of ContainerFindingId (typed as string so callers can mix in their own). */
  id: string;
  severity: ContainerFindingSeverity;
  message: string;
  /** Display path of the member concerned, when there is one. */
  member?: string;
}

/**
 * Named limits for untrusted containers. Sizes are bytes, counts are items.
 * Every limit is checked before work is done where the container declares the size, and again while expanding
 * (running counter), because declarations can lie.
 */
export interface ContainerLimits {
  /** Members listed per container (count). More → ABS-CONTAINER-TOO-MANY-MEMBERS, the rest are not listed. */
  maxMembers: number;
  /** Bytes one member may expand to. A larger declared size → ABS-CONTAINER-BOMB; a member that grows past it while inflating → LimitExceededError from read(). */
  maxMemberBytes: number;
  /** Bytes all read() calls of one listing (or of one shared ExtractionBudget across nested listings) may produce together. */
  maxTotalExtractedBytes: number;
  /** uncompressed ÷ compressed size above which a member (of at least COMPRESSION_RATIO_MIN_BYTES) counts as a bomb. */
  maxCompressionRatio: number;
  /**
   * Members listed in one whole tree (a top-level file and every container nested in it), when listings share an
   * ExtractionBudget; default 10,000. More → ABS-CONTAINER-TOO-MANY-MEMBERS.
   */
  maxTotalMembers?: number;
  /** Container nesting levels a recursive audit may open (used by the caller's recursion, not by openContainer). */
  maxDepth: number;
  /** Bytes of container data openContainer accepts at all (larger input → LimitExceededError before parsing); default 4 GiB. */
  maxContainerBytes?: number;
}

export const DEFAULT_CONTAINER_LIMITS: Readonly<Required<ContainerLimits>> = Object.freeze({
  maxMembers: 10_000,
  maxMemberBytes: 1024 * 1024 * 1024, // 1 GiB
  maxTotalExtractedBytes: 4 * 1024 * 1024 * 1024, // 4 GiB
  maxCompressionRatio: 200,
  maxDepth: 8,
  maxTotalMembers: 10_000,
  maxContainerBytes: 4 * 1024 * 1024 * 1024, // 4 GiB (Node Buffers stop there anyway)
});

/**
 * Members smaller than this are never called bombs by ratio alone: a few KiB of zeros legitimately compress
 * a thousandfold, and expanding them costs nothing.
 */
export const COMPRESSION_RATIO_MIN_BYTES = 1024 * 1024;

/** One member of a container listing. `path` and `name` are for display only: never use them as file-system paths. */
export interface ContainerMember {
  /** The member name as stored, decoded and sanitized for display (control characters escaped). */
  name: string;
  /** Display path inside the container, '/'-separated (MSI: the install path resolved through Directory/Component/File). */
  path: string;
  /** Uncompressed size in bytes (declared by the container, or measured when the format only tells after expanding). */
  size: number;
  /** Stored (compressed) size in bytes, when the format tells it per member. */
  compressedSize?: number;
  /** Compression method, e.g. 'stored', 'deflate', 'mszip', 'lzx:16', 'lzma', 'bzip2'. */
  method?: string;
  /** True for an encrypted member (read() rejects). */
  encrypted?: boolean;
  /**
   * The member's bytes, bounded by the limits: rejects with LimitExceededError when it would exceed
   * maxMemberBytes or the remaining total budget, with ParseError when the data is corrupt, the method is
   * unsupported or the member is encrypted. Repeated calls re-expand (and count again).
   */
  read(): Promise<Uint8Array>;
}

export interface ContainerListing {
  kind: ContainerKind;
  members: ContainerMember[];
  findings: ContainerFinding[];
}
