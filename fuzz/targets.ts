/**
 * The parsers `npm run fuzz` exercises, one row each: where the seeds come from (real fixtures, their fields found
 * from the real structure), and what one case runs. A case passes when the parser returns or throws its own
 * ParseError family (LimitExceededError included); anything else is a crash. Adding a parser is one row.
 *
 * CTL seeds: Microsoft's real authroot.stl from ../shared/research/trust (for tests only, never shipped; see its
 * README), re-encoded with its long lists cut to a few entries so one case parses in microseconds, not 14 ms.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAuthenticodeSignature, parseCertificateTrustList } from '../src/authenticode/index.ts';
import { readNode, derChildren, type DERNode } from '../src/authenticode/der.ts';
import { ParseError } from '../src/binary/index.ts';
import { DEFAULT_CONTAINER_LIMITS, openContainer, type ContainerLimits } from '../src/containers/index.ts';
import { CabFolderReader, extractCabFile, parseCabinet, prepareCabSignature } from '../src/formats/cab/index.ts';
import { CFB_ENTRY_FIELDS, CFB_HEADER_FIELDS } from '../src/formats/cfb/cfb-reader.ts';
import { parseCFBHeader, readCFB, type CFBEntry } from '../src/formats/cfb/index.ts';
import { decodeMsiStreamName, openMsiDatabase, prepareMsiSignature, resolveMsiInstallLayout } from '../src/formats/msi/index.ts';
import { findNsisFirstHeader } from '../src/formats/nsis/index.ts';
import { COFF_HEADER_FIELDS, OPTIONAL_HEADER_FIELDS, SECTION_HEADER_FIELDS } from '../src/formats/pe/pe-headers.ts';
import { mapRVA, parsePE, parsePEHeaders, parseWinCertificates, type PEHeaders } from '../src/formats/pe/index.ts';
import { buildCab } from '../test/formats/cab/cab-builder.ts';
import { buildMsiDatabase, T } from '../test/formats/msi/msi-builder.ts';
import { structFields, wordFields, type Field, type Seed } from './mutate.ts';

export interface FuzzTarget {
  /** Stable name: the regression folder and the `--only` filter use it. */
  name: string;
  /** What is parsed, for the report. */
  covers: string;
  seeds(): Seed[];
  /** One case. Resolve or throw a ParseError; anything else is a crash. */
  run(bytes: Uint8Array): void | Promise<void>;
}

/** The errors a parser may throw on bad input (its ParseError family; LimitExceededError extends ParseError). */
export function isExpectedError(error: unknown): boolean {
  return error instanceof ParseError;
}

const repoRoot = join(import.meta.dirname, '..');
const fixture = (path: string): Uint8Array => new Uint8Array(readFileSync(join(repoRoot, 'test', 'fixtures', path)));

/** Small limits so a case that expands data stays small (the limits themselves are what is being tested). */
const CONTAINER_LIMITS: ContainerLimits = { ...DEFAULT_CONTAINER_LIMITS, maxMemberBytes: 4 * 1024 * 1024, maxTotalExtractedBytes: 16 * 1024 * 1024, maxMembers: 500 };

function tolerate(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!isExpectedError(error)) throw error;
  }
}

// ------------------------------------------------------------------------------------------------- PE

function peFields(bytes: Uint8Array, headers: PEHeaders): Field[] {
  const optional = headers.bits === 64 ? OPTIONAL_HEADER_FIELDS.pe32Plus : OPTIONAL_HEADER_FIELDS.pe32;
  const fields: Field[] = [{ at: 0x3c, width: 4 }, ...structFields(headers.peHeaderOffset + 4, COFF_HEADER_FIELDS, 20), ...structFields(headers.optionalHeaderOffset, optional, optional.DataDirectories)];
  fields.push(...wordFields(headers.optionalHeaderOffset + optional.DataDirectories, headers.optionalHeaderOffset + optional.DataDirectories + headers.dataDirectories.length * 8, 4));
  for (let i = 0; i < headers.numberOfSections; i++) fields.push(...structFields(headers.sectionTableOffset + i * 40, SECTION_HEADER_FIELDS, 40));
  // Import, export and resource directories: every dword (RVAs, counts, name offsets).
  for (const index of [0, 1, 2]) {
    const d = headers.dataDirectories[index];
    const mapped = d === undefined || d.virtualAddress === 0 ? undefined : mapRVA(headers, d.virtualAddress);
    if (mapped !== undefined) fields.push(...wordFields(mapped.offset, Math.min(bytes.length, mapped.offset + Math.min(mapped.available, Math.max(d?.size ?? 0, 64))), 4));
  }
  return fields;
}

