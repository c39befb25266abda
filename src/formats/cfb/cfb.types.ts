/** Public shapes of the MS-CFB (compound file) reader. Field names follow [MS-CFB], camelCased. */

export type CFBErrorCode =
  | 'CFB_NOT_CFB'
  | 'CFB_TRUNCATED'
  | 'CFB_BAD_HEADER'
  | 'CFB_BAD_FAT'
  | 'CFB_BAD_CHAIN'
  | 'CFB_BAD_DIRECTORY';

export interface CFBHeader {
  majorVersion: 3 | 4;
  minorVersion: number;
  /** 512 (version 3) or 4096 (version 4). */
  sectorSize: number;
  /** Always 64. */
  miniSectorSize: number;
  /** Always 4096: streams below it live in the mini stream. */
  miniStreamCutoff: number;
  fatSectorCount: number;
  firstDirectorySector: number;
  firstMiniFatSector: number;
  miniFatSectorCount: number;
  firstDifatSector: number;
  difatSectorCount: number;
  /** Sectors present in the bytes (the last one may be partial). */
  sectorCount: number;
}

export type CFBEntryType = 'root' | 'storage' | 'stream';

export interface CFBEntry {
  /** Directory entry index (the root is 0). */
  id: number;
  type: CFBEntryType;
  /** The name decoded from UTF-16LE (MSI stream names are still packed; see formats/msi). */
  name: string;
  /** The raw name bytes: Directory Entry Name Length bytes, i.e. UTF-16LE including the 2-byte NUL (what osslsigncode sorts and hashes). */
  nameBytes: Uint8Array;
  /** '/'-separated path of decoded names below the root ('' for the root). */
  path: string;
  /** 16 raw CLSID bytes. */
  clsid: Uint8Array;
  stateBits: number;
  /** The raw 8-byte FILETIMEs (100 ns since 1601-01-01), exactly as stored. */
  creationTime: Uint8Array;
  modifiedTime: Uint8Array;
  startSector: number;
  /** Stream size in bytes (the root's is the mini stream's size; storages 0). */
  size: number;
  /** Storages and the root: children in directory-tree (in-order) order. */
  children: CFBEntry[];
}

export interface CFBFile {
  header: CFBHeader;
  root: CFBEntry;
  /** Every reachable entry, root first, depth-first. */
  entries: CFBEntry[];
  /** A stream's bytes (a copy). Rejects storages; LimitExceededError above `maxBytes`. */
  readStream(entry: CFBEntry, maxBytes?: number): Uint8Array;
  /** The first min(n, size) bytes of a stream (a copy), whatever its size. */
  peekStream(entry: CFBEntry, n: number): Uint8Array;
}

export interface CFBLimits {
  /** Directory entries read (count). Each costs 128 bytes; real MSIs hold a few hundred. */
  maxDirectoryEntries: number;
  /** Storage nesting depth (count). MSI/MSP use 1–2 levels. */
  maxStorageDepth: number;
}
