/**
 * Public shapes of the PE parser. Field names follow the PE/COFF specification
 * ("Microsoft Portable Executable and Common Object File Format Specification"), camelCased.
 */

export type PEMachine = 'x86' | 'x64' | 'arm' | 'arm64' | 'ia64' | 'unknown';

export type PESubsystem =
  | 'native'
  | 'windows-gui'
  | 'windows-cui'
  | 'os2-cui'
  | 'posix-cui'
  | 'windows-ce-gui'
  | 'efi-application'
  | 'efi-boot-service-driver'
  | 'efi-runtime-driver'
  | 'efi-rom'
  | 'xbox'
  | 'windows-boot-application'
  | 'unknown';

export interface PESection {
  /** Section name, with `/N` long names resolved through the COFF string table. */
  name: string;
  /** The 8 raw name bytes as written (`/4` for a long name). */
  rawName: string;
  virtualAddress: number;
  virtualSize: number;
  pointerToRawData: number;
  sizeOfRawData: number;
  characteristics: number;
  readable: boolean;
  writable: boolean;
  executable: boolean;
}

export interface PEDataDirectory {
  index: number;
  name: string;
  virtualAddress: number;
  size: number;
}

/** Where the Authenticode image digest must skip bytes (Authenticode PE spec, "Calculating the PE Image Hash"). */
export interface AuthenticodeLayout {
  /** File offset of OptionalHeader.CheckSum (4 bytes, excluded from the digest). */
  checksumOffset: number;
  /** File offset of the IMAGE_DIRECTORY_ENTRY_SECURITY data directory entry (8 bytes, excluded). */
  securityDirectoryEntryOffset: number;
  /**
   * The attribute certificate table. Its VirtualAddress is a file offset, not an RVA.
   * undefined when the directory is empty (unsigned file).
   */
  certificateTable:
    | { offset: number; size: number; problem?: { code: 'PE_BAD_SECURITY_DIRECTORY'; message: string } }
    | undefined;
  /**
   * False when NumberOfRvaAndSizes (or SizeOfOptionalHeader) leaves no room for directory 4: such a file
   * cannot carry a signature, and `securityDirectoryEntryOffset` is then only where the entry would be.
   */
  securityDirectoryEntryPresent: boolean;
}

export interface PEHeaders {
  /** e_lfanew: file offset of the "PE\0\0" signature. */
  peHeaderOffset: number;
  machine: number;
  machineName: PEMachine;
  numberOfSections: number;
  /** COFF TimeDateStamp (seconds since 1970, may be a reproducible-build hash). */
  timeDateStamp: number;
  pointerToSymbolTable: number;
  numberOfSymbols: number;
  characteristics: number;
  isDll: boolean;
  /** 0x10b = PE32, 0x20b = PE32+. */
  magic: number;
  bits: 32 | 64;
  majorLinkerVersion: number;
  minorLinkerVersion: number;
  addressOfEntryPoint: number;
  imageBase: bigint;
  sectionAlignment: number;
  fileAlignment: number;
  sizeOfImage: number;
  sizeOfHeaders: number;
  checksum: number;
  subsystem: number;
  subsystemName: PESubsystem;
  dllCharacteristics: number;
  dataDirectories: PEDataDirectory[];
  sections: PESection[];
  /** End of the last section's raw data (or SizeOfHeaders): where an overlay would begin. */
  endOfImageData: number;
  authenticode: AuthenticodeLayout;
  /** The true file size the headers were checked against (may exceed the bytes that were parsed). */
  fileSize: number;
  /** File offset of the optional header (e_lfanew + 4 + 20). */
  optionalHeaderOffset: number;
  /** COFF SizeOfOptionalHeader: the section table starts this many bytes after the optional header. */
  sizeOfOptionalHeader: number;
  /** File offset of the first IMAGE_SECTION_HEADER. */
  sectionTableOffset: number;
  /** NumberOfRvaAndSizes as stored (may exceed 16; `dataDirectories` is bounded). */
  numberOfRvaAndSizes: number;
  /** Header-level oddities (see PEAnomalyId); `parsePE` merges them into `PEImage.anomalies`. */
  anomalies: PEAnomaly[];
}

/** Codes of the ParseErrors thrown by the PE parser (broken headers or certificate table). */
export type PEErrorCode =
  | 'PE_NOT_MZ'
  | 'PE_BAD_E_LFANEW'
  | 'PE_NOT_PE_SIGNATURE'
  | 'PE_TRUNCATED'
  | 'PE_BAD_OPTIONAL_HEADER'
  | 'PE_SECTION_TABLE_PAST_EOF'
  | 'PE_TOO_MANY_SECTIONS'
  | 'PE_BAD_CERTIFICATE_TABLE';