const peTarget: FuzzTarget = {
  name: 'pe',
  covers: 'parsePEHeaders, parsePE (imports, exports, resources, version info, manifest, checksum), parseWinCertificates',
  seeds: () =>
    ['pe-extra/tiny-x64-gui.exe', 'pe-extra/tiny-x86-cui.exe', 'pe-extra/tiny-x64-lib.dll', 'pe-extra/tiny-x86-lib.dll', 'pe-extra/tiny-x64-gui-signed.exe', 'pe-extra/tiny-x86-lib-signed.dll'].map((name) => {
      const bytes = fixture(name);
      return { name, bytes, fields: peFields(bytes, parsePEHeaders(bytes)) };
    }),
  run(bytes) {
    let headers: PEHeaders;
    try {
      headers = parsePEHeaders(bytes);
    } catch (error) {
      if (isExpectedError(error)) return;
      throw error;
    }
    tolerate(() => parsePE(bytes));
    const table = headers.authenticode.certificateTable;
    if (table !== undefined && table.problem === undefined) tolerate(() => parseWinCertificates(bytes.subarray(table.offset, table.offset + table.size)));
  },
};

// ------------------------------------------------------------------------------------------------- DER / CMS

/** Every TLV of a DER blob: its tag octet and its length octets (big-endian) are fields. */
function derFields(blob: Uint8Array): Field[] {
  const fields: Field[] = [];
  const stack: DERNode[] = [readNode(blob, 0)];
  while (stack.length > 0) {
    const node = stack.pop() as DERNode;
    fields.push({ at: node.start, width: 1 });
    const lengthAt = node.start + 1;
    const lengthOctets = node.contentStart - lengthAt;
    if (lengthOctets === 1) fields.push({ at: lengthAt, width: 1 });
    else if (lengthOctets > 1) fields.push({ at: lengthAt, width: 1 }, { at: lengthAt + 1, width: Math.min(4, lengthOctets - 1) as 1 | 2 | 3 | 4, bigEndian: true });
    if (node.constructed) {
      try {
        stack.push(...derChildren(node));
      } catch {
        // not a well-formed constructed value: leave it
      }
    } else if (node.tagNumber === 4 && node.end - node.contentStart > 2) {
      try {
        const inner = readNode(node.bytes, node.contentStart, node.end);
        if (inner.end === node.end) stack.push(inner);
      } catch {
        // plain octets
      }
    }
  }
  return fields;
}

function signatureBlob(pePath: string): Uint8Array {
  const bytes = fixture(pePath);
  const table = parsePEHeaders(bytes).authenticode.certificateTable;
  if (table === undefined) throw new Error(`${pePath} is not signed`);
  const [entry] = parseWinCertificates(bytes.subarray(table.offset, table.offset + table.size));
  if (entry === undefined) throw new Error(`${pePath} has no WIN_CERTIFICATE`);
  return Uint8Array.from(entry.certificate);
}

const derTarget: FuzzTarget = {
  name: 'der-cms',
  covers: 'parseAuthenticodeSignature: DER, CMS SignedData, SpcIndirectData, certificates, RFC 3161 and nested signatures',
  seeds: () =>
    ['pe/signed-sha256.exe', 'pe/signed-dual.exe', 'pe/signed-ecdsa.exe', 'pe/signed-legacyts.exe', 'pe/signed-md5.exe', 'pe/signed-sha512.dll', 'pe-extra/tiny-x64-gui-signed.exe'].map((name) => {
      const bytes = signatureBlob(name);
      return { name, bytes, fields: derFields(bytes) };
    }),
  run: (bytes) => void parseAuthenticodeSignature(bytes),
};

// ------------------------------------------------------------------------------------------------- CFB / MSI

