/**
 * MS-CAB (cabinet) reader: CFHEADER, CFFOLDER, CFFILE, CFDATA; "none" and MSZIP decoding.
 *
 * References:
 * - [MS-CAB] "Microsoft Cabinet Format" (learn.microsoft.com/previous-versions/bb417343(v=msdn.10)),
 *   sections "CFHEADER", "CFFOLDER", "CFFILE", "CFDATA".
 * - [MS-MCI] "Microsoft ZIP (MSZIP) Compression and Decompression Data Structure": every CFDATA payload is
 *   "CK" followed by a raw deflate stream that may refer back to the previous 32 KiB of folder output.
 * - CAB signing layout: osslsigncode cab.c (`cab_ctx_get`): cbCFHeader = 20 and abReserve =
 *   { u32 0x00100000, u32 signature offset, u32 signature size, 8 zero bytes }; the PKCS#7 blob sits at the
 *   end of the file, after cbCabinet bytes.
 *
 * Everything read from the file goes through ByteView (CAB_TRUNCATED on a short read) and every count or size
 * is checked before it drives a loop or an allocation. LZX and Quantum are not decoded here (the
 * `src/containers` adapter hands them to 7-Zip); `buildSingleFolderCabinet` repacks one folder for that.
 */
import { inflateRawSync } from 'node:zlib';
import { ByteView, LimitExceededError, ParseError, safeBound } from '../../binary/index.ts';
import { decodeWindows1252 } from '../container/windows-1252.ts';
import type { CabCabinet, CabCompression, CabDataBlock, CabErrorCode, CabFile, CabFolder, CabHeader } from './cab.types.ts';

export const CAB_SIGNATURE = 0x4643534d; // "MSCF" read as a little-endian dword
/** Fixed part of CFHEADER (through iCabinet). */
export const CFHEADER_FIXED_SIZE_BYTES = 36;
export const CFFOLDER_FIXED_SIZE_BYTES = 8;
export const CFFILE_FIXED_SIZE_BYTES = 16;
export const CFDATA_FIXED_SIZE_BYTES = 8;
/** [MS-CAB] CFHEADER: "cbCFHeader … value of this field MUST be in the range 0-60,000". */
export const MAX_CAB_HEADER_RESERVE_BYTES = 60_000;
/** [MS-CAB] CB_MAX_CABINET_NAME / CB_MAX_DISK_NAME / CB_MAX_FILENAME: names are at most 255 bytes + NUL. */
export const MAX_CAB_NAME_BYTES = 256;
/** [MS-CAB] CFDATA: "cbUncomp … MUST NOT exceed 32,768" (the MSZIP/LZX frame size). */
export const MAX_CAB_BLOCK_UNCOMPRESSED_BYTES = 32_768;
/** [MS-MCI]: the MSZIP history window. */
export const MSZIP_WINDOW_BYTES = 32_768;

export const CFHDR_PREV_CABINET = 0x0001;
export const CFHDR_NEXT_CABINET = 0x0002;
export const CFHDR_RESERVE_PRESENT = 0x0004;
/** CFFILE.attribs: the name is UTF-8. */
export const CAB_ATTRIB_NAME_IS_UTF = 0x80;
export const IFOLD_CONTINUED_FROM_PREV = 0xfffd;
export const IFOLD_CONTINUED_TO_NEXT = 0xfffe;
export const IFOLD_CONTINUED_PREV_AND_NEXT = 0xffff;
/** osslsigncode cab.c: the first dword of a signed cabinet's 20-byte abReserve. */
export const CAB_SIGNATURE_RESERVE_MAGIC = 0x00100000;
export const CAB_SIGNATURE_RESERVE_SIZE_BYTES = 20;

/** CFHEADER field offsets (table-tested against the spec). */
export const CFHEADER_FIELDS = {
  signature: 0,
  reserved1: 4,
  cbCabinet: 8,
  reserved2: 12,
  coffFiles: 16,
  reserved3: 20,
  versionMinor: 24,
  versionMajor: 25,
  cFolders: 26,
  cFiles: 28,
  flags: 30,
  setID: 32,
  iCabinet: 34,
  cbCFHeader: 36,
  cbCFFolder: 38,
  cbCFData: 39,
  abReserve: 40,
} as const;
export const CFFOLDER_FIELDS = { coffCabStart: 0, cCFData: 4, typeCompress: 6 } as const;
export const CFFILE_FIELDS = { cbFile: 0, uoffFolderStart: 4, iFolder: 8, date: 10, time: 12, attribs: 14, szName: 16 } as const;
export const CFDATA_FIELDS = { csum: 0, cbData: 4, cbUncomp: 6 } as const;

