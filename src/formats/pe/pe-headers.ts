/**
 * PE headers: DOS stub header, "PE\0\0", COFF file header, optional header (PE32 / PE32+),
 * data directories and the section table.
 *
 * References:
 * - [PECOFF] Microsoft "PE Format" (PE/COFF specification), https://learn.microsoft.com/windows/win32/debug/pe-format
 *   sections "MS-DOS Stub", "Signature", "COFF File Header", "Optional Header", "Section Table", "COFF String Table",
 *   "The Attribute Certificate Table".
 * - [AUTHENTICODE] "Windows Authenticode Portable Executable Signature Format", "Calculating the PE Image Hash".
 *
 * The parser works on a PREFIX of the file (e.g. the first MiB) as long as the headers fit: every check against
 * the real file (`fileSize`) is a semantic error (PE_BAD_E_LFANEW, PE_SECTION_TABLE_PAST_EOF), while a structure
 * that exists in the file but not in `bytes` is PE_TRUNCATED.
 */
import { ByteView, ParseError } from '../../binary/index.ts';
import type {
  AuthenticodeLayout,
  PEAnomaly,
  PEAnomalyId,
  PEDataDirectory,
  PEErrorCode,
  PEHeaders,
  PEMachine,
  PESection,
  PESubsystem,
} from './pe.types.ts';

/** [PECOFF] "Section Table": "the Windows loader limits the number of sections to 96". */
export const MAX_PE_SECTION_COUNT = 96;
/** [PECOFF] "Optional Header Data Directories": the spec defines 16 entries; more are ignored. */
export const MAX_PE_DATA_DIRECTORY_COUNT = 16;
/** Long section names ("/123" → COFF string table) are cut at this many bytes. */
export const MAX_SECTION_NAME_BYTES = 256;

/** [PECOFF] "MS-DOS Stub": the IMAGE_DOS_HEADER is 64 bytes; e_lfanew sits at 0x3c. */
export const DOS_HEADER_SIZE_BYTES = 64;
export const E_LFANEW_OFFSET = 0x3c;
export const MZ_SIGNATURE = 0x5a4d; // "MZ" read as a little-endian word
export const PE_SIGNATURE = 0x00004550; // "PE\0\0" read as a little-endian dword
export const COFF_HEADER_SIZE_BYTES = 20;
export const SECTION_HEADER_SIZE_BYTES = 40;
export const DATA_DIRECTORY_SIZE_BYTES = 8;
/** [PECOFF] "COFF Symbol Table": each symbol record is 18 bytes; the string table follows the last one. */
export const COFF_SYMBOL_SIZE_BYTES = 18;
export const PE32_MAGIC = 0x10b;
export const PE32_PLUS_MAGIC = 0x20b;
/** Size of the standard + Windows-specific fields, i.e. the offset of the first data directory. */
export const PE32_FIXED_OPTIONAL_HEADER_SIZE_BYTES = 96;
export const PE32_PLUS_FIXED_OPTIONAL_HEADER_SIZE_BYTES = 112;
/** [PECOFF] "Optional Header Windows-Specific Fields": CheckSum is at +64 in both PE32 and PE32+. */
export const CHECKSUM_FIELD_OFFSET = 64;
/** Index of IMAGE_DIRECTORY_ENTRY_SECURITY (the "Certificate Table"). */
export const SECURITY_DIRECTORY_INDEX = 4;
/** [PECOFF] "The Attribute Certificate Table": entries (and so the table) are quadword aligned. */
export const WIN_CERTIFICATE_ALIGNMENT_BYTES = 8;
/** A WIN_CERTIFICATE header alone is 8 bytes, so a smaller table cannot hold one. */
export const WIN_CERTIFICATE_HEADER_SIZE_BYTES = 8;

/** [PECOFF] "Characteristics" (COFF): IMAGE_FILE_DLL. */
export const IMAGE_FILE_DLL = 0x2000;
/** [PECOFF] "Section Flags". */
export const IMAGE_SCN_MEM_EXECUTE = 0x20000000;
export const IMAGE_SCN_MEM_READ = 0x40000000;
export const IMAGE_SCN_MEM_WRITE = 0x80000000;