function cfbFields(bytes: Uint8Array): Field[] {
  const h = parseCFBHeader(bytes);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sector = (s: number): number => (s + 1) * h.sectorSize;
  const fields: Field[] = [...structFields(0, CFB_HEADER_FIELDS, 0x4c), ...wordFields(0x4c, 0x200, 4)];
  for (let i = 0; i < h.fatSectorCount && i < 109; i++) {
    const s = dv.getUint32(0x4c + i * 4, true);
    fields.push(...wordFields(sector(s), Math.min(bytes.length, sector(s) + h.sectorSize), 4));
  }
  // Directory sectors (first one; small files have one): every entry's fields.
  const dirAt = sector(h.firstDirectorySector);
  for (let e = 0; e < h.sectorSize / 128; e++) fields.push(...structFields(dirAt + e * 128, CFB_ENTRY_FIELDS, 128));
  if (h.firstMiniFatSector < 0xfffffffa) fields.push(...wordFields(sector(h.firstMiniFatSector), Math.min(bytes.length, sector(h.firstMiniFatSector) + h.sectorSize), 4));
  // Everything else holds streams: MSI tables are columns of 16/32-bit cells (row values, string ids).
  const covered = new Set(fields.map((f) => f.at));
  for (const f of wordFields(0x200, bytes.length, 2)) if (!covered.has(f.at)) fields.push(f);
  return fields;
}

async function readAllMembers(kind: 'zip', bytes: Uint8Array): Promise<void> {
  const listing = await openContainer(kind, bytes, CONTAINER_LIMITS);
  for (const member of listing.members) {
    try {
      await member.read();
    } catch (error) {
      if (!isExpectedError(error)) throw error;
    }
  }
}

const cfbTarget: FuzzTarget = {
  name: 'cfb-msi',
  covers: 'readCFB (every stream read), MSI string pool and tables, install layout, MSI signature digest (embedded cabinets: the cab row)',
  seeds: () => {
    const crafted = buildMsiDatabase(
      {
        Directory: { columns: [['Directory', T.key72], ['Directory_Parent', T.nstr72], ['DefaultDir', T.str255]], rows: [['TARGETDIR', null, 'SourceDir'], ['D', 'TARGETDIR', 'S|Long']] },
        Component: { columns: [['Component', T.key72], ['Directory_', T.str72]], rows: [['C', 'D']] },
        File: { columns: [['File', T.key72], ['Component_', T.str72], ['FileName', T.str255], ['FileSize', T.i4], ['Sequence', T.i2]], rows: [['a.txt', 'C', 'a.txt', 5, 1]] },
        Media: { columns: [['DiskId', T.key_i2], ['LastSequence', T.i2], ['Cabinet', T.str255]], rows: [[1, 1, '#c.cab']] },
      },
      { longRefs: true, extraStreams: [{ name: 'c.cab', content: buildCab([{ name: 'a.txt', data: new TextEncoder().encode('hello') }], { compression: 'mszip' }) }] },
    );
    return [
      { name: 'crafted.msi', bytes: crafted },
      { name: 'msi/external-cab.msi', bytes: fixture('containers/msi/external-cab.msi') },
      { name: 'msi/patch.msp', bytes: fixture('containers/msi/patch.msp') },
      { name: 'msi/app-signed.msi', bytes: fixture('containers/msi/app-signed.msi') },
    ].map((s) => ({ ...s, fields: cfbFields(s.bytes) }));
  },
  run(bytes) {
    // The pure layers, as src/containers/compound.ts drives them (synchronous: no event-loop turn per case).
    const file = readCFB(bytes);
    const tables = new Map<string, CFBEntry>();
    for (const entry of file.entries) {
      if (entry.type !== 'stream') continue;
      tolerate(() => file.readStream(entry, CONTAINER_LIMITS.maxMemberBytes));
      const decoded = decodeMsiStreamName(entry.name);
      if (decoded.table) tables.set(decoded.name, entry);
    }
    tolerate(() => {
      const db = openMsiDatabase((name) => {
        const entry = name.startsWith('!') ? tables.get(name.slice(1)) : undefined;
        return entry === undefined ? undefined : file.readStream(entry);
      });
      resolveMsiInstallLayout(db);
    });
    prepareMsiSignature(file).computeDigest('sha256', (a) => createHash(a));
  },
};

// ------------------------------------------------------------------------------------------------- CAB