function fail(code: CabErrorCode, message: string, offset?: number): never {
  throw new ParseError<CabErrorCode>(code, message, offset === undefined ? {} : { offset });
}

const utf8 = new TextDecoder('utf-8');

/** Cheap sniff: "MSCF" and a zero reserved1. Never throws. */
export function looksLikeCabinet(bytes: Uint8Array): boolean {
  const view = new ByteView(bytes);
  return view.has(0, 8) && view.u32(0) === CAB_SIGNATURE && view.u32(4) === 0;
}

export function describeCabCompression(typeCompress: number): { compression: CabCompression; method: string } {
  switch (typeCompress & 0x000f) {
    case 0:
      return { compression: 'none', method: 'none' };
    case 1:
      return { compression: 'mszip', method: 'mszip' };
    case 2:
      return { compression: 'quantum', method: `quantum:${(typeCompress >> 4) & 0xf}:${(typeCompress >> 8) & 0x1f}` };
    case 3:
      return { compression: 'lzx', method: `lzx:${(typeCompress >> 8) & 0x1f}` };
    default:
      return { compression: 'unknown', method: `unknown:0x${typeCompress.toString(16).padStart(4, '0')}` };
  }
}

/**
 * Parse the cabinet's structure (no decompression). Throws ParseError<CabErrorCode> when the structure cannot be
 * interpreted: CAB_NOT_CABINET, CAB_TRUNCATED (cbCabinet or a structure past the end of `bytes`), CAB_BAD_HEADER,
 * CAB_BAD_FOLDER (a CFDATA chain outside the cabinet). Problems that concern one file only (spanned data, a bad
 * iFolder, a range past its folder) are attached to that file as `problem`.
 */
