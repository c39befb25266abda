/**
 * MS-CFB ("Compound File Binary", OLE2 structured storage) reader: the container of MSI, MSP and MST files.
 *
 * References:
 * - [MS-CFB] "Compound File Binary File Format": 2.2 Compound File Header, 2.3 FAT, 2.4 Mini FAT, 2.5 DIFAT,
 *   2.6 Directory (2.6.1 entries, 2.6.4 red-black tree), 2.1 sector numbers (MAXREGSECT, DIFSECT, FATSECT,
 *   ENDOFCHAIN, FREESECT).
 *
 * Why not the `cfb` package here: it may not be imported by this pure layer, and on crafted input it does work
 * that grows with the square of the file (a FAT walk that restarts at every sector, path building with
 * `lastIndexOf`) and follows some chains without a cycle check. This reader checks the header first (ByteView +
 * safeBound, so a 512-byte header cannot ask for a huge allocation), then walks every chain once with a
 * visited/owner map: each sector belongs to at most one chain, every chain ends, and every stream's chain is long
 * enough for its size. After `readCFB` returns, reading any stream is a bounded copy.
 */
import { ByteView, LimitExceededError, ParseError, safeBound, utf16le } from '../../binary/index.ts';
import type { CFBEntry, CFBEntryType, CFBErrorCode, CFBFile, CFBHeader, CFBLimits } from './cfb.types.ts';

export const CFB_SIGNATURE = Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);
export const CFB_HEADER_SIZE_BYTES = 512;
export const CFB_DIRECTORY_ENTRY_SIZE_BYTES = 128;
/** [MS-CFB] 2.2: the header holds the first 109 DIFAT entries. */
export const CFB_HEADER_DIFAT_ENTRIES = 109;
export const CFB_MINI_SECTOR_SIZE_BYTES = 64;
export const CFB_MINI_STREAM_CUTOFF_BYTES = 4096;
/** [MS-CFB] 2.1. */
export const MAXREGSECT = 0xfffffffa;
export const DIFSECT = 0xfffffffc;
export const FATSECT = 0xfffffffd;
export const ENDOFCHAIN = 0xfffffffe;
export const FREESECT = 0xffffffff;
export const NOSTREAM = 0xffffffff;

export const DEFAULT_CFB_LIMITS: Readonly<CFBLimits> = Object.freeze({
  maxDirectoryEntries: 65_536,
  maxStorageDepth: 32,
});

/** Header field offsets ([MS-CFB] 2.2), table-tested. */
export const CFB_HEADER_FIELDS = {
  signature: 0x00,
  clsid: 0x08,
  minorVersion: 0x18,
  majorVersion: 0x1a,
  byteOrder: 0x1c,
  sectorShift: 0x1e,
  miniSectorShift: 0x20,
  reserved: 0x22,
  directorySectorCount: 0x28,
  fatSectorCount: 0x2c,
  firstDirectorySector: 0x30,
  transactionSignature: 0x34,
  miniStreamCutoff: 0x38,
  firstMiniFatSector: 0x3c,
  miniFatSectorCount: 0x40,
  firstDifatSector: 0x44,
  difatSectorCount: 0x48,
  difat: 0x4c,
} as const;

/** Directory entry field offsets ([MS-CFB] 2.6.1). */
export const CFB_ENTRY_FIELDS = {
  name: 0x00,
  nameLength: 0x40,
  objectType: 0x42,
  colorFlag: 0x43,
  leftSiblingId: 0x44,
  rightSiblingId: 0x48,
  childId: 0x4c,
  clsid: 0x50,
  stateBits: 0x60,
  creationTime: 0x64,
  modifiedTime: 0x6c,
  startSector: 0x74,
  streamSize: 0x78,
} as const;

function fail(code: CFBErrorCode, message: string, offset?: number): never {
  throw new ParseError<CFBErrorCode>(code, message, offset === undefined ? {} : { offset });
}