/** MS-CAB CFHEADER, CFFOLDER, CFFILE and CFDATA fields ([MS-CAB] 2.2–2.5), from the parsed cabinet. */
function cabFields(bytes: Uint8Array): Field[] {
  const cab = parseCabinet(bytes);
  const fields: Field[] = structFields(0, { signature: 0, reserved1: 4, cbCabinet: 8, reserved2: 12, coffFiles: 16, reserved3: 20, versionMinor: 24, versionMajor: 25, cFolders: 26, cFiles: 28, flags: 30, setID: 32, iCabinet: 34 }, 36);
  if ((cab.header.flags & 4) !== 0) fields.push({ at: 36, width: 2 }, { at: 38, width: 1 }, { at: 39, width: 1 });
  const folderTable = 36 + ((cab.header.flags & 4) !== 0 ? 4 + cab.header.headerReserveSize : 0);
  for (let i = 0; i < cab.folders.length; i++) fields.push(...structFields(folderTable + i * (8 + cab.header.folderReserveSize), { coffCabStart: 0, cCFData: 4, typeCompress: 6 }, 8));
  // CFFILE entries: fixed fields, then a NUL-terminated name.
  let at = cab.header.filesOffset;
  for (let i = 0; i < cab.header.fileCount && at + 16 <= bytes.length; i++) {
    fields.push(...structFields(at, { cbFile: 0, uoffFolderStart: 4, iFolder: 8, date: 10, time: 12, attribs: 14 }, 16));
    at += 16;
    while (at < bytes.length && bytes[at] !== 0) at++;
    at++;
  }
  for (const folder of cab.folders) for (const block of folder.blocks.slice(0, 4)) fields.push(...structFields(block.headerOffset, { csum: 0, cbData: 4, cbUncomp: 6 }, 8));
  return fields;
}

const cabTarget: FuzzTarget = {
  name: 'cab',
  covers: 'parseCabinet, MSZIP/stored extraction (CabFolderReader, extractCabFile), CAB signature digest',
  seeds: () => {
    const text = new TextEncoder().encode('Contoso '.repeat(600));
    return [
      { name: 'crafted-two-folders.cab', bytes: buildCab([{ name: 'a.txt', data: text }, { name: 'dir\\b.txt', data: text.subarray(0, 999), folder: 1 }], { compression: 'mszip', folders: 2, headerReserve: new Uint8Array(6), folderReserveSize: 2, dataReserveSize: 3, next: ['n.cab', 'd2'] }) },
      { name: 'crafted-stored.cab', bytes: buildCab([{ name: 'x.bin', data: text.subarray(0, 300) }, { name: 'y.bin', data: text.subarray(0, 10) }]) },
      { name: 'cab/signed.cab', bytes: fixture('containers/cab/signed.cab') },
      { name: 'cab/mszip.cab', bytes: fixture('containers/cab/mszip.cab') },
    ].map((s) => ({ ...s, fields: cabFields(s.bytes) }));
  },
  run(bytes) {
    const cab = parseCabinet(bytes);
    const readers = new Map<number, CabFolderReader>();
    for (const file of cab.files) {
      tolerate(() => {
        const folder = file.folder;
        if (folder === undefined) return;
        let reader = readers.get(folder.index);
        if (reader === undefined) {
          reader = new CabFolderReader(bytes, folder);
          readers.set(folder.index, reader);
        }
        extractCabFile(bytes, file, CONTAINER_LIMITS.maxMemberBytes, reader);
      });
    }
    prepareCabSignature(bytes, cab).computeDigest('sha256', (a) => createHash(a));
  },
};

// ------------------------------------------------------------------------------------------------- ZIP

/** Local file headers, central directory records, end records and ZIP64 records ([APPNOTE] 4.3). */
function zipFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 4 <= bytes.length; at++) {
    if (bytes[at] !== 0x50 || bytes[at + 1] !== 0x4b) continue;
    const signature = dv.getUint32(at, true);
    if (signature === 0x04034b50) fields.push(...structFields(at, { sig: 0, version: 4, flags: 6, method: 8, time: 10, date: 12, crc: 14, compressedSize: 18, size: 22, nameLength: 26, extraLength: 28 }, 30));
    else if (signature === 0x02014b50) fields.push(...structFields(at, { sig: 0, made: 4, version: 6, flags: 8, method: 10, time: 12, date: 14, crc: 16, compressedSize: 20, size: 24, nameLength: 28, extraLength: 30, commentLength: 32, disk: 34, internal: 36, external: 38, localHeaderOffset: 42 }, 46));
    else if (signature === 0x06054b50) fields.push(...structFields(at, { sig: 0, disk: 4, cdDisk: 6, diskEntries: 8, entries: 10, cdSize: 12, cdOffset: 16, commentLength: 20 }, 22));
    else if (signature === 0x06064b50) fields.push(...wordFields(at + 4, Math.min(bytes.length, at + 56), 4));
    else if (signature === 0x07064b50) fields.push(...wordFields(at + 4, Math.min(bytes.length, at + 20), 4));
  }
  return fields;
}