export function parseCabinet(bytes: Uint8Array): CabCabinet {
  const view = new ByteView(bytes, 'CAB_TRUNCATED');
  if (!view.has(0, 4) || view.u32(0) !== CAB_SIGNATURE) fail('CAB_NOT_CABINET', 'no "MSCF" signature at offset 0', 0);
  view.check(0, CFHEADER_FIXED_SIZE_BYTES, 'CFHEADER');
  const F = CFHEADER_FIELDS;
  const cabinetSize = view.u32(F.cbCabinet);
  const filesOffset = view.u32(F.coffFiles);
  const versionMinor = view.u8(F.versionMinor);
  const versionMajor = view.u8(F.versionMajor);
  const folderCount = view.u16(F.cFolders);
  const fileCount = view.u16(F.cFiles);
  const flags = view.u16(F.flags);
  if (versionMajor !== 1) fail('CAB_BAD_HEADER', `unsupported cabinet format version ${versionMajor}.${versionMinor} (expected 1.3)`, F.versionMajor);
  if (cabinetSize < CFHEADER_FIXED_SIZE_BYTES) fail('CAB_BAD_HEADER', `cbCabinet ${cabinetSize} is smaller than a CFHEADER`, F.cbCabinet);
  // A cabinet cut short (download, copy) announces more bytes than it has: that is the truncation we report.
  if (cabinetSize > bytes.length) fail('CAB_TRUNCATED', `cbCabinet says ${cabinetSize} bytes but only ${bytes.length} are present`, F.cbCabinet);
  // From here on, cabinet structures must lie inside cbCabinet (a signed cabinet's signature follows it).
  const cab = new ByteView(bytes.subarray(0, cabinetSize), 'CAB_TRUNCATED');

  let offset = CFHEADER_FIXED_SIZE_BYTES;
  let headerReserveSize = 0;
  let folderReserveSize = 0;
  let dataReserveSize = 0;
  let headerReserveOffset: number | undefined;
  if (flags & CFHDR_RESERVE_PRESENT) {
    headerReserveSize = cab.u16(F.cbCFHeader, 'cbCFHeader');
    folderReserveSize = cab.u8(F.cbCFFolder, 'cbCFFolder');
    dataReserveSize = cab.u8(F.cbCFData, 'cbCFData');
    if (headerReserveSize > MAX_CAB_HEADER_RESERVE_BYTES) fail('CAB_BAD_HEADER', `cbCFHeader ${headerReserveSize} exceeds the spec's ${MAX_CAB_HEADER_RESERVE_BYTES}`, F.cbCFHeader);
    headerReserveOffset = F.abReserve;
    cab.check(headerReserveOffset, headerReserveSize, 'abReserve');
    offset = headerReserveOffset + headerReserveSize;
  }
  const readName = (what: string): string => {
    const value = cab.cstring(offset, MAX_CAB_NAME_BYTES, what);
    const end = offset + value.length;
    if (!cab.has(end, 1) || cab.u8(end) !== 0) fail('CAB_BAD_HEADER', `${what} is not NUL-terminated within ${MAX_CAB_NAME_BYTES} bytes`, offset);
    offset = end + 1;
    return value;
  };
  const header: CabHeader = {
    cabinetSize,
    filesOffset,
    versionMinor,
    versionMajor,
    folderCount,
    fileCount,
    flags,
    setId: view.u16(F.setID),
    cabinetIndex: view.u16(F.iCabinet),
    headerReserveSize,
    folderReserveSize,
    dataReserveSize,
    headerReserveOffset,
  };
  if (flags & CFHDR_PREV_CABINET) header.previousCabinet = { cabinet: readName('szCabinetPrev'), disk: readName('szDiskPrev') };
  if (flags & CFHDR_NEXT_CABINET) header.nextCabinet = { cabinet: readName('szCabinetNext'), disk: readName('szDiskNext') };

  // --- CFFOLDER[cFolders] ------------------------------------------------------------------------------
  const folders: CabFolder[] = [];
  const folderSize = CFFOLDER_FIXED_SIZE_BYTES + folderReserveSize;
  cab.check(offset, folderCount * folderSize, 'CFFOLDER table');
  for (let i = 0; i < folderCount; i++, offset += folderSize) {
    const dataOffset = cab.u32(offset + CFFOLDER_FIELDS.coffCabStart);
    const blockCount = cab.u16(offset + CFFOLDER_FIELDS.cCFData);
    const typeCompress = cab.u16(offset + CFFOLDER_FIELDS.typeCompress);
    folders.push({ index: i, dataOffset, blockCount, typeCompress, ...describeCabCompression(typeCompress), ...walkBlocks(cab, i, dataOffset, blockCount, dataReserveSize) });
  }

  // --- CFFILE[cFiles] at coffFiles ---------------------------------------------------------------------
  const files: CabFile[] = [];
  let fileOffset = filesOffset;
  for (let i = 0; i < fileCount; i++) {
    cab.check(fileOffset, CFFILE_FIXED_SIZE_BYTES, `CFFILE ${i}`);
    const size = cab.u32(fileOffset + CFFILE_FIELDS.cbFile);
    const folderOffset = cab.u32(fileOffset + CFFILE_FIELDS.uoffFolderStart);
    const folderIndex = cab.u16(fileOffset + CFFILE_FIELDS.iFolder);
    const attributes = cab.u16(fileOffset + CFFILE_FIELDS.attribs);
    const nameOffset = fileOffset + CFFILE_FIELDS.szName;
    const rawName = cab.slice(nameOffset, Math.min(MAX_CAB_NAME_BYTES, cab.length - nameOffset), 'szName');
    const nul = rawName.indexOf(0);
    if (nul < 0) fail('CAB_BAD_FILE', `CFFILE ${i}: szName is not NUL-terminated within ${MAX_CAB_NAME_BYTES} bytes`, nameOffset);
    const nameBytes = rawName.subarray(0, nul);
    const file: CabFile = {
      index: i,
      // Without _A_NAME_IS_UTF the name is in "the current codepage": Windows-1252 is the common case.
      name: attributes & CAB_ATTRIB_NAME_IS_UTF ? utf8.decode(nameBytes) : decodeWindows1252(nameBytes),
      size,
      folderOffset,
      folderIndex,
      folder: undefined,
      date: cab.u16(fileOffset + CFFILE_FIELDS.date),
      time: cab.u16(fileOffset + CFFILE_FIELDS.time),
      attributes,
    };
    if (folderIndex >= IFOLD_CONTINUED_FROM_PREV) {
      file.problem = { code: 'CAB_SPANNED', message: `file continues ${folderIndex === IFOLD_CONTINUED_TO_NEXT ? 'into the next' : 'from the previous'} cabinet of a multi-cabinet set` };
    } else if (folderIndex >= folders.length) {
      file.problem = { code: 'CAB_BAD_FILE', message: `iFolder ${folderIndex} but the cabinet has ${folders.length} folder(s)` };
    } else {
      const folder = folders[folderIndex];
      file.folder = folder;
      if (folder !== undefined && folderOffset + size > folder.uncompressedSize) {
        file.problem = { code: 'CAB_BAD_FILE', message: `data [${folderOffset}, +${size}) runs past its folder's ${folder.uncompressedSize} uncompressed bytes` };
      }
    }
    files.push(file);
    fileOffset = nameOffset + nul + 1;
  }

  return { header, folders, files, cabSignature: readSignatureLocation(view, header, bytes.length), byteLength: bytes.length };
}