/** [PECOFF] "Optional Header Data Directories (Image Only)", in index order. */
export const DATA_DIRECTORY_NAMES = [
  'export',
  'import',
  'resource',
  'exception',
  'certificate',
  'base-relocation',
  'debug',
  'architecture',
  'global-ptr',
  'tls',
  'load-config',
  'bound-import',
  'iat',
  'delay-import',
  'clr-runtime-header',
  'reserved',
] as const;

const MACHINES: ReadonlyMap<number, PEMachine> = new Map<number, PEMachine>([
  [0x014c, 'x86'],
  [0x8664, 'x64'],
  [0x01c0, 'arm'], // IMAGE_FILE_MACHINE_ARM
  [0x01c2, 'arm'], // THUMB
  [0x01c4, 'arm'], // ARMNT (Thumb-2)
  [0xaa64, 'arm64'],
  [0x0200, 'ia64'],
]);

const SUBSYSTEMS: ReadonlyMap<number, PESubsystem> = new Map<number, PESubsystem>([
  [1, 'native'],
  [2, 'windows-gui'],
  [3, 'windows-cui'],
  [5, 'os2-cui'],
  [7, 'posix-cui'],
  [9, 'windows-ce-gui'],
  [10, 'efi-application'],
  [11, 'efi-boot-service-driver'],
  [12, 'efi-runtime-driver'],
  [13, 'efi-rom'],
  [14, 'xbox'],
  [16, 'windows-boot-application'],
]);

/** Field offsets, relative to the start of each structure (table-tested against the spec). */
export const DOS_HEADER_FIELDS = { e_magic: 0, e_lfanew: E_LFANEW_OFFSET } as const;
export const COFF_HEADER_FIELDS = {
  Machine: 0,
  NumberOfSections: 2,
  TimeDateStamp: 4,
  PointerToSymbolTable: 8,
  NumberOfSymbols: 12,
  SizeOfOptionalHeader: 16,
  Characteristics: 18,
} as const;
/** Offsets that differ between PE32 and PE32+ (everything from SectionAlignment to Subsystem is shared). */
export const OPTIONAL_HEADER_FIELDS = {
  pe32: { Magic: 0, MajorLinkerVersion: 2, MinorLinkerVersion: 3, AddressOfEntryPoint: 16, ImageBase: 28, SectionAlignment: 32, FileAlignment: 36, SizeOfImage: 56, SizeOfHeaders: 60, CheckSum: 64, Subsystem: 68, DllCharacteristics: 70, NumberOfRvaAndSizes: 92, DataDirectories: 96 },
  pe32Plus: { Magic: 0, MajorLinkerVersion: 2, MinorLinkerVersion: 3, AddressOfEntryPoint: 16, ImageBase: 24, SectionAlignment: 32, FileAlignment: 36, SizeOfImage: 56, SizeOfHeaders: 60, CheckSum: 64, Subsystem: 68, DllCharacteristics: 70, NumberOfRvaAndSizes: 108, DataDirectories: 112 },
} as const;
export const SECTION_HEADER_FIELDS = {
  Name: 0,
  VirtualSize: 8,
  VirtualAddress: 12,
  SizeOfRawData: 16,
  PointerToRawData: 20,
  Characteristics: 36,
} as const;

function fail(code: PEErrorCode, message: string, offset?: number): never {
  throw new ParseError<PEErrorCode>(code, message, offset === undefined ? {} : { offset });
}

export function anomaly(id: PEAnomalyId, message: string): PEAnomaly {
  return { id, message };
}

const utf8Decoder = new TextDecoder('utf-8');

/**
 * Cheap sniff: "MZ", an e_lfanew inside the bytes, and "PE\0\0" there. Never throws.
 * (Anything that passes may still fail `parsePEHeaders`; anything that fails is not worth parsing.)
 */
export function looksLikePE(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array)) return false;
  const view = new ByteView(bytes);
  if (!view.has(0, DOS_HEADER_SIZE_BYTES) || view.u16(0) !== MZ_SIGNATURE) return false;
  const lfanew = view.u32(E_LFANEW_OFFSET);
  return view.has(lfanew, 4) && view.u32(lfanew) === PE_SIGNATURE;
}

/**
 * Parse the PE headers. `bytes` may be only a prefix of the file; `fileSize` is the real size, used to
 * validate file offsets (e_lfanew, the section table, the certificate table, section raw data).
 * Throws ParseError<PEErrorCode> only for headers that cannot be interpreted; everything else is an anomaly.
 */