const zipTarget: FuzzTarget = {
  name: 'zip',
  covers: 'ZIP listing through the container reader (yauzl, our names, limits, bomb and traversal checks, CRC), every member read',
  seeds: () => ['zip/plain.zip', 'zip/zip64.zip', 'zip/traversal.zip', 'zip/cp437.zip', 'zip/encrypted.zip', 'zip/bomb.zip'].map((name) => {
    const bytes = fixture(`containers/${name}`);
    return { name, bytes, fields: zipFields(bytes) };
  }),
  run: (bytes) => readAllMembers('zip', bytes),
};

// ------------------------------------------------------------------------------------------------- NSIS

const nsisTarget: FuzzTarget = {
  name: 'nsis-header',
  covers: 'the NSIS stub (parsePEHeaders) and findNsisFirstHeader (firstheader: flags, signature, lengths)',
  seeds: () => ['nsis/setup-zlib.exe', 'nsis/setup-lzma-solid.exe'].map((name) => {
    const whole = fixture(`containers/${name}`);
    const first = findNsisFirstHeader(whole);
    if (first === undefined) throw new Error(`${name}: no NSIS first header`);
    // The stub and the first header plus a little data: the rest is compressed payload the scanner never reads.
    const bytes = whole.slice(0, first.offset + 4096);
    const headers = parsePEHeaders(bytes, whole.length);
    return { name, bytes, fields: [...peFields(bytes, headers).filter((f) => f.at < 1024), ...wordFields(first.offset, first.offset + 28, 4)] };
  }),
  run(bytes) {
    let from = 0;
    tolerate(() => {
      const headers = parsePEHeaders(bytes);
      for (const s of headers.sections) from = Math.max(from, s.pointerToRawData + s.sizeOfRawData);
    });
    const first = findNsisFirstHeader(bytes, from);
    if (first !== undefined && (first.offset + 28 > bytes.length || first.headerLength < 0 || first.dataLength < 0)) throw new Error('first header outside the bytes');
  },
};

// ------------------------------------------------------------------------------------------------- CTL

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** The DER element again, every constructed list longer than `keep` cut to its first `keep` children (lengths re-encoded). */
function shrinkDER(node: DERNode, keep: number): Uint8Array {
  if (!node.constructed || node.tagNumber >= 31) return Uint8Array.from(node.bytes.subarray(node.start, node.end));
  const children = derChildren(node);
  const parts = (children.length > 16 ? children.slice(0, keep) : children).map((c) => shrinkDER(c, keep));
  const length = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(1 + derLength(length).length + length);
  out[0] = node.bytes[node.start] ?? 0;
  out.set(derLength(length), 1);
  let at = 1 + derLength(length).length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const sharedTrustList = join(process.env.ABSOLVE_SHARED_DIR ?? join(repoRoot, '..', 'shared'), 'research', 'trust', 'authroot.stl');

const ctlTarget: FuzzTarget = {
  name: 'ctl',
  covers: 'parseCertificateTrustList: the CMS envelope, CTL fields, trusted subjects and their attributes (EKUs, NotBefore, Disallowed dates)',
  seeds: () => {
    if (!existsSync(sharedTrustList)) throw new Error(`the CTL target needs Microsoft's authroot.stl at ${sharedTrustList} (ABSOLVE_SHARED_DIR overrides)`);
    const whole = new Uint8Array(readFileSync(sharedTrustList));
    return [3, 6].map((keep) => {
      const bytes = shrinkDER(readNode(whole, 0), keep);
      parseCertificateTrustList(bytes); // a seed must parse before it is mutated
      return { name: `authroot.stl (lists cut to ${keep})`, bytes, fields: derFields(bytes) };
    });
  },
  run: (bytes) => void parseCertificateTrustList(bytes),
};

/** The table. `npm run fuzz -- --only <name>` picks rows. */
export const FUZZ_TARGETS: readonly FuzzTarget[] = [peTarget, derTarget, ctlTarget, cfbTarget, cabTarget, zipTarget, nsisTarget];