function walkBlocks(cab: ByteView, folderIndex: number, dataOffset: number, blockCount: number, reserve: number): Pick<CabFolder, 'blocks' | 'compressedSize' | 'uncompressedSize'> {
  const blocks: CabDataBlock[] = [];
  let offset = dataOffset;
  let compressedSize = 0;
  let uncompressedSize = 0;
  for (let b = 0; b < blockCount; b++) {
    if (!cab.has(offset, CFDATA_FIXED_SIZE_BYTES + reserve)) fail('CAB_BAD_FOLDER', `folder ${folderIndex}: CFDATA ${b} at ${offset} lies outside the cabinet (${cab.length} bytes)`, offset);
    const compressed = cab.u16(offset + CFDATA_FIELDS.cbData);
    const uncompressed = cab.u16(offset + CFDATA_FIELDS.cbUncomp);
    const payload = offset + CFDATA_FIXED_SIZE_BYTES + reserve;
    if (!cab.has(payload, compressed)) fail('CAB_BAD_FOLDER', `folder ${folderIndex}: CFDATA ${b} payload (${compressed} bytes at ${payload}) lies outside the cabinet`, payload);
    blocks.push({ headerOffset: offset, dataOffset: payload, compressedSize: compressed, uncompressedSize: uncompressed, checksum: cab.u32(offset + CFDATA_FIELDS.csum) });
    compressedSize += compressed;
    uncompressedSize += uncompressed;
    offset = payload + compressed;
  }
  return { blocks, compressedSize, uncompressedSize };
}

function readSignatureLocation(view: ByteView, header: CabHeader, length: number): CabCabinet['cabSignature'] {
  const reserveAt = header.headerReserveOffset;
  if (reserveAt === undefined || header.headerReserveSize !== CAB_SIGNATURE_RESERVE_SIZE_BYTES) return undefined;
  if (view.u32(reserveAt) !== CAB_SIGNATURE_RESERVE_MAGIC) return undefined;
  const offset = view.u32(reserveAt + 4);
  const size = view.u32(reserveAt + 8);
  if (offset === 0 || size === 0 || offset < header.cabinetSize || offset + size > length) return undefined;
  return { offset, size };
}

/**
 * Sequential decoder for one folder (compression none or MSZIP). Reads of increasing ranges continue where the
 * last one stopped, so extracting a folder's files in order is linear; an earlier range restarts from block 0.
 * Memory: one block, the 32 KiB history and the requested range.
 */
export class CabFolderReader {
  private readonly view: ByteView;
  private readonly folder: CabFolder;
  private nextBlock = 0;
  private produced = 0;
  private current: { start: number; data: Uint8Array } | undefined;
  private history: Uint8Array = new Uint8Array(0);

  constructor(bytes: Uint8Array, folder: CabFolder) {
    if (folder.compression !== 'none' && folder.compression !== 'mszip') {
      fail('CAB_UNSUPPORTED_COMPRESSION', `folder ${folder.index} uses ${folder.method}, which this reader does not decode`);
    }
    this.view = new ByteView(bytes, 'CAB_TRUNCATED');
    this.folder = folder;
  }

