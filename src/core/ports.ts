/**
 * Ports: the small async verbs the use cases need from the outside world.
 * Adapters implement them (src/files, src/store, src/engines, …); src/app wires them.
 */

/** Random-access bytes of one artifact (a file on disk, a container member in memory, a blob). */
export interface ByteSource {
  readonly size: number;
  /** Reads up to `buffer.length` bytes at `position`; resolves to the number of bytes read (0 at end). */
  read(buffer: Uint8Array, position: number): Promise<number>;
}

/** Reports progress of long work; the CLI draws a bar on a TTY and nothing when piped. */
export interface ProgressSink {
  start(total: number, label: string): void;
  tick(detail: string): void;
  /** Raises the total when more work is found on the way (a scan learns its samples root by root). */
  setTotal?(total: number): void;
  /** A note in place of the detail, e.g. a quota wait ("VT quota: next request in 12 s"). */
  note?(text: string): void;
  stop(): void;
}

/** The signature material of a signed container (MSI/MSP in a stream, CAB in its reserved area). */
export interface ContainerSignatureMaterial {
  /** The PKCS#7 SignedData DER, or undefined when the container is not signed. */
  signatureBlob: Uint8Array | undefined;
  /** The digest the signature's SpcIndirectDataContent must carry, for an algorithm such as 'sha256'. */
  computeDigest(algorithm: string): Uint8Array;
  /** MSI only: the MsiDigitalSignatureEx stream and the pre-hash recomputed from the file. */
  ex?: { recorded: Uint8Array; compute(algorithm: string): Uint8Array };
}

/** A container member: display path, bytes on demand (bounded by the reader's limits). */
export interface ContainerMemberSource {
  path: string;
  size: number;
  read(): Promise<Uint8Array>;
}

export interface ContainerFindingData {
  id: string;
  severity: 'error' | 'warning' | 'note';
  message: string;
  member?: string;
}

/** Lists installers and archives (ZIP, MSI/MSP, CAB, NSIS). The adapter is src/containers; src/app wires it. */
export interface ContainerReader {
  /** How many container levels a recursive audit may open. */
  readonly maxDepth: number;
  /** false (`--no-containers`): verify a package's own signature but do not list or audit its members. Default true. */
  readonly expandMembers?: boolean;
  /** The container kind of a file from its first bytes (at least the first MiB, so an NSIS stub's overlay is seen). */
  detect(head: Uint8Array): string | undefined;
  /**
   * A session for one top-level file of `topLevelBytes` bytes: nested listings share its budgets (bytes expanded,
   * members listed), so a fan-out of small nested archives is bounded as a whole, not per container.
   */
  session(topLevelBytes: number): {
    open(kind: string, bytes: Uint8Array): Promise<{ kind: string; members: ContainerMemberSource[]; findings: ContainerFindingData[] }>;
  };
  signature(kind: string, bytes: Uint8Array): ContainerSignatureMaterial | undefined;
}