/** Stable IDs of PE anomalies (tolerable oddities reported instead of thrown). */
export type PEAnomalyId =
  // headers
  | 'PE_TOO_MANY_DATA_DIRECTORIES'
  | 'PE_DATA_DIRECTORIES_TRUNCATED'
  | 'PE_NO_SECURITY_DIRECTORY_ENTRY'
  | 'PE_SECTION_NAME_UNRESOLVED'
  | 'PE_SECTION_DATA_PAST_EOF'
  | 'PE_BAD_SECURITY_DIRECTORY'
  | 'PE_CERTIFICATE_TABLE_MISALIGNED'
  | 'PE_CERTIFICATE_TABLE_NOT_AT_END'
  // parsePE
  | 'PE_IMPORTS_TRUNCATED'
  | 'PE_IMPORTS_LIMIT'
  | 'PE_BAD_IMPORT_DESCRIPTOR'
  | 'PE_EXPORTS_TRUNCATED'
  | 'PE_BAD_EXPORT_DIRECTORY'
  | 'PE_EXPORTS_LIMIT'
  | 'PE_RESOURCES_TRUNCATED'
  | 'PE_RESOURCE_LOOP'
  | 'PE_RESOURCE_TOO_DEEP'
  | 'PE_RESOURCES_LIMIT'
  | 'PE_VERSION_INFO_TRUNCATED'
  | 'PE_BAD_VERSION_INFO'
  | 'PE_MANIFEST_TRUNCATED'
  | 'PE_CHECKSUM_MISMATCH';

export interface PEImport {
  dll: string;
  functions: Array<{ name?: string; ordinal?: number }>;
}

export interface PEExports {
  dllName: string;
  /** One entry per non-empty Export Address Table slot, in ordinal order. */
  functions: Array<{
    name?: string;
    ordinal: number;
    rva: number;
    /** "DLL.Function" or "DLL.#ordinal" when the slot forwards to another DLL. */
    forwarder?: string;
    /** Further names that point at the same slot. */
    aliases?: string[];
  }>;
}

export interface PEVersionInfo {
  /** VS_FIXEDFILEINFO dwFileVersionMS/LS as "a.b.c.d". */
  fileVersion: string;
  productVersion: string;
  fileFlags: number;
  fileOS: number;
  fileType: number;
  /** StringFileInfo tables, keyed by the 8-hex-digit language/codepage key as written (e.g. "040904b0"). */
  strings: Record<string, Record<string, string>>;
  /** False when VS_FIXEDFILEINFO is absent or unsigned: the version fields are then "" and 0. */
  fixedFileInfoPresent: boolean;
}

export interface PEResourceSummary {
  /** Resource type (numeric RT_* id as string, or the name) → number of entries (leaf data entries). */
  types: Record<string, number>;
  /** Every leaf of the resource tree, in directory order. */
  entries: PEResourceEntry[];
}

/** One resource (a leaf of the type → name → language tree). */
export interface PEResourceEntry {
  /** Numeric RT_* id, or the type name. */
  type: number | string;
  /** Numeric id, or the name. */
  name: number | string;
  /** LANGID (0 when the tree has no language level). */
  language: number;
  /** RVA of the data (IMAGE_RESOURCE_DATA_ENTRY.OffsetToData is an RVA). */
  rva: number;
  size: number;
  codePage: number;
}

/** A tolerable oddity found while parsing (not an exception). IDs are stable. */
export interface PEAnomaly {
  /** One of PEAnomalyId (typed as string so consumers may mix in their own findings). */
  id: string;
  message: string;
}

/** One WIN_CERTIFICATE entry of the attribute certificate table. */
export interface WinCertificate {
  offset: number;
  length: number;
  revision: number;
  certificateType: number;
  /** bCertificate (for WIN_CERT_TYPE_PKCS_SIGNED_DATA: DER PKCS#7 SignedData, possibly followed by zero padding). */
  certificate: Uint8Array;
}

export interface PEImage {
  headers: PEHeaders;
  imports: PEImport[];
  exports: PEExports | undefined;
  resources: PEResourceSummary | undefined;
  versionInfo: PEVersionInfo | undefined;
  /** RT_MANIFEST id 1 (or the first manifest) as text. */
  manifest: string | undefined;
  /**
   * Bytes after the last section's raw data, excluding the attribute certificate table (see parse-pe.ts for the
   * exact rule). `coffSymbolTableBytes`: how many of them, from `offset`, are the COFF symbol + string table
   * that MinGW leaves in unstripped images (pefile counts those as overlay too).
   */
  overlay: { offset: number; size: number; coffSymbolTableBytes?: number } | undefined;
  /** Stored vs. computed PE checksum (computed over the whole file per the PE/COFF spec). */
  checksum: { stored: number; computed: number };
  anomalies: PEAnomaly[];
}
