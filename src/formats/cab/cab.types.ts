/**
 * Public shapes of the MS-CAB reader. Field names follow [MS-CAB] ("Microsoft Cabinet Format"), camelCased
 * without the Hungarian prefixes (cbCabinet → cabinetSize …); the spec name is given next to each.
 */

export type CabErrorCode =
  | 'CAB_NOT_CABINET'
  | 'CAB_TRUNCATED'
  | 'CAB_BAD_HEADER'
  | 'CAB_BAD_FOLDER'
  | 'CAB_BAD_FILE'
  | 'CAB_BAD_DATA'
  | 'CAB_SPANNED'
  | 'CAB_UNSUPPORTED_COMPRESSION';

/** CFFOLDER.typeCompress & 0x000F. */
export type CabCompression = 'none' | 'mszip' | 'quantum' | 'lzx' | 'unknown';

export interface CabHeader {
  /** cbCabinet: size of the cabinet as declared (a signed cabinet's signature follows these bytes). */
  cabinetSize: number;
  /** coffFiles: offset of the first CFFILE. */
  filesOffset: number;
  versionMinor: number;
  versionMajor: number;
  /** cFolders / cFiles. */
  folderCount: number;
  fileCount: number;
  /** flags: cfhdrPREV_CABINET 0x1, cfhdrNEXT_CABINET 0x2, cfhdrRESERVE_PRESENT 0x4. */
  flags: number;
  setId: number;
  /** iCabinet: index of this cabinet in a set. */
  cabinetIndex: number;
  /** cbCFHeader / cbCFFolder / cbCFData: sizes of the per-header, per-folder and per-block reserved areas (0 when absent). */
  headerReserveSize: number;
  folderReserveSize: number;
  dataReserveSize: number;
  /** File offset of abReserve (the per-cabinet reserved area), when present. */
  headerReserveOffset: number | undefined;
  previousCabinet?: { cabinet: string; disk: string };
  nextCabinet?: { cabinet: string; disk: string };
}

export interface CabFolder {
  index: number;
  /** coffCabStart: file offset of the first CFDATA block. */
  dataOffset: number;
  /** cCFData. */
  blockCount: number;
  /** typeCompress as stored. */
  typeCompress: number;
  compression: CabCompression;
  /** 'none', 'mszip', 'lzx:<window bits>', 'quantum:<level>:<memory bits>' or 'unknown:0x…'. */
  method: string;
  /** Sum of cbData (stored bytes of all blocks, reserve areas and block headers excluded). */
  compressedSize: number;
  /** Sum of cbUncomp. */
  uncompressedSize: number;
  /** File offset + length of every CFDATA payload, in order (validated to lie inside the cabinet). */
  blocks: CabDataBlock[];
}

export interface CabDataBlock {
  /** File offset of the CFDATA header. */
  headerOffset: number;
  /** File offset of ab[cbData]. */
  dataOffset: number;
  /** cbData. */
  compressedSize: number;
  /** cbUncomp. */
  uncompressedSize: number;
  /** csum as stored (0 = not computed). */
  checksum: number;
}

export interface CabFile {
  index: number;
  /** szName decoded (UTF-8 when attribs has _A_NAME_IS_UTF 0x80, Windows-1252 otherwise), not sanitized. */
  name: string;
  /** cbFile. */
  size: number;
  /** uoffFolderStart: offset of the file's data inside the uncompressed folder. */
  folderOffset: number;
  /** iFolder as stored (0xFFFD/0xFFFE/0xFFFF mark files continued across cabinets). */
  folderIndex: number;
  /** The folder holding the data, or undefined for a spanned file or an out-of-range iFolder. */
  folder: CabFolder | undefined;
  date: number;
  time: number;
  attributes: number;
  /** Why the data cannot be read from this cabinet alone (spanned, bad folder index, range past the folder), if so. */
  problem?: { code: CabErrorCode; message: string };
}

export interface CabCabinet {
  header: CabHeader;
  folders: CabFolder[];
  files: CabFile[];
  /**
   * The Authenticode signature, per the CAB signing layout (osslsigncode cab.c): cbCFHeader = 20, abReserve starts
   * with 0x00100000, then the signature's file offset and size (u32 each). undefined when the reserve says nothing.
   */
  cabSignature: { offset: number; size: number } | undefined;
  /** Size of the bytes the reader was given. */
  byteLength: number;
}