/** Cheap sniff: the 8-byte signature. Never throws. */
export function looksLikeCFB(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && CFB_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** The header, checked field by field. Sizes derived from it are bounded by the bytes present. */
export function parseCFBHeader(bytes: Uint8Array): CFBHeader {
  if (!looksLikeCFB(bytes)) fail('CFB_NOT_CFB', 'no compound-file signature D0 CF 11 E0 A1 B1 1A E1 at offset 0', 0);
  const view = new ByteView(bytes, 'CFB_TRUNCATED');
  view.check(0, CFB_HEADER_SIZE_BYTES, 'compound file header');
  const H = CFB_HEADER_FIELDS;
  const majorVersion = view.u16(H.majorVersion);
  if (majorVersion !== 3 && majorVersion !== 4) fail('CFB_BAD_HEADER', `major version ${majorVersion} (expected 3 or 4)`, H.majorVersion);
  if (view.u16(H.byteOrder) !== 0xfffe) fail('CFB_BAD_HEADER', `byte order mark 0x${view.u16(H.byteOrder).toString(16)} (expected 0xfffe)`, H.byteOrder);
  const sectorShift = view.u16(H.sectorShift);
  if ((majorVersion === 3 && sectorShift !== 9) || (majorVersion === 4 && sectorShift !== 12)) {
    fail('CFB_BAD_HEADER', `sector shift ${sectorShift} does not match version ${majorVersion}`, H.sectorShift);
  }
  if (view.u16(H.miniSectorShift) !== 6) fail('CFB_BAD_HEADER', `mini sector shift ${view.u16(H.miniSectorShift)} (expected 6)`, H.miniSectorShift);
  const miniStreamCutoff = view.u32(H.miniStreamCutoff);
  if (miniStreamCutoff !== CFB_MINI_STREAM_CUTOFF_BYTES) fail('CFB_BAD_HEADER', `mini stream cutoff ${miniStreamCutoff} (expected 4096)`, H.miniStreamCutoff);
  const sectorSize = 1 << sectorShift;
  // Sector n starts at (n + 1) × sectorSize; a partial last sector still counts (its missing tail is "truncated").
  const sectorCount = Math.max(0, Math.ceil((bytes.length - sectorSize) / sectorSize));
  // Every FAT, DIFAT and mini FAT sector is a sector of the file: counts above the file's sectors are lies.
  const count = (offset: number, what: string): number => {
    const value = view.u32(offset, what);
    if (value > sectorCount) fail('CFB_TRUNCATED', `${what} is ${value} but the file has ${sectorCount} sector(s)`, offset);
    return value;
  };
  return {
    majorVersion,
    minorVersion: view.u16(H.minorVersion),
    sectorSize,
    miniSectorSize: CFB_MINI_SECTOR_SIZE_BYTES,
    miniStreamCutoff,
    fatSectorCount: count(H.fatSectorCount, 'Number of FAT Sectors'),
    firstDirectorySector: view.u32(H.firstDirectorySector),
    firstMiniFatSector: view.u32(H.firstMiniFatSector),
    miniFatSectorCount: count(H.miniFatSectorCount, 'Number of Mini FAT Sectors'),
    firstDifatSector: view.u32(H.firstDifatSector),
    difatSectorCount: count(H.difatSectorCount, 'Number of DIFAT Sectors'),
    sectorCount,
  };
}

/**
 * Parse and validate a compound file. Throws ParseError<CFBErrorCode> (or LimitExceededError) when the file cannot
 * be read safely: truncated sectors, a FAT/mini FAT chain that loops, is shared or is too short for its stream, a
 * directory tree that loops. Everything reachable is validated up front, so truncation is reported here.
 */
export function readCFB(bytes: Uint8Array, limits: CFBLimits = DEFAULT_CFB_LIMITS): CFBFile {
  const header = parseCFBHeader(bytes);
  const view = new ByteView(bytes, 'CFB_TRUNCATED');
  const { sectorSize, sectorCount } = header;
  const entriesPerSector = sectorSize / 4;
  const sectorOffset = (sector: number): number => (sector + 1) * sectorSize;
  const checkSector = (sector: number, what: string): void => {
    if (sector > MAXREGSECT) fail('CFB_BAD_CHAIN', `${what}: special sector number 0x${sector.toString(16)} inside a chain`);
    if (sector >= sectorCount) fail('CFB_TRUNCATED', `${what}: sector ${sector} is past the end of the file (${sectorCount} sectors)`);
  };
  // owner[s] = 1 + index of the chain that uses sector s (0 = unused): no sector may serve two chains.
  const owner = new Int32Array(sectorCount);
  let chainCount = 0;
  const claim = (sector: number, chain: number, what: string): void => {
    if (owner[sector] !== 0) fail('CFB_BAD_CHAIN', `${what}: sector ${sector} is already used by another chain (loop or shared sector)`);
    owner[sector] = chain;
  };

  // --- DIFAT → FAT sector list [MS-CFB 2.5] ----------------------------------------------------------------
  const fatSectors: number[] = [];
  for (let i = 0; i < CFB_HEADER_DIFAT_ENTRIES && fatSectors.length < header.fatSectorCount; i++) {
    fatSectors.push(view.u32(CFB_HEADER_FIELDS.difat + i * 4));
  }
  const difatChain = ++chainCount;
  let difat = header.firstDifatSector;
  for (let n = 0; fatSectors.length < header.fatSectorCount; n++) {
    if (n >= header.difatSectorCount || difat === ENDOFCHAIN || difat === FREESECT) {
      fail('CFB_BAD_FAT', `the DIFAT lists ${fatSectors.length} FAT sector(s), the header says ${header.fatSectorCount}`);
    }
    checkSector(difat, 'DIFAT chain');
    claim(difat, difatChain, 'DIFAT chain');
    const at = sectorOffset(difat);
    view.check(at, sectorSize, 'DIFAT sector');
    for (let i = 0; i < entriesPerSector - 1 && fatSectors.length < header.fatSectorCount; i++) fatSectors.push(view.u32(at + i * 4));
    difat = view.u32(at + sectorSize - 4);
  }
  const fatChain = ++chainCount;
  const fat = new Uint32Array(fatSectors.length * entriesPerSector);
  fatSectors.forEach((sector, i) => {
    checkSector(sector, 'FAT sector list');
    claim(sector, fatChain, 'FAT sector list');
    const at = sectorOffset(sector);
    view.check(at, sectorSize, 'FAT sector');
    for (let j = 0; j < entriesPerSector; j++) fat[i * entriesPerSector + j] = view.u32(at + j * 4);
  });

  /** Follow a FAT chain; `needed` sectors must be present (more are tolerated). */
  const followChain = (start: number, needed: number, what: string): Uint32Array => {
    const chain = ++chainCount;
    const out: number[] = [];
    let sector = start;
    while (sector !== ENDOFCHAIN) {
      checkSector(sector, what);
      claim(sector, chain, what);
      out.push(sector);
      if (sector >= fat.length) fail('CFB_BAD_FAT', `${what}: sector ${sector} has no FAT entry (the FAT covers ${fat.length} sectors)`);
      sector = fat[sector] as number;
    }
    if (out.length < needed) fail('CFB_BAD_CHAIN', `${what}: chain of ${out.length} sector(s), ${needed} needed`);
    return Uint32Array.from(out);
  };
  const sectorsFor = (size: number, unit: number): number => Math.ceil(size / unit);

  // --- Directory [MS-CFB 2.6] -----------------------------------------------------------------------------
  if (header.firstDirectorySector === ENDOFCHAIN) fail('CFB_BAD_DIRECTORY', 'the header names no directory sector');
  const directory = followChain(header.firstDirectorySector, 1, 'directory chain');
  const entryCapacity = directory.length * (sectorSize / CFB_DIRECTORY_ENTRY_SIZE_BYTES);
  const entryOffset = (id: number): number => {
    const perSector = sectorSize / CFB_DIRECTORY_ENTRY_SIZE_BYTES;
    const sector = directory[Math.floor(id / perSector)] as number;
    return sectorOffset(sector) + (id % perSector) * CFB_DIRECTORY_ENTRY_SIZE_BYTES;
  };
  const E = CFB_ENTRY_FIELDS;
  const readEntry = (id: number, parentPath: string): CFBEntry => {
    const at = entryOffset(id);
    view.check(at, CFB_DIRECTORY_ENTRY_SIZE_BYTES, `directory entry ${id}`);
    const objectType = view.u8(at + E.objectType);
    const type: CFBEntryType | undefined = objectType === 5 ? 'root' : objectType === 1 ? 'storage' : objectType === 2 ? 'stream' : undefined;
    if (type === undefined) fail('CFB_BAD_DIRECTORY', `directory entry ${id} is referenced but has object type ${objectType}`, at);
    const nameLength = view.u16(at + E.nameLength);
    if (nameLength < 2 || nameLength > 64 || nameLength % 2 !== 0) fail('CFB_BAD_DIRECTORY', `directory entry ${id}: name length ${nameLength} (expected an even 2..64)`, at);
    const nameBytes = view.slice(at + E.name, nameLength).slice();
    const name = utf16le(nameBytes.subarray(0, nameLength - 2));
    const low = view.u32(at + E.streamSize);
    const high = view.u32(at + E.streamSize + 4);
    // [MS-CFB] 2.6.3: version 3 files may carry garbage in the high dword; parsers should ignore it.
    const size = header.majorVersion === 3 ? low : high * 0x1_0000_0000 + low;
    return {
      id,
      type,
      name,
      nameBytes,
      path: type === 'root' ? '' : parentPath === '' ? name : `${parentPath}/${name}`,
      clsid: view.slice(at + E.clsid, 16).slice(),
      stateBits: view.u32(at + E.stateBits),
      creationTime: view.slice(at + E.creationTime, 8).slice(),
      modifiedTime: view.slice(at + E.modifiedTime, 8).slice(),
      startSector: view.u32(at + E.startSector),
      size: type === 'storage' ? 0 : safeBound(size, bytes.length, 'CFB stream size (bytes)', at + E.streamSize),
      children: [],
    };
  };

  const root = readEntry(0, '');
  if (root.type !== 'root') fail('CFB_BAD_DIRECTORY', `directory entry 0 is a ${root.type}, not the root storage`);
  const entries: CFBEntry[] = [root];
  const seen = new Uint8Array(entryCapacity);
  seen[0] = 1;
  // Storages to expand: their child pointer leads to a binary tree of siblings (left/right) [MS-CFB 2.6.4].
  const pending: Array<{ storage: CFBEntry; depth: number }> = [{ storage: root, depth: 0 }];
  while (pending.length > 0) {
    const { storage, depth } = pending.pop() as { storage: CFBEntry; depth: number };
    if (depth >= limits.maxStorageDepth) throw new LimitExceededError('CFB storage depth (levels)', depth + 1, limits.maxStorageDepth);
    const childId = view.u32(entryOffset(storage.id) + E.childId);
    // In-order walk of the sibling tree with an explicit stack: hostile trees cannot overflow the JS stack.
    const stack: number[] = [];
    const visit = (id: number): void => {
      if (id === NOSTREAM) return;
      if (id >= entryCapacity) fail('CFB_BAD_DIRECTORY', `entry id ${id} is past the directory (${entryCapacity} entries)`);
      if (seen[id] !== 0) fail('CFB_BAD_DIRECTORY', `directory entry ${id} is reachable twice (loop in the directory tree)`);
      seen[id] = 1;
      if (entries.length >= limits.maxDirectoryEntries) throw new LimitExceededError('CFB directory entries (count)', entries.length + 1, limits.maxDirectoryEntries);
      stack.push(id);
    };
    visit(childId);
    // Iterative in-order: push the left spine, pop and emit, then do the same from the right sibling.
    const leftSpine = (id: number): void => {
      let cur = id;
      while (true) {
        const left = view.u32(entryOffset(cur) + E.leftSiblingId);
        if (left === NOSTREAM) return;
        visit(left);
        cur = left;
      }
    };
    if (stack.length > 0) leftSpine(stack[stack.length - 1] as number);
    while (stack.length > 0) {
      const id = stack.pop() as number;
      const entry = readEntry(id, storage.path);
      if (entry.type === 'root') fail('CFB_BAD_DIRECTORY', `directory entry ${id} is a second root`);
      storage.children.push(entry);
      entries.push(entry);
      if (entry.type === 'storage') pending.push({ storage: entry, depth: depth + 1 });
      const right = view.u32(entryOffset(id) + E.rightSiblingId);
      if (right !== NOSTREAM) {
        visit(right);
        leftSpine(right);
      }
    }
  }

  // --- Mini stream and mini FAT [MS-CFB 2.4] -------------------------------------------------------------
  const streams = entries.filter((e) => e.type === 'stream');
  const usesMini = streams.some((s) => s.size > 0 && s.size < CFB_MINI_STREAM_CUTOFF_BYTES);
  let miniStreamChain: Uint32Array = new Uint32Array(0);
  let miniFat: Uint32Array = new Uint32Array(0);
  if (usesMini) {
    if (root.startSector === ENDOFCHAIN || root.size === 0) fail('CFB_BAD_DIRECTORY', 'small streams exist but the root entry has no mini stream');
    miniStreamChain = followChain(root.startSector, sectorsFor(root.size, sectorSize), 'mini stream chain');
    const miniFatChain = followChain(header.firstMiniFatSector, 1, 'mini FAT chain');
    miniFat = new Uint32Array(miniFatChain.length * entriesPerSector);
    miniFatChain.forEach((sector, i) => {
      const at = sectorOffset(sector);
      view.check(at, sectorSize, 'mini FAT sector');
      for (let j = 0; j < entriesPerSector; j++) miniFat[i * entriesPerSector + j] = view.u32(at + j * 4);
    });
  }
  const miniSectorCount = Math.floor(root.size / CFB_MINI_SECTOR_SIZE_BYTES);
  const miniOwner = new Int32Array(usesMini ? miniSectorCount : 0);

  // --- every stream's chain, validated once -------------------------------------------------------------
  const chains = new Map<CFBEntry, { mini: boolean; sectors: Uint32Array }>();
  for (const stream of streams) {
    if (stream.size === 0) {
      chains.set(stream, { mini: true, sectors: new Uint32Array(0) });
      continue;
    }
    if (stream.size >= CFB_MINI_STREAM_CUTOFF_BYTES) {
      chains.set(stream, { mini: false, sectors: followChain(stream.startSector, sectorsFor(stream.size, sectorSize), `stream "${stream.path}"`) });
      continue;
    }
    const needed = sectorsFor(stream.size, CFB_MINI_SECTOR_SIZE_BYTES);
    const chain = ++chainCount;
    const out: number[] = [];
    let sector = stream.startSector;
    while (out.length < needed) {
      if (sector >= miniSectorCount) fail('CFB_BAD_CHAIN', `stream "${stream.path}": mini sector ${sector} is outside the ${miniSectorCount}-sector mini stream`);
      if (miniOwner[sector] !== 0) fail('CFB_BAD_CHAIN', `stream "${stream.path}": mini sector ${sector} is already used (loop or shared sector)`);
      miniOwner[sector] = chain;
      out.push(sector);
      if (sector >= miniFat.length) fail('CFB_BAD_FAT', `stream "${stream.path}": mini sector ${sector} has no mini FAT entry`);
      sector = miniFat[sector] as number;
    }
    chains.set(stream, { mini: true, sectors: Uint32Array.from(out) });
  }

  const copyStream = (entry: CFBEntry, length: number): Uint8Array => {
    const chain = chains.get(entry);
    if (chain === undefined) throw new TypeError(`readStream: "${entry.path}" is not a stream of this file`);
    const out = new Uint8Array(length);
    let filled = 0;
    for (const sector of chain.sectors) {
      if (filled >= out.length) break;
      if (chain.mini) {
        // Mini sector m lives at byte m × 64 of the mini stream, which is itself a chain of regular sectors.
        const offsetInMini = sector * CFB_MINI_SECTOR_SIZE_BYTES;
        const regular = miniStreamChain[Math.floor(offsetInMini / sectorSize)] as number;
        const n = Math.min(CFB_MINI_SECTOR_SIZE_BYTES, out.length - filled);
        out.set(view.slice(sectorOffset(regular) + (offsetInMini % sectorSize), n, 'mini sector'), filled);
        filled += n;
      } else {
        const n = Math.min(sectorSize, out.length - filled);
        out.set(view.slice(sectorOffset(sector), n, 'stream sector'), filled);
        filled += n;
      }
    }
    return out;
  };
  const readStream = (entry: CFBEntry, maxBytes = Number.MAX_SAFE_INTEGER): Uint8Array => copyStream(entry, safeBound(entry.size, maxBytes, 'CFB stream size (bytes)'));
  const peekStream = (entry: CFBEntry, n: number): Uint8Array => copyStream(entry, Math.max(0, Math.min(n, entry.size)));
  // Truncation shows up here rather than on first read: the last sector of each chain must be fully present.
  for (const [stream, chain] of chains) {
    if (chain.mini || chain.sectors.length === 0) continue;
    const lastIndex = sectorsFor(stream.size, sectorSize) - 1;
    const last = chain.sectors[lastIndex] as number;
    view.check(sectorOffset(last), stream.size - lastIndex * sectorSize, `last sector of stream "${stream.path}"`);
  }
  if (miniStreamChain.length > 0) {
    const lastIndex = sectorsFor(root.size, sectorSize) - 1;
    view.check(sectorOffset(miniStreamChain[lastIndex] as number), root.size - lastIndex * sectorSize, 'last sector of the mini stream');
  }

  return { header, root, entries, readStream, peekStream };
}

/** '{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}' from 16 raw CLSID bytes (first three groups little-endian). */
export function formatCLSID(clsid: Uint8Array): string {
  const h = (i: number): string => (clsid[i] ?? 0).toString(16).padStart(2, '0');
  const group = (...idx: number[]): string => idx.map(h).join('');
  return `{${group(3, 2, 1, 0)}-${group(5, 4)}-${group(7, 6)}-${group(8, 9)}-${group(10, 11, 12, 13, 14, 15)}}`.toUpperCase();
}
