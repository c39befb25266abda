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
}

export interface PEImport {
  dll: string;
  functions: Array<{ name?: string; ordinal?: number }>;
}

export interface PEExports {
  dllName: string;
  functions: Array<{ name?: string; ordinal: number; rva: number; forwarder?: string }>;
}

export interface PEVersionInfo {
  /** VS_FIXEDFILEINFO dwFileVersionMS/LS as "a.b.c.d". */
  fileVersion: string;
  productVersion: string;
  fileFlags: number;
  fileOS: number;
  fileType: number;
  /** StringFileInfo tables, keyed by the 8-hex-digit language/codepage key (e.g. "040904b0"). */
  strings: Record<string, Record<string, string>>;
}

export interface PEResourceSummary {
  /** Resource type (numeric RT_* id as string, or the name) → number of entries. */
  types: Record<string, number>;
}

/** A tolerable oddity found while parsing (not an exception). IDs are stable. */
export interface PEAnomaly {
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
  overlay: { offset: number; size: number } | undefined;
  /** Stored vs. computed PE checksum (computed over the whole file per the PE/COFF spec). */
  checksum: { stored: number; computed: number };
  anomalies: PEAnomaly[];
}