  /** Bytes [start, start+length) of the uncompressed folder; `maxBytes` bounds `length` (LimitExceededError). */
  read(start: number, length: number, maxBytes: number): Uint8Array {
    safeBound(length, maxBytes, 'CAB member size (bytes)');
    if (start + length > this.folder.uncompressedSize) fail('CAB_BAD_FILE', `range [${start}, +${length}) runs past folder ${this.folder.index} (${this.folder.uncompressedSize} bytes)`);
    if (this.current === undefined || start < this.current.start) this.reset();
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const at = start + filled;
      const cur = this.current;
      if (cur !== undefined && at >= cur.start && at < cur.start + cur.data.length) {
        const from = at - cur.start;
        const n = Math.min(cur.data.length - from, length - filled);
        out.set(cur.data.subarray(from, from + n), filled);
        filled += n;
      } else {
        this.decodeNextBlock();
      }
    }
    return out;
  }

  private reset(): void {
    this.nextBlock = 0;
    this.produced = 0;
    this.current = undefined;
    this.history = new Uint8Array(0);
  }

  private decodeNextBlock(): void {
    const block = this.folder.blocks[this.nextBlock];
    if (block === undefined) fail('CAB_BAD_DATA', `folder ${this.folder.index} ends after ${this.produced} bytes`);
    if (block.uncompressedSize > MAX_CAB_BLOCK_UNCOMPRESSED_BYTES) {
      fail('CAB_BAD_DATA', `CFDATA ${this.nextBlock} of folder ${this.folder.index}: cbUncomp ${block.uncompressedSize} exceeds ${MAX_CAB_BLOCK_UNCOMPRESSED_BYTES}`, block.headerOffset);
    }
    const payload = this.view.slice(block.dataOffset, block.compressedSize, 'CFDATA payload');
    let data: Uint8Array;
    if (this.folder.compression === 'none') {
      if (block.compressedSize !== block.uncompressedSize) fail('CAB_BAD_DATA', `uncompressed CFDATA with cbData ${block.compressedSize} ≠ cbUncomp ${block.uncompressedSize}`, block.headerOffset);
      data = payload;
    } else {
      data = inflateMszipBlock(payload, this.history, block.uncompressedSize, block.headerOffset);
      this.history = lastBytes(this.history, data, MSZIP_WINDOW_BYTES);
    }
    this.current = { start: this.produced, data };
    this.produced += data.length;
    this.nextBlock++;
  }
}

/** The last `n` bytes of a ‖ b. */
function lastBytes(a: Uint8Array, b: Uint8Array, n: number): Uint8Array {
  if (b.length >= n) return b.slice(b.length - n);
  const keepA = Math.min(a.length, n - b.length);
  const out = new Uint8Array(keepA + b.length);
  out.set(a.subarray(a.length - keepA), 0);
  out.set(b, keepA);
  return out;
}

/** One MSZIP block: "CK" + raw deflate, with the folder's last 32 KiB as the preset dictionary. Output is capped at cbUncomp while inflating. */
export function inflateMszipBlock(payload: Uint8Array, history: Uint8Array, uncompressedSize: number, offset: number): Uint8Array {
  if (payload.length < 2 || payload[0] !== 0x43 || payload[1] !== 0x4b) fail('CAB_BAD_DATA', 'MSZIP block does not start with "CK"', offset);
  let out: Uint8Array;
  try {
    out = inflateRawSync(payload.subarray(2), {
      ...(history.length > 0 ? { dictionary: history } : {}),
      // The block declares its output size; zlib stops (with an error) instead of growing past it.
      maxOutputLength: Math.max(1, uncompressedSize),
    });
  } catch (e) {
    fail('CAB_BAD_DATA', `MSZIP block does not inflate to its declared ${uncompressedSize} bytes: ${(e as Error).message}`, offset);
  }
  if (out.length !== uncompressedSize) fail('CAB_BAD_DATA', `MSZIP block inflated to ${out.length} bytes, cbUncomp says ${uncompressedSize}`, offset);
  return out;
}

/** The bytes of one file (none/MSZIP folders only). Throws the file's `problem` as a ParseError, LimitExceededError over `maxBytes`. */
export function extractCabFile(bytes: Uint8Array, file: CabFile, maxBytes: number, reader?: CabFolderReader): Uint8Array {
  if (file.problem !== undefined) fail(file.problem.code, `${file.name}: ${file.problem.message}`);
  if (file.folder === undefined) fail('CAB_BAD_FILE', `${file.name}: no folder`);
  if (file.size > maxBytes) throw new LimitExceededError('CAB member size (bytes)', file.size, maxBytes);
  return (reader ?? new CabFolderReader(bytes, file.folder)).read(file.folderOffset, file.size, maxBytes);
}