export function parsePEHeaders(bytes: Uint8Array, fileSize: number = bytes.length): PEHeaders {
  if (!Number.isSafeInteger(fileSize) || fileSize < 0) throw new TypeError(`parsePEHeaders: fileSize must be a non-negative integer, got ${fileSize}`);
  // Bytes beyond the stated file size do not exist as far as the file is concerned.
  const view = new ByteView(bytes.length > fileSize ? bytes.subarray(0, fileSize) : bytes, 'PE_TRUNCATED');
  const anomalies: PEAnomaly[] = [];

  /** A structure must lie inside the file (else `code`) and inside the bytes we were given (else PE_TRUNCATED). */
  const requireRange = (offset: number, length: number, code: PEErrorCode, what: string): void => {
    if (offset + length > fileSize) fail(code, `${what} at offset ${offset} (+${length} bytes) is past the end of the file (${fileSize} bytes)`, offset);
    view.check(offset, length, what);
  };

  // --- DOS header [PECOFF "MS-DOS Stub"] ---------------------------------------------------------------
  if (!view.has(0, 2) || view.u16(0) !== MZ_SIGNATURE) fail('PE_NOT_MZ', 'not an MZ executable (no "MZ" at offset 0)', 0);
  requireRange(0, DOS_HEADER_SIZE_BYTES, 'PE_TRUNCATED', 'DOS header');
  const peHeaderOffset = view.u32(E_LFANEW_OFFSET, 'e_lfanew');
  // The signature and COFF header must follow e_lfanew inside the file; a pointer beyond it is a broken
  // header, not a short read.
  if (peHeaderOffset + 4 + COFF_HEADER_SIZE_BYTES > fileSize) {
    fail('PE_BAD_E_LFANEW', `e_lfanew ${peHeaderOffset} leaves no room for the PE signature and COFF header in a ${fileSize}-byte file`, E_LFANEW_OFFSET);
  }

  // --- "PE\0\0" [PECOFF "Signature (Image Only)"] ----------------------------------------------------
  requireRange(peHeaderOffset, 4, 'PE_BAD_E_LFANEW', 'PE signature');
  if (view.u32(peHeaderOffset) !== PE_SIGNATURE) fail('PE_NOT_PE_SIGNATURE', `no "PE\\0\\0" signature at e_lfanew ${peHeaderOffset}`, peHeaderOffset);

  // --- COFF file header [PECOFF "COFF File Header (Object and Image)"] -------------------------------
  const coff = peHeaderOffset + 4;
  requireRange(coff, COFF_HEADER_SIZE_BYTES, 'PE_BAD_E_LFANEW', 'COFF file header');
  const machine = view.u16(coff + COFF_HEADER_FIELDS.Machine);
  const numberOfSections = view.u16(coff + COFF_HEADER_FIELDS.NumberOfSections);
  const timeDateStamp = view.u32(coff + COFF_HEADER_FIELDS.TimeDateStamp);
  const pointerToSymbolTable = view.u32(coff + COFF_HEADER_FIELDS.PointerToSymbolTable);
  const numberOfSymbols = view.u32(coff + COFF_HEADER_FIELDS.NumberOfSymbols);
  const sizeOfOptionalHeader = view.u16(coff + COFF_HEADER_FIELDS.SizeOfOptionalHeader);
  const characteristics = view.u16(coff + COFF_HEADER_FIELDS.Characteristics);
  // Checked before anything is sized from it: the count drives the section-table read below.
  if (numberOfSections > MAX_PE_SECTION_COUNT) {
    fail('PE_TOO_MANY_SECTIONS', `NumberOfSections is ${numberOfSections}, above the loader limit of ${MAX_PE_SECTION_COUNT}`, coff + COFF_HEADER_FIELDS.NumberOfSections);
  }

  // --- Optional header [PECOFF "Optional Header (Image Only)"] ----------------------------------------
  const optionalHeaderOffset = coff + COFF_HEADER_SIZE_BYTES;
  if (sizeOfOptionalHeader < 2) fail('PE_BAD_OPTIONAL_HEADER', `SizeOfOptionalHeader is ${sizeOfOptionalHeader}: an image needs an optional header`, coff + COFF_HEADER_FIELDS.SizeOfOptionalHeader);
  requireRange(optionalHeaderOffset, 2, 'PE_TRUNCATED', 'optional header magic');
  const magic = view.u16(optionalHeaderOffset);
  if (magic !== PE32_MAGIC && magic !== PE32_PLUS_MAGIC) fail('PE_BAD_OPTIONAL_HEADER', `optional header magic 0x${magic.toString(16)} is neither PE32 (0x10b) nor PE32+ (0x20b)`, optionalHeaderOffset);
  const bits = magic === PE32_PLUS_MAGIC ? 64 : 32;
  const fields = bits === 64 ? OPTIONAL_HEADER_FIELDS.pe32Plus : OPTIONAL_HEADER_FIELDS.pe32;
  const fixedSize = fields.DataDirectories;
  // We need every fixed field (CheckSum, Subsystem, NumberOfRvaAndSizes); a shorter declared header would
  // make the section table overlap them, which no linker produces and which we refuse to guess about.
  if (sizeOfOptionalHeader < fixedSize) {
    fail('PE_BAD_OPTIONAL_HEADER', `SizeOfOptionalHeader ${sizeOfOptionalHeader} is smaller than the ${fixedSize} bytes of fixed ${bits === 64 ? 'PE32+' : 'PE32'} fields`, coff + COFF_HEADER_FIELDS.SizeOfOptionalHeader);
  }
  requireRange(optionalHeaderOffset, fixedSize, 'PE_TRUNCATED', 'optional header');
  const o = optionalHeaderOffset;
  const imageBase = bits === 64 ? view.u64(o + fields.ImageBase) : BigInt(view.u32(o + fields.ImageBase));
  const numberOfRvaAndSizes = view.u32(o + fields.NumberOfRvaAndSizes);

  // --- Data directories [PECOFF "Optional Header Data Directories"] -----------------------------------
  // Bounded three ways: the spec's 16, the declared count, and the room SizeOfOptionalHeader leaves.
  const roomForDirectories = Math.floor((sizeOfOptionalHeader - fixedSize) / DATA_DIRECTORY_SIZE_BYTES);
  let directoryCount = Math.min(numberOfRvaAndSizes, MAX_PE_DATA_DIRECTORY_COUNT);
  if (numberOfRvaAndSizes > MAX_PE_DATA_DIRECTORY_COUNT) {
    anomalies.push(anomaly('PE_TOO_MANY_DATA_DIRECTORIES', `NumberOfRvaAndSizes is ${numberOfRvaAndSizes}; only the first ${MAX_PE_DATA_DIRECTORY_COUNT} are defined and read`));
  }
  if (directoryCount > roomForDirectories) {
    anomalies.push(anomaly('PE_DATA_DIRECTORIES_TRUNCATED', `NumberOfRvaAndSizes ${numberOfRvaAndSizes} does not fit in SizeOfOptionalHeader ${sizeOfOptionalHeader}; reading ${roomForDirectories}`));
    directoryCount = roomForDirectories;
  }
  const directoriesOffset = o + fixedSize;
  requireRange(directoriesOffset, directoryCount * DATA_DIRECTORY_SIZE_BYTES, 'PE_TRUNCATED', 'data directories');
  const dataDirectories: PEDataDirectory[] = [];
  for (let index = 0; index < directoryCount; index++) {
    const at = directoriesOffset + index * DATA_DIRECTORY_SIZE_BYTES;
    dataDirectories.push({ index, name: DATA_DIRECTORY_NAMES[index] ?? 'reserved', virtualAddress: view.u32(at), size: view.u32(at + 4) });
  }

  // --- Section table [PECOFF "Section Table (Section Headers)"] ---------------------------------------
  const sectionTableOffset = o + sizeOfOptionalHeader;
  requireRange(sectionTableOffset, numberOfSections * SECTION_HEADER_SIZE_BYTES, 'PE_SECTION_TABLE_PAST_EOF', 'section table');
  const stringTableOffset = pointerToSymbolTable + numberOfSymbols * COFF_SYMBOL_SIZE_BYTES;
  const sections: PESection[] = [];
  for (let i = 0; i < numberOfSections; i++) {
    const at = sectionTableOffset + i * SECTION_HEADER_SIZE_BYTES;
    const rawName = decodeName(view.slice(at + SECTION_HEADER_FIELDS.Name, 8, 'section name'));
    const sectionCharacteristics = view.u32(at + SECTION_HEADER_FIELDS.Characteristics);
    let name = rawName;
    if (/^\/\d{1,7}$/.test(rawName)) {
      const resolved = resolveLongName(view, fileSize, pointerToSymbolTable, stringTableOffset, Number(rawName.slice(1)));
      if (resolved === undefined) anomalies.push(anomaly('PE_SECTION_NAME_UNRESOLVED', `section ${i} long name ${rawName} points outside the COFF string table (or outside the parsed bytes)`));
      else name = resolved;
    }
    sections.push({
      name,
      rawName,
      virtualAddress: view.u32(at + SECTION_HEADER_FIELDS.VirtualAddress),
      virtualSize: view.u32(at + SECTION_HEADER_FIELDS.VirtualSize),
      pointerToRawData: view.u32(at + SECTION_HEADER_FIELDS.PointerToRawData),
      sizeOfRawData: view.u32(at + SECTION_HEADER_FIELDS.SizeOfRawData),
      characteristics: sectionCharacteristics,
      readable: (sectionCharacteristics & IMAGE_SCN_MEM_READ) !== 0,
      writable: (sectionCharacteristics & IMAGE_SCN_MEM_WRITE) !== 0,
      executable: (sectionCharacteristics & IMAGE_SCN_MEM_EXECUTE) !== 0,
    });
  }

  const sizeOfHeaders = view.u32(o + fields.SizeOfHeaders);
  // The overlay starts after the furthest section raw data. Sections without raw data (.bss) do not count.
  let endOfImageData = sizeOfHeaders;
  for (const s of sections) {
    if (s.sizeOfRawData === 0) continue;
    const end = s.pointerToRawData + s.sizeOfRawData;
    if (end > fileSize) anomalies.push(anomaly('PE_SECTION_DATA_PAST_EOF', `section ${s.name} raw data [${s.pointerToRawData}, ${end}) ends past the end of the file (${fileSize} bytes)`));
    endOfImageData = Math.max(endOfImageData, end);
  }

  const authenticode = readAuthenticodeLayout(optionalHeaderOffset, fixedSize, directoryCount, dataDirectories, sectionTableOffset + numberOfSections * SECTION_HEADER_SIZE_BYTES, sizeOfHeaders, endOfImageData, fileSize, anomalies);

  return {
    peHeaderOffset,
    machine,
    machineName: MACHINES.get(machine) ?? 'unknown',
    numberOfSections,
    timeDateStamp,
    pointerToSymbolTable,
    numberOfSymbols,
    characteristics,
    isDll: (characteristics & IMAGE_FILE_DLL) !== 0,
    magic,
    bits,
    majorLinkerVersion: view.u8(o + fields.MajorLinkerVersion),
    minorLinkerVersion: view.u8(o + fields.MinorLinkerVersion),
    addressOfEntryPoint: view.u32(o + fields.AddressOfEntryPoint),
    imageBase,
    sectionAlignment: view.u32(o + fields.SectionAlignment),
    fileAlignment: view.u32(o + fields.FileAlignment),
    sizeOfImage: view.u32(o + fields.SizeOfImage),
    sizeOfHeaders,
    checksum: view.u32(o + fields.CheckSum),
    subsystem: view.u16(o + fields.Subsystem),
    subsystemName: SUBSYSTEMS.get(view.u16(o + fields.Subsystem)) ?? 'unknown',
    dllCharacteristics: view.u16(o + fields.DllCharacteristics),
    dataDirectories,
    sections,
    endOfImageData,
    authenticode,
    fileSize,
    optionalHeaderOffset,
    sizeOfOptionalHeader,
    sectionTableOffset,
    numberOfRvaAndSizes,
    anomalies,
  };
}