/**
 * A new, minimal cabinet holding only `folder` with its CFDATA blocks copied verbatim and its files renamed
 * `f<index>` (decimal, the index into `files`): lets an external decoder (7-Zip for LZX/Quantum) expand the folder
 * without ever seeing a hostile name. Reserve areas are dropped (cbCFData 0), so block checksums stay valid.
 */
export function buildSingleFolderCabinet(bytes: Uint8Array, cab: CabCabinet, folder: CabFolder): { cabinet: Uint8Array; files: CabFile[] } {
  const view = new ByteView(bytes, 'CAB_TRUNCATED');
  const files = cab.files.filter((f) => f.folder === folder && f.problem === undefined);
  const names = files.map((f) => new TextEncoder().encode(`f${f.index}\0`));
  const filesOffset = CFHEADER_FIXED_SIZE_BYTES + CFFOLDER_FIXED_SIZE_BYTES;
  const filesBytes = names.reduce((n, name) => n + CFFILE_FIXED_SIZE_BYTES + name.length, 0);
  const dataOffset = filesOffset + filesBytes;
  const dataBytes = folder.blocks.reduce((n, b) => n + CFDATA_FIXED_SIZE_BYTES + b.compressedSize, 0);
  const out = new Uint8Array(dataOffset + dataBytes);
  const dv = new DataView(out.buffer);
  dv.setUint32(CFHEADER_FIELDS.signature, CAB_SIGNATURE, true);
  dv.setUint32(CFHEADER_FIELDS.cbCabinet, out.length, true);
  dv.setUint32(CFHEADER_FIELDS.coffFiles, filesOffset, true);
  out[CFHEADER_FIELDS.versionMinor] = 3;
  out[CFHEADER_FIELDS.versionMajor] = 1;
  dv.setUint16(CFHEADER_FIELDS.cFolders, 1, true);
  dv.setUint16(CFHEADER_FIELDS.cFiles, files.length, true);
  dv.setUint32(CFHEADER_FIXED_SIZE_BYTES + CFFOLDER_FIELDS.coffCabStart, dataOffset, true);
  dv.setUint16(CFHEADER_FIXED_SIZE_BYTES + CFFOLDER_FIELDS.cCFData, folder.blocks.length, true);
  dv.setUint16(CFHEADER_FIXED_SIZE_BYTES + CFFOLDER_FIELDS.typeCompress, folder.typeCompress, true);
  let at = filesOffset;
  files.forEach((f, i) => {
    dv.setUint32(at + CFFILE_FIELDS.cbFile, f.size, true);
    dv.setUint32(at + CFFILE_FIELDS.uoffFolderStart, f.folderOffset, true);
    dv.setUint16(at + CFFILE_FIELDS.iFolder, 0, true);
    dv.setUint16(at + CFFILE_FIELDS.date, f.date, true);
    dv.setUint16(at + CFFILE_FIELDS.time, f.time, true);
    dv.setUint16(at + CFFILE_FIELDS.attribs, f.attributes & ~CAB_ATTRIB_NAME_IS_UTF, true);
    const name = names[i] ?? new Uint8Array(1);
    out.set(name, at + CFFILE_FIXED_SIZE_BYTES);
    at += CFFILE_FIXED_SIZE_BYTES + name.length;
  });
  for (const block of folder.blocks) {
    // csum covers cbData, cbUncomp and the payload, not the reserve: copying it stays valid without the reserve.
    dv.setUint32(at + CFDATA_FIELDS.csum, block.checksum, true);
    dv.setUint16(at + CFDATA_FIELDS.cbData, block.compressedSize, true);
    dv.setUint16(at + CFDATA_FIELDS.cbUncomp, block.uncompressedSize, true);
    out.set(view.slice(block.dataOffset, block.compressedSize, 'CFDATA payload'), at + CFDATA_FIXED_SIZE_BYTES);
    at += CFDATA_FIXED_SIZE_BYTES + block.compressedSize;
  }
  return { cabinet: out, files };
}