/**
 * [AUTHENTICODE] The image hash skips the CheckSum field and the certificate-table directory entry, and stops
 * at the attribute certificate table, whose "VirtualAddress" is a FILE OFFSET ([PECOFF] "The Attribute
 * Certificate Table (Image Only)": "the address is a file pointer").
 */
function readAuthenticodeLayout(
  optionalHeaderOffset: number,
  fixedSize: number,
  directoryCount: number,
  dataDirectories: PEDataDirectory[],
  endOfHeaders: number,
  sizeOfHeaders: number,
  endOfImageData: number,
  fileSize: number,
  anomalies: PEAnomaly[],
): AuthenticodeLayout {
  const checksumOffset = optionalHeaderOffset + CHECKSUM_FIELD_OFFSET;
  const securityDirectoryEntryOffset = optionalHeaderOffset + fixedSize + SECURITY_DIRECTORY_INDEX * DATA_DIRECTORY_SIZE_BYTES;
  const securityDirectoryEntryPresent = directoryCount > SECURITY_DIRECTORY_INDEX;
  if (!securityDirectoryEntryPresent) {
    anomalies.push(anomaly('PE_NO_SECURITY_DIRECTORY_ENTRY', `only ${directoryCount} data directories: there is no certificate table entry, so the file cannot be signed`));
    return { checksumOffset, securityDirectoryEntryOffset, certificateTable: undefined, securityDirectoryEntryPresent };
  }
  const entry = dataDirectories[SECURITY_DIRECTORY_INDEX];
  if (entry === undefined || (entry.virtualAddress === 0 && entry.size === 0)) {
    return { checksumOffset, securityDirectoryEntryOffset, certificateTable: undefined, securityDirectoryEntryPresent };
  }
  const offset = entry.virtualAddress;
  const size = entry.size;
  const headersEnd = Math.max(endOfHeaders, Math.min(sizeOfHeaders, fileSize));
  let problem: string | undefined;
  if (size < WIN_CERTIFICATE_HEADER_SIZE_BYTES) problem = `certificate table size ${size} is smaller than one WIN_CERTIFICATE header (8 bytes)`;
  else if (offset + size > fileSize) problem = `certificate table [${offset}, ${offset + size}) extends past the end of the file (${fileSize} bytes)`;
  else if (offset < headersEnd) problem = `certificate table at offset ${offset} overlaps the PE headers (which end at ${headersEnd})`;
  if (problem !== undefined) {
    anomalies.push(anomaly('PE_BAD_SECURITY_DIRECTORY', problem));
    return { checksumOffset, securityDirectoryEntryOffset, certificateTable: { offset, size, problem: { code: 'PE_BAD_SECURITY_DIRECTORY', message: problem } }, securityDirectoryEntryPresent };
  }
  if (offset % WIN_CERTIFICATE_ALIGNMENT_BYTES !== 0) {
    anomalies.push(anomaly('PE_CERTIFICATE_TABLE_MISALIGNED', `certificate table offset ${offset} is not 8-byte aligned`));
  }
  // Signing tools append the table at the end of the file, after all section data; anything else means bytes
  // were added (or moved) after signing, which the image hash does not cover.
  if (offset < endOfImageData || offset + size !== fileSize) {
    anomalies.push(anomaly('PE_CERTIFICATE_TABLE_NOT_AT_END', `certificate table [${offset}, ${offset + size}) is not the last thing in the file (section data ends at ${endOfImageData}, file at ${fileSize})`));
  }
  return { checksumOffset, securityDirectoryEntryOffset, certificateTable: { offset, size }, securityDirectoryEntryPresent };
}

/** [PECOFF] Section Name: "an 8-byte, null-padded UTF-8 encoded string" (no terminator when all 8 are used). */
function decodeName(raw: Uint8Array): string {
  const end = raw.indexOf(0);
  return utf8Decoder.decode(end === -1 ? raw : raw.subarray(0, end));
}

/**
 * [PECOFF] "/4" means "offset 4 into the COFF string table", which follows the symbol table and starts with its
 * own 4-byte size (so real offsets are >= 4). Images are not supposed to use it, but MinGW's ld does.
 * Returns undefined when the string table is not inside the file, or not inside the parsed bytes.
 */
function resolveLongName(view: ByteView, fileSize: number, pointerToSymbolTable: number, stringTableOffset: number, nameOffset: number): string | undefined {
  if (pointerToSymbolTable === 0 || nameOffset < 4) return undefined;
  if (!view.has(stringTableOffset, 4) || stringTableOffset + 4 > fileSize) return undefined;
  const tableSize = view.u32(stringTableOffset);
  const tableEnd = Math.min(stringTableOffset + tableSize, fileSize, view.length);
  const at = stringTableOffset + nameOffset;
  if (at >= tableEnd) return undefined;
  const raw = view.slice(at, Math.min(MAX_SECTION_NAME_BYTES, tableEnd - at), 'section long name');
  const end = raw.indexOf(0);
  if (end === -1 && raw.length === MAX_SECTION_NAME_BYTES) return utf8Decoder.decode(raw);
  return end === -1 ? undefined : utf8Decoder.decode(raw.subarray(0, end));
}
